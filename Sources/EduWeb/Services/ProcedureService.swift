import EduCore
import EduData
import EduImport
import Fluent
import Vapor

/// The administrative procedures catalogue (A8.4, Decree 42/2022/NĐ-CP): a unit's procedures,
/// written in the admin or imported from a spreadsheet, public once published. Every write is
/// checked here, scoped to the unit, and audited.
enum ProcedureService {
    /// What a form or an imported row says about a procedure, as typed.
    struct Input: Sendable, Equatable {
        var code = ""
        var name = ""
        var field = ""
        var level = ProcedureLevel.partlyOnline.rawValue
        var applicants = ""
        var dossier = ""
        var processingTime = ""
        var fees = ""
        var place = ""
        var handlerName = ""
        var handlerContact = ""
        var legalBasis = ""
        var submitURL = ""
        var amendedBy = ""

        init() {}

        init(form: [String: String]) {
            func line(_ key: String, _ max: Int = 500) -> String { TextNormalizer.normalize(form[key] ?? "", maxLength: max) }
            func text(_ key: String) -> String { TextNormalizer.normalize(form[key] ?? "", mode: .multiLine, maxLength: 10_000) }
            code = line("code", 40)
            name = line("name")
            field = line("field", 200)
            level = form["level"] ?? ""
            applicants = text("applicants")
            dossier = text("dossier")
            processingTime = line("processingTime", 300)
            fees = text("fees")
            place = text("place")
            handlerName = line("handlerName", 200)
            handlerContact = line("handlerContact", 300)
            legalBasis = text("legalBasis")
            submitURL = line("submitURL", 1000)
            amendedBy = (form["amendedBy"] ?? "").lowercased()
        }

        init(_ procedure: Procedure) {
            code = procedure.code
            name = procedure.name
            field = procedure.field
            level = procedure.serviceLevel
            applicants = procedure.applicants
            dossier = procedure.dossier
            processingTime = procedure.processingTime
            fees = procedure.fees
            place = procedure.place
            handlerName = procedure.handlerName
            handlerContact = procedure.handlerContact
            legalBasis = procedure.legalBasis
            submitURL = procedure.submitURL
            amendedBy = procedure.amendedByID?.uuidString.lowercased() ?? ""
        }
    }

    /// The faults of an input, by field name, in Vietnamese; `documents` are the unit's published
    /// documents a procedure may name as the one that changed it.
    static func faults(_ input: Input, documents: Set<UUID>) -> FormErrors {
        var errors: FormErrors = [:]
        if input.name.count < 5 { errors["name"] = "Nhập tên thủ tục." }
        if !input.code.isEmpty && input.code.range(of: #"^[0-9A-Za-z][0-9A-Za-z.\-]{0,29}$"#, options: .regularExpression) == nil {
            errors["code"] = "Mã thủ tục «\(input.code)» không hợp lệ (ví dụ 1.005092; chỉ chữ số, chữ cái, dấu chấm, gạch ngang)."
        }
        if input.field.isEmpty { errors["field"] = "Nhập lĩnh vực (ví dụ Giáo dục trung học, Thi, tuyển sinh)." }
        let level = ProcedureLevel(rawValue: input.level)
        if level == nil { errors["level"] = "Chọn mức độ dịch vụ công." }
        if input.applicants.isEmpty { errors["applicants"] = "Nhập đối tượng thực hiện." }
        if input.dossier.isEmpty { errors["dossier"] = "Nhập thành phần, số lượng hồ sơ." }
        if input.processingTime.isEmpty { errors["processingTime"] = "Nhập thời hạn giải quyết." }
        if input.place.isEmpty { errors["place"] = "Nhập cách thức, địa điểm thực hiện." }
        if !input.submitURL.isEmpty {
            if let url = URL(string: input.submitURL), url.scheme?.lowercased() == "https", let host = url.host, host.contains(".") {} else {
                errors["submitURL"] = "Đường dẫn nộp hồ sơ phải là địa chỉ https:// đầy đủ (Cổng dịch vụ công quốc gia hoặc của tỉnh)."
            }
        } else if let level, level != .information {
            errors["submitURL"] = "Thủ tục có dịch vụ công trực tuyến cần đường dẫn nộp hồ sơ trên Cổng dịch vụ công."
        }
        if !input.amendedBy.isEmpty && UUID(uuidString: input.amendedBy).map(documents.contains) != true {
            errors["amendedBy"] = "Chọn một văn bản đã đăng của đơn vị."
        }
        return errors
    }

