import EduCore
import EduData
import EduMail
import Fluent
import Foundation
import Vapor

/// Comments by e-mail (A8.1b): a consultation's own address, in one of its unit's mail domains,
/// is routed by Postfix to EduPortal's LMTP service (`MailIntakeListener`), and each mail is filed
/// in the same moderation queue as the web form's comments, with its files.
extension ConsultationService {
    /// Files one mail may bring, each checked by content like the web form's.
    static let maxMailAttachments = 5
    /// A mail's text (a web comment takes 10,000 characters; a mail may carry a longer letter).
    static let maxMailText = 50_000

    /// The address comments are received at. On a unit with mail domains: the one given, which
    /// must be in those domains and belong to nobody else (no mailbox, group, alias or other
    /// consultation), or a new `gopy-<year>` address in the first domain; the unit's mail server
    /// then files mail to it here. A unit with no mail domain on EduPortal names any address
    /// (its own mail system receives there).
    static func receivingAddress(_ raw: String, unit: ResolvedUnit, now: Date = Date(), on db: any Database) async throws -> String {
        let domains = try await MailDomainRecord.query(on: db).filter(\.$unitID == unit.id).filter(\.$active == true).sort(\.$createdAt).all().map(\.domain)
        guard !domains.isEmpty else {
            let address = raw.isEmpty ? unit.email : raw
            guard Validation.isEmail(address) else { throw FormErrors.field("receivingAddress", "Địa chỉ nhận góp ý không hợp lệ.") }
            return address
        }
        if raw.isEmpty {
            // gopy-2026@, then gopy-2026-2@, … whichever is free.
            let base = "gopy-\(VietnameseDate.calendar.component(.year, from: now))"
            for n in 1...1000 {
                let address = (n == 1 ? base : "\(base)-\(n)") + "@" + domains[0]
                if try await !isTaken(address, on: db) { return address }
            }
            throw FormErrors.field("receivingAddress", "Không tự đặt được địa chỉ nhận góp ý; ghi một địa chỉ riêng.")
        }
        guard Validation.isEmail(raw) else { throw FormErrors.field("receivingAddress", "Địa chỉ nhận góp ý không hợp lệ.") }
        let domain = String(raw.drop { $0 != "@" }.dropFirst())
        let local = String(raw.prefix { $0 != "@" })
        guard domains.contains(domain) else {
            throw FormErrors.field("receivingAddress", "Địa chỉ nhận góp ý phải thuộc tên miền thư của đơn vị (\(domains.joined(separator: ", "))), để thư góp ý vào thẳng danh sách chờ duyệt. Để trống: hệ thống tự đặt.")
        }
        guard LocalPart.isValid(local) else {
            throw FormErrors.field("receivingAddress", "Phần trước @ chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới.")
        }
        guard try await !isTaken(raw, on: db) else {
            throw FormErrors.field("receivingAddress", "Địa chỉ \(raw) đã là hộp thư, nhóm thư hoặc địa chỉ góp ý khác; chọn địa chỉ riêng cho dự thảo này.")
        }
        return raw
    }

    /// A mailbox, group, alias or consultation already answers at this address.
    static func isTaken(_ address: String, on db: any Database) async throws -> Bool {
        if try await Consultation.query(on: db).filter(\.$receivingAddress == address).first() != nil { return true }
        switch try await MailService.resolve(address, on: db) {
        case .mailbox, .group: return true
        case .external, nil: return false
        }
    }

    /// The consultation whose own address a recipient is (`gopy+3@…` is `gopy@…`), with the
    /// extension; only an address in a mail domain of the consultation's own unit counts.
    static func intakeTarget(_ recipient: String, on db: any Database) async throws -> (Consultation, String)? {
        let lowered = recipient.lowercased()
        let base = PostingPolicy.baseAddress(lowered)
        let local = lowered.prefix { $0 != "@" }
        let fileExtension = local.firstIndex(of: "+").map { String(local[local.index(after: $0)...]) } ?? ""
        guard let consultation = try await Consultation.query(on: db).filter(\.$receivingAddress == base).first() else { return nil }
        let domain = String(base.drop { $0 != "@" }.dropFirst())
        guard try await MailDomainRecord.query(on: db).filter(\.$domain == domain).filter(\.$unitID == consultation.unitID)
            .filter(\.$active == true).first() != nil
        else { return nil }
        return (consultation, fileExtension)
    }

