import FluentKit
import SQLKit

/// Who may use which names: suffixes delegated to subtrees, and requests for names that an
/// admin of a unit above must approve.
struct CreateNames: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NameDelegation.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("suffix", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "unit_id", "suffix")
            .create()
        try await database.schema(NameRequest.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("state", .string, .required)
            .field("requested_by", .string, .required)
            .field("decided_by", .string, .required)
            .field("reason", .string, .required)
            .field("created_at", .datetime, .required)
            .field("decided_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "name_requests_state_idx").on(NameRequest.schema).column("state").column("created_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NameRequest.schema).delete()
        try await database.schema(NameDelegation.schema).delete()
    }
}
