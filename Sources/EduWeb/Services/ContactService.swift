import EduCore
import EduData
import Fluent
import Vapor

/// The public contact form (A4.2): challenges, checks, the stored message and its forwarding
/// notice. A message is acknowledged only once its transaction has committed.
enum ContactService {
    static let perHour = 5
    static let challengeLifetime: TimeInterval = 1800

    enum Refusal: Error {
        /// Too many messages from this address in the last hour.
        case tooMany(FormErrors)
    }

    struct Proof {
        var token: String
        var nonce: String
    }

    /// A fresh, single-use proof-of-work challenge.
    static func issueChallenge(bits: Int, on db: any Database) async throws -> ContactChallenge {
        let challenge = ContactChallenge()
        challenge.token = SecureToken.generate(bytes: 18)
        challenge.bits = bits
        challenge.createdAt = Date()
        challenge.used = false
        try await challenge.create(on: db)
        return challenge
    }

    /// Checks and stores a message with its notice to the unit's address. Throws `FormErrors`
    /// for the form, `Refusal.tooMany` past the hourly limit.
    static func submit(
        _ input: ContactController.Input, proof: Proof, addressKey: String, unit: ResolvedUnit, on db: any Database
    ) async throws {
        var errors: FormErrors = [:]
        if input.name.isEmpty { errors["name"] = "Nhập họ và tên." }
        if !Validation.isEmail(input.email) { errors["email"] = "Nhập địa chỉ thư điện tử hợp lệ." }
        if !input.phone.isEmpty && !Validation.isPhone(input.phone) { errors["phone"] = "Số điện thoại không hợp lệ." }
        if input.subject.isEmpty { errors["subject"] = "Nhập tiêu đề." }
        if input.body.count < 10 { errors["body"] = "Nội dung quá ngắn (ít nhất 10 ký tự)." }
        let hourAgo = Date().addingTimeInterval(-3600)
        let recent = try await ContactMessage.query(on: db).filter(\.$addressKey == addressKey).filter(\.$createdAt > hourAgo).count()
        if recent >= perHour {
            errors["body"] = "Bạn đã gửi nhiều ý kiến trong một giờ qua. Vui lòng thử lại sau, hoặc gửi thư tới \(unit.email)."
            throw Refusal.tooMany(errors)
        }
        // The proof of work: a challenge this server issued, recent, unused, solved.
        let challenge = try await ContactChallenge.query(on: db).filter(\.$token == proof.token).first()
        let solved = challenge.map { !$0.used && Date().timeIntervalSince($0.createdAt) < challengeLifetime
            && ProofOfWork.verify(token: proof.token, nonce: proof.nonce, bits: $0.bits) } ?? false
        if !solved {
            errors["body"] = errors["body"] ?? "Không xác minh được người gửi (cần bật JavaScript để trình duyệt giải mã chống thư rác). Bạn cũng có thể gửi thư tới \(unit.email)."
        }
        guard errors.isEmpty else { throw errors }
        let message = ContactMessage()
        message.unitID = unit.id
        message.name = input.name
        message.email = input.email
        message.phone = input.phone
        message.subject = input.subject
        message.body = input.body
        message.addressKey = addressKey
        message.createdAt = Date()
        let recipients = [unit.email].filter(Validation.isEmail)
        let noticeSubject = "Ý kiến qua cổng thông tin: \(input.subject)"
        let noticeBody = "Người gửi: \(input.name) <\(input.email)>\(input.phone.isEmpty ? "" : ", điện thoại \(input.phone)")\n\n\(input.body)\n"
        try await db.transaction { db in
            guard let challenge, !challenge.used else { throw AppError(.conflict, "Mã xác minh đã được dùng. Vui lòng gửi lại.") }
            challenge.used = true
            try await challenge.save(on: db)
            try await message.create(on: db)
            if !recipients.isEmpty {
                try await OutboxMessage(unitID: unit.id, recipients: recipients, subject: noticeSubject, body: noticeBody).create(on: db)
            }
        }
    }
}