    /// Whether mail to this recipient is taken now (Postfix's policy check and LMTP's RCPT ask).
    static func checkMailRecipient(_ recipient: String, now: Date = Date(), on db: any Database) async throws -> IntakeVerdict {
        guard let (consultation, _) = try await intakeTarget(recipient, on: db) else {
            return .refused("5.1.1 Địa chỉ \(recipient) không nhận góp ý cho dự thảo nào")
        }
        if let closed = windowRefusal(consultation, now: now) { return .refused("5.7.1 " + closed) }
        return .accepted("2.1.5 OK")
    }

    static func windowRefusal(_ consultation: Consultation, now: Date) -> String? {
        if now < consultation.opensAt { return "Chưa đến thời gian nhận góp ý cho «\(consultation.title)» (từ \(VietnameseDate.dateTime(consultation.opensAt)))" }
        if now >= consultation.closesAt { return "Đã hết hạn góp ý cho «\(consultation.title)» (\(VietnameseDate.dateTime(consultation.closesAt)))" }
        return nil
    }

    /// Files one mail as a comment waiting for moderation: the sender's name and address, the
    /// paragraph named by the address's extension (`gopy+3@`) or the subject («Đoạn 3»), the text,
    /// and up to five files checked by content. A mail that cannot be taken is refused with the
    /// reason (Postfix returns it to the sender); the same Message-ID twice is filed once.
    static func commentByMail(
        _ bytes: [UInt8], recipient: String, sender: String, attachmentsRoot: URL?, now: Date = Date(), on db: any Database
    ) async throws -> IntakeVerdict {
        guard let (consultation, fileExtension) = try await intakeTarget(recipient, on: db) else {
            return .refused("5.1.1 Địa chỉ \(recipient) không nhận góp ý cho dự thảo nào")
        }
        if let closed = windowRefusal(consultation, now: now) { return .refused("5.7.1 " + closed) }
        let message = MailMessage.parse(bytes)
        if message.isAutomatic || sender.isEmpty {
            return .refused("5.7.1 Thư tự động (trả lời tự động, báo lỗi, thư hàng loạt) không được nhận làm góp ý")
        }
        let email = Validation.isEmail(message.fromAddress) ? message.fromAddress : sender.lowercased()
        guard Validation.isEmail(email) else { return .refused("5.1.7 Không đọc được địa chỉ người gửi") }
        let consultationID = try consultation.requireID()
        let messageID = String(message.messageID.prefix(250))
        /// The same mail delivered again (Postfix never saw our reply) is filed once.
        func alreadyFiled() async throws -> Bool {
            guard !messageID.isEmpty else { return false }
            return try await ConsultationComment.query(on: db).filter(\.$consultationID == consultationID).filter(\.$messageID == messageID).first() != nil
        }
        if try await alreadyFiled() { return .accepted("2.0.0 Góp ý này đã được nhận trước đó") }
        let addressKey = "thu:" + email
        let recent = try await ConsultationComment.query(on: db).filter(\.$addressKey == addressKey)
            .filter(\.$createdAt > now.addingTimeInterval(-3600)).count()
        if recent >= perHour {
            return .later("4.7.1 Địa chỉ \(email) đã gửi \(recent) góp ý trong một giờ qua; thư sẽ được gửi lại sau")
        }
        let text = TextNormalizer.normalize(message.text, mode: .multiLine, maxLength: .max)
        if text.count > maxMailText {
            return .refused("5.3.4 Nội dung thư dài \(text.count) ký tự, quá \(maxMailText); gửi phần dài dưới dạng tệp đính kèm")
        }
        if message.attachments.count > maxMailAttachments {
            return .refused("5.3.4 Thư có \(message.attachments.count) tệp đính kèm; mỗi thư góp ý nhận tối đa \(maxMailAttachments) tệp")
        }
        var accepted: [(MailMessage.Attachment, FileSniffer.Kind)] = []
        for file in message.attachments {
            let name = TextNormalizer.normalize(file.filename, maxLength: 100)
            if file.bytes.count > maxAttachmentBytes {
                return .refused("5.3.4 Tệp «\(name)» lớn hơn \(maxAttachmentBytes >> 20) MB")
            }
            guard let kind = FileSniffer.sniff(file.bytes), attachmentKinds.contains(kind) else {
                return .refused("5.6.0 Tệp «\(name)» không phải PDF, Word, OpenDocument, JPG hoặc PNG (kiểm tra theo nội dung tệp)")
            }
            accepted.append((file, kind))
        }
        if text.count < 10 && accepted.isEmpty {
            return .refused("5.6.0 Thư không có nội dung góp ý (ít nhất 10 ký tự, hoặc một tệp đính kèm)")
        }
        let subject = TextNormalizer.normalize(message.subject, maxLength: 300)
        let comment = ConsultationComment()
        comment.consultationID = consultationID
        comment.paragraph = paragraph(fileExtension: fileExtension, subject: subject, count: consultation.paragraphs.count)
        comment.name = TextNormalizer.normalize(message.fromName, maxLength: 120)
        if comment.name.isEmpty { comment.name = String(email.prefix { $0 != "@" }) }
        comment.organisation = ""
        comment.email = email
        var body = text.isEmpty ? "(Góp ý trong tệp đính kèm.)" : text
        if !subject.isEmpty { body = "Tiêu đề thư: \(subject)\n\n" + body }
        comment.body = body
        comment.source = "email"
        comment.status = ConsultationComment.Status.waiting.rawValue
        comment.hideReason = ""
        comment.explanation = ""
        comment.addressKey = addressKey
        comment.messageID = messageID.isEmpty ? nil : messageID
        comment.createdAt = now
        var files: [StoredFile] = []
        do {
            for (file, kind) in accepted { files.append(try store(file.bytes, named: file.filename, kind: kind, for: consultation, in: attachmentsRoot)) }
            let stored = files
            try await db.transaction { tx in
                try await comment.create(on: tx)
                try await saveFiles(stored, of: comment, now: now, on: tx)
            }
        } catch {
            removeFiles(files)
            // Two deliveries of one message racing: the second finds the first.
            if try await alreadyFiled() { return .accepted("2.0.0 Góp ý này đã được nhận trước đó") }
            throw error
        }
        return .accepted("2.0.0 Đã nhận góp ý, chờ duyệt")
    }

