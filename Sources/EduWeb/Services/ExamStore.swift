import EduCore
import EduData
import EduImport
import Fluent
import SQLKit
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Every node's in-memory copy of the published exam results: one immutable snapshot per
/// session, swapped in one assignment when a new version is committed, so a lookup sees the
/// old version or the new one and never a mix. Nodes poll the sessions table (a few rows)
/// every two seconds, so an import made by the CLI or another node shows within seconds.
final class ExamStore: Sendable {
    /// A class: a lookup copies one reference out of the table, not twenty fields.
    final class Entry: Sendable {
        let sessionID: UUID
        let unitID: UUID
        let name: String
        let year: Int
        let kind: ExamKind
        let maxScore: Double
        let requireBirthDate: Bool
        let publishAt: Date?
        let importID: UUID?
        let version: Int
        let importedAt: Date?
        let snapshot: ExamSnapshot?
        let statistics: ExamStatistics?
        /// The score charts, rendered once per version.
        let charts: [String]
        /// The session as the JSON API writes it, built once (dates are costly to format per request).
        let json: String

        init(sessionID: UUID, unitID: UUID, name: String, year: Int, kind: ExamKind, maxScore: Double, requireBirthDate: Bool,
             publishAt: Date?, importID: UUID?, version: Int, importedAt: Date?, snapshot: ExamSnapshot?, statistics: ExamStatistics?,
             charts: [String]) {
            self.sessionID = sessionID
            self.unitID = unitID
            self.name = name
            self.year = year
            self.kind = kind
            self.maxScore = maxScore
            self.requireBirthDate = requireBirthDate
            self.publishAt = publishAt
            self.importID = importID
            self.version = version
            self.importedAt = importedAt
            self.snapshot = snapshot
            self.statistics = statistics
            self.charts = charts
            self.json = Self.json(sessionID: sessionID, name: name, year: year, kind: kind, version: version, candidates: snapshot?.count ?? 0,
                                  requireBirthDate: requireBirthDate, subjects: snapshot?.subjects ?? [], publishAt: publishAt, importedAt: importedAt)
        }

        static func json(sessionID: UUID, name: String, year: Int, kind: ExamKind, version: Int, candidates: Int, requireBirthDate: Bool,
                         subjects: [String], publishAt: Date?, importedAt: Date?) -> String {
            var out = "{\"id\":\"\(sessionID.uuidString.lowercased())\",\"name\":\(Escape.json(name)),\"year\":\(year)"
            out += ",\"kind\":\"\(kind.rawValue)\",\"kindLabel\":\(Escape.json(kind.label)),\"version\":\(version)"
            out += ",\"candidates\":\(candidates),\"requiresBirthDate\":\(requireBirthDate)"
            out += ",\"subjects\":[" + subjects.map(Escape.json).joined(separator: ",") + "]"
            out += ",\"publishedAt\":" + (publishAt.map { Escape.json(VietnameseDate.iso($0)) } ?? "null")
            out += ",\"updatedAt\":" + (importedAt.map { Escape.json(VietnameseDate.iso($0)) } ?? "null") + "}"
            return out
        }

        func isPublic(at now: Date = Date()) -> Bool {
            guard snapshot != nil, let publishAt else { return false }
            return publishAt <= now
        }

        var candidateCount: Int { snapshot?.count ?? 0 }
    }

    /// Keyed by the session id as URLs write it (lower case), so a lookup parses no UUID.
    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    private let chain = NIOLockedValueBox<Task<Void, Never>?>(nil)
    /// Snapshots this node built itself, by import: `load` takes them instead of reading the chunks back.
    private let built = NIOLockedValueBox<[UUID: (snapshot: ExamSnapshot, statistics: ExamStatistics?)]>([:])
    static let defaultPollInterval: TimeInterval = 2
    private let pollIntervalBox: NIOLockedValueBox<TimeInterval>
    /// A refresh asked for by a notification and not yet started: further ones join it.
    private let refreshQueued = NIOLockedValueBox(false)

    init(pollInterval: TimeInterval = ExamStore.defaultPollInterval) {
        self.pollIntervalBox = NIOLockedValueBox(pollInterval)
    }

    /// How often the sessions table is read: every two seconds while this node polls, seldom
    /// while the other nodes' changes arrive as notifications (`ClusterLink`).
    var pollInterval: TimeInterval { pollIntervalBox.withLockedValue { $0 } }
    func setPollInterval(_ seconds: TimeInterval) { pollIntervalBox.withLockedValue { $0 = seconds } }

    /// A refresh soon, without waiting: a burst of notifications costs one or two reads, not one each.
    func refreshSoon(on db: any Database, logger: Logger) {
        guard refreshQueued.withLockedValue({ queued in defer { queued = true }; return !queued }) else { return }
        Task {
            refreshQueued.withLockedValue { $0 = false }
            await refresh(on: db, logger: logger)
        }
    }

    func entry(_ id: UUID) -> Entry? {
        entry(key: id.uuidString.lowercased())
    }

