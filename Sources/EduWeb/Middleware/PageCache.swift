import Crypto
import EduCore
import EduData
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Rendered public pages kept in memory, keyed by canonical host, unit, path and the known query
/// parameters; each entry remembers the unit's content version it was rendered at. A change to
/// the unit bumps the version: the entry is then stale, and one request renders the page again
/// while the others are served the previous one (stale-while-revalidate); a page nobody has yet
/// is rendered once while concurrent requests for it wait for that render. The whole cache keeps
/// to a byte budget, dropping the least recently used pages first.
final class PageCache: Sendable {
    struct Page: Sendable {
        let body: ByteBuffer
        let contentType: String
        let etag: String
        let storedAt: Date
        /// The page may change then without anyone touching the unit (scheduled publication, expiry).
        let validUntil: Date
        /// The unit's content version it was rendered at.
        let version: Int
        var bytes: Int { body.readableBytes + contentType.utf8.count + etag.utf8.count + 96 }
    }

    enum Lookup {
        case fresh(Page)
        /// Out of date (new content version, past its lifetime or a scheduled change), still servable.
        case stale(Page)
        case missing
    }

    let lifetime: TimeInterval
    let byteBudget: Int
    /// A stale page older than this is not served any more: the request waits for the render.
    let staleLimit: TimeInterval

    private struct Entry {
        var page: Page
        var older: String?
        var newer: String?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Least recently used first.
        var oldest: String?
        var newest: String?
        var bytes = 0
        /// Renders in progress, by key: concurrent requests wait on these.
        var rendering: [String: EventLoopPromise<Page?>] = [:]
    }

    private let state = NIOLockedValueBox(State())

    init(lifetime: TimeInterval = 60, byteBudget: Int = 64 << 20, staleLimit: TimeInterval = 600) {
        self.lifetime = lifetime
        self.byteBudget = byteBudget
        self.staleLimit = staleLimit
    }

    func lookup(_ key: String, version: Int, now: Date = Date()) -> Lookup {
        state.withLockedValue { state in
            guard let entry = state.entries[key] else { return .missing }
            Self.touch(key, in: &state)
            let page = entry.page
            let age = now.timeIntervalSince(page.storedAt)
            if page.version == version && age <= lifetime && now < page.validUntil { return .fresh(page) }
            if age > staleLimit || page.version > version {
                Self.remove(key, from: &state)
                return .missing
            }
            return .stale(page)
        }
    }

    func put(_ key: String, _ page: Page) {
        state.withLockedValue { state in
            Self.remove(key, from: &state)
            guard page.bytes <= byteBudget / 8 else { return }  // one huge page must not empty the cache
            state.entries[key] = Entry(page: page, older: state.newest, newer: nil)
            if let newest = state.newest { state.entries[newest]?.newer = key }
            state.newest = key
            if state.oldest == nil { state.oldest = key }
            state.bytes += page.bytes
            while state.bytes > byteBudget, let oldest = state.oldest { Self.remove(oldest, from: &state) }
        }
    }

    /// Starts a render of `key` unless one is in progress: `.render(promise)` makes the caller the
    /// renderer (it must complete the promise), `.wait(future)` gives it the render in progress.
    enum Claim {
        case render(EventLoopPromise<Page?>)
        case wait(EventLoopFuture<Page?>)
    }

    func claim(_ key: String, on eventLoop: any EventLoop) -> Claim {
        state.withLockedValue { state in
            if let promise = state.rendering[key] { return .wait(promise.futureResult) }
            let promise = eventLoop.makePromise(of: Page?.self)
            state.rendering[key] = promise
            return .render(promise)
        }
    }

    /// Whether a render of `key` is in progress (a stale page is then served without waiting).
    func isRendering(_ key: String) -> Bool { state.withLockedValue { $0.rendering[key] != nil } }

    func finish(_ key: String, _ page: Page?, promise: EventLoopPromise<Page?>) {
        if let page { put(key, page) }
        _ = state.withLockedValue { $0.rendering.removeValue(forKey: key) }
        promise.succeed(page)
    }

    var count: Int { state.withLockedValue { $0.entries.count } }
    var bytes: Int { state.withLockedValue { $0.bytes } }

    private static func touch(_ key: String, in state: inout State) {
        guard state.newest != key, let entry = state.entries[key] else { return }
        // Unlink, then append as newest.
        if let older = entry.older { state.entries[older]?.newer = entry.newer } else { state.oldest = entry.newer }
        if let newer = entry.newer { state.entries[newer]?.older = entry.older }
        state.entries[key]?.older = state.newest
        state.entries[key]?.newer = nil
        if let newest = state.newest { state.entries[newest]?.newer = key }
        state.newest = key
    }

