import EduCore
import EduData
import Fluent
import Vapor

struct DummyHashKey: StorageKey { typealias Value = String }

extension Application {
    /// A bcrypt hash of nothing anyone knows, verified when a login names no account so that
    /// the answer takes as long as for a real one.
    var dummyPasswordHash: String { storage[DummyHashKey.self] ?? "" }
}

/// Builds the application: database, migrations, middleware, templates, routes. Tests call
/// this too, so they run the same app.
public func configure(_ app: Application, config: AppConfig, migrate: Bool = true) async throws {
    var config = config
    if config.serverKey == nil {
        let path = config.secretFile ?? URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("secret.key").path
        config.serverKey = try ServerKey.load(path: path)
    }
    app.eduConfig = config
    EduMetrics.bootstrap()
    try DatabaseSetup.configure(databases: app.databases, migrations: app.migrations, backend: config.storage,
                                connectionsPerEventLoop: config.databaseConnectionsPerEventLoop)
    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    app.storage[DummyHashKey.self] = try await app.password.async.hash(SecureToken.generate())
    app.storage[ThemeKey.self] = try await Theme(themeDirectory: Theme.themeDirectory(override: config.themeDirectory))
    app.routes.defaultMaxBodySize = "1mb"
    let baseDomain = config.baseDomain
    let units = UnitCache(lifetime: config.unitCacheLifetime) { [weak app] host in
        // A background reload may still run while the application shuts down: with the database
        // gone there is nothing to load (`app.db` would trap).
        guard let app, !app.didShutdown, let db = app.databases.database(logger: app.logger, on: app.eventLoopGroup.any()) else { return nil }
        guard let unit = try await OrgUnit.find(host: host, baseDomain: baseDomain, on: db) else { return nil }
        return try await ResolvedUnit.resolve(unit, on: db)
    }
    app.storage[ResourceFederationKey.self] = ResourceFederation()
    if let origin = Environment.get("EDUPORTAL_FEDERATION_ORIGIN"), !origin.isEmpty { app.localOrigin = origin }
    app.storage[CachesKey.self] = (
        PageCache(lifetime: config.pageCacheLifetime, byteBudget: config.pageCacheBytes), units, RenderGate(limit: 2 * System.coreCount),
        RenderGate(limit: System.coreCount, maxWaiting: 64),
        PageCache(lifetime: config.pageCacheLifetime, byteBudget: max(1 << 20, config.pageCacheBytes / 4))
    )
    app.http.server.configuration.responseCompression = .enabledForCompressibleTypes

    app.middleware = .init()
    app.middleware.use(SecurityHeadersMiddleware(tls: config.tls, inlineStyleSource: app.theme.inlineStyleSource))
    // One log line per request costs a fifth of a cached page's throughput; the reverse proxy
    // usually keeps the access log. EDUPORTAL_ACCESS_LOG=1 turns it on here.
    app.middleware.use(RouteLoggingMiddleware(logLevel: config.accessLog ? .info : .trace))
    app.middleware.use(ErrorPageMiddleware())
    app.middleware.use(UnitResolverMiddleware())
    // Visits are counted here unless nginx reports them (VisitLogListener) or counting is off.
    if config.visits == .server { app.middleware.use(VisitMiddleware(counter: app.visitCounter)) }
    app.middleware.use(ExamLookupFastPath())
    app.middleware.use(PageCacheMiddleware())
    app.middleware.use(PublicFrameMiddleware())

    if migrate { try await migrateDatabase(app) }
    try routes(app)
    app.storage[ExamStoreKey.self] = ExamStore()
    app.storage[AdmissionRulesCacheKey.self] = AdmissionRulesCache()
    app.storage[LookupLimiterKey.self] = LookupRateLimiter(perMinute: config.lookupRateLimit, clock: config.lookupClock)
    let importJobs = ImportJobs()
    app.storage[ImportJobsKey.self] = importJobs
    app.lifecycle.use(importJobs)
    let clusterLink = ClusterLink()
    app.storage[ClusterLinkKey.self] = clusterLink
    app.lifecycle.use(clusterLink)
    app.lifecycle.use(ExamStorePoller())
    app.lifecycle.use(LookupCountExchange())
    app.lifecycle.use(LookupListener())
    app.lifecycle.use(MailPolicyListener())
    app.lifecycle.use(MailIntakeListener())
    app.lifecycle.use(BackgroundJobs())
    if config.visits != .off {
        app.lifecycle.use(VisitLogListener())
        app.lifecycle.use(VisitFlusher())
    }
}

/// Runs pending migrations (and, on SQLite, sets the journal mode).
public func migrateDatabase(_ app: Application) async throws {
    try await DatabaseSetup.prepareStorage(app.db)
    try await app.autoMigrate()
}