    func entry(key: String) -> Entry? {
        guard key.utf8.count == 36 else { return nil }
        return entries.withLockedValue { $0[key] } ?? entries.withLockedValue { $0[key.lowercased()] }
    }

    /// The unit's sessions that the public may see now, newest first.
    func published(unitID: UUID, now: Date = Date()) -> [Entry] {
        entries.withLockedValue { Array($0.values) }
            .filter { $0.unitID == unitID && $0.isPublic(at: now) }
            .sorted { ($0.year, $0.publishAt ?? .distantPast, $0.name) > ($1.year, $1.publishAt ?? .distantPast, $1.name) }
    }

    /// Re-reads the sessions and loads any new version. Calls are serialised: one that starts
    /// after a commit always sees it.
    func refresh(on db: any Database, logger: Logger) async {
        let task: Task<Void, Never> = chain.withLockedValue { previous in
            let prior = previous
            let next = Task {
                await prior?.value
                do {
                    try await self.load(on: db)
                } catch {
                    logger.warning("Không tải được kết quả thi: \(String(describing: error))")
                }
            }
            previous = next
            return next
        }
        await task.value
    }

    /// Installs a snapshot this node has just committed, then refreshes the (small) session rows.
    func install(importID: UUID, snapshot: ExamSnapshot, statistics: ExamStatistics?, on db: any Database, logger: Logger) async {
        built.withLockedValue { $0[importID] = (snapshot, statistics) }
        await refresh(on: db, logger: logger)
    }

    private func load(on db: any Database) async throws {
        let sessions = try await ExamSession.query(on: db).all()
        let current = entries.withLockedValue { $0 }
        var next: [String: Entry] = [:]
        for session in sessions {
            guard let id = session.id else { continue }
            let key = id.uuidString.lowercased()
            var snapshot: ExamSnapshot? = nil
            var statistics: ExamStatistics? = nil
            var version = 0
            var importedAt: Date? = nil
            var charts: [String] = []
            if let importID = session.currentImportID {
                if let known = current[key], known.importID == importID, known.snapshot != nil {
                    (snapshot, statistics, version, importedAt, charts) = (known.snapshot, known.statistics, known.version, known.importedAt, known.charts)
                } else if let row = try await ExamImport.find(importID, on: db), row.status == ExamImport.Status.ready.rawValue {
                    if let mine = built.withLockedValue({ $0.removeValue(forKey: importID) }) {
                        (snapshot, statistics) = (mine.snapshot, mine.statistics)
                    } else {
                        snapshot = try await Self.loadSnapshot(importID: importID, expectedBytes: row.snapshotBytes, on: db)
                        statistics = try? JSONDecoder().decode(ExamStatistics.self, from: Data(row.statistics.utf8))
                    }
                    version = row.version
                    importedAt = row.finishedAt
                    if let statistics {
                        charts = statistics.subjects.enumerated().map { i, subject in
                            ScoreChart.svg(subject, maxScore: statistics.maxScore, id: "pho-diem-\(i + 1)")
                        }
                    }
                }
            }
            let entry = Entry(
                sessionID: id, unitID: session.unitID, name: session.name, year: session.year, kind: ExamKind(rawValue: session.kind) ?? .khac,
                maxScore: session.maxScore, requireBirthDate: session.requireBirthDate, publishAt: session.publishAt,
                importID: snapshot == nil ? nil : session.currentImportID, version: version, importedAt: importedAt,
                snapshot: snapshot, statistics: statistics, charts: charts)
            next[key] = entry
        }
        entries.withLockedValue { $0 = next }
    }

    static func loadSnapshot(importID: UUID, expectedBytes: Int, on db: any Database) async throws -> ExamSnapshot {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(expectedBytes)
        // One chunk at a time keeps the peak near one copy of the snapshot.
        var seq = 0
        while let chunk = try await ExamChunk.query(on: db).filter(\.$importID == importID).filter(\.$seq == seq).first() {
            bytes.append(contentsOf: chunk.data)
            seq += 1
        }
        guard bytes.count == expectedBytes else {
            throw SheetError("Dữ liệu kết quả thi của lần nhập \(importID) không đủ (\(bytes.count)/\(expectedBytes) byte).")
        }
        return try ExamSnapshot(bytes: bytes)
    }
}

/// Lookups per client address per minute (IPv6 counted by /64). Generous by default: a mobile
/// carrier puts many families behind one address on result day. 0 switches it off.
final class LookupRateLimiter: Sendable {
    let perMinute: Int
    /// Per key, this minute: what this node counted, what it has not yet sent to the shared
    /// table, and what the other nodes had counted at the last exchange.
    private struct Count {
        var window: Int
        var count: Int
        var unsent: Int = 0
        var others: Int = 0
    }

    private let shards: [NIOLockedValueBox<[String: Count]>]
    /// The clock the minutes are read from (tests fix it, so no minute ends mid-test).
    private let clock: @Sendable () -> Date

    init(perMinute: Int, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.perMinute = perMinute
        self.clock = clock
        shards = (0..<16).map { _ in NIOLockedValueBox([:]) }
    }