    private static func remove(_ key: String, from state: inout State) {
        guard let entry = state.entries.removeValue(forKey: key) else { return }
        if let older = entry.older { state.entries[older]?.newer = entry.newer } else { state.oldest = entry.newer }
        if let newer = entry.newer { state.entries[newer]?.older = entry.older } else { state.newest = entry.older }
        state.bytes -= entry.page.bytes
    }

    static func etag(_ body: ByteBuffer) -> String {
        "\"" + Insecure.SHA1.hash(data: Data(body.readableBytesView)).prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
    }
}

/// At most `limit` page renders at once; the rest wait their turn, so a cold start over many
/// different pages cannot take every database connection or pile work on the event loops.
/// With `maxWaiting`, a request that finds that many already waiting is refused at once
/// (`Busy`) instead of queueing without end.
final class RenderGate: Sendable {
    let limit: Int
    let maxWaiting: Int
    private let state = NIOLockedValueBox<(running: Int, waiting: [EventLoopPromise<Void>])>((0, []))

    struct Busy: Error {}

    init(limit: Int, maxWaiting: Int = .max) {
        self.limit = max(1, limit)
        self.maxWaiting = max(0, maxWaiting)
    }

    func acquire(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        state.withLockedValue { state in
            if state.running < limit {
                state.running += 1
                return eventLoop.makeSucceededVoidFuture()
            }
            guard state.waiting.count < maxWaiting else { return eventLoop.makeFailedFuture(Busy()) }
            let promise = eventLoop.makePromise(of: Void.self)
            state.waiting.append(promise)
            return promise.futureResult
        }
    }

    func release() {
        let next: EventLoopPromise<Void>? = state.withLockedValue { state in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()  // the slot passes straight to the next in line
        }
        next?.succeed(())
    }
}

/// The host → unit lookup, remembered for a moment so that a cached page costs no query.
final class UnitCache: Sendable {
    static let maxUnknownHosts = 1024
    private let lifetimeBox: NIOLockedValueBox<TimeInterval>
    private let loader: @Sendable (String) async throws -> ResolvedUnit?
    private let units = NIOLockedValueBox<[String: (unit: ResolvedUnit?, at: Date)]>([:])
    private let refreshing = NIOLockedValueBox<Set<String>>([])

    /// `loader` finds a host's unit in the database.
    init(lifetime: TimeInterval = 2, loader: @escaping @Sendable (String) async throws -> ResolvedUnit?) {
        self.lifetimeBox = NIOLockedValueBox(lifetime)
        self.loader = loader
    }

    /// How long an entry answers without asking the database: short while this node polls, long
    /// while the other nodes' changes arrive as notifications (`ClusterLink`).
    var lifetime: TimeInterval { lifetimeBox.withLockedValue { $0 } }
    func setLifetime(_ seconds: TimeInterval) { lifetimeBox.withLockedValue { $0 = seconds } }

    /// Another node changed this unit: its entries are reloaded by the next request that reads
    /// them (answered from the old entry meanwhile), and hosts remembered as unknown are
    /// forgotten (the change may have given the unit a new hostname).
    func expire(unitID: UUID, now: Date = Date()) {
        let lifetime = self.lifetime
        units.withLockedValue { units in
            for (host, entry) in units {
                if entry.unit == nil { units[host] = nil } else if entry.unit?.id == unitID { units[host] = (entry.unit, now.addingTimeInterval(-lifetime - 0.001)) }
            }
        }
    }

    /// The unit without waiting, when memory has it: `.some(nil)` means "known not to exist".
    /// An entry that has just gone stale is still answered with while the first caller to see it
    /// reloads it in the background: otherwise every request in flight when the entry expires
    /// would query the database at once, and on result day that stampede is the slowest percentile.
    /// nil: not known (or too old), wait for `unit(for:)`.
    func immediate(_ host: String, now: Date = Date()) -> ResolvedUnit?? {
        guard let hit = units.withLockedValue({ $0[host] }) else { return nil }
        let lifetime = self.lifetime
        let age = now.timeIntervalSince(hit.at)
        if age < lifetime { return .some(hit.unit) }
        guard lifetime > 0, age < lifetime * 10 else { return nil }
        if refreshing.withLockedValue({ $0.insert(host).inserted }) {
            Task { await self.reload(host) }
        }
        return .some(hit.unit)
    }

    private func reload(_ host: String) async {
        defer { _ = refreshing.withLockedValue { $0.remove(host) } }
        do {
            let unit = try await loader(host)
            units.withLockedValue { $0[host] = (unit, Date()) }
        } catch {
            // Keep the stale entry; the next request past its lifetime tries again.
        }
    }

