import EduData
import EduMail
import Vapor

/// The server's periodic work: hand due notices to the MTA, tell editorial heads about overdue
/// sections, delete mailboxes and admission registrations whose retention period has passed. On
/// PostgreSQL it runs on the one node holding the worker's advisory lock (`ClusterLink`), and
/// another takes over when that node dies; `EDUPORTAL_WORKER=0` keeps a node out of it.
final class BackgroundJobs: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?

    func didBootAsync(_ app: Application) async throws {
        let config = app.eduConfig
        guard config.runWorker else { return }
        let delivery = OutboxDelivery(sendmailPath: config.sendmailPath, from: config.mailFrom)
        let links = NoticeLinks(base: String(PublicLinks(config: config, port: config.publicPort).url(host: config.baseDomain).dropLast()))
        let publicLinks = PublicLinks(config: config, port: config.publicPort)
        let db = app.db
        let logger = app.logger
        let link = app.clusterLink
        task = Task {
            var lastDeadlineRun = Date.distantPast
            var lastMailPurge = Date.distantPast
            while !Task.isCancelled {
                guard link.isWorker else {
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                do {
                    try await delivery.deliverDue(on: db)
                    if Date().timeIntervalSince(lastDeadlineRun) > 600 {
                        try await DeadlineService.notifyOverdue(links: links, on: db)
                        try await QuestionService.notifyOverdue(links: links, on: db)
                        try await DisclosureService.remind(links: links, on: db)
                        // Reports asked for that came due, and evaluation rounds on a schedule.
                        var context = EvaluationChecks.Context(db: db, config: config, links: publicLinks, fetch: EvaluationChecks.inProcess(app), now: Date())
                        try await DeploymentReport.runDueRequests(context: context, links: publicLinks)
                        context.browser = ChromiumProbe.find(eventLoopGroup: app.eventLoopGroup).map(EvaluationChecks.BrowserRuns.init)
                        try await EvaluationService.runDueSchedules(context: context)
                        lastDeadlineRun = Date()
                    }
                    // Mailboxes disabled past their retention period are deleted (with an audit record).
                    if Date().timeIntervalSince(lastMailPurge) > 6 * 3600 {
                        _ = try await MailService.purgeExpired(on: db)
                        // So are the registrations of children not admitted, past their plan's retention period.
                        try await AdmissionService.purgeExpired(attachmentsRoot: AdmissionService.attachmentsRoot(config), on: db)
                        lastMailPurge = Date()
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
