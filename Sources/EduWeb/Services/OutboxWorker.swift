import EduData
import EduMail
import Fluent
import Foundation

/// The outbox loop: reads the due rows, hands each to `sendmail` (EduMail's `OutboxDelivery`) and
/// writes back the outcome with the retry rule. It lives here, beside the database, so EduMail
/// needs no Fluent.
extension OutboxDelivery {
    /// Delivers what is due; returns how many were handed to the MTA.
    @discardableResult
    func deliverDue(on db: any Database, now: Date = Date(), limit: Int = 50) async throws -> Int {
        let due = try await OutboxMessage.query(on: db)
            .filter(\.$status == Self.pending).filter(\.$nextAttemptAt <= now)
            .sort(\.$createdAt).limit(limit).all()
        var delivered = 0
        for message in due {
            message.attempts += 1
            do {
                try send(MailNotice(id: message.id, recipients: message.recipients, subject: message.subject, body: message.body))
                message.status = Self.sent
                message.sentAt = Date()
                message.lastError = ""
                delivered += 1
            } catch {
                message.lastError = String(describing: error)
                if message.attempts >= maxAttempts {
                    message.status = Self.failed
                } else {
                    message.nextAttemptAt = now.addingTimeInterval(Self.backoff(afterAttempts: message.attempts))
                }
            }
            try await message.save(on: db)
        }
        return delivered
    }
}
