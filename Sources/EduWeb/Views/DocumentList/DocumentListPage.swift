import EduCore
import EduData
import Fluent
import Vapor

struct DocumentListPage: PageView {
    static let template = "admin/documents"

    struct Row {
        let number: String
        let summary: String
        let type: String
        let issued: String
        let state: String
        let stateCode: String
        let url: String
    }

    let layout: LayoutVM
    let unitName: String
    let rows: [Row]
    let newURL: String
    let total: Int
    let page: Int
    let pages: Int
    let previousURL: String?
    let nextURL: String?
}

extension DocumentListPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit) async throws -> DocumentListPage {
        let query = LegalDocument.query(in: unit.id, on: req.db)
        if !admin.may(.reviewContent, on: unit) { query.filter(\.$createdBy == (try admin.user.requireID())) }
        let total = try await query.copy().count()
        let pages = max(1, (total + DocumentController.pageSize - 1) / DocumentController.pageSize)
        let page = min(max(1, (try? req.query.get(Int.self, at: "trang")) ?? 1), pages)
        let documents = try await query.sort(\.$issuedOn, .descending).range(((page - 1) * DocumentController.pageSize)..<(page * DocumentController.pageSize)).all()
        let base = SiteURL.adminDocuments(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Văn bản", url: base)])
        let list = DocumentListPage(
            layout: LayoutVM.make(req, title: "Văn bản – \(unit.name)", admin: true, breadcrumbs: crumbs),
            unitName: unit.name,
            rows: documents.map {
                .init(number: $0.number, summary: $0.summary, type: $0.docType, issued: VietnameseDate.day($0.issuedOn),
                      state: $0.state.label, stateCode: $0.stateCode, url: SiteURL.adminDocument(code: .value(unit.code), id: .value($0.id!.uuidString)).path)
            },
            newURL: SiteURL.adminDocumentNew(code: .value(unit.code)).path,
            total: total, page: page, pages: pages,
            previousURL: page > 1 ? base + "?trang=\(page - 1)" : nil, nextURL: page < pages ? base + "?trang=\(page + 1)" : nil)
        return list
    }
}
