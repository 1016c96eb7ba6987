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
    /// Unique, larger for newer entries (`SearchIndex.rankKey`); the FTS5 rowid on SQLite.
    @Field(key: "rank_key") public var rankKey: Int64

    public init() {}
}

/// Keeps the index in step with what the public may see, and answers queries the same way on
/// SQLite and PostgreSQL: matches are items containing every query word as a whole word, in any
/// order (FTS5 token queries on SQLite, a `tsvector` of the same folded words on PostgreSQL).
///
/// At scale a common word matches most of a province's items, so a query reads only the newest
/// `window` matches, walking an index newest first (`rank_key`: the FTS5 rowid on SQLite, a
/// B-tree on PostgreSQL), and ranks, counts and pages among those; a query with more matches
/// says so (`Page.more`) instead of counting them all.
public enum SearchIndex {
    public static let textLimit = 20_000
    /// The newest matches a query ranks and counts (100 pages of 10).
    public static let window = 1_000

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

    /// Newest first as one integer: the publication millisecond (none: 0; up to the year 2109)
    /// above 20 bits of the entry's id, so entries of the same moment still differ (a clash takes
    /// the next free key).
    public static func rankKey(publishedAt: Date?, id: UUID) -> Int64 {
        let milliseconds = Int64(max(0, min(floor((publishedAt?.timeIntervalSince1970 ?? 0) * 1000), Double(1 << 42))))
        let bytes = id.uuid
        return milliseconds << 20 | Int64(bytes.13 & 0x0F) << 16 | Int64(bytes.14) << 8 | Int64(bytes.15)
    }

