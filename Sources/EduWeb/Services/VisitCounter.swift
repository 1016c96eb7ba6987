import EduCore
import EduData
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Visits to the public pages, counted by the server itself: no cookie, no address, no third
/// party. A visit is a page (HTML, answered 200 or 304) asked with GET by something that says it
/// is a browser and is not a robot or a prefetch. Counts are kept in memory per (unit, day in
/// Vietnam's time, path) and added to `page_visits` every minute (and at shutdown), so a page
/// served from the cache costs one locked dictionary update, never a write.
///
/// Behind nginx's cache most visits never reach a node: nginx then reports every page it
/// answers as a syslog line over UDP (`VisitLogListener`, `EDUPORTAL_VISIT_PORT`) and the nodes'
/// own counting is off, so nothing is counted twice.
final class VisitCounter: Sendable {
    struct Key: Hashable, Sendable {
        let unit: UUID
        /// Days since 1970-01-01 in Vietnam's time (UTC+7).
        let day: Int
        let path: String
    }

    /// Distinct (unit, day, path) kept between two flushes; past it new pages of the moment are
    /// counted under `otherPath` (a storm of distinct pages cannot grow memory without end).
    static let maxKeys = 50_000
    static let otherPath = "*"
    static let maxPathLength = 300

    private let counts = NIOLockedValueBox<[Key: Int]>([:])

    /// Counts one visit.
    func record(unit: UUID, path: String, at date: Date = Date()) {
        guard let path = Self.normalizedPath(path) else { return }
        let day = Self.day(of: date)
        counts.withLockedValue { counts in
            var key = Key(unit: unit, day: day, path: path)
            if counts[key] == nil && counts.count >= Self.maxKeys { key = Key(unit: unit, day: day, path: Self.otherPath) }
            counts[key, default: 0] += 1
        }
    }

    /// Adds `count` visits of a day at once (the demo's history).
    func add(unit: UUID, day: Int, path: String, count: Int) {
        guard let path = Self.normalizedPath(path), count > 0 else { return }
        counts.withLockedValue { $0[Key(unit: unit, day: day, path: path), default: 0] += count }
    }

    /// Visits not yet written.
    var pending: Int { counts.withLockedValue { $0.values.reduce(0, +) } }

    /// Adds the counts kept in memory to the table, in one transaction per 500 rows. Counts that
    /// could not be written are kept for the next flush (a database pause loses nothing).
    @discardableResult
    func flush(on db: any Database) async throws -> Int {
        let taken = counts.withLockedValue { counts in
            let taken = counts
            counts.removeAll(keepingCapacity: true)
            return taken
        }
        guard !taken.isEmpty else { return 0 }
        let rows = Array(taken)
        var written = 0
        do {
            for start in stride(from: 0, to: rows.count, by: 500) {
                let batch = rows[start..<min(rows.count, start + 500)]
                try await Self.add(batch, on: db)
                written = start + batch.count
            }
        } catch {
            counts.withLockedValue { counts in
                for (key, count) in rows[written...] { counts[key, default: 0] += count }
            }
            throw error
        }
        return rows.reduce(0) { $0 + $1.value }
    }

    private static func add(_ batch: ArraySlice<(key: Key, value: Int)>, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        var insert = sql.insert(into: PageVisit.schema).columns("unit_id", "day", "path", "count")
        for (key, count) in batch {
            insert = insert.values(SQLBind(key.unit), SQLBind(dayString(key.day)), SQLBind(key.path), SQLBind(Int64(count)))
        }
        try await insert.onConflict(with: ["unit_id", "day", "path"]) { update in
            update.set(SQLColumn("count"), to: SQLRaw("\"\(PageVisit.schema)\".\"count\" + excluded.\"count\""))
        }.run()
    }

    // MARK: - What counts

    /// Markers of robots, crawlers, link previews and tools in a User-Agent (lowercased).
    static let robotMarkers = [
        "bot", "crawl", "spider", "slurp", "headless", "lighthouse", "pagespeed", "preview", "monitor", "uptime", "pingdom",
        "curl", "wget", "python", "httpclient", "okhttp", "go-http", "java/", "axios", "node-fetch", "scrapy", "phantomjs",
        "facebookexternalhit", "embedly", "validator", "checker", "wrk",
    ]

    /// The markers as bytes, for `isBrowser`'s scan; what a browser's User-Agent starts with; what
    /// a prefetch or link preview says in `Sec-Purpose`/`Purpose`.
    static let robotMarkerBytes: [[UInt8]] = robotMarkers.map { Array($0.utf8) }
    static let browserPrefixBytes: [[UInt8]] = ["mozilla/", "opera/"].map { Array($0.utf8) }
    static let prefetchMarkerBytes: [[UInt8]] = ["prefetch", "preview"].map { Array($0.utf8) }

    /// Answers for User-Agents already seen (a few thousand in real traffic; emptied when full).
    private static let agents = NIOLockedValueBox<[String: Bool]>([:])
    static let maxAgents = 4096

