import EduCore
import EduData
import Fluent
import Vapor

struct ArticleRevisionsPage: PageView {
    static let template = "admin/revisions"

    struct Row {
        let number: Int
        let savedBy: String
        let savedAt: String
        let note: String
        let diffURL: String
        let restoreURL: String
        let isCurrent: Bool
    }

    let layout: LayoutVM
    let title: String
    let rows: [Row]
    let canRestore: Bool
    let csrf: String
    let articleURL: String
}

extension ArticleRevisionsPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, article: Article) async throws -> ArticleRevisionsPage {
        let id = try article.requireID().uuidString
        let rows = try await ArticleRevision.query(on: req.db).filter(\.$articleID == article.requireID()).sort(\.$number, .descending).all()
        let crumbs = try await AdminController.breadcrumbs(
            req, admin: admin, unit: unit,
            extra: [.init(label: "Bài viết", url: SiteURL.adminArticles(code: .value(unit.code)).path),
                    .init(label: article.title, url: SiteURL.adminArticle(code: .value(unit.code), id: .value(id)).path),
                    .init(label: "Phiên bản", url: SiteURL.adminArticleRevisions(code: .value(unit.code), id: .value(id)).path)])
        let page = ArticleRevisionsPage(
            layout: LayoutVM.make(req, title: "Phiên bản – \(article.title)", admin: true, breadcrumbs: crumbs),
            title: article.title,
            rows: rows.map {
                .init(number: $0.number, savedBy: $0.savedByName, savedAt: VietnameseDate.dateTime($0.savedAt), note: $0.note,
                      diffURL: SiteURL.adminArticleRevision(code: .value(unit.code), id: .value(id), number: .value($0.number)).path,
                      restoreURL: SiteURL.adminArticleRestore(code: .value(unit.code), id: .value(id), number: .value($0.number)).path,
                      isCurrent: $0.number == article.revision)
            },
            canRestore: admin.mayEdit(article, in: unit),
            csrf: req.csrfToken,
            articleURL: SiteURL.adminArticle(code: .value(unit.code), id: .value(id)).path)
        return page
    }
}
