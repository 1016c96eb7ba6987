import FluentKit
import SQLKit

/// A staff member's phone number, read from the staff list with the mailbox (national form,
/// "0912345678"; E.164 is derived), for the directory and the leaders' contact page.
struct UpdateMailboxesAddPhone: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Mailbox.schema).field("phone", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Mailbox.schema).deleteField("phone").update()
    }
}
