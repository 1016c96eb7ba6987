import FluentKit
import SQLKit

/// Public disclosure (A9.7, Circular 09/2024): each school's entry per item and school year,
/// with its text or file, when it was published and last updated, and the change it reflects.
struct CreateDisclosures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DisclosureEntry.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("item_key", .string, .required)
            .field("school_year", .int, .required)
            .field("text", .string, .required)
            .field("file_stored_name", .string)
            .field("file_name", .string)
            .field("file_size", .int)
            .field("published_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("changed_on", .datetime)
            .field("updated_by", .string, .required)
            .unique(on: "unit_id", "item_key", "school_year")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "disclosure_entries_year_idx").on(DisclosureEntry.schema).column("school_year").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DisclosureEntry.schema).delete()
    }
}
