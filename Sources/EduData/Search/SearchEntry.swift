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
/// SQLite and PostgreSQL: candidates are items containing every query word as a word prefix
/// (FTS5 prefix queries on SQLite, LIKE on PostgreSQL), ranked in Swift.
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

    /// Query words: folded, at most 10, each at most 40 characters.
    public static func terms(_ query: String) -> [String] {
        Array(SearchFolding.foldWords(TextNormalizer.normalize(query, maxLength: 300)).split(separator: " ").map { String($0.prefix(40)) }.prefix(10))
    }

    /// The most matches a search ranks: past this, the best by the database's own relevance
    /// (SQLite's FTS5 rank) or the newest (PostgreSQL) are ranked, and the page says how many
    /// there were in all. A province-wide search for a common word stays bounded in memory.
    public static let maxCandidates = 2000

    /// What a search found: at most `limit` entries to rank, and how many matched in all.
    public struct Candidates: Sendable {
        public let entries: [SearchEntry]
        public let total: Int
    }

    /// Entries of `unitIDs` containing every term as a word prefix, public at `now`, of `kind`
    /// and published in `[from, to)` when given: filtered in the database, at most `limit`.
    public static func candidates(
        terms: [String], unitIDs: [UUID], kind: String = "", from: Date? = nil, to: Date? = nil, limit: Int = maxCandidates,
        now: Date = Date(), on db: any Database
    ) async throws -> Candidates {
        guard !terms.isEmpty, !unitIDs.isEmpty, let sql = db as? any SQLDatabase else { return Candidates(entries: [], total: 0) }
        var ids: [UUID]?
        var ftsTotal = 0
        if DatabaseSetupSQLite.isSQLite(sql) {
            // FTS5: every term as a quoted prefix query ("truong"* AND "hoc"*), best matches first.
            let match = terms.map { "\"\($0.replacingOccurrences(of: "\"", with: ""))\"*" }.joined(separator: " AND ")
            struct Row: Decodable { let entry_id: String }
            struct Count: Decodable { let n: Int }
            let rows = try await sql.raw("""
                SELECT entry_id FROM search_fts WHERE search_fts MATCH \(bind: match) AND unit_id IN (\(binds: unitIDs.map(\.uuidString)))
                ORDER BY rank LIMIT \(bind: limit * 4)
                """).all(decoding: Row.self)
            ids = rows.compactMap { UUID(uuidString: $0.entry_id) }
            // Counted only when the list was cut: then it says how many matched in all.
            if rows.count == limit * 4 {
                ftsTotal = try await sql.raw("""
                SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH \(bind: match) AND unit_id IN (\(binds: unitIDs.map(\.uuidString)))
                """).first(decoding: Count.self)?.n ?? 0
            }
        }
        let query = SearchEntry.query(on: db).filter(\.$unitID ~~ unitIDs)
            .group(.or) { $0.filter(\.$publishAt == nil).filter(\.$publishAt <= now) }
            .group(.or) { $0.filter(\.$expiresAt == nil).filter(\.$expiresAt > now) }
        if !kind.isEmpty { query.filter(\.$kind == kind) }
        if let from { query.filter(\.$publishedAt >= from) }
        if let to { query.filter(\.$publishedAt < to) }
        if let ids {
            guard !ids.isEmpty else { return Candidates(entries: [], total: 0) }
            query.filter(\.$id ~~ ids)
        } else {
            // Word-prefix match on the folded text, the same rule FTS5 applies.
            for term in terms {
                query.group(.or) { group in
                    group.filter(\.$folded, .custom("LIKE"), term + "%")
                    group.filter(\.$folded, .custom("LIKE"), "% " + term + "%")
                }
            }
        }
        let total = try await query.count()
        let entries = try await query.sort(\.$publishedAt, .descending).limit(limit).all()
        return Candidates(entries: entries, total: max(total, ftsTotal))
    }

    /// Score: title hits count three times; ties go to the newer item, then the title.
    public static func rank(_ entries: [SearchEntry], terms: [String]) -> [SearchEntry] {
        func count(_ term: String, in text: String) -> Int {
            var total = 0
            for word in text.split(separator: " ") where word.hasPrefix(term) { total += 1 }
            return total
        }
        let scored = entries.map { entry -> (SearchEntry, Int) in
            (entry, terms.reduce(0) { $0 + 3 * count($1, in: entry.foldedTitle) + min(20, count($1, in: entry.folded)) })
        }
        return scored.sorted { a, b in
            if a.1 != b.1 { return a.1 > b.1 }
            let da = a.0.publishedAt ?? .distantPast, db = b.0.publishedAt ?? .distantPast
            if da != db { return da > db }
            return a.0.title < b.0.title
        }.map(\.0)
    }
}

/// Whether a SQL database is SQLite, without importing the drivers here.
enum DatabaseSetupSQLite {
    static func isSQLite(_ sql: any SQLDatabase) -> Bool { sql.dialect.name == "sqlite" }
}
