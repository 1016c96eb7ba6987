import FluentKit
import SQLKit

/// Projects, investment items, tenders and purchases (A8.13) and their documents.
struct CreateProcurement: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProcurementItem.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("reference", .string, .required)
            .field("value", .int64, .required)
            .field("funding", .string, .required)
            .field("method", .string, .required)
            .field("status", .string, .required)
            .field("start_on", .datetime, .required)
            .field("end_on", .datetime)
            .field("contractor", .string, .required)
            .field("description", .string, .required)
            .field("notice_url", .string, .required)
            .field("published_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .create()
        try await database.schema(ProcurementFile.schema)
            .id()
            .field("item_id", .uuid, .required, .references(ProcurementItem.schema, .id, onDelete: .cascade))
            .field("media_id", .uuid, .required, .references(Media.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "procurement_unit_idx").on(ProcurementItem.schema).column("unit_id").column("start_on").run()
            try await sql.create(index: "procurement_files_idx").on(ProcurementFile.schema).column("item_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProcurementFile.schema).delete()
        try await database.schema(ProcurementItem.schema).delete()
    }
}
