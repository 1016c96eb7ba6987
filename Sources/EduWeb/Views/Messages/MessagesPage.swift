import EduCore
import EduData
import Fluent
import Vapor

struct MessagesPage: PageView {
    static let template = "admin/messages"

    struct Row {
        let at: String
        let name: String
        let email: String
        let phone: String
        let subject: String
        let body: String
    }

    let layout: LayoutVM
    let unitName: String
    let rows: [Row]
    let pager: Pager
}

extension MessagesPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit) async throws -> MessagesPage {
        let query = ContactMessage.query(in: unit.id, on: req.db)
        let total = try await query.copy().count()
        let paging = Paging(total: total, size: 30, requested: try? req.query.get(Int.self, at: "trang"))
        let rows = try await query.sort(\.$createdAt, .descending).range(paging.range).all()
        let base = SiteURL.adminMessages(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Ý kiến gửi đến", url: base)])
        let messagesPage = MessagesPage(
            layout: LayoutVM.make(req, title: "Ý kiến gửi đến – \(unit.name)", admin: true, breadcrumbs: crumbs), unitName: unit.name,
            rows: rows.map { .init(at: VietnameseDate.dateTime($0.createdAt), name: $0.name, email: $0.email, phone: $0.phone, subject: $0.subject, body: $0.body) },
            pager: Pager(paging) { base + "?trang=\($0)" })
        return messagesPage
    }
}