    /// The unit, from memory when fresh, else from the database (and remembered).
    func unit(for host: String, now: Date = Date()) async throws -> ResolvedUnit? {
        if let hit = units.withLockedValue({ $0[host] }), now.timeIntervalSince(hit.at) < self.lifetime { return hit.unit }
        let unit = try await loader(host)
        units.withLockedValue { units in
            if unit == nil {
                // Hosts that are not ours (any Host header a client invents) are remembered in a
                // bounded number, and making room drops only such entries, never a unit's.
                let unknown = units.filter { $0.value.unit == nil }
                if unknown.count >= Self.maxUnknownHosts {
                    for (key, _) in unknown.sorted(by: { $0.value.at < $1.value.at }).prefix(Self.maxUnknownHosts / 4) { units[key] = nil }
                }
            }
            units[host] = (unit, now)
        }
        return unit
    }

    /// What `resolve` found: the unit at once (memory answered; nil means no such host), or a
    /// future for the database's answer.
    enum Resolution {
        case known(ResolvedUnit?)
        case pending(EventLoopFuture<ResolvedUnit?>)
    }

    /// The one resolve path for the app's middleware and the lookup listener: memory when it can
    /// answer, without even a future on the hot path, else the database.
    func resolve(_ host: String, on eventLoop: any EventLoop) -> Resolution {
        if let known = immediate(host) { return .known(known) }
        return .pending(eventLoop.makeFutureWithTask { try await self.unit(for: host) })
    }

    func forget() { units.withLockedValue { $0.removeAll() } }

    /// Hosts remembered as belonging to no unit.
    var unknownCount: Int { units.withLockedValue { $0.values.filter { $0.unit == nil }.count } }
}

struct CachesKey: StorageKey {
    typealias Value = (pages: PageCache, units: UnitCache, renders: RenderGate, searches: RenderGate, searchPages: PageCache)
}

extension Application {
    var pageCache: PageCache { storage[CachesKey.self]!.pages }
    var unitCache: UnitCache { storage[CachesKey.self]!.units }
    var renderGate: RenderGate { storage[CachesKey.self]!.renders }
    /// A search not in `searchPageCache` reads up to `SearchIndex.window` matches: one per core
    /// at a time, 64 waiting at most, the rest told to try again.
    var searchGate: RenderGate { storage[CachesKey.self]!.searches }
    /// Search result pages (`/tim-kiem`, a catalogue asked with `q=`), apart from the other pages:
    /// free text makes endless keys, which may fill only this budget, never evict the pages.
    var searchPageCache: PageCache { storage[CachesKey.self]!.searchPages }
}

