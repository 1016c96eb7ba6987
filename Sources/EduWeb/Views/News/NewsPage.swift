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
    let page: Int
    let pages: Int
    let previousURL: String?
    let nextURL: String?
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
        let pages = max(1, (total + NewsController.pageSize - 1) / NewsController.pageSize)
        let requested = (try? req.query.get(Int.self, at: "trang")) ?? 1
        guard requested >= 1, requested <= pages else { throw AppError.notFound }
        let articles = try await query.sort(\.$publishedAt, .descending).sort(\.$createdAt, .descending)
            .range(((requested - 1) * NewsController.pageSize)..<(requested * NewsController.pageSize)).all()
        let base = category.map { SiteURL.newsCategory(slug: .value($0.slug)).path } ?? SiteURL.newsIndex.path
        let heading = category?.name ?? "Tin tức"
        let page = NewsPage(
            layout: LayoutVM.make(req, title: heading, admin: false),
            heading: heading,
            items: articles.map { NewsController.item($0, categoryName: names[$0.categoryID] ?? "") },
            categories: categories.map { .init(name: $0.name, url: SiteURL.newsCategory(slug: .value($0.slug)).path, current: $0.id == category?.id) },
            page: requested, pages: pages,
            previousURL: requested > 1 ? base + "?trang=\(requested - 1)" : nil,
            nextURL: requested < pages ? base + "?trang=\(requested + 1)" : nil,
            feedURL: category.map { SiteURL.categoryRSS(slug: .value($0.slug)).path } ?? SiteURL.rss.path)
        return page
    }
}