    static func publishedDocumentIDs(of unit: ResolvedUnit, on db: any Database) async throws -> Set<UUID> {
        Set(try await LegalDocument.publicQuery(unitID: unit.id, on: db).all().compactMap(\.id))
    }

    static func apply(_ input: Input, to procedure: Procedure) {
        procedure.code = input.code
        procedure.name = input.name
        procedure.field = input.field
        procedure.serviceLevel = input.level
        procedure.applicants = input.applicants
        procedure.dossier = input.dossier
        procedure.processingTime = input.processingTime
        procedure.fees = input.fees
        procedure.place = input.place
        procedure.handlerName = input.handlerName
        procedure.handlerContact = input.handlerContact
        procedure.legalBasis = input.legalBasis
        procedure.submitURL = input.submitURL
        procedure.amendedByID = UUID(uuidString: input.amendedBy)
        procedure.searchText = SearchFolding.foldWords([input.code, input.name, input.field, input.applicants, input.legalBasis].joined(separator: " "))
    }

    /// Creates or changes a procedure. Someone who may not publish saves a draft: a published
    /// procedure they change goes back to waiting for an editorial head. Throws `FormErrors`.
    @discardableResult
    static func save(_ input: Input, existing: Procedure?, unit: ResolvedUnit, mayPublish: Bool, by actor: AuditActor, who: String,
                     now: Date = Date(), on db: any Database) async throws -> Procedure {
        var errors = faults(input, documents: try await publishedDocumentIDs(of: unit, on: db))
        if errors["code"] == nil && !input.code.isEmpty,
           let other = try await Procedure.query(in: unit, on: db).filter(\.$code == input.code).first(), other.id != existing?.id {
            errors["code"] = "Mã \(input.code) đã dùng cho thủ tục «\(other.name)»."
        }
        guard errors.isEmpty else { throw errors }
        let procedure = existing ?? Procedure()
        let creating = existing == nil
        if creating {
            procedure.unitID = unit.id
            procedure.createdAt = now
        }
        apply(input, to: procedure)
        procedure.updatedAt = now
        procedure.updatedBy = who
        let unpublished = !creating && procedure.publishedAt != nil && !mayPublish
        if unpublished { procedure.publishedAt = nil }
        try await db.transaction { tx in
            try await procedure.save(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: creating ? "procedure.create" : "procedure.update", target: String(input.name.prefix(120)),
                                        detail: unpublished ? "chờ đăng lại" : "", on: tx)
            try await OrgUnit.touch(unit.id, on: tx)
        }
        return procedure
    }

    /// Stores a form to download (checked by content) and lists it with the procedure.
    static func attach(_ bytes: [UInt8], originalName: String, title: String, to procedure: Procedure, unit: ResolvedUnit, by actor: AuditActor,
                       config: AppConfig, on db: any Database) async throws {
        try await AttachedFiles.attach(ProcedureFile.self, owner: procedure.requireID(), bytes: bytes, originalName: originalName, title: title, unit: unit,
                                       by: actor, audit: ("procedure.file", String(procedure.name.prefix(120))), config: config, on: db)
    }

    // MARK: - Search

    struct Filter: Sendable {
        var query = ""
        var field = ""
        var level = ""
    }

    /// The unit's published procedures matching every word of the query (with or without
    /// diacritics), the field and the level; by name.
    static func published(in unit: ResolvedUnit, filter: Filter, on db: any Database) async throws -> QueryBuilder<Procedure> {
        let query = Procedure.query(in: unit, on: db).filter(\.$publishedAt != nil)
        for word in SearchFolding.foldWords(filter.query).split(separator: " ").prefix(8) {
            query.filter(\.$searchText, .contains(inverse: false, .anywhere), String(word))
        }
        if !filter.field.isEmpty { query.filter(\.$field == filter.field) }
        if !filter.level.isEmpty { query.filter(\.$serviceLevel == filter.level) }
        return query
    }

    // MARK: - Import