    /// Sends this node's new counts to `lookup_counts` and takes back every node's totals, so
    /// the limits hold across nodes (a second late at most). Called every second.
    func exchange(on db: any Database, now: Date? = nil) async throws {
        guard perMinute > 0, let sql = db as? any SQLDatabase else { return }
        let window = Int((now ?? clock()).timeIntervalSince1970) / 60
        var outgoing: [(key: String, count: Int)] = []
        for shard in shards {
            shard.withLockedValue { table in
                for (key, entry) in table where entry.window == window && entry.unsent > 0 {
                    outgoing.append((key, entry.unsent))
                    table[key]?.unsent = 0
                }
            }
        }
        for batch in stride(from: 0, to: outgoing.count, by: 200) {
            let slice = outgoing[batch..<min(outgoing.count, batch + 200)]
            struct Row: Decodable { let key: String; let count: Int }
            var values = SQLQueryString("")
            for (i, item) in slice.enumerated() {
                if i > 0 { values.appendLiteral(", ") }
                values.appendLiteral("(")
                values.appendInterpolation(bind: item.key)
                values.appendLiteral(", ")
                values.appendInterpolation(bind: window)
                values.appendLiteral(", ")
                values.appendInterpolation(bind: item.count)
                values.appendLiteral(")")
            }
            let rows = try await sql.raw("""
                INSERT INTO lookup_counts (key, minute, count) VALUES \(values)
                ON CONFLICT (key, minute) DO UPDATE SET count = lookup_counts.count + excluded.count RETURNING key, count
                """).all(decoding: Row.self)
            for row in rows {
                var hasher = Hasher()
                hasher.combine(row.key)
                let shard = shards[Int(UInt(bitPattern: hasher.finalize()) % UInt(shards.count))]
                shard.withLockedValue { table in
                    guard var entry = table[row.key], entry.window == window else { return }
                    // Everyone's total less what this node counted and has sent.
                    entry.others = max(0, row.count - (entry.count - entry.unsent))
                    table[row.key] = entry
                }
            }
        }
        if window % 5 == 0 { try await sql.raw("DELETE FROM lookup_counts WHERE minute < \(bind: window - 1)").run() }
    }

    /// nil when allowed, else the seconds until the next window. Counts once under every key;
    /// refused when any key is past `perMinute × factor`.
    func check(_ keys: [(key: String, factor: Int)], now: Date? = nil) -> Int? {
        guard perMinute > 0 else { return nil }
        let seconds = Int((now ?? clock()).timeIntervalSince1970)
        let window = seconds / 60
        var allowed = true
        for (key, factor) in keys {
            var hasher = Hasher()
            hasher.combine(key)
            let shard = shards[Int(UInt(bitPattern: hasher.finalize()) % UInt(shards.count))]
            let within = shard.withLockedValue { table -> Bool in
                if table.count > 100_000 { table = table.filter { $0.value.window == window } }
                var entry = table[key] ?? Count(window: window, count: 0)
                if entry.window != window { entry = Count(window: window, count: 0) }
                entry.count += 1
                entry.unsent += 1
                table[key] = entry
                return entry.count + entry.others <= perMinute * factor
            }
            allowed = allowed && within
        }
        return allowed ? nil : 60 - seconds % 60
    }

    func check(_ key: String, now: Date? = nil) -> Int? { check([(key, 1)], now: now) }
}

struct ExamStoreKey: StorageKey { typealias Value = ExamStore }
struct LookupLimiterKey: StorageKey { typealias Value = LookupRateLimiter }

extension Application {
    var examStore: ExamStore { storage[ExamStoreKey.self]! }
    var lookupLimiter: LookupRateLimiter { storage[LookupLimiterKey.self]! }
}

/// Every second, shares this node's lookup counts with the others through the database.
final class LookupCountExchange: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?

    func didBootAsync(_ app: Application) async throws {
        let limiter = app.lookupLimiter
        let db = app.db
        let logger = app.logger
        guard limiter.perMinute > 0 else { return }
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if Task.isCancelled { break }
                do { try await limiter.exchange(on: db) } catch { logger.warning("Không đồng bộ được số lượt tra cứu: \(String(reflecting: error))") }
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        task?.cancel()
        task = nil
    }
}

/// Polls for new exam versions on every node (unlike `BackgroundJobs`, which runs on one).
final class ExamStorePoller: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?

    func didBootAsync(_ app: Application) async throws {
        let store = app.examStore
        let db = app.db
        let logger = app.logger
        await store.refresh(on: db, logger: logger)
        task = Task {
            var last = Date()
            while !Task.isCancelled {
                // Woken each second so that a change of interval (the cluster link lost) counts at once.
                try? await Task.sleep(for: .seconds(min(1, store.pollInterval)))
                if Task.isCancelled { break }
                guard Date().timeIntervalSince(last) >= store.pollInterval else { continue }
                await store.refresh(on: db, logger: logger)
                last = Date()
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        task?.cancel()
        task = nil
    }
}
