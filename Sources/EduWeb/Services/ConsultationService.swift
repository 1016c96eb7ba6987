import EduCore
import EduData
import Fluent
import Vapor

/// Consultations on drafts (A8.1b, A10.5): a unit's editorial heads publish a draft for comment;
/// anyone comments on the whole or on one paragraph (the contact form's proof of work, an hourly
/// limit per address); staff moderate (publish, hide with a reason, merge duplicates), answer each
/// point (taken in or not, and why), and after the deadline publish the summary. Audited.
enum ConsultationService {
    static let perHour = 5

    struct Input: Sendable {
        var title = ""
        var issue = ""
        var concerns = ""
        var draft = ""
        var receivingAddress = ""
        var opensAt = ""
        var closesAt = ""

        init() {}

        init(form: [String: String]) {
            title = TextNormalizer.normalize(form["title"] ?? "", maxLength: 300)
            issue = TextNormalizer.normalize(form["issue"] ?? "", mode: .multiLine, maxLength: 5000)
            concerns = TextNormalizer.normalize(form["concerns"] ?? "", maxLength: 500)
            draft = TextNormalizer.normalize(form["draft"] ?? "", mode: .multiLine, maxLength: 100_000)
            receivingAddress = TextNormalizer.normalize(form["receivingAddress"] ?? "", maxLength: 254).lowercased()
            opensAt = TextNormalizer.normalize(form["opensAt"] ?? "", maxLength: 25)
            closesAt = TextNormalizer.normalize(form["closesAt"] ?? "", maxLength: 25)
        }
    }

    static func create(_ input: Input, unit: ResolvedUnit, by actor: AuditActor, now: Date = Date(), on db: any Database) async throws -> Consultation {
        var errors: FormErrors = [:]
        if input.title.count < 5 { errors["title"] = "Nhập tên dự thảo (ít nhất 5 ký tự)." }
        if input.issue.isEmpty { errors["issue"] = "Nêu vấn đề cần lấy ý kiến." }
        if input.draft.count < 20 { errors["draft"] = "Nhập nội dung dự thảo; các đoạn cách nhau một dòng trống." }
        var address = ""
        do { address = try await receivingAddress(input.receivingAddress, unit: unit, on: db) } catch let error as FormErrors { errors["receivingAddress"] = error["receivingAddress"] }
        let opens = errors.moment(input.opensAt, field: "opensAt"), closes = errors.moment(input.closesAt, field: "closesAt")
        if let opens, let closes, closes <= opens { errors["closesAt"] = "Hạn góp ý phải sau thời điểm bắt đầu." }
        guard errors.isEmpty, let opens, let closes else { throw errors }
        let consultation = Consultation()
        consultation.unitID = unit.id
        consultation.title = input.title
        consultation.issue = input.issue
        consultation.concerns = input.concerns
        consultation.draft = input.draft
        consultation.receivingAddress = address
        consultation.opensAt = opens
        consultation.closesAt = closes
        consultation.summary = ""
        consultation.createdAt = now
        consultation.updatedAt = now
        try await db.transaction { tx in
            try await consultation.create(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: "consultation.create", target: consultation.title,
                                        detail: "\(consultation.paragraphs.count) đoạn", on: tx)
            try await OrgUnit.touch(unit.id, on: tx)
        }
        return consultation
    }

    struct CommentInput: Sendable {
        var name = ""
        var organisation = ""
        var email = ""
        var body = ""
        /// "" for the whole draft, else the paragraph's 1-based number as the form sends it.
        var paragraph = ""

        init() {}

        init(form: [String: String]) {
            name = TextNormalizer.normalize(form["name"] ?? "", maxLength: 120)
            organisation = TextNormalizer.normalize(form["organisation"] ?? "", maxLength: 200)
            email = TextNormalizer.normalize(form["email"] ?? "", maxLength: 254).lowercased()
            body = TextNormalizer.normalize(form["body"] ?? "", mode: .multiLine, maxLength: 10_000)
            paragraph = TextNormalizer.normalize(form["paragraph"] ?? "", maxLength: 6)
        }
    }


    static let maxAttachmentBytes = 10 << 20
    static let attachmentKinds: [FileSniffer.Kind] = [FileSniffer.pdf, FileSniffer.docx, FileSniffer.odt, FileSniffer.ole, FileSniffer.jpeg, FileSniffer.png]

    /// `<data>/consultations`: one folder per consultation.
    static func attachmentsRoot(_ config: AppConfig) -> URL {
        URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("consultations")
    }

