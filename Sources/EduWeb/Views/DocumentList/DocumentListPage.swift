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
    let pager: Pager
}

extension DocumentListPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit) async throws -> DocumentListPage {
        let query = LegalDocument.query(in: unit.id, on: req.db)
        if !admin.may(.reviewContent, on: unit) { query.filter(\.$createdBy == (try admin.user.requireID())) }
        let total = try await query.copy().count()
        let paging = Paging(total: total, size: DocumentController.pageSize, requested: try? req.query.get(Int.self, at: "trang"))
        let documents = try await query.sort(\.$issuedOn, .descending).range(paging.range).all()
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
            pager: Pager(paging) { base + "?trang=\($0)" })
        return list
    }
}
