import EduCore
import EduData
import Fluent
import Vapor

struct ArticleRevisionPage: PageView {
    static let template = "admin/revision"

    struct Part {
        let text: String
        let added: Bool
        let removed: Bool
    }

    let layout: LayoutVM
    let number: Int
    let previous: Int?
    let titleParts: [Part]
    let bodyParts: [Part]
    /// The two versions differ too much to compare in bounded memory (`TextDiff.maxCells`).
    let tooLarge: Bool
    let revisionsURL: String
}

extension ArticleRevisionPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, article: Article) async throws -> ArticleRevisionPage {
        guard let number = req.parameters.get("number", as: Int.self),
            let revision = try await ArticleRevision.query(on: req.db).filter(\.$articleID == article.requireID()).filter(\.$number == number).first()
        else { throw AppError.notFound }
        let previous = try await ArticleRevision.query(on: req.db)
            .filter(\.$articleID == article.requireID()).filter(\.$number < number).sort(\.$number, .descending).first()
        var tooLarge = false
        func parts(_ old: String, _ new: String) -> [ArticleRevisionPage.Part] {
            guard let segments = TextDiff.diff(old, new) else {
                tooLarge = true
                return []
            }
            return segments.map { segment in
                switch segment {
                case .same(let text): .init(text: text, added: false, removed: false)
                case .added(let text): .init(text: text, added: true, removed: false)
                case .removed(let text): .init(text: text, added: false, removed: true)
                }
            }
        }
        let id = try article.requireID().uuidString
        let crumbs = try await AdminController.breadcrumbs(
            req, admin: admin, unit: unit,
            extra: [.init(label: article.title, url: SiteURL.adminArticle(code: .value(unit.code), id: .value(id)).path),
                    .init(label: "Phiên bản \(number)", url: SiteURL.adminArticleRevision(code: .value(unit.code), id: .value(id), number: .value(number)).path)])
        let titleParts = parts(previous?.title ?? "", revision.title)
        let bodyParts = parts(ArticleController.readable(previous?.bodyHTML ?? ""), ArticleController.readable(revision.bodyHTML))
        let page = ArticleRevisionPage(
            layout: LayoutVM.make(req, title: "Phiên bản \(number) – \(article.title)", admin: true, breadcrumbs: crumbs),
            number: number, previous: previous?.number, titleParts: titleParts, bodyParts: bodyParts, tooLarge: tooLarge,
            revisionsURL: SiteURL.adminArticleRevisions(code: .value(unit.code), id: .value(id)).path)
        return page
    }
}