    /// A comment from the web form, waiting for moderation, with its optional file (checked by
    /// content, flushed to disk before the commit, removed if it fails). Throws `FormErrors`,
    /// `FormErrors` marked `isRateLimited`.
    static func comment(
        _ input: CommentInput, on consultation: Consultation, proof: ContactService.Proof, key: ServerKey, addressKey: String,
        attachment: AdmissionService.Upload? = nil, attachmentsRoot: URL? = nil, now: Date = Date(), on db: any Database
    ) async throws -> ConsultationComment {
        guard consultation.isOpen(at: now) else {
            throw FormErrors(form: now < consultation.opensAt ? "Chưa đến thời gian nhận góp ý (từ \(VietnameseDate.dateTime(consultation.opensAt)))."
                                                              : "Đã hết hạn góp ý (\(VietnameseDate.dateTime(consultation.closesAt))).")
        }
        var errors: FormErrors = [:]
        if input.name.isEmpty { errors["name"] = "Nhập họ và tên." }
        if !Validation.isEmail(input.email) { errors["email"] = "Nhập địa chỉ thư điện tử hợp lệ." }
        if input.body.count < 10 { errors["body"] = "Nội dung góp ý quá ngắn (ít nhất 10 ký tự)." }
        var paragraph: Int?
        if !input.paragraph.isEmpty {
            if let number = Int(input.paragraph), (1...consultation.paragraphs.count).contains(number) { paragraph = number - 1 }
            else { errors["paragraph"] = "Chọn một đoạn của dự thảo, hoặc «Toàn bộ dự thảo»." }
        }
        let recent = try await ConsultationComment.query(on: db).filter(\.$addressKey == addressKey)
            .filter(\.$createdAt > now.addingTimeInterval(-3600)).count()
        if recent >= perHour { throw FormErrors.rateLimited(FormErrors(form: "Bạn đã gửi nhiều góp ý trong một giờ qua. Vui lòng thử lại sau, hoặc gửi thư tới \(consultation.receivingAddress).")) }
        var kind: FileSniffer.Kind?
        if let attachment, !attachment.bytes.isEmpty {
            let name = TextNormalizer.normalize(attachment.filename, maxLength: 100)
            if attachment.bytes.count > maxAttachmentBytes {
                errors["attachments"] = "Tệp «\(name)» quá lớn (tối đa \(maxAttachmentBytes >> 20) MB). Chọn lại tệp."
            } else if let sniffed = FileSniffer.sniff(attachment.bytes), attachmentKinds.contains(sniffed) {
                kind = sniffed
            } else {
                errors["attachments"] = "Tệp «\(name)» không phải PDF, Word, OpenDocument, JPG hoặc PNG (kiểm tra theo nội dung tệp). Chọn lại tệp."
            }
        }
        if errors.isEmpty && !ContactService.isSolved(proof, key: key) {
            errors.form = "Không xác minh được người gửi (cần bật JavaScript để trình duyệt giải mã chống thư rác). Bạn cũng có thể gửi thư tới \(consultation.receivingAddress)."
        }
        guard errors.isEmpty else { throw errors }
        let comment = ConsultationComment()
        comment.consultationID = try consultation.requireID()
        comment.paragraph = paragraph
        comment.name = input.name
        comment.organisation = input.organisation
        comment.email = input.email
        comment.body = input.body
        comment.source = "web"
        comment.status = ConsultationComment.Status.waiting.rawValue
        comment.hideReason = ""
        comment.explanation = ""
        comment.addressKey = addressKey
        comment.createdAt = now
        let files: [StoredFile] = if let attachment, let kind {
            [try store(attachment.bytes, named: attachment.filename, kind: kind, for: consultation, in: attachmentsRoot)]
        } else { [] }
        do {
            try await db.transaction { tx in
                try await ContactService.markUsed(proof, on: tx)
                try await comment.create(on: tx)
                try await saveFiles(files, of: comment, now: now, on: tx)
            }
        } catch {
            removeFiles(files)
            throw error
        }
        return comment
    }

    /// A file written under the consultation's folder, not yet named by a row.
    struct StoredFile: Sendable {
        let name: String
        let url: URL
        let storedName: String
        let kind: FileSniffer.Kind
        let size: Int
    }

    static func store(_ bytes: [UInt8], named filename: String, kind: FileSniffer.Kind, for consultation: Consultation, in root: URL?) throws -> StoredFile {
        let folder = (root ?? FileManager.default.temporaryDirectory.appendingPathComponent("eduportal-consultations"))
            .appendingPathComponent(try consultation.requireID().uuidString.lowercased())
        let (stored, target) = try DurableFile.write(bytes, fileExtension: kind.fileExtension, in: folder)
        let name = TextNormalizer.normalize(filename, maxLength: 255)
        return StoredFile(name: name.isEmpty ? "tep.\(kind.fileExtension)" : name, url: target, storedName: stored, kind: kind, size: bytes.count)
    }

