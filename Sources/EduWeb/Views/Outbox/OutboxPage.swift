import EduCore
import EduData
import EduMail
import Fluent
import Vapor

struct OutboxPage: PageView {
    static let template = "admin/outbox"

    struct Row {
        let created: String
        let unit: String
        let recipients: String
        let subject: String
        let status: String
        let attempts: Int
        let nextAttempt: String
        let error: String
    }

    let layout: LayoutVM
    let rows: [Row]
    let pending: Int
    let pager: Pager
}

extension OutboxPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext) async throws -> OutboxPage {
        let units = try await OperationsController.visibleUnits(req, admin: admin, action: .viewAudit)
        guard !units.isEmpty else { throw AppError.forbidden }
        let names = Dictionary(units.compactMap { u in u.id.map { ($0, u.name) } }, uniquingKeysWith: { a, _ in a })
        let query = OutboxMessage.query(on: req.db).filter(\.$unitID ~~ names.keys.map { Optional($0) })
        let total = try await query.copy().count()
        let pending = try await query.copy().filter(\.$status == OutboxDelivery.pending).count()
        let paging = Paging(total: total, size: OperationsController.pageSize, requested: try? req.query.get(Int.self, at: "trang"))
        let messages = try await query.sort(\.$createdAt, .descending).range(paging.range).all()
        let labels = [OutboxDelivery.pending: "Chờ gửi", OutboxDelivery.sent: "Đã gửi", OutboxDelivery.failed: "Gửi thất bại"]
        let outboxPage = OutboxPage(
            layout: LayoutVM.make(req, title: "Thư thông báo", admin: true,
                                  breadcrumbs: [.init(label: "Quản trị", url: SiteURL.adminHome.path), .init(label: "Thư thông báo", url: SiteURL.adminOutbox.path)]),
            rows: messages.map {
                .init(created: VietnameseDate.dateTime($0.createdAt), unit: $0.unitID.flatMap { names[$0] } ?? "", recipients: $0.recipients,
                      subject: $0.subject, status: labels[$0.status] ?? $0.status, attempts: $0.attempts,
                      nextAttempt: $0.status == OutboxDelivery.pending ? VietnameseDate.dateTime($0.nextAttemptAt) : "", error: $0.lastError)
            },
            pending: pending, pager: Pager(paging) { SiteURL.adminOutbox.path + "?trang=\($0)" })
        return outboxPage
    }
}
