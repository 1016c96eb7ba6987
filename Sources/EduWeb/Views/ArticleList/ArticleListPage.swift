import EduCore
import EduData
import Fluent
import Vapor

struct ArticleListPage: PageView {
    static let template = "admin/articles"

    struct Row {
        let title: String
        let url: String
        let category: String
        let state: String
        let stateCode: String
        let updated: String
    }

    let layout: LayoutVM
    let unitName: String
    let rows: [Row]
    let newURL: String
    let stateField: FormField
    let categoryField: FormField
    let pager: Pager
    let actionURL: String
}

extension ArticleListPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit) async throws -> ArticleListPage {
        let unitID = unit.id
        let categories = try await Category.list(unitID: unitID, on: req.db)
        let stateFilter = (try? req.query.get(String.self, at: "trang-thai")).flatMap(ContentState.init(rawValue:))
        let categoryFilter = (try? req.query.get(String.self, at: "chuyen-muc")).flatMap { slug in categories.first { $0.slug == slug } }
        let query = Article.query(in: unitID, on: req.db)
        if !admin.may(.reviewContent, on: unit) { query.filter(\.$createdBy == (try admin.user.requireID())) }
        if let stateFilter { query.filter(\.$stateCode == stateFilter.rawValue) }
        if let categoryFilter { query.filter(\.$categoryID == (try categoryFilter.requireID())) }
        let total = try await query.copy().count()
        let paging = Paging(total: total, size: ArticleController.pageSize, requested: try? req.query.get(Int.self, at: "trang"))
        let articles = try await query.sort(\.$updatedAt, .descending).range(paging.range).all()
        let names = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name) } })
        func pageURL(_ number: Int) -> String {
            var components = URLComponents()
            components.path = SiteURL.adminArticles(code: .value(unit.code)).path
            components.queryItems = [
                stateFilter.map { URLQueryItem(name: "trang-thai", value: $0.rawValue) },
                categoryFilter.map { URLQueryItem(name: "chuyen-muc", value: $0.slug) },
                URLQueryItem(name: "trang", value: String(number)),
            ].compactMap { $0 }
            return components.string ?? ""
        }
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Bài viết", url: SiteURL.adminArticles(code: .value(unit.code)).path)])
        let listPage = ArticleListPage(
            layout: LayoutVM.make(req, title: "Bài viết – \(unit.name)", admin: true, breadcrumbs: crumbs),
            unitName: unit.name,
            rows: articles.map { article in
                ArticleListPage.Row(
                    title: article.title, url: SiteURL.adminArticle(code: .value(unit.code), id: .value(article.id!.uuidString)).path,
                    category: names[article.categoryID] ?? "", state: article.state.label, stateCode: article.stateCode,
                    updated: article.updatedAt.map(VietnameseDate.dateTime) ?? "")
            },
            newURL: SiteURL.adminArticleNew(code: .value(unit.code)).path,
            stateField: FormField(
                name: "trang-thai", label: "Trạng thái", value: stateFilter?.rawValue ?? "", type: "select",
                options: [.init(value: "", label: "Tất cả", selected: stateFilter == nil)]
                    + ContentState.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == stateFilter) }),
            categoryField: FormField(
                name: "chuyen-muc", label: "Chuyên mục", value: categoryFilter?.slug ?? "", type: "select",
                options: [.init(value: "", label: "Tất cả", selected: categoryFilter == nil)]
                    + categories.map { .init(value: $0.slug, label: $0.name, selected: $0.id == categoryFilter?.id) }),
            pager: Pager(paging, url: pageURL),
            actionURL: SiteURL.adminArticles(code: .value(unit.code)).path)
        return listPage
    }
}
