import CoreMetrics
import EduCore
import EduData
import Fluent
import Foundation
import Metrics
import Prometheus
import SQLKit
import Vapor

/// Prometheus metrics (#18 point 2) through swift-metrics with swift-prometheus as its backend:
/// Vapor reports every request by route pattern, method and status with a latency histogram
/// (`http_requests_total`, `http_request_duration_seconds`); EduPortal adds the page cache, exam
/// lookups and rate-limit refusals as they happen, and at each scrape the page cache's size, the
/// outbox's depth and age, running imports' progress and the database pool's size. One registry
/// per process (the metrics system is bootstrapped once, however many applications a test makes).
public enum EduMetrics {
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped: Void = { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }()

    /// Makes swift-metrics report into `registry` (once per process).
    public static func bootstrap() { _ = bootstrapped }

    static func pageCache(_ result: String) {
        Counter(label: "eduportal_page_cache_requests_total", dimensions: [("result", result)]).increment()
    }

    static func lookup(_ result: String) {
        Counter(label: "eduportal_exam_lookups_total", dimensions: [("result", result)]).increment()
    }

    static func refused(_ limit: String) {
        Counter(label: "eduportal_rate_limit_refusals_total", dimensions: [("limit", limit)]).increment()
    }

    /// The token, from anywhere; otherwise a direct request from this machine only: one that came
    /// through a proxy (which connects from loopback too) carries a forwarding header and is refused.
    static func mayRead(_ req: Request) -> Bool {
        let token = req.application.eduConfig.metricsToken
        if !token.isEmpty, let given = req.headers.bearerAuthorization?.token, constantTimeEquals(given, token) { return true }
        let proxied = ["X-Forwarded-For", "Forwarded", "X-Real-IP"].contains { req.headers.first(name: $0) != nil }
        guard !proxied, let peer = req.remoteAddress?.ipAddress else { return false }
        return peer == "127.0.0.1" || peer == "::1" || peer == "::ffff:127.0.0.1"
    }

    /// What is read at scrape time, then the registry in the Prometheus text format.
    static func scrape(_ app: Application, db: any Database) async throws -> String {
        EduMetrics.bootstrap()
        Gauge(label: "eduportal_page_cache_bytes").record(app.pageCache.bytes)
        Gauge(label: "eduportal_page_cache_entries").record(app.pageCache.count)
        let waiting = OutboxMessage.query(on: db).filter(\.$status == "cho-gui")
        Gauge(label: "eduportal_outbox_pending").record(try await waiting.copy().count())
        let oldest = try await waiting.sort(\.$createdAt).first()?.createdAt
        Gauge(label: "eduportal_outbox_oldest_age_seconds").record(oldest.map { max(0, Date().timeIntervalSince($0)) } ?? 0)
        let running = try await ExamImport.query(on: db).filter(\.$status == ExamImport.Status.running.rawValue).all().filter { $0.isLive() }
        Gauge(label: "eduportal_exam_imports_running").record(running.count)
        Gauge(label: "eduportal_exam_import_rows_read").record(running.map(\.rowsRead).reduce(0, +))
        // Whether this node hears the others (PostgreSQL's LISTEN) and runs the periodic work.
        Gauge(label: "eduportal_cluster_linked").record(app.clusterLink.isLinked ? 1 : 0)
        Gauge(label: "eduportal_cluster_worker").record(app.clusterLink.isWorker ? 1 : 0)
        if case .postgres = app.eduConfig.storage {
            Gauge(label: "eduportal_database_pool_connections_max")
                .record(app.eduConfig.databaseConnectionsPerEventLoop * System.coreCount)
            // The pools' use, as the server sees it: connections to this database by state, over
            // every node (the driver's pool does not tell its own counts).
            if let sql = db as? any SQLDatabase {
                let rows = try await sql.raw("""
                    SELECT coalesce(state, 'unknown') AS state, count(*)::int AS n FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1
                    """).all()
                var seen: Set<String> = []
                for row in rows {
                    let state = (try? row.decode(column: "state", as: String.self)) ?? "unknown"
                    seen.insert(state)
                    Gauge(label: "eduportal_database_connections", dimensions: [("state", state)]).record((try? row.decode(column: "n", as: Int.self)) ?? 0)
                }
                for state in ["active", "idle", "idle in transaction"] where !seen.contains(state) {
                    Gauge(label: "eduportal_database_connections", dimensions: [("state", state)]).record(0)
                }
            }
        }
        return registry.emitToString()
    }
}