    static func saveFiles(_ files: [StoredFile], of comment: ConsultationComment, now: Date, on db: any Database) async throws {
        for file in files {
            let row = ConsultationFile()
            row.commentID = try comment.requireID()
            row.storedName = file.storedName
            row.name = file.name
            row.mime = file.kind.mimeType
            row.size = file.size
            row.createdAt = now
            try await row.create(on: db)
        }
    }

    static func removeFiles(_ files: [StoredFile]) {
        for file in files { try? FileManager.default.removeItem(at: file.url) }
    }

    enum Moderation: String, Sendable {
        case publish = "cong-khai"
        case hide = "an"
        case merge = "gop"
        case answer = "tra-loi"
    }

    /// One staff step on a comment: publish it, hide it (a reason is required), merge it into
    /// another comment of the same consultation, or record the answer (taken in or not, and why).
    static func moderate(
        _ comment: ConsultationComment, step: Moderation, form: [String: String], consultation: Consultation, unit: ResolvedUnit,
        by actor: AuditActor, on db: any Database
    ) async throws {
        var detail = ""
        switch step {
        case .publish:
            comment.status = ConsultationComment.Status.published.rawValue
            comment.hideReason = ""
            comment.mergedInto = nil
        case .hide:
            let reason = TextNormalizer.normalize(form["reason"] ?? "", maxLength: 300)
            guard !reason.isEmpty else { throw FormErrors.field("reason", "Ghi lý do ẩn góp ý.") }
            comment.status = ConsultationComment.Status.hidden.rawValue
            comment.hideReason = reason
            detail = reason
        case .merge:
            guard let target = (form["into"]).flatMap(UUID.init(uuidString:)), target != comment.id,
                  let into = try await ConsultationComment.query(on: db).filter(\.$id == target)
                    .filter(\.$consultationID == consultation.requireID()).first(), into.mergedInto == nil
            else { throw FormErrors.field("into", "Chọn một góp ý khác của cùng dự thảo để gộp vào.") }
            comment.status = ConsultationComment.Status.merged.rawValue
            comment.mergedInto = try into.requireID()
            detail = "gộp vào góp ý của \(into.name)"
        case .answer:
            guard let verdict = form["accepted"], ["co", "khong"].contains(verdict) else {
                throw FormErrors.field("accepted", "Chọn tiếp thu hay không tiếp thu.")
            }
            let explanation = TextNormalizer.normalize(form["explanation"] ?? "", mode: .multiLine, maxLength: 5000)
            if verdict == "khong" && explanation.isEmpty { throw FormErrors.field("explanation", "Giải trình lý do không tiếp thu.") }
            comment.accepted = verdict == "co"
            comment.explanation = explanation
            detail = verdict == "co" ? "tiếp thu" : "không tiếp thu"
        }
        let audited = detail
        try await db.transaction { tx in
            try await comment.save(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: "consultation.\(step.rawValue)", target: consultation.title, detail: audited, on: tx)
            try await OrgUnit.touch(unit.id, on: tx)
        }
    }

    /// Publishes the summary after the deadline (the overall text; the points are the answered comments).
    static func publishSummary(_ consultation: Consultation, text rawText: String, unit: ResolvedUnit, by actor: AuditActor,
                               now: Date = Date(), on db: any Database) async throws {
        guard now >= consultation.closesAt else {
            throw FormErrors(form: "Chỉ công bố tổng hợp sau hạn góp ý (\(VietnameseDate.dateTime(consultation.closesAt))).")
        }
        let text = TextNormalizer.normalize(rawText, mode: .multiLine, maxLength: 20_000)
        guard text.count >= 10 else { throw FormErrors.field("summary", "Nhập nội dung tổng hợp, tiếp thu, giải trình.") }
        let waiting = try await ConsultationComment.query(on: db).filter(\.$consultationID == consultation.requireID())
            .filter(\.$status == ConsultationComment.Status.waiting.rawValue).count()
        guard waiting == 0 else { throw FormErrors(form: "Còn \(waiting) góp ý chưa duyệt: công khai, ẩn hoặc gộp trước khi công bố tổng hợp.") }
        consultation.summary = text
        consultation.summaryPublishedAt = consultation.summaryPublishedAt ?? now
        consultation.updatedAt = now
        try await db.transaction { tx in
            try await consultation.save(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: "consultation.summary", target: consultation.title, detail: "", on: tx)
            try await OrgUnit.touch(unit.id, on: tx)
        }
    }
}
