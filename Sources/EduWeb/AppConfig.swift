import EduCore
import EduData
import Foundation

/// Everything an operator can set, read from the environment (and the CLI's flags).
public struct AppConfig: Sendable {
    public var dataDirectory: String
    public var storage: StorageBackend
    /// `<code>.<baseDomain>` reaches a unit without an explicit hostname (`localhost` in the demo).
    public var baseDomain: String
    /// Behind TLS: cookies get `Secure`, and HSTS is sent.
    public var tls: Bool
    /// Cost of bcrypt for portal accounts (tests lower it to stay fast).
    public var bcryptCost: Int
    /// The reverse proxies whose `X-Forwarded-For` is believed (none by default).
    public var trustedProxies: TrustedProxies
    /// A folder of templates overriding the bundled default theme.
    public var themeDirectory: String?
    public var sessionLifetime: TimeInterval
    public var sessionIdleTimeout: TimeInterval
    /// Run the outbox delivery and deadline notices in this process (on PostgreSQL: when this
    /// node holds the worker's lock).
    public var runWorker: Bool
    /// On PostgreSQL, a connection of this node's own that hears the other nodes' changes and
    /// takes the worker's lock (`ClusterLink`). Tests turn it off unless they test it.
    public var clusterLink = true
    /// Log every request at info level.
    public var accessLog = false
    /// How long a node trusts its host → unit lookup (and so the unit's content version).
    public var unitCacheLifetime: TimeInterval
    /// The local MTA's `sendmail`, for notices.
    public var sendmailPath: String
    public var mailFrom: String
    public var accountThrottle: LoginThrottlePolicy
    /// Exam and diploma lookups per client address per minute (IPv6 by /64); 0 = no limit.
    public var lookupRateLimit = 600
    /// The clock the lookup limits count minutes by (tests fix it).
    public var lookupClock: @Sendable () -> Date = { Date() }
    /// A dedicated listener for the exam results API (0 = off); see `LookupListener`.
    public var lookupPort = 0
    /// Loopback unless told otherwise: the listener is meant to sit behind the reverse proxy.
    public var lookupHost = "127.0.0.1"
    /// Postfix's policy service for group posting rules, on 127.0.0.1 (0 = off).
    public var mailPolicyPort = 0
    /// EduPortal's LMTP service on 127.0.0.1 (0 = off): Postfix hands it mail for consultations'
    /// own addresses (`MailIntakeListener`).
    public var mailIntakePort = 0
    /// Public holidays beyond the statutory ones (`EDUPORTAL_EXTRA_HOLIDAYS`: `yyyy-MM-dd,…`):
    /// each year's compensatory days, which disclosure update windows skip.
    public var extraHolidays: [String] = []
    /// The Ministry's learning-material library the Sở's `/tai-nguyen` links to (`EDUPORTAL_MINISTRY_LIBRARY_URL`; none by default).
    public var ministryLibraryURL = ""
    /// PostgreSQL connections per event loop of this node (`EDUPORTAL_DB_POOL`, default 8): with
    /// several nodes, their sum must stay under the server's `max_connections`.
    public var databaseConnectionsPerEventLoop = 8
    /// `/metrics` answers a request bearing this token (`EDUPORTAL_METRICS_TOKEN`, at least 16
    /// characters) from anywhere; without it, only a direct request from this machine.
    public var metricsToken = ""
    /// The security level this system's dossier was approved at (Decree 85/2016) and the decision
    /// that approved it (`EDUPORTAL_SECURITY_LEVEL`: `3: Quyết định số 45/QĐ-SGDĐT ngày 10/03/2026`);
    /// 0 when not declared (the evaluation criterion is then not measured).
    public var securityLevel = 0
    public var securityDecision = ""
    /// The monitoring system this deployment is connected to (`EDUPORTAL_MONITORING`: what and
    /// since when, e.g. `SOC tỉnh Ninh Bình, từ 15/04/2026`); empty when not declared.
    public var monitoring = ""
    /// Hosts the units' monitoring scripts may be loaded from (`EDUPORTAL_MONITORING_SCRIPT_HOSTS`,
    /// comma-separated; each allows itself and every name under it; empty: the setting is off).
    /// The national monitoring system (EMC) by default.
    public var monitoringScriptHosts = ["emc.gov.vn"]
    /// Who counts visits to public pages (`EDUPORTAL_VISITS`): this node, for the pages it
    /// answers (`server`, the default); nginx, which caches most of them (`nginx`: no node counts
    /// its own, the one with `EDUPORTAL_VISIT_PORT` reads nginx's lines); nobody (`off`).
    public enum VisitSource: String, Sendable { case server, nginx, off }
    public var visits = VisitSource.server
    /// UDP port on which nginx's syslog lines of page views arrive (`EDUPORTAL_VISIT_PORT`, one
    /// node; setting it means `EDUPORTAL_VISITS=nginx`). See `VisitLogListener`.
    public var visitPort = 0
    public var visitHost = "127.0.0.1"
    /// How often the counts kept in memory are written (`EDUPORTAL_VISIT_FLUSH_SECONDS`, default 60).
    public var visitFlushSeconds = 60
    public var addressThrottle: LoginThrottlePolicy
    /// The port written into absolute links (notices, feeds) when it is not the scheme's default:
    /// the demo's 8080; behind a proxy on 80/443, nil.
    public var publicPort: Int?
    /// Memory for rendered public pages (`EDUPORTAL_PAGE_CACHE_MB`, default 64 MB), least recently used dropped first.
    public var pageCacheBytes = 64 << 20
    /// How long a rendered page is served without asking whether it changed (60 s; a change to
    /// the unit ends it at once). Tests lengthen it where a slow machine must not expire a page.
    public var pageCacheLifetime: TimeInterval = 60
    /// The server's secret (`ServerKey`); nil: read or made at start from `secretFile`.
    public var serverKey: ServerKey?
    /// `EDUPORTAL_SECRET_FILE`; default `<data>/secret.key`.
    public var secretFile: String?

