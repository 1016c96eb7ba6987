import EduCore
import FluentKit
import Foundation
import SQLKit

/// One public item in the unit's search index: an article, a document or an introduction page.
/// `folded` holds the title and text folded (lower case, no diacritics, đ→d) so that both
/// backends match the same words; on SQLite an FTS5 table mirrors it for speed.
public final class SearchEntry: Model, @unchecked Sendable {
    public static let schema = "search_entries"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    /// `article`, `document`, `page`.
    @Field(key: "kind") public var kind: String
    @Field(key: "item_id") public var itemID: UUID
    @Field(key: "title") public var title: String
    /// Path on the unit's site.
    @Field(key: "path") public var path: String
    @Field(key: "folded_title") public var foldedTitle: String
    @Field(key: "folded") public var folded: String
    /// Plain text for snippets (the start of the item).
    @Field(key: "text") public var text: String
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @OptionalField(key: "publish_at") public var publishAt: Date?
    @OptionalField(key: "expires_at") public var expiresAt: Date?

    public init() {}
}

/// Keeps the index in step with what the public may see, and answers queries the same way on
/// SQLite and PostgreSQL: matches are items containing every query word as a whole word, in any
/// order (FTS5 token queries on SQLite, LIKE on PostgreSQL), ranked and paged in SQL.
public enum SearchIndex {
    public static let textLimit = 20_000

    public struct Document: Sendable {
        public let unitID: UUID
        public let kind: String
        public let itemID: UUID
        public let title: String
        public let path: String
        public let text: String
        public let publishedAt: Date?
        public let publishAt: Date?
        public let expiresAt: Date?

        public init(unitID: UUID, kind: String, itemID: UUID, title: String, path: String, text: String, publishedAt: Date?,
                    publishAt: Date?, expiresAt: Date?) {
            self.unitID = unitID
            self.kind = kind
            self.itemID = itemID
            self.title = title
            self.path = path
            self.text = text
            self.publishedAt = publishedAt
            self.publishAt = publishAt
            self.expiresAt = expiresAt
        }
    }

    /// Puts `document` in the index (replacing what was there), or removes it when nil is given.
    public static func set(kind: String, itemID: UUID, to document: Document?, on db: any Database) async throws {
        let existing = try await SearchEntry.query(on: db).filter(\.$kind == kind).filter(\.$itemID == itemID).all()
        for entry in existing {
            if let sql = db as? any SQLDatabase, DatabaseSetupSQLite.isSQLite(sql) {
                try await sql.raw("DELETE FROM search_fts WHERE entry_id = \(bind: try entry.requireID().uuidString)").run()
            }
            try await entry.delete(on: db)
        }
        guard let document else { return }
        let entry = SearchEntry()
        entry.unitID = document.unitID
        entry.kind = kind
        entry.itemID = itemID
        entry.title = document.title
        entry.path = document.path
        entry.foldedTitle = SearchFolding.foldWords(document.title)
        entry.folded = SearchFolding.foldWords(document.title + " " + document.text)
        entry.text = String(document.text.prefix(textLimit))
        entry.publishedAt = document.publishedAt
        entry.publishAt = document.publishAt
        entry.expiresAt = document.expiresAt
        try await entry.create(on: db)
        if let sql = db as? any SQLDatabase, DatabaseSetupSQLite.isSQLite(sql) {
            try await sql.raw("""
                INSERT INTO search_fts (entry_id, unit_id, folded)
                VALUES (\(bind: try entry.requireID().uuidString), \(bind: entry.unitID.uuidString), \(bind: entry.folded))
                """).run()
        }
    }

    /// The FTS5 rows of entries created in bulk (SQLite; PostgreSQL reads the table itself).
    public static func mirror(_ entries: [SearchEntry], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, DatabaseSetupSQLite.isSQLite(sql), !entries.isEmpty else { return }
        var insert = sql.insert(into: "search_fts").columns("entry_id", "unit_id", "folded")
        for entry in entries {
            insert = insert.values(SQLBind(try entry.requireID().uuidString), SQLBind(entry.unitID.uuidString), SQLBind(entry.folded))
        }
        try await insert.run()
    }

