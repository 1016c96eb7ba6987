import EduData
import Fluent
import Foundation
import Metrics
import NIOConcurrencyHelpers
import Vapor

/// What this node knows of the others (#18 point 1). On PostgreSQL each node keeps one
/// connection of its own to LISTEN for the others' changes (a unit's content, units and
/// hostnames) and to hold the worker's advisory lock: the node holding it runs `BackgroundJobs`
/// (the outbox, reminders, due reports); when it dies PostgreSQL ends its session, the lock is
/// free and another node takes it within `claimInterval`. While the connection is up, the host
/// map and the exam results are refreshed when told (and polled only every `linkedPollInterval`
/// as a safety net); while it is down, they are polled as before, every two seconds.
///
/// On SQLite there is one server: it is the worker (unless `EDUPORTAL_WORKER=0`) and polls.
final class ClusterLink: LifecycleHandler, @unchecked Sendable {
    struct State {
        var linked = false
        var worker = false
    }

    static let claimInterval: TimeInterval = 2
    static let linkedPollInterval: TimeInterval = 30
    private let state = NIOLockedValueBox(State())
    private var task: Task<Void, Never>?

    /// True while this node is the one running the periodic work.
    var isWorker: Bool { state.withLockedValue { $0.worker } }
    /// True while this node hears the others' notifications.
    var isLinked: Bool { state.withLockedValue { $0.linked } }

    func didBootAsync(_ app: Application) async throws {
        let config = app.eduConfig
        guard case .postgres = config.storage, config.clusterLink else {
            state.withLockedValue { $0.worker = config.runWorker }
            return
        }
        let logger = app.logger
        let eventLoop = app.eventLoopGroup.any()
        let units = app.unitCache
        let exams = app.examStore
        let db: @Sendable () -> (any Database)? = { [weak app] in
            guard let app, !app.didShutdown else { return nil }
            return app.databases.database(logger: logger, on: app.eventLoopGroup.any())
        }
        task = Task { [state] in
            var failures = 0
            while !Task.isCancelled {
                do {
                    guard let link = try await ClusterChannel.Link.open(config.storage, on: eventLoop, logger: logger) else { return }
                    failures = 0
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            try await link.listen({ message in
                                Self.apply(message, units: units, exams: exams, db: db, logger: logger)
                            }, ready: {
                                // Notifications may have been missed while there was no link: start afresh.
                                units.forget()
                                if let db = db() { Task { await exams.refresh(on: db, logger: logger) } }
                                state.withLockedValue { $0.linked = true }
                                units.setLifetime(Self.linkedPollInterval)
                                exams.setPollInterval(Self.linkedPollInterval)
                                logger.info("Đã kết nối kênh thông báo giữa các máy chủ (\(link.channel)).")
                            })
                        }
                        group.addTask {
                            while !Task.isCancelled, !link.isClosed {
                                if config.runWorker, !state.withLockedValue({ $0.worker }), try await link.claimWorker() {
                                    state.withLockedValue { $0.worker = true }
                                    logger.notice("Máy chủ này đảm nhận công việc định kỳ (hộp thư đi, nhắc hạn, báo cáo).")
                                }
                                try await Task.sleep(for: .seconds(Self.claimInterval))
                            }
                            throw CancellationError()
                        }
                        defer { group.cancelAll() }
                        _ = try await group.next()
                    }
                    await link.close()
                } catch {
                    if !Task.isCancelled { logger.warning("Mất kết nối kênh thông báo giữa các máy chủ: \(String(reflecting: error))") }
                }
                // The lock went with the connection; poll until the link is back.
                state.withLockedValue { $0 = State() }
                units.setLifetime(config.unitCacheLifetime)
                exams.setPollInterval(ExamStore.defaultPollInterval)
                failures += 1
                try? await Task.sleep(for: .seconds(min(10, failures)))
            }
        }
    }

    /// Applies another node's change here: the unit's host entries are reloaded (served stale
    /// for the moment the reload takes), hosts remembered as unknown forgotten (a hostname may
    /// have been added), and the exam results re-read (an import touches its unit).
    static func apply(_ message: ClusterChannel.Message, units: UnitCache, exams: ExamStore, db: @Sendable () -> (any Database)?, logger: Logger) {
        switch message {
        case .unit(let id): units.expire(unitID: id)
        case .units: units.forget()
        }
        Counter(label: "eduportal_cluster_notifications_total").increment()
        if let db = db() { exams.refreshSoon(on: db, logger: logger) }
    }

    func shutdownAsync(_ app: Application) async {
        task?.cancel()
        await task?.value
        task = nil
    }
}

struct ClusterLinkKey: StorageKey { typealias Value = ClusterLink }

extension Application {
    var clusterLink: ClusterLink { storage[ClusterLinkKey.self]! }

    /// Units or hostnames changed: this node forgets its host map now, the others when told.
    func unitsChanged(on db: any Database) async throws {
        unitCache.forget()
        try await ClusterChannel.announce(.units, on: db)
    }
}