    /// The paragraph a mail names: `gopy+3@…`, or «Đoạn 3» / «doan 3» in the subject; none (the
    /// whole draft) when it names none or one the draft does not have.
    static func paragraph(fileExtension: String, subject: String, count: Int) -> Int? {
        if let number = Int(fileExtension), (1...max(count, 1)).contains(number), count > 0 { return number - 1 }
        let folded = SearchFolding.fold(subject)
        guard let range = folded.range(of: #"\bdoan\s*(so\s*)?\d+"#, options: .regularExpression) else { return nil }
        let digits = folded[range].filter(\.isNumber)
        if let number = Int(digits), count > 0, (1...count).contains(number) { return number - 1 }
        return nil
    }
}

/// The consultations' side of `MailIntakeListener`.
struct ConsultationMailIntake: MailIntake {
    let db: any Database
    let attachmentsRoot: URL
    let logger: Logger

    init(app: Application) {
        self.init(db: app.db, attachmentsRoot: ConsultationService.attachmentsRoot(app.eduConfig), logger: app.logger)
    }

    init(db: any Database, attachmentsRoot: URL, logger: Logger) {
        self.db = db
        self.attachmentsRoot = attachmentsRoot
        self.logger = logger
    }

    func check(recipient: String, sender: String) async -> IntakeVerdict {
        do {
            return try await ConsultationService.checkMailRecipient(recipient, on: db)
        } catch {
            logger.error("Nhận thư góp ý: không kiểm tra được \(recipient): \(String(reflecting: error))")
            return .later("4.3.0 Tạm thời không kiểm tra được người nhận; thư sẽ được gửi lại")
        }
    }

    func deliver(_ message: [UInt8], recipient: String, sender: String) async -> IntakeVerdict {
        do {
            let verdict = try await ConsultationService.commentByMail(message, recipient: recipient, sender: sender, attachmentsRoot: attachmentsRoot, on: db)
            logger.info("Nhận thư góp ý cho \(recipient) từ \(sender): \(verdict.reply)")
            return verdict
        } catch {
            logger.error("Nhận thư góp ý: không lưu được thư cho \(recipient): \(String(reflecting: error))")
            return .later("4.3.0 Tạm thời không lưu được góp ý; thư sẽ được gửi lại")
        }
    }
}
