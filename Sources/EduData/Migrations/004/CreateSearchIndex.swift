import FluentKit
import SQLKit

struct CreateSearchIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SearchEntry.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("item_id", .uuid, .required)
            .field("title", .string, .required)
            .field("path", .string, .required)
            .field("folded_title", .string, .required)
            .field("folded", .string, .required)
            .field("text", .string, .required)
            .field("published_at", .datetime)
            .field("publish_at", .datetime)
            .field("expires_at", .datetime)
            .unique(on: "kind", "item_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "search_entries_unit_idx").on(SearchEntry.schema).column("unit_id").run()
        if sql.dialect.name == "sqlite" {
            // Folded text only: diacritics and đ are already gone, so the default tokenizer suffices.
            try await sql.raw("CREATE VIRTUAL TABLE search_fts USING fts5(entry_id UNINDEXED, unit_id UNINDEXED, folded)").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" {
            try await sql.raw("DROP TABLE IF EXISTS search_fts").run()
        }
        try await database.schema(SearchEntry.schema).delete()
    }
}
