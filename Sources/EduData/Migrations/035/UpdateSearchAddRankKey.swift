import FluentKit
import Foundation
import SQLKit

/// Search at scale (#19): every entry gets a unique `rank_key` that orders entries newest first
/// (`SearchIndex.rankKey`), so the newest matches of a query are read from an index in order and
/// the search stops after a window of them instead of ranking every match.
/// SQLite: the FTS5 table is rebuilt with `rowid = rank_key` (FTS5 walks a word's entries
/// backwards by rowid), the item's kind, and its unit and the units above as scope words in their
/// own column. PostgreSQL: a stored `tsvector` of the folded text with a GIN index (the same
/// whole-word rule), and an index on (unit, rank_key).
struct UpdateSearchAddRankKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.alter(table: SearchEntry.schema).column("rank_key", type: .bigint).run()
        struct Row: Decodable {
            let id: UUID
            let published_at: Date?
        }
        let rows = try await sql.select().column("id").column("published_at").from(SearchEntry.schema).orderBy("id").all(decoding: Row.self)
        var taken = Set<Int64>()
        var keyed: [(id: UUID, key: Int64)] = []
        for row in rows {
            var key = SearchIndex.rankKey(publishedAt: row.published_at, id: row.id)
            while !taken.insert(key).inserted { key += 1 }
            keyed.append((row.id, key))
        }
        for batch in stride(from: 0, to: keyed.count, by: 500) {
            let slice = keyed[batch..<min(keyed.count, batch + 500)]
            try await database.transaction { tx in
                guard let sql = tx as? any SQLDatabase else { return }
                for row in slice {
                    try await sql.update(SearchEntry.schema).set("rank_key", to: SQLBind(row.key)).where("id", .equal, SQLBind(row.id)).run()
                }
            }
        }
        try await sql.create(index: "search_entries_rank_idx").unique().on(SearchEntry.schema).column("rank_key").run()
        // Every page a cache renders asks when the unit's next scheduled change is; with 100,000
        // articles the (unit, state) index left 80,000 rows to read for that (150 ms a question).
        for table in [Article.schema, LegalDocument.schema] {
            for column in ["publish_at", "expires_at"] {
                try await sql.create(index: "\(table)_unit_state_\(column)_idx").on(table).column("unit_id").column("state").column(column).run()
            }
        }
        if sql.dialect.name == "sqlite" {
            try await sql.raw("DROP TABLE IF EXISTS search_fts").run()
            try await SearchIndex.createFTS(on: sql)
            try await SearchIndex.writeFTS(where: "1 = 1", on: sql)
        } else {
            try await sql.raw("""
                ALTER TABLE \(ident: SearchEntry.schema) ADD COLUMN tsv tsvector
                GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, folded)) STORED
                """).run()
            try await sql.raw("CREATE INDEX search_entries_tsv_idx ON \(ident: SearchEntry.schema) USING gin (tsv)").run()
            try await sql.create(index: "search_entries_unit_rank_idx").on(SearchEntry.schema).column("unit_id").column("rank_key").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for table in [Article.schema, LegalDocument.schema] {
            for column in ["publish_at", "expires_at"] { try await sql.drop(index: "\(table)_unit_state_\(column)_idx").run() }
        }
        if sql.dialect.name == "sqlite" {
            try await sql.raw("DROP TABLE IF EXISTS search_fts").run()
            try await sql.raw("CREATE VIRTUAL TABLE search_fts USING fts5(entry_id UNINDEXED, unit_id UNINDEXED, folded)").run()
            try await sql.raw("""
                INSERT INTO search_fts (entry_id, unit_id, folded) SELECT id, unit_id, folded FROM \(ident: SearchEntry.schema)
                """).run()
        } else {
            try await sql.raw("DROP INDEX IF EXISTS search_entries_unit_rank_idx").run()
            try await sql.raw("ALTER TABLE \(ident: SearchEntry.schema) DROP COLUMN tsv").run()
        }
        try await sql.drop(index: "search_entries_rank_idx").run()
        try await sql.alter(table: SearchEntry.schema).dropColumn("rank_key").run()
    }
}
