import EduCore
import EduData
import Fluent
import Vapor

/// The legal-document registry (văn bản): fields, validation, files and links between documents.
enum DocumentService {
    /// The document types offices issue (Nghị định 30/2020/NĐ-CP lists the administrative ones).
    static let types = [
        "Luật", "Nghị định", "Thông tư", "Quyết định", "Chỉ thị", "Công văn", "Kế hoạch", "Thông báo", "Hướng dẫn",
        "Báo cáo", "Công điện", "Tờ trình", "Quy chế", "Quy định", "Nghị quyết", "Văn bản khác",
    ]

    static let fields = [
        "Giáo dục mầm non", "Giáo dục tiểu học", "Giáo dục trung học", "Giáo dục thường xuyên", "Khảo thí và kiểm định",
        "Tổ chức cán bộ", "Kế hoạch - Tài chính", "Thi đua - Khen thưởng", "Thanh tra", "Công nghệ thông tin",
        "Chính trị tư tưởng", "Pháp chế", "Văn phòng", "Khác",
    ]

    struct Input {
        var number = ""
        var docType = ""
        var issuer = ""
        var signer = ""
        var issuedOn = ""
        var effectiveOn = ""
        var expiresOn = ""
        var field = ""
        var summary = ""
        var replaces = ""
        var related = ""

        init() {}

        init(form: [String: String]) {
            func text(_ key: String, _ max: Int = 300) -> String { TextNormalizer.normalize(form[key] ?? "", maxLength: max) }
            number = text("number", 100)
            docType = text("docType", 100)
            issuer = text("issuer")
            signer = text("signer", 200)
            issuedOn = text("issuedOn", 20)
            effectiveOn = text("effectiveOn", 20)
            expiresOn = text("expiresOn", 20)
            field = text("field", 200)
            summary = TextNormalizer.normalize(form["summary"] ?? "", mode: .multiLine, maxLength: 2000)
            replaces = text("replaces", 100)
            related = text("related", 1000)
        }

        init(_ document: LegalDocument, replaces: String, related: [String]) {
            number = document.number
            docType = document.docType
            issuer = document.issuer
            signer = document.signer
            issuedOn = VietnameseDate.day(document.issuedOn)
            effectiveOn = document.effectiveOn.map(VietnameseDate.day) ?? ""
            expiresOn = document.expiresOn.map(VietnameseDate.day) ?? ""
            field = document.field
            summary = document.summary
            self.replaces = replaces
            self.related = related.joined(separator: ", ")
        }
    }

    struct Parsed {
        var issuedOn: Date
        var effectiveOn: Date?
        var expiresOn: Date?
        var replacesID: UUID?
        var relatedIDs: [UUID]
    }

