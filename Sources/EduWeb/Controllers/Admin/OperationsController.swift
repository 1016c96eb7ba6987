import EduCore
import EduData
import EduMail
import Fluent
import Vapor

/// `/quan-tri/hop-thu-di` (the notice outbox) and `/quan-tri/han-cap-nhat` (overdue sections),
/// each over the units the person may see.
struct OperationsController {
    static let pageSize = 50

    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.adminOutbox.routePath, use: outbox)
        routes.get(SiteURL.adminDeadlines.routePath, use: deadlines)
    }

    /// Every unit in the subtrees where `action` is allowed.
    static func visibleUnits(_ req: Request, admin: AdminContext, action: Action) async throws -> [OrgUnit] {
        var units: [OrgUnit] = []
        for root in Permissions.roots(for: action, in: admin.grants) {
            if let id = UUID(uuidString: root.id), let unit = try await OrgUnit.find(id, on: req.db) {
                units += try await OrgUnit.subtree(of: unit, on: req.db)
            }
        }
        return units
    }

    struct OutboxPage {
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
        let total: Int
        let page: Int
        let pages: Int
        let previousURL: String?
        let nextURL: String?
    }

    @Sendable func outbox(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let units = try await Self.visibleUnits(req, admin: admin, action: .viewAudit)
        guard !units.isEmpty else { throw AppError.forbidden }
        let names = Dictionary(units.compactMap { u in u.id.map { ($0, u.name) } }, uniquingKeysWith: { a, _ in a })
        let query = OutboxMessage.query(on: req.db).filter(\.$unitID ~~ names.keys.map { Optional($0) })
        let total = try await query.copy().count()
        let pending = try await query.copy().filter(\.$status == OutboxDelivery.pending).count()
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let page = min(max(1, (try? req.query.get(Int.self, at: "trang")) ?? 1), pages)
        let messages = try await query.sort(\.$createdAt, .descending).range(((page - 1) * Self.pageSize)..<(page * Self.pageSize)).all()
        let labels = [OutboxDelivery.pending: "Chờ gửi", OutboxDelivery.sent: "Đã gửi", OutboxDelivery.failed: "Gửi thất bại"]
        let outboxPage = OutboxPage(
            layout: LayoutVM.make(req, title: "Thư thông báo", admin: true,
                                  breadcrumbs: [.init(label: "Quản trị", url: SiteURL.adminHome.path), .init(label: "Thư thông báo", url: SiteURL.adminOutbox.path)]),
            rows: messages.map {
                .init(created: VietnameseDate.dateTime($0.createdAt), unit: $0.unitID.flatMap { names[$0] } ?? "", recipients: $0.recipients,
                      subject: $0.subject, status: labels[$0.status] ?? $0.status, attempts: $0.attempts,
                      nextAttempt: $0.status == OutboxDelivery.pending ? VietnameseDate.dateTime($0.nextAttemptAt) : "", error: $0.lastError)
            },
            pending: pending, total: total, page: page, pages: pages,
            previousURL: page > 1 ? SiteURL.adminOutbox.path + "?trang=\(page - 1)" : nil,
            nextURL: page < pages ? SiteURL.adminOutbox.path + "?trang=\(page + 1)" : nil)
        return req.theme.render("admin/outbox", outboxPage)
    }

    struct DeadlinePage {
        struct Row {
            let unit: String
            let category: String
            let interval: Int
            let lastPublished: String
            let due: String
            let daysOverdue: Int
            let writeURL: String
        }

        struct UnitCount {
            let unit: String
            let overdue: Int
        }

        let layout: LayoutVM
        let overdue: [Row]
        let upcoming: [Row]
        let perUnit: [UnitCount]
    }

    @Sendable func deadlines(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let units = try await Self.visibleUnits(req, admin: admin, action: .submitContent)
        guard !units.isEmpty else { throw AppError.forbidden }
        let statuses = try await DeadlineService.statuses(of: units, on: req.db)
        func row(_ status: DeadlineService.Status) -> DeadlinePage.Row {
            .init(unit: status.unit.name, category: status.category.name, interval: status.category.updateIntervalDays ?? 0,
                  lastPublished: status.lastPublished.map(VietnameseDate.day) ?? "Chưa có bài", due: VietnameseDate.day(status.due),
                  daysOverdue: status.daysOverdue, writeURL: SiteURL.adminArticleNew(code: .value(status.unit.code)).path)
        }
        let overdue = statuses.filter { $0.daysOverdue >= 0 }.sorted { $0.daysOverdue > $1.daysOverdue }
        let soon = Date().addingTimeInterval(7 * 86_400)
        let upcoming = statuses.filter { $0.daysOverdue < 0 && $0.due < soon }.sorted { $0.due < $1.due }
        let counts = Dictionary(grouping: overdue, by: { $0.unit.name }).map { DeadlinePage.UnitCount(unit: $0.key, overdue: $0.value.count) }
            .sorted { $0.overdue > $1.overdue || $0.overdue == $1.overdue && $0.unit < $1.unit }
        let page = DeadlinePage(
            layout: LayoutVM.make(req, title: "Hạn cập nhật", admin: true,
                                  breadcrumbs: [.init(label: "Quản trị", url: SiteURL.adminHome.path), .init(label: "Hạn cập nhật", url: SiteURL.adminDeadlines.path)]),
            overdue: overdue.map(row), upcoming: upcoming.map(row), perUnit: counts)
        return req.theme.render("admin/deadlines", page)
    }
}
