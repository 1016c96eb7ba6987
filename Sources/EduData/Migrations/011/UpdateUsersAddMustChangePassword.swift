import FluentKit
import SQLKit

/// After an admin resets a password, the person must choose a new one at the next login.
struct UpdateUsersAddMustChangePassword: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema).field("must_change_password", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("must_change_password").update()
    }
}