    /// The key range of entries published in `[from, to)`.
    static func rankRange(from: Date?, to: Date?) -> (lower: Int64?, upper: Int64?) {
        (from.map { rankKey(publishedAt: $0, id: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))) },
         to.map { rankKey(publishedAt: $0, id: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))) })
    }

    /// The FTS5 table (SQLite): rowid = `rank_key`; the kind, the scope words (`o<unit>` for the
    /// item's own unit, `u<unit>` for it and every unit above) and the folded text, each a column
    /// a query names, so text can never match a scope word. Positions are not needed (queries are
    /// words, not phrases): `detail=column`.
    static func createFTS(on sql: any SQLDatabase) async throws {
        try await sql.raw("CREATE VIRTUAL TABLE search_fts USING fts5(kind, scope, folded, detail=column)").run()
    }

    /// Writes the FTS5 rows of the entries matching `condition` (over `e`, the entries) from the
    /// entries and their units' paths: the one place the scope words are made.
    static func writeFTS(where condition: SQLQueryString, on sql: any SQLDatabase) async throws {
        // A path is "/<id>/<id>/": each id becomes "u<hex>".
        try await sql.raw("""
            INSERT INTO search_fts (rowid, kind, scope, folded)
            SELECT e.rank_key, e.kind,
                   'o' || replace(lower(e.unit_id), '-', '') || replace(replace(rtrim(u.path, '/'), '-', ''), '/', ' u'),
                   e.folded
            FROM \(ident: SearchEntry.schema) e JOIN \(ident: OrgUnit.schema) u ON u.id = e.unit_id
            WHERE \(condition)
            """).run()
    }

    /// Puts `document` in the index (replacing what was there), or removes it when nil is given.
    public static func set(kind: String, itemID: UUID, to document: Document?, on db: any Database) async throws {
        let sqlite = (db as? any SQLDatabase).flatMap { DatabaseSetupSQLite.isSQLite($0) ? $0 : nil }
        let existing = try await SearchEntry.query(on: db).filter(\.$kind == kind).filter(\.$itemID == itemID).all()
        for entry in existing {
            if let sqlite { try await sqlite.raw("DELETE FROM search_fts WHERE rowid = \(bind: entry.rankKey)").run() }
            try await entry.delete(on: db)
        }
        // The unit's cached search pages are out of date.
        for unitID in Set(existing.map(\.unitID) + [document?.unitID].compactMap { $0 }) { try await OrgUnit.touch(unitID, on: db) }
        guard let document else { return }
        let entry = SearchEntry()
        let id = UUID()
        entry.id = id
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
        var key = rankKey(publishedAt: document.publishedAt, id: id)
        while try await SearchEntry.query(on: db).filter(\.$rankKey == key).count() > 0 { key += 1 }
        entry.rankKey = key
        try await entry.create(on: db)
        if let sqlite { try await writeFTS(where: "e.id = \(bind: id)", on: sqlite) }
    }

    /// The FTS5 rows of entries created in bulk (SQLite; PostgreSQL reads the table itself).
    public static func mirror(_ entries: [SearchEntry], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, DatabaseSetupSQLite.isSQLite(sql), !entries.isEmpty else { return }
        try await writeFTS(where: "e.id IN (\(binds: try entries.map { try $0.requireID() }))", on: sql)
    }

    /// Rewrites the scope words of the units' entries after units moved or merged (SQLite; on
    /// PostgreSQL the scope is the entries' `unit_id`, read at query time).
    public static func rescope(unitIDs: [UUID], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, DatabaseSetupSQLite.isSQLite(sql), !unitIDs.isEmpty else { return }
        for batch in stride(from: 0, to: unitIDs.count, by: 200) {
            let ids = Array(unitIDs[batch..<min(unitIDs.count, batch + 200)])
            try await sql.raw("""
                DELETE FROM search_fts WHERE rowid IN (SELECT rank_key FROM \(ident: SearchEntry.schema) WHERE unit_id IN (\(binds: ids)))
                """).run()
            try await writeFTS(where: "e.unit_id IN (\(binds: ids))", on: sql)
        }
    }

    /// Query words: folded, each once, at most 10, each at most 40 characters.
    public static func terms(_ query: String) -> [String] {
        var seen = Set<String>()
        let words = SearchFolding.foldWords(TextNormalizer.normalize(query, maxLength: 300)).split(separator: " ").map { String($0.prefix(40)) }
        return Array(words.filter { seen.insert($0).inserted }.prefix(10))
    }

    /// One page of what a search found, and how many matched: `total` counts the public matches
    /// among the newest `window`; `more` says there were more matches than that.
    public struct Page: Sendable {
        public let entries: [SearchEntry]
        public let total: Int
        public let more: Bool
    }

    /// Where a search looks: one unit's own items, or a unit's and every unit's below it
    /// (`unitIDs`: the subtree's units, the root among them).
    public enum Scope: Sendable {
        case unit(UUID)
        case subtree(root: UUID, unitIDs: [UUID])

        var unitIDs: [UUID] {
            switch self {
            case .unit(let id): [id]
            case .subtree(_, let ids): ids
            }
        }
    }

    /// Entries in `scope` containing every term as a whole word (in a Vietnamese text a syllable
    /// is a word: "lớp 1" is not "lớp 10"), of `kind` and published in `[from, to)` when given:
    /// the newest `window` of them are read newest first from an index, those public at `now`
    /// are ranked, counted and cut to `limit` entries from `offset` in the database.
    ///
    /// Rank: items with every query word in the title first, then those with fewer of them in
    /// the title, then body-only matches; newer first within each. The same outer SQL runs on
    /// SQLite (the window from FTS5) and PostgreSQL (the window from the `tsvector`).
    public static func search(
        terms: [String], scope: Scope, kind: String = "", from: Date? = nil, to: Date? = nil, offset: Int = 0, limit: Int,
        now: Date = Date(), on db: any Database
    ) async throws -> Page {
        let unitIDs = scope.unitIDs
        guard !terms.isEmpty, !unitIDs.isEmpty, limit > 0, let sql = db as? any SQLDatabase else { return Page(entries: [], total: 0, more: false) }
        let range = rankRange(from: from, to: to)
        let sqlite = DatabaseSetupSQLite.isSQLite(sql)
        // The keys of the newest `size` matches, newest first. Terms are folded: letters a-z and
        // digits only, no quote or operator.
        func window(_ size: Int) -> SQLQueryString {
            var window: SQLQueryString
            if sqlite {
                func word(_ prefix: String, _ id: UUID) -> String { "\"\(prefix)\(id.uuidString.lowercased().replacingOccurrences(of: "-", with: ""))\"" }
                let place: String
                switch scope {
                case .unit(let id): place = word("o", id)
                case .subtree(let root, _): place = word("u", root)
                }
                var match = "folded : (\(terms.map { "\"\($0)\"" }.joined(separator: " AND "))) AND scope : \(place)"
                if !kind.isEmpty { match += " AND kind : \"\(kind.filter { $0.isASCII && $0.isLetter })\"" }
                window = "SELECT rowid AS k FROM search_fts WHERE search_fts MATCH \(bind: match)"
                if let lower = range.lower { window += " AND rowid >= \(bind: lower)" }
                if let upper = range.upper { window += " AND rowid < \(bind: upper)" }
                window += " ORDER BY rowid DESC LIMIT \(bind: size)"
            } else {
                window = """
                    SELECT rank_key AS k FROM \(ident: SearchEntry.schema)
                    WHERE tsv @@ to_tsquery('simple'::regconfig, \(bind: terms.joined(separator: " & ")))
                    """
                // One unit: walk its own (unit_id, rank_key) index. Written as a range with an
                // order on both columns, because for `unit_id = $1` the planner walked the global
                // rank_key index and filtered out every newer entry of other units (100,000 rows,
                // 1.3 s at the benchmark's size; 2.6 ms this way on a copy of that shape).
                if case .unit(let id) = scope {
                    window += " AND unit_id >= \(bind: id) AND unit_id <= \(bind: id)"
                } else {
                    window += " AND unit_id IN (\(binds: unitIDs))"
                }
                if !kind.isEmpty { window += " AND kind = \(bind: kind)" }
                if let lower = range.lower { window += " AND rank_key >= \(bind: lower)" }
                if let upper = range.upper { window += " AND rank_key < \(bind: upper)" }
                if case .unit = scope {
                    window += " ORDER BY unit_id DESC, rank_key DESC LIMIT \(bind: size)"
                } else {
                    window += " ORDER BY rank_key DESC LIMIT \(bind: size)"
                }
            }
            return window
        }
        struct Count: Decodable { let n: Int }
        let found = try await sql.raw("SELECT count(*) AS n FROM (\(window(Self.window + 1))) w").first(decoding: Count.self)?.n ?? 0
        guard found > 0 else { return Page(entries: [], total: 0, more: false) }
        let more = found > Self.window
        // The window's entries public now (and, again, of the scope's units). CROSS JOIN keeps
        // SQLite reading the window first: the SQLite inside the driver otherwise walked the
        // unit's 100,000 entries by `unit_id` and looked each up in the window (0.3 s a search;
        // PostgreSQL reads it as an inner join and plans it freely).
        let windowed: SQLQueryString = """
            FROM (\(window(Self.window))) w CROSS JOIN \(ident: SearchEntry.schema) e
            WHERE e.rank_key = w.k AND e.unit_id IN (\(binds: unitIDs)) AND (e.publish_at IS NULL OR e.publish_at <= \(bind: now))
            AND (e.expires_at IS NULL OR e.expires_at > \(bind: now))
            """
        // How many of the query words the title holds, as whole words.
        var score: SQLQueryString = "0"
        for term in terms {
            score += " + CASE WHEN (' ' || e.folded_title || ' ') LIKE \(bind: "% " + term + " %") THEN 1 ELSE 0 END"
        }
        struct Row: Decodable { let id: UUID; let total: Int }
        let rows = try await sql.raw("""
            SELECT e.id AS id, count(*) OVER () AS total \(windowed)
            ORDER BY \(score) DESC, e.rank_key DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all(decoding: Row.self)
        guard let total = rows.first?.total else {
            // Past the last page (or nothing public): the count alone says which.
            let total = try await sql.raw("SELECT count(*) AS n \(windowed)").first(decoding: Count.self)?.n ?? 0
            return Page(entries: [], total: total, more: more)
        }
        let ids = rows.map(\.id)
        let loaded = Dictionary(uniqueKeysWithValues: try await SearchEntry.query(on: db).filter(\.$id ~~ ids).all().compactMap { e in e.id.map { ($0, e) } })
        return Page(entries: ids.compactMap { loaded[$0] }, total: total, more: more)
    }
}

/// Whether a SQL database is SQLite, without importing the drivers here.
enum DatabaseSetupSQLite {
    static func isSQLite(_ sql: any SQLDatabase) -> Bool { sql.dialect.name == "sqlite" }
}