    public init(
        dataDirectory: String = "./data",
        storage: StorageBackend? = nil,
        baseDomain: String = "localhost",
        tls: Bool = false,
        bcryptCost: Int = 11,
        trustedProxies: TrustedProxies = .none,
        themeDirectory: String? = nil
    ) {
        self.dataDirectory = dataDirectory
        self.storage = storage ?? .fromEnvironment(dataDirectory: dataDirectory)
        self.baseDomain = baseDomain
        self.tls = tls
        self.bcryptCost = bcryptCost
        self.trustedProxies = trustedProxies
        self.themeDirectory = themeDirectory
        self.sessionLifetime = 12 * 3600
        self.sessionIdleTimeout = 2 * 3600
        self.runWorker = true
        self.unitCacheLifetime = 2
        self.sendmailPath = "/usr/sbin/sendmail"
        self.mailFrom = "EduPortal <no-reply@\(baseDomain)>"
        self.accountThrottle = .account
        self.addressThrottle = .address
    }

    /// Reads `EDUPORTAL_*` variables; `dataDirectory` comes from `--data` when given.
    public static func fromEnvironment(dataDirectory: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        let data = dataDirectory ?? environment["EDUPORTAL_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        var config = AppConfig(dataDirectory: data, storage: .fromEnvironment(dataDirectory: data, environment: environment))
        if let base = environment["EDUPORTAL_BASE_DOMAIN"], !base.isEmpty { config.baseDomain = base.lowercased() }
        config.tls = ["1", "true", "yes"].contains(environment["EDUPORTAL_TLS"]?.lowercased() ?? "")
        if let list = environment["EDUPORTAL_TRUSTED_PROXIES"], !list.trimmingCharacters(in: .whitespaces).isEmpty {
            config.trustedProxies = try TrustedProxies(parsing: list)
        } else if ["1", "true", "yes"].contains(environment["EDUPORTAL_TRUST_PROXY"]?.lowercased() ?? "") {
            // The older switch: a proxy on this machine.
            config.trustedProxies = .loopback
        }
        if let cost = environment["EDUPORTAL_BCRYPT_COST"].flatMap(Int.init), (4...31).contains(cost) { config.bcryptCost = cost }
        if let theme = environment["EDUPORTAL_THEME_DIR"], !theme.isEmpty { config.themeDirectory = theme }
        config.runWorker = environment["EDUPORTAL_WORKER"] != "0"
        config.accessLog = ["1", "true", "yes"].contains(environment["EDUPORTAL_ACCESS_LOG"]?.lowercased() ?? "")
        if let path = environment["EDUPORTAL_SENDMAIL"], !path.isEmpty { config.sendmailPath = path }
        if let port = environment["EDUPORTAL_LOOKUP_PORT"].flatMap(Int.init), (0...65535).contains(port) { config.lookupPort = port }
        if let host = environment["EDUPORTAL_LOOKUP_HOST"], !host.isEmpty { config.lookupHost = host }
        if let port = environment["EDUPORTAL_PUBLIC_PORT"].flatMap(Int.init), (1...65535).contains(port) { config.publicPort = port }
        if let port = environment["EDUPORTAL_MAIL_POLICY_PORT"].flatMap(Int.init), (0...65535).contains(port) { config.mailPolicyPort = port }
        if let port = environment["EDUPORTAL_MAIL_INTAKE_PORT"].flatMap(Int.init), (0...65535).contains(port) { config.mailIntakePort = port }
        if let url = environment["EDUPORTAL_MINISTRY_LIBRARY_URL"], url.hasPrefix("https://") { config.ministryLibraryURL = url }
        if let days = environment["EDUPORTAL_EXTRA_HOLIDAYS"] {
            config.extraHolidays = days.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil }
        }
        if let pool = environment["EDUPORTAL_DB_POOL"].flatMap(Int.init), (1...256).contains(pool) { config.databaseConnectionsPerEventLoop = pool }
        if let text = environment["EDUPORTAL_SECURITY_LEVEL"] {
            let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if let level = parts.first.flatMap({ Int($0) }), (1...5).contains(level) {
                config.securityLevel = level
                config.securityDecision = parts.count > 1 ? String(parts[1].prefix(300)) : ""
            }
        }
        if let text = environment["EDUPORTAL_MONITORING"] { config.monitoring = String(text.trimmingCharacters(in: .whitespaces).prefix(300)) }
        if let hosts = environment["EDUPORTAL_MONITORING_SCRIPT_HOSTS"] {
            config.monitoringScriptHosts = hosts.split(separator: ",").map { Validation.canonicalHost(String($0)) }.filter(Validation.isHostname)
        }
        if let port = environment["EDUPORTAL_VISIT_PORT"].flatMap(Int.init), (0...65535).contains(port) { config.visitPort = port }
        if let host = environment["EDUPORTAL_VISIT_HOST"], !host.isEmpty { config.visitHost = host }
        switch environment["EDUPORTAL_VISITS"]?.lowercased() {
        case "0", "off", "false", "no": config.visits = .off
        case "nginx": config.visits = .nginx
        default: config.visits = config.visitPort > 0 ? .nginx : .server
        }
        if let seconds = environment["EDUPORTAL_VISIT_FLUSH_SECONDS"].flatMap(Int.init), (1...3600).contains(seconds) { config.visitFlushSeconds = seconds }
        if let limit = environment["EDUPORTAL_LOOKUP_RATE_LIMIT"].flatMap(Int.init), limit >= 0 { config.lookupRateLimit = limit }
        if let mb = environment["EDUPORTAL_PAGE_CACHE_MB"].flatMap(Int.init), (1...65536).contains(mb) { config.pageCacheBytes = mb << 20 }
        if let file = environment["EDUPORTAL_SECRET_FILE"], !file.isEmpty { config.secretFile = file }
        if let token = environment["EDUPORTAL_METRICS_TOKEN"], token.count >= 16 { config.metricsToken = token }
        config.mailFrom = environment["EDUPORTAL_MAIL_FROM"].flatMap { $0.isEmpty ? nil : $0 } ?? "EduPortal <no-reply@\(config.baseDomain)>"
        return config
    }
}