    /// Whether a request from this User-Agent, with these prefetch headers, is a person's visit.
    /// On every public page: answered from memory for a User-Agent seen before, else by one
    /// scan of its bytes (Foundation's `contains` made counting cost a third of a cached page's
    /// rate in bench/pages.sh).
    static func isVisitor(userAgent: String?, purpose: String?) -> Bool {
        if let purpose, !purpose.isEmpty {
            let lower = lowercasedBytes(purpose)
            if prefetchMarkerBytes.contains(where: { contains(lower, $0) }) { return false }
        }
        guard let agent = userAgent, !agent.isEmpty, agent.utf8.count <= 1024 else { return false }
        if let known = agents.withLockedValue({ $0[agent] }) { return known }
        let answer = isBrowser(agent)
        agents.withLockedValue { agents in
            if agents.count >= maxAgents { agents.removeAll(keepingCapacity: true) }
            agents[agent] = answer
        }
        return answer
    }

    /// Says it is a browser ("Mozilla/…", "Opera/…") and carries no robot's or tool's marker.
    static func isBrowser(_ agent: String) -> Bool {
        let bytes = lowercasedBytes(agent)
        guard browserPrefixBytes.contains(where: { bytes.starts(with: $0) }) else { return false }
        return !robotMarkerBytes.contains { contains(bytes, $0) }
    }

    /// A header's bytes with ASCII letters in lower case (the markers are ASCII).
    static func lowercasedBytes(_ text: String) -> [UInt8] { text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 } }

    /// Whether `needle` occurs in `haystack` (both short: a plain scan).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// Whether a response is a page someone saw: HTML, 200 or 304 (a page the browser already
    /// had). A 304 may carry no Content-Type: it counts when its path does not name a file
    /// (`/rss.xml`, `/robots.txt`).
    static func isPage(status: UInt, contentType: String?, path: String) -> Bool {
        guard status == 200 || status == 304 else { return false }
        if let contentType, !contentType.isEmpty { return contentType.lowercased().hasPrefix("text/html") }
        return status == 304 && !(path.split(separator: "/").last?.contains(".") ?? false)
    }

    /// Paths that are never pages people visit (the admin, the API, files, probes).
    static let notPages = ["/quan-tri", "/api/", "/static/", "/tep/", "/healthz", "/metrics", "/.well-known/"]

    /// The path as stored: decoded, without a trailing slash (except the home page), at most
    /// 300 characters; nil for what is not a page path (control characters, no leading slash,
    /// the admin and files).
    static func normalizedPath(_ raw: String) -> String? {
        // The common case (ASCII, nothing escaped) without Foundation.
        let plain = raw.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x25 }
        let decoded = plain ? raw : (raw.removingPercentEncoding ?? raw)
        guard decoded.hasPrefix("/"), !notPages.contains(where: { decoded.hasPrefix($0) }),
            plain || !decoded.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{FFFD}" })
        else { return nil }
        var path = decoded
        while path.utf8.count > 1 && path.hasSuffix("/") { path.removeLast() }
        if path.count > maxPathLength { path = String(path.prefix(maxPathLength)) }
        return path
    }

    // MARK: - Days

    static let offset: TimeInterval = 7 * 3600

    static func day(of date: Date) -> Int { Int(((date.timeIntervalSince1970 + offset) / 86_400).rounded(.down)) }

    /// `YYYY-MM-DD` of a day number (its noon, in Vietnam's time zone).
    static func dayString(_ day: Int) -> String {
        VietnameseDate.format(date(ofDay: day), "yyyy-MM-dd")
    }

    /// Noon of a day number in Vietnam's time.
    static func date(ofDay day: Int) -> Date { Date(timeIntervalSince1970: Double(day) * 86_400 - offset + 43_200) }
}

struct VisitCounterKey: StorageKey { typealias Value = VisitCounter }

extension Application {
    var visitCounter: VisitCounter {
        if let counter = storage[VisitCounterKey.self] { return counter }
        let counter = VisitCounter()
        storage[VisitCounterKey.self] = counter
        return counter
    }
}

/// Counts the public pages this node answers, cached or rendered (off when nginx reports them).
/// Future-based and after the unit is resolved, before the page cache: a cached page is counted.
struct VisitMiddleware: Middleware {
    let counter: VisitCounter

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method == .GET, let unit = request.unit,
            VisitCounter.isVisitor(userAgent: request.headers.first(name: .userAgent),
                                   purpose: request.headers.first(name: "Sec-Purpose") ?? request.headers.first(name: "Purpose") ?? request.headers.first(name: "X-Moz"))
        else { return next.respond(to: request) }
        let path = request.url.path
        return next.respond(to: request).map { response in
            if VisitCounter.isPage(status: response.status.code, contentType: response.headers.first(name: .contentType), path: path) {
                counter.record(unit: unit.id, path: path)
            }
            return response
        }
    }
}

/// Writes the counts every minute on every node (each writes its own by adding), and at shutdown.
final class VisitFlusher: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?

    func didBootAsync(_ app: Application) async throws {
        let counter = app.visitCounter
        let interval = app.eduConfig.visitFlushSeconds
        let db = app.db
        let logger = app.logger
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                if Task.isCancelled { break }
                do { try await counter.flush(on: db) } catch { logger.warning("Không ghi được số lượt truy cập (giữ lại cho lần sau): \(String(reflecting: error))") }
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        task?.cancel()
        task = nil
        let counter = app.visitCounter
        guard counter.pending > 0, !app.didShutdown else { return }
        do { try await counter.flush(on: app.db) } catch { app.logger.warning("Không ghi được số lượt truy cập khi dừng: \(String(reflecting: error))") }
    }
}
