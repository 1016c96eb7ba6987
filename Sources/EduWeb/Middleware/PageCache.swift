import Crypto
import EduCore
import EduData
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Rendered public pages kept in memory, keyed by host, the unit's content version, path and
/// query. A change to the unit bumps its version, so every node stops serving the old page as
/// soon as it reads the unit again; a short lifetime covers scheduled publication and expiry.
final class PageCache: Sendable {
    struct Page: Sendable {
        let body: ByteBuffer
        let contentType: String
        let etag: String
        let storedAt: Date
        /// The page may change then without anyone touching the unit (scheduled publication, expiry).
        let validUntil: Date
    }

    let lifetime: TimeInterval
    let capacity: Int
    private let pages = NIOLockedValueBox<[String: Page]>([:])

    init(lifetime: TimeInterval = 60, capacity: Int = 5000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func get(_ key: String, now: Date = Date()) -> Page? {
        pages.withLockedValue { pages in
            guard let page = pages[key] else { return nil }
            if now.timeIntervalSince(page.storedAt) > lifetime || now >= page.validUntil {
                pages[key] = nil
                return nil
            }
            return page
        }
    }

    func put(_ key: String, _ page: Page) {
        pages.withLockedValue { pages in
            if pages.count >= capacity {
                // Drop the oldest tenth.
                let oldest = pages.sorted { $0.value.storedAt < $1.value.storedAt }.prefix(max(1, capacity / 10)).map(\.key)
                for key in oldest { pages[key] = nil }
            }
            pages[key] = page
        }
    }

    var count: Int { pages.withLockedValue { $0.count } }

    static func etag(_ body: ByteBuffer) -> String {
        "\"" + Insecure.SHA1.hash(data: Data(body.readableBytesView)).prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
    }
}

/// The host → unit lookup, remembered for a moment so that a cached page costs no query.
final class UnitCache: Sendable {
    let lifetime: TimeInterval
    private let loader: @Sendable (String) async throws -> ResolvedUnit?
    private let units = NIOLockedValueBox<[String: (unit: ResolvedUnit?, at: Date)]>([:])
    private let refreshing = NIOLockedValueBox<Set<String>>([])

    /// `loader` finds a host's unit in the database.
    init(lifetime: TimeInterval = 2, loader: @escaping @Sendable (String) async throws -> ResolvedUnit?) {
        self.lifetime = lifetime
        self.loader = loader
    }

    /// The unit without waiting, when memory has it: `.some(nil)` means "known not to exist".
    /// An entry that has just gone stale is still answered with while the first caller to see it
    /// reloads it in the background: otherwise every request in flight when the entry expires
    /// would query the database at once, and on result day that stampede is the slowest percentile.
    /// nil: not known (or too old), wait for `unit(for:)`.
    func immediate(_ host: String, now: Date = Date()) -> ResolvedUnit?? {
        guard let hit = units.withLockedValue({ $0[host] }) else { return nil }
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
        if let hit = units.withLockedValue({ $0[host] }), now.timeIntervalSince(hit.at) < lifetime { return hit.unit }
        let unit = try await loader(host)
        units.withLockedValue { units in
            if units.count > 10_000 { units.removeAll() }
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
}

struct CachesKey: StorageKey { typealias Value = (pages: PageCache, units: UnitCache) }

extension Application {
    var pageCache: PageCache { storage[CachesKey.self]!.pages }
    var unitCache: UnitCache { storage[CachesKey.self]!.units }
}

/// Serves public GET pages from the cache, with ETag and 304; stores what it renders.
struct PageCacheMiddleware: Middleware {
    static let uncached = ["/quan-tri", "/api/", "/static/", "/tep/", "/tim-kiem", "/healthz", "/lien-he/thu-thach", "/tra-cuu-diem-thi", "/tra-cuu-van-bang"]

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // The URI's parts are computed on each access: read them once.
        let path = request.path
        guard request.method == .GET || request.method == .HEAD, let unit = request.unit,
            !Self.uncached.contains(where: { path.hasPrefix($0) })
        else { return next.respond(to: request) }
        let host = request.headers.first(name: .host) ?? ""
        let key = "\(host)|\(unit.id)|\(unit.contentVersion)|\(path)?\(request.url.query ?? "")"
        guard key.utf8.count <= 600 else { return next.respond(to: request) }
        let cache = request.application.pageCache
        if let page = cache.get(key) {
            return request.eventLoop.makeSucceededFuture(Self.response(page, for: request, hit: true))
        }
        return next.respond(to: request).flatMap { response in
            guard response.status == .ok, let type = response.headers.first(name: .contentType),
                type.hasPrefix("text/html") || type.contains("xml"), response.headers.setCookie == nil,
                let body = response.body.buffer
            else { return request.eventLoop.makeSucceededFuture(response) }
            return request.eventLoop.makeFutureWithTask {
                let now = Date()
                let nextChange = try await Self.nextScheduledChange(unitID: unit.id, after: now, on: request.db) ?? .distantFuture
                let page = PageCache.Page(body: body, contentType: type, etag: PageCache.etag(body), storedAt: now, validUntil: nextChange)
                cache.put(key, page)
                return Self.response(page, for: request, hit: false)
            }
        }
    }

    /// The next moment one of the unit's articles or documents is due to appear or expire.
    static func nextScheduledChange(unitID: UUID, after now: Date, on db: any Database) async throws -> Date? {
        let article = try await Article.nextScheduledChange(unitID: unitID, after: now, on: db)
        let document = try await LegalDocument.nextScheduledChange(unitID: unitID, after: now, on: db)
        return [article, document].compactMap { $0 }.min()
    }

    static func response(_ page: PageCache.Page, for request: Request, hit: Bool) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: page.etag)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        headers.replaceOrAdd(name: "X-Cache", value: hit ? "hit" : "miss")
        if let tags = request.headers.first(name: .ifNoneMatch), tags.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces) == page.etag || $0.trimmingCharacters(in: .whitespaces) == "*"
        }) {
            return Response(status: .notModified, headers: headers)
        }
        headers.replaceOrAdd(name: .contentType, value: page.contentType)
        return Response(status: .ok, headers: headers, body: .init(buffer: page.body))
    }
}
