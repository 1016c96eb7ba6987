import FluentKit
import SQLKit

/// Foreign-language and IT centres licensed by the Sở (A8.16).
struct CreateCentres: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Centre.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("licence", .string, .required)
            .field("licensed_on", .datetime, .required)
            .field("address", .string, .required)
            .field("commune", .string, .required)
            .field("phone", .string, .required)
            .field("programmes", .string, .required)
            .field("status", .string, .required)
            .field("status_decision", .string, .required)
            .field("status_on", .datetime)
            .field("search_text", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            // One centre per licence in a Sở's list (the import updates by it).
            try await sql.create(index: "centres_licence_idx").unique().on(Centre.schema).column("unit_id").column("licence").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Centre.schema).delete()
    }
}
