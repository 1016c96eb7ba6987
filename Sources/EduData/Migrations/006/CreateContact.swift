import FluentKit
import SQLKit

struct CreateContact: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ContactMessage.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("phone", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("address_key", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(ContactChallenge.schema)
            .id()
            .field("token", .string, .required)
            .field("bits", .int, .required)
            .field("created_at", .datetime, .required)
            .field("used", .bool, .required)
            .unique(on: "token")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "contact_messages_unit_idx").on(ContactMessage.schema).column("unit_id").column("created_at").run()
            try await sql.create(index: "contact_messages_address_idx").on(ContactMessage.schema).column("address_key").column("created_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ContactChallenge.schema).delete()
        try await database.schema(ContactMessage.schema).delete()
    }
}