/// Serves public GET pages from the cache, with ETag and 304; stores what it renders. A page
/// missing from the cache is rendered once however many ask for it at once; a stale one is
/// served while one request renders its successor.
struct PageCacheMiddleware: Middleware {
    /// `/tim-kiem`, built once: this middleware runs for every public request.
    static let searchPath = SiteURL.search.path
    static let uncached = ["/quan-tri", "/api/", "/static/", "/tep/", "/healthz", "/metrics", "/lien-he/thu-thach", "/tra-cuu-diem-thi", "/tra-cuu-van-bang", "/tuyen-sinh/tra-cuu", "/binh-chon", "/tai-nguyen"]
    /// The query parameters public pages read; any other parameter does not change the page, so
    /// it is left out of the key (random parameters cannot fill the cache).
    static let knownParameters: Set<String> = ["trang", "loai", "nam", "co-quan", "linh-vuc", "truong", "chu-de", "doan", "muc-do", "tinh-trang", "xa"]
    /// A page asked with free text to search (`q`, as in the procedures catalogue) goes, like
    /// `/tim-kiem`, to the search page cache, keyed by every parameter it was asked with.
    static func isSearch(_ query: String?) -> Bool {
        guard let query, query.contains("q=") else { return false }
        return !(QueryString.parse(query)["q"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty
    }

    /// The cache key: canonical host, unit, path and the known parameters in a fixed order.
    static func key(host: String, unitID: UUID, path: String, query: String?) -> String {
        var key = host + "|" + unitID.uuidString + "|" + path
        if let query, !query.isEmpty {
            let known = QueryString.parse(query).filter { knownParameters.contains($0.key) }.sorted { $0.key < $1.key }
            if !known.isEmpty { key += "?" + known.map { $0.key + "=" + String($0.value.prefix(100)) }.joined(separator: "&") }
        }
        return key
    }

    /// A search page's key: canonical host, unit, path and the query string exactly as sent, so
    /// two requests share a page only when they ask the same thing byte for byte (a parameter
    /// sent twice or encoded another way is another key, never another request's page).
    static func searchKey(host: String, unitID: UUID, path: String, query: String?) -> String {
        "s|" + host + "|" + unitID.uuidString + "|" + path + "?" + (query ?? "")
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // The URI's parts are computed on each access: read them once.
        let path = request.path
        guard request.method == .GET || request.method == .HEAD, let unit = request.unit,
            !Self.uncached.contains(where: { path.hasPrefix($0) })
        else { return next.respond(to: request) }
        let query = request.url.query
        let search = path == Self.searchPath || Self.isSearch(query)
        let key = search
            ? Self.searchKey(host: request.requestedHost, unitID: unit.id, path: path, query: query)
            : Self.key(host: request.requestedHost, unitID: unit.id, path: path, query: query)
        guard key.utf8.count <= 700 else { return next.respond(to: request) }
        let cache = search ? request.application.searchPageCache : request.application.pageCache
        switch cache.lookup(key, version: unit.contentVersion) {
        case .fresh(let page):
            return request.eventLoop.makeSucceededFuture(Self.response(page, for: request, hit: "hit"))
        case .stale(let page) where cache.isRendering(key):
            return request.eventLoop.makeSucceededFuture(Self.response(page, for: request, hit: "stale"))
        case .stale, .missing:
            break
        }
        switch cache.claim(key, on: request.eventLoop) {
        case .wait(let rendering):
            // Someone is rendering this page: wait for it (a stale copy was served above if any).
            return rendering.hop(to: request.eventLoop).flatMap { page in
                guard let page else { return next.respond(to: request) }  // not cacheable: render our own
                return request.eventLoop.makeSucceededFuture(Self.response(page, for: request, hit: "shared"))
            }
        case .render(let promise):
            let gate = request.application.renderGate
            let rendered = gate.acquire(on: request.eventLoop).flatMap {
                // The page shows the content as it was when rendering began: a scheduled change
                // after that moment ends its life, even one that passed while it was rendering
                // (an article expiring during a slow render must not be cached as if it had not).
                let renderedAt = Date()
                return next.respond(to: request).flatMap { response -> EventLoopFuture<Response> in
                    guard response.status == .ok, let type = response.headers.first(name: .contentType),
                        type.hasPrefix("text/html") || type.contains("xml"), response.headers.setCookie == nil,
                        let body = response.body.buffer
                    else {
                        cache.finish(key, nil, promise: promise)
                        return request.eventLoop.makeSucceededFuture(response)
                    }
                    return request.eventLoop.makeFutureWithTask {
                        let nextChange = try await Self.nextScheduledChange(unitID: unit.id, after: renderedAt, on: request.db) ?? .distantFuture
                        let page = PageCache.Page(
                            body: body, contentType: type, etag: PageCache.etag(body), storedAt: renderedAt, validUntil: nextChange,
                            version: unit.contentVersion)
                        cache.finish(key, page, promise: promise)
                        return Self.response(page, for: request, hit: "miss")
                    }
                }
            }
            rendered.whenComplete { result in
                gate.release()
                if case .failure = result { cache.finish(key, nil, promise: promise) }
            }
            return rendered
        }
    }

    /// The next moment one of the unit's articles, documents or resources is due to appear or expire,
    /// an admission, consultation or event opens or closes.
    static func nextScheduledChange(unitID: UUID, after now: Date, on db: any Database) async throws -> Date? {
        let article = try await Article.nextScheduledChange(unitID: unitID, after: now, on: db)
        let document = try await LegalDocument.nextScheduledChange(unitID: unitID, after: now, on: db)
        let resource = try await LearningResource.nextScheduledChange(unitID: unitID, after: now, on: db)
        let entry = try await SectionEntryService.nextScheduledChange(unitID: unitID, after: now, on: db)
        let admission = try await AdmissionService.nextScheduledChange(unitID: unitID, after: now, on: db)
        let consultation = try await Consultation.query(on: db).filter(\.$unitID == unitID).filter(\.$closesAt > now).all()
            .flatMap { [$0.opensAt, $0.closesAt] }.filter { $0 > now }.min()
        return [article, document, resource, entry, admission, consultation].compactMap { $0 }.min()
    }

    static func response(_ page: PageCache.Page, for request: Request, hit: String) -> Response {
        EduMetrics.pageCache(hit)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: page.etag)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        headers.replaceOrAdd(name: "X-Cache", value: hit)
        if let tags = request.headers.first(name: .ifNoneMatch), tags.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces) == page.etag || $0.trimmingCharacters(in: .whitespaces) == "*"
        }) {
            return Response(status: .notModified, headers: headers)
        }
        headers.replaceOrAdd(name: .contentType, value: page.contentType)
        return Response(status: .ok, headers: headers, body: .init(buffer: page.body))
    }
}