    /// The catalogue's columns in a spreadsheet, in the template's order; the aliases are the
    /// headings the national catalogue's exports and clerks' own files use.
    static let sheet = CatalogueSheet(columns: [
        .init(key: "code", header: "Mã thủ tục", aliases: ["Mã TTHC", "Mã số"]),
        .init(key: "name", header: "Tên thủ tục", aliases: ["Tên thủ tục hành chính", "Tên TTHC"]),
        .init(key: "field", header: "Lĩnh vực", aliases: []),
        .init(key: "level", header: "Mức độ dịch vụ công", aliases: ["Mức độ", "Mức độ DVC", "Dịch vụ công trực tuyến"]),
        .init(key: "applicants", header: "Đối tượng thực hiện", aliases: ["Đối tượng"]),
        .init(key: "dossier", header: "Thành phần hồ sơ", aliases: ["Hồ sơ", "Thành phần, số lượng hồ sơ"]),
        .init(key: "processingTime", header: "Thời hạn giải quyết", aliases: ["Thời hạn"]),
        .init(key: "fees", header: "Phí, lệ phí", aliases: ["Phí", "Lệ phí"]),
        .init(key: "place", header: "Cách thức, địa điểm thực hiện", aliases: ["Địa điểm thực hiện", "Nơi tiếp nhận", "Cách thức thực hiện"]),
        .init(key: "handlerName", header: "Người xử lý", aliases: ["Cán bộ xử lý", "Người tiếp nhận"]),
        .init(key: "handlerContact", header: "Liên hệ", aliases: ["Điện thoại", "Số điện thoại liên hệ"]),
        .init(key: "legalBasis", header: "Căn cứ pháp lý", aliases: []),
        .init(key: "submitURL", header: "Đường dẫn nộp hồ sơ", aliases: ["Đường dẫn", "Link nộp hồ sơ", "Nộp trực tuyến"]),
    ], requiredKey: "name", noun: "thủ tục")

    static func template() throws -> Data {
        try sheet.template(sheetName: "Thủ tục hành chính",
                           note: "Danh mục thủ tục hành chính – mỗi thủ tục một dòng; không đổi dòng tiêu đề. Mức độ: Toàn trình, Một phần hoặc Cung cấp thông tin.")
    }

    struct ImportSummary: Sendable, Equatable {
        var added = 0
        var updated = 0
    }

    /// Imports a catalogue (XLSX or CSV): every row checked like the form, every fault at its row
    /// and column; nothing stored while one remains. A row whose code the unit already has updates
    /// that procedure; `publish` publishes what it stores (for those who may).
    static func importFile(_ bytes: [UInt8], unit: ResolvedUnit, publish: Bool, by actor: AuditActor, who: String, now: Date = Date(),
                           on db: any Database) async throws -> ImportSummary {
        let documents = try await publishedDocumentIDs(of: unit, on: db)
        var seenCodes: [String: Int] = [:]
        let rows = try sheet.read(bytes) { line, form -> Result<Input, FormErrors> in
            var input = Input(form: form)
            let levelText = form["level"] ?? ""
            input.level = ProcedureLevel.read(levelText)?.rawValue ?? (levelText.trimmingCharacters(in: .whitespaces).isEmpty ? "" : "?")
            var errors = faults(input, documents: documents)
            if input.level == "?" { errors["level"] = "mức độ «\(Spreadsheet.clean(levelText, maxLength: 40))» không có (Toàn trình, Một phần, Cung cấp thông tin)." }
            if !input.code.isEmpty, let earlier = seenCodes[input.code] { errors["code"] = "mã \(input.code) đã có ở dòng \(earlier)." }
            if !input.code.isEmpty && seenCodes[input.code] == nil { seenCodes[input.code] = line }
            return errors.isEmpty ? .success(input) : .failure(errors)
        }.map { (line: $0.line, input: $0.row) }
        let existing = try await Procedure.query(in: unit, on: db).all()
        let byCode = Dictionary(existing.filter { !$0.code.isEmpty }.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        // Each row's procedure: the one with its code, or a new one; counted before the transaction.
        var summary = ImportSummary()
        var targets: [Procedure] = []
        for row in rows {
            let procedure = row.input.code.isEmpty ? Procedure() : byCode[row.input.code] ?? Procedure()
            if procedure.id == nil {
                procedure.unitID = unit.id
                procedure.createdAt = now
                summary.added += 1
            } else {
                summary.updated += 1
            }
            apply(row.input, to: procedure)
            procedure.updatedAt = now
            procedure.updatedBy = who
            if publish { procedure.publishedAt = procedure.publishedAt ?? now } else if procedure.id != nil { procedure.publishedAt = nil }
            targets.append(procedure)
        }
        let counted = summary, saving = targets
        try await db.transaction { tx in
            for procedure in saving { try await procedure.save(on: tx) }
            try await AuditEntry.record(actor, unitID: unit.id, action: "procedure.import", target: "\(saving.count) thủ tục",
                                        detail: "thêm \(counted.added), cập nhật \(counted.updated)\(publish ? ", đăng ngay" : "")", on: tx)
            try await OrgUnit.touch(unit.id, on: tx)
        }
        return summary
    }
}
