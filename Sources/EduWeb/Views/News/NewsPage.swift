import EduCore
import EduData
import Fluent
import Vapor

struct NewsPage: PageView {
    static let template = "news"

    let layout: LayoutVM
    let heading: String
    let items: [NewsController.Item]
    let categories: [NewsController.CategoryLink]
    let pager: Pager
    let feedURL: String
}

extension NewsPage {
    /// The query that builds the page.
    static func query(_ req: Request, category: Category?) async throws -> NewsPage {
        let unit = try req.requireUnit()
        let unitID = unit.id
        let categories = try await Category.list(unitID: unitID, on: req.db)
        let names = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name) } })
        let query = Article.publicQuery(unitID: unitID, on: req.db)
        if let category { query.filter(\.$categoryID == (try category.requireID())) }
        let total = try await query.copy().count()
        let requested = (try? req.query.get(Int.self, at: "trang")) ?? 1
        guard Paging.exists(requested, total: total, size: NewsController.pageSize) else { throw AppError.notFound }
        let paging = Paging(total: total, size: NewsController.pageSize, requested: requested)
        let articles = try await query.sort(\.$publishedAt, .descending).sort(\.$createdAt, .descending).sort(\.$id, .descending)
            .range(paging.range).all()
        let base = category.map { SiteURL.newsCategory(slug: .value($0.slug)).path } ?? SiteURL.newsIndex.path
        let heading = category?.name ?? "Tin tức"
        let page = NewsPage(
            layout: LayoutVM.make(req, title: heading, admin: false),
            heading: heading,
            items: try await NewsController.items(articles, unitID: unitID, on: req.db) { names[$0.categoryID] ?? "" },
            categories: categories.map { .init(name: $0.name, url: SiteURL.newsCategory(slug: .value($0.slug)).path, current: $0.id == category?.id) },
            pager: Pager(paging) { base + "?trang=\($0)" },
            feedURL: category.map { SiteURL.categoryRSS(slug: .value($0.slug)).path } ?? SiteURL.rss.path)
        return page
    }
}
