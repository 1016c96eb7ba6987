import EduCore
import EduData
import Fluent
import Vapor

/// The public contact form (A4.2): challenges, checks, the stored message and its forwarding
/// notice. A message is acknowledged only once its transaction has committed.
enum ContactService {
    static let perHour = 5
    static let challengeLifetime: TimeInterval = 1800


    struct Proof {
        var token: String
        var nonce: String
    }

    /// A fresh proof-of-work challenge, signed rather than stored: asking for one writes
    /// nothing, however often it is asked. `<issued>.<random>.<bits>.<signature>`.
    static func issueChallenge(bits: Int, key: ServerKey, now: Date = Date()) -> (token: String, bits: Int) {
        let body = "\(Int(now.timeIntervalSince1970)).\(SecureToken.generate(bytes: 12)).\(bits)"
        return (body + "." + key.sign(body), bits)
    }

    /// The difficulty of a challenge this server signed that is still fresh; nil otherwise.
    static func challengeBits(_ token: String, key: ServerKey, now: Date = Date()) -> Int? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, let issued = Int(parts[0]), let bits = Int(parts[2]), (1...32).contains(bits) else { return nil }
        guard key.verify(parts[0...2].joined(separator: "."), signature: String(parts[3])) else { return nil }
        let age = now.timeIntervalSince1970 - Double(issued)
        return age >= -60 && age < challengeLifetime ? bits : nil
    }

    /// Checks and stores a message with its notice to the unit's address. Throws `FormErrors`
    /// for the form, `FormErrors` marked `isRateLimited` past the hourly limit.
    static func submit(
        _ input: ContactController.Input, proof: Proof, key: ServerKey, addressKey: String, unit: ResolvedUnit, on db: any Database
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
            throw FormErrors.rateLimited(errors)
        }
        // The proof of work: a challenge this server signed, recent, solved; unused is checked
        // when it is recorded as used, below.
        let solved = isSolved(proof, key: key)
        // Used challenges are remembered until they would have expired anyway.
        try await ContactChallenge.query(on: db).filter(\.$createdAt < Date().addingTimeInterval(-challengeLifetime - 120)).delete()
        if solved, try await ContactChallenge.query(on: db).filter(\.$token == proof.token).first() != nil {
            errors["body"] = errors["body"] ?? "Mã xác minh này đã được dùng để gửi một ý kiến. Vui lòng gửi lại biểu mẫu."
        }
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
            try await markUsed(proof, on: db)
            try await message.create(on: db)
            if !recipients.isEmpty {
                try await OutboxMessage(unitID: unit.id, recipients: recipients, subject: noticeSubject, body: noticeBody).create(on: db)
            }
        }
    }

    /// A challenge this server signed, still fresh, solved by the nonce. (Whether it was used
    /// before is settled by `markUsed`, inside the transaction that stores what it allowed.)
    static func isSolved(_ proof: Proof, key: ServerKey) -> Bool {
        challengeBits(proof.token, key: key).map { ProofOfWork.verify(token: proof.token, nonce: proof.nonce, bits: $0) } ?? false
    }

    /// Records the challenge as used; a second use fails on the unique token (409), so of two
    /// submissions with one challenge only one is stored. Old records are dropped on the way.
    static func markUsed(_ proof: Proof, on db: any Database) async throws {
        let used = ContactChallenge()
        used.token = proof.token
        used.bits = 0
        used.createdAt = Date()
        used.used = true
        do {
            try await used.create(on: db)
        } catch {
            throw AppError(.conflict, "Mã xác minh đã được dùng. Vui lòng gửi lại.")
        }
    }
}