    /// Query words: folded, each once, at most 10, each at most 40 characters.
    public static func terms(_ query: String) -> [String] {
        var seen = Set<String>()
        let words = SearchFolding.foldWords(TextNormalizer.normalize(query, maxLength: 300)).split(separator: " ").map { String($0.prefix(40)) }
        return Array(words.filter { seen.insert($0).inserted }.prefix(10))
    }

    /// One page of what a search found, and how many matched in all.
    public struct Page: Sendable {
        public let entries: [SearchEntry]
        public let total: Int
    }

    /// Entries of `unitIDs` containing every term as a whole word (in a Vietnamese text a
    /// syllable is a word: "lớp 1" is not "lớp 10"), public at `now`, of `kind` and published
    /// in `[from, to)` when given; ranked, counted and cut to `limit` entries from `offset` in
    /// the database, so a province-wide search for a common word holds one page in memory.
    ///
    /// Rank: items with every query word in the title first, then those with fewer of them in
    /// the title, then body-only matches; newer first within each, then the title. The same
    /// SQL runs on SQLite (candidates from FTS5) and PostgreSQL (whole-word LIKE).
    public static func search(
        terms: [String], unitIDs: [UUID], kind: String = "", from: Date? = nil, to: Date? = nil, offset: Int = 0, limit: Int,
        now: Date = Date(), on db: any Database
    ) async throws -> Page {
        guard !terms.isEmpty, !unitIDs.isEmpty, limit > 0, let sql = db as? any SQLDatabase else { return Page(entries: [], total: 0) }
        var filter: SQLQueryString = """
            e.unit_id IN (\(binds: unitIDs)) AND (e.publish_at IS NULL OR e.publish_at <= \(bind: now))
            AND (e.expires_at IS NULL OR e.expires_at > \(bind: now))
            """
        if !kind.isEmpty { filter += " AND e.kind = \(bind: kind)" }
        if let from { filter += " AND e.published_at >= \(bind: from)" }
        if let to { filter += " AND e.published_at < \(bind: to)" }
        if DatabaseSetupSQLite.isSQLite(sql) {
            // FTS5: every term as a quoted token ("truong" AND "hoc"): whole words only.
            let match = terms.map { "\"\($0.replacingOccurrences(of: "\"", with: ""))\"" }.joined(separator: " AND ")
            filter += " AND e.id IN (SELECT entry_id FROM search_fts WHERE search_fts MATCH \(bind: match))"
        } else {
            // Whole-word match on the folded text, the rule FTS5 applies to tokens. Terms are
            // letters and digits only (folded), so they carry no LIKE wildcard.
            for term in terms { filter += " AND (' ' || e.folded || ' ') LIKE \(bind: "% " + term + " %")" }
        }
        // How many of the query words the title holds, as whole words.
        var score: SQLQueryString = "0"
        for term in terms {
            score += " + CASE WHEN (' ' || e.folded_title || ' ') LIKE \(bind: "% " + term + " %") THEN 1 ELSE 0 END"
        }
        // One pass ranks the page and counts every match (a window over the whole result).
        struct Row: Decodable { let id: UUID; let total: Int }
        let rows = try await sql.raw("""
            SELECT e.id AS id, count(*) OVER () AS total FROM search_entries e WHERE \(filter)
            ORDER BY \(score) DESC, e.published_at IS NULL, e.published_at DESC, e.title, e.id
            LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all(decoding: Row.self)
        guard let total = rows.first?.total else {
            // Past the last page (or nothing matched): the count alone says which.
            struct Count: Decodable { let n: Int }
            let total = offset == 0 ? 0 : try await sql.raw("SELECT count(*) AS n FROM search_entries e WHERE \(filter)").first(decoding: Count.self)?.n ?? 0
            return Page(entries: [], total: total)
        }
        let ids = rows.map(\.id)
        let loaded = Dictionary(uniqueKeysWithValues: try await SearchEntry.query(on: db).filter(\.$id ~~ ids).all().compactMap { e in e.id.map { ($0, e) } })
        return Page(entries: ids.compactMap { loaded[$0] }, total: total)
    }
}

/// Whether a SQL database is SQLite, without importing the drivers here.
enum DatabaseSetupSQLite {
    static func isSQLite(_ sql: any SQLDatabase) -> Bool { sql.dialect.name == "sqlite" }
}
