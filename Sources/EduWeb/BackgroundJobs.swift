import EduData
import EduMail
import Vapor

/// The server's periodic work: hand due notices to the MTA, and tell editorial heads about
/// overdue sections. With several app nodes, run it on one (`EDUPORTAL_WORKER=0` elsewhere).
final class BackgroundJobs: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?

    func didBootAsync(_ app: Application) async throws {
        let config = app.eduConfig
        guard config.runWorker else { return }
        let delivery = OutboxDelivery(sendmailPath: config.sendmailPath, from: config.mailFrom)
        let links = NoticeLinks(base: (config.tls ? "https://" : "http://") + config.baseDomain)
        let db = app.db
        let logger = app.logger
        task = Task {
            var lastDeadlineRun = Date.distantPast
            while !Task.isCancelled {
                do {
                    try await delivery.deliverDue(on: db)
                    if Date().timeIntervalSince(lastDeadlineRun) > 600 {
                        try await DeadlineService.notifyOverdue(links: links, on: db)
                        lastDeadlineRun = Date()
                    }
                } catch {
                    logger.warning("Background job failed: \(String(describing: error))")
                }
                try? await Task.sleep(for: .seconds(15))
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        task?.cancel()
        task = nil
    }
}
