import EduCore
import EduData
import Fluent
import Vapor

struct ArticleEditPage: PageView {
    static let template = "admin/article"

    let layout: LayoutVM
    let form: FormPage
    let editable: Bool
    let stateLabel: String
    let stateCode: String
    let reviewComment: String
    let revision: Int
    let isExisting: Bool
    let lockNotice: String?
    let takeOverURL: String?
    let workflow: WorkflowVM
    let revisionsURL: String?
    let publicURL: String?
    let bodyPreview: String
    let title: String
}

extension ArticleEditPage {
    /// The query that builds the page.
    static func query(
        _ req: Request, admin: AdminContext, unit: ResolvedUnit, article: Article?, input: ContentService.ArticleInput,
        errors: FormErrors = [:], notice: String? = nil, lockNotice: String? = nil,
        transitionError: String? = nil
    ) async throws -> ArticleEditPage {
        let categories = try await Category.list(unitID: unit.id, on: req.db)
        let images = try await Media.query(in: unit.id, on: req.db).filter(\.$isImage == true)
            .sort(\.$createdAt, .descending).limit(100).all()
        let state = article?.state ?? .nhap
        let editable = admin.mayEdit(article, in: unit)
        let action = article.map { SiteURL.adminArticle(code: .value(unit.code), id: .value($0.id!.uuidString)).path } ?? SiteURL.adminArticleNew(code: .value(unit.code)).path
        let title = article == nil ? "Viết bài mới" : "Sửa bài"
        let crumbs = try await AdminController.breadcrumbs(
            req, admin: admin, unit: unit,
            extra: [.init(label: "Bài viết", url: SiteURL.adminArticles(code: .value(unit.code)).path), .init(label: title, url: action)])
        let layout = LayoutVM.make(req, title: "\(title) – \(unit.name)", admin: true, breadcrumbs: crumbs, notice: notice)
        var publicURL: String?
        if let article, article.isPublic() {
            publicURL = req.publicLinks.url(for: unit).dropLast() + SiteURL.article(slug: .value(article.slug)).path
        }
        let workflow = try await WorkflowVM.make(
            article, admin: admin, unit: unit,
            transitionURL: article.map { SiteURL.adminArticleTransition(code: .value(unit.code), id: .value($0.id!.uuidString)).path } ?? "",
            error: transitionError, on: req.db)
        let page = ArticleEditPage(
            layout: layout,
            form: FormPage(
                layout: layout, heading: title, intro: nil, action: action, submitLabel: article == nil ? "Lưu nháp" : "Lưu",
                fields: ArticleController.fields(input, categories: categories, images: images, errors: errors),
                cancelURL: SiteURL.adminArticles(code: .value(unit.code)).path),
            editable: editable,
            stateLabel: state.label, stateCode: state.rawValue,
            reviewComment: article?.state == .traLai ? article?.reviewComment ?? "" : "",
            revision: article?.revision ?? 0,
            isExisting: article != nil,
            lockNotice: lockNotice,
            takeOverURL: lockNotice == nil ? nil : article.map { SiteURL.adminArticleTakeOver(code: .value(unit.code), id: .value($0.id!.uuidString)).path },
            workflow: workflow,
            revisionsURL: article.map { SiteURL.adminArticleRevisions(code: .value(unit.code), id: .value($0.id!.uuidString)).path },
            publicURL: publicURL,
            bodyPreview: input.bodyHTML,
            title: input.title)
        return page
    }
}