    /// The parsed dates and resolved links when the input is good; throws `FormErrors` otherwise.
    static func validate(_ input: Input, unitID: UUID, editing: UUID?, on db: any Database) async throws -> Parsed {
        var errors: FormErrors = [:]
        if input.number.isEmpty { errors["number"] = "Nhập số ký hiệu (ví dụ 1234/QĐ-SGDĐT)." }
        if !types.contains(input.docType) { errors["docType"] = "Chọn loại văn bản." }
        if input.issuer.isEmpty { errors["issuer"] = "Nhập cơ quan ban hành." }
        if input.summary.isEmpty { errors["summary"] = "Nhập trích yếu." }
        let issued = VietnameseDate.parse(input.issuedOn)
        if issued == nil { errors["issuedOn"] = "Ngày ban hành dạng dd/mm/yyyy." }
        let effective = input.effectiveOn.isEmpty ? nil : VietnameseDate.parse(input.effectiveOn)
        if !input.effectiveOn.isEmpty && effective == nil { errors["effectiveOn"] = "Ngày hiệu lực dạng dd/mm/yyyy." }
        let expires = input.expiresOn.isEmpty ? nil : VietnameseDate.parse(input.expiresOn)
        if !input.expiresOn.isEmpty && expires == nil { errors["expiresOn"] = "Ngày hết hiệu lực dạng dd/mm/yyyy." }
        if let effective, let expires, expires <= effective { errors["expiresOn"] = "Ngày hết hiệu lực phải sau ngày có hiệu lực." }
        if let issued, let effective, effective < issued { errors["effectiveOn"] = "Ngày có hiệu lực không thể trước ngày ban hành." }

        func find(_ number: String) async throws -> LegalDocument? {
            try await LegalDocument.query(in: unitID, on: db).filter(\.$number == number).first()
        }
        var replacesID: UUID?
        if !input.replaces.isEmpty {
            if let other = try await find(input.replaces), other.id != editing { replacesID = other.id } else {
                errors["replaces"] = "Không có văn bản số «\(input.replaces)» trong sổ văn bản của đơn vị."
            }
        }
        var relatedIDs: [UUID] = []
        for number in input.related.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }).filter({ !$0.isEmpty }) {
            if let other = try await find(number), let id = other.id, id != editing {
                relatedIDs.append(id)
            } else {
                errors["related"] = "Không có văn bản số «\(number)» trong sổ văn bản của đơn vị."
            }
        }
        if let existing = try await find(input.number), existing.id != editing, !input.number.isEmpty {
            errors["number"] = "Đã có văn bản số «\(input.number)»."
        }
        guard errors.isEmpty, let issued else { throw errors }
        return Parsed(issuedOn: issued, effectiveOn: effective, expiresOn: expires, replacesID: replacesID, relatedIDs: relatedIDs)
    }

    static func apply(_ input: Input, _ parsed: Parsed, to document: LegalDocument) {
        document.number = input.number
        document.docType = input.docType
        document.issuer = input.issuer
        document.signer = input.signer
        document.issuedOn = parsed.issuedOn
        document.effectiveOn = parsed.effectiveOn
        document.expiresOn = parsed.expiresOn
        document.field = input.field
        document.summary = input.summary
        document.replacesID = parsed.replacesID
        document.searchText = SearchFolding.foldWords([input.number, input.docType, input.issuer, input.signer, input.field, input.summary].joined(separator: " "))
    }

    static func save(
        _ input: Input, _ parsed: Parsed, document existing: LegalDocument?, unit: ResolvedUnit, by actor: AuditActor, on db: any Database
    ) async throws -> LegalDocument {
        let user = try actor.person()
        let unitID = unit.id
        return try await db.transaction { db in
            let document = existing ?? LegalDocument()
            if existing == nil {
                document.unitID = unitID
                document.state = .nhap
                document.createdBy = try user.requireID()
                document.reviewComment = ""
            }
            apply(input, parsed, to: document)
            try await document.save(on: db)
            let id = try document.requireID()
            try await DocumentRelation.query(on: db).filter(\.$documentID == id).delete()
            for related in Set(parsed.relatedIDs) { try await DocumentRelation(documentID: id, relatedID: related).create(on: db) }
            try await SearchService.refresh(document, on: db)
            if document.state == .daDang { try await OrgUnit.touch(unitID, on: db) }
            try await AuditEntry.record(actor, unitID: unitID, action: existing == nil ? "document.create" : "document.update",
                target: document.displayTitle, on: db)
            return document
        }
    }

    /// Documents the public may see.
    /// The form's values for a stored document.
    static func input(for document: LegalDocument, on db: any Database) async throws -> Input {
        let replaces = try await document.replacesID.asyncMap { try await LegalDocument.find($0, on: db)?.number } ?? nil
        let related = try await related(to: document, on: db).map(\.number)
        return Input(document, replaces: replaces ?? "", related: related)
    }

    /// Stores an upload (checked by content) and attaches it to the document, after its other files.
    static func attach(
        _ bytes: [UInt8], originalName: String, alt: String, title: String, to document: LegalDocument, unit: ResolvedUnit,
        by actor: AuditActor, config: AppConfig, on db: any Database
    ) async throws {
        let media = try await MediaService.store(
            bytes, originalName: originalName, alt: alt, title: title, unit: unit, by: actor, config: config, on: db)
        let documentID = try document.requireID()
        try await db.transaction { db in
            let count = try await DocumentFile.query(on: db).filter(\.$documentID == documentID).count()
            try await DocumentFile(documentID: documentID, mediaID: try media.requireID(), position: count).create(on: db)
        }
    }

    static func files(of document: LegalDocument, on db: any Database) async throws -> [Media] {
        let links = try await DocumentFile.query(on: db).filter(\.$documentID == document.requireID()).sort(\.$position).all()
        guard !links.isEmpty else { return [] }
        let media = try await Media.query(on: db).filter(\.$id ~~ links.map(\.mediaID)).all()
        let byID = Dictionary(uniqueKeysWithValues: media.compactMap { m in m.id.map { ($0, m) } })
        return links.compactMap { byID[$0.mediaID] }
    }

    static func related(to document: LegalDocument, on db: any Database) async throws -> [LegalDocument] {
        let id = try document.requireID()
        let links = try await DocumentRelation.query(on: db).group(.or) { $0.filter(\.$documentID == id).filter(\.$relatedID == id) }.all()
        let ids = Set(links.flatMap { [$0.documentID, $0.relatedID] }).subtracting([id])
        guard !ids.isEmpty else { return [] }
        return try await LegalDocument.query(in: document.unitID, on: db).filter(\.$id ~~ Array(ids)).sort(\.$issuedOn, .descending).all()
    }
}
