import FluentKit
import SQLKit

/// Public lists read a unit's published items newest first, a page at a time, with their count:
/// news pages (all or one category), the home page, feeds and the sitemap (articles by
/// `published_at`), the documents page (by `issued_on`). With only (unit_id, state) indexed, each
/// such page read every published item of the unit from the table and sorted them: at 100,000
/// items a deep news page took 0.28 s in SQLite and its count 0.24 s more. Each index here holds
/// the list's order and the columns the public window and the home page filter on, so the count
/// reads the index alone and a page walks it in order, reading only the rows it shows (the same
/// page: 13 ms, the count 34 ms). `id` is in them because Fluent counts `id`. A category's index
/// names the unit first: with one more equality than the unit's, SQLite's planner takes it even
/// without statistics (it took the unit's and read 80,000 rows for five notices, 190 ms).
struct UpdateContentAddListIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "articles_public_list_idx").on(Article.schema)
            .column("unit_id").column("state").column("published_at").column("created_at").column("id")
            .column("publish_at").column("expires_at").column("category_id").column("cover_media_id").run()
        try await sql.drop(index: "articles_unit_state_idx").run()
        try await sql.create(index: "articles_category_list_idx").on(Article.schema)
            .column("unit_id").column("category_id").column("state").column("published_at").column("created_at").column("id")
            .column("publish_at").column("expires_at").run()
        // The documents page's filters too: their choices (SELECT DISTINCT) and matches read the index alone.
        try await sql.create(index: "legal_documents_public_list_idx").on(LegalDocument.schema)
            .column("unit_id").column("state").column("issued_on").column("created_at").column("id")
            .column("publish_at").column("expires_at").column("doc_type").column("issuer").column("field").run()
        try await sql.drop(index: "legal_documents_unit_state_idx").run()
        // The editors' lists (every state, newest change or issue date first, filtered by state,
        // category or author): at 80,000 articles the article list sorted them all, 2 s a page.
        try await sql.create(index: "articles_unit_updated_idx").on(Article.schema)
            .column("unit_id").column("updated_at").column("state").column("category_id").column("created_by").column("id").run()
        try await sql.create(index: "legal_documents_unit_issued_idx").on(LegalDocument.schema)
            .column("unit_id").column("issued_on").column("created_by").column("id").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "legal_documents_unit_issued_idx").run()
        try await sql.drop(index: "articles_unit_updated_idx").run()
        try await sql.create(index: "legal_documents_unit_state_idx").on(LegalDocument.schema).column("unit_id").column("state").run()
        try await sql.drop(index: "legal_documents_public_list_idx").run()
        try await sql.drop(index: "articles_category_list_idx").run()
        try await sql.create(index: "articles_unit_state_idx").on(Article.schema).column("unit_id").column("state").run()
        try await sql.drop(index: "articles_public_list_idx").run()
    }
}
