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
    let total: Int
    let page: Int
    let pages: Int
    let previousURL: String?
    let nextURL: String?
}

extension MessagesPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit) async throws -> MessagesPage {
        let query = ContactMessage.query(in: unit.id, on: req.db)
        let total = try await query.copy().count()
        let pages = max(1, (total + 29) / 30)
        let page = min(max(1, (try? req.query.get(Int.self, at: "trang")) ?? 1), pages)
        let rows = try await query.sort(\.$createdAt, .descending).range(((page - 1) * 30)..<(page * 30)).all()
        let base = SiteURL.adminMessages(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Ý kiến gửi đến", url: base)])
        let messagesPage = MessagesPage(
            layout: LayoutVM.make(req, title: "Ý kiến gửi đến – \(unit.name)", admin: true, breadcrumbs: crumbs), unitName: unit.name,
            rows: rows.map { .init(at: VietnameseDate.dateTime($0.createdAt), name: $0.name, email: $0.email, phone: $0.phone, subject: $0.subject, body: $0.body) },
            total: total, page: page, pages: pages,
            previousURL: page > 1 ? base + "?trang=\(page - 1)" : nil, nextURL: page < pages ? base + "?trang=\(page + 1)" : nil)
        return messagesPage
    }
}
