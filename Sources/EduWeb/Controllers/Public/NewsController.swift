import EduCore
import EduData
import Fluent
import Vapor

/// `/tin-tuc`, `/tin-tuc/<chuyên mục>`, `/bai-viet/<slug>`: what the public may read. Only
/// published articles inside their publication window exist here; everything else is 404.
struct NewsController {
    static let pageSize = 20

    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.newsIndex.routePath, use: index)
        routes.get(SiteURL.newsCategory(slug: .key).routePath, use: category)
        routes.get(SiteURL.article(slug: .key).routePath, use: show)
    }

    struct Item {
        let title: String
        let url: String
        let summary: String
        let date: String
        let isoDate: String
        let category: String
        /// Its cover as a thumbnail, when it has one.
        let picture: Picture?
    }

    struct CategoryLink {
        let name: String
        let url: String
        let current: Bool
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await list(req, category: nil)
    }

    @Sendable func category(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        guard let slug = req.parameters.get("slug"), let category = try await Category.find(unitID: unit.id, slug: slug, on: req.db) else {
            throw AppError.notFound
        }
        return try await list(req, category: category)
    }

    func list(_ req: Request, category: Category?) async throws -> Response {
        req.render(try await NewsPage.query(req, category: category))
    }

    static func item(_ article: Article, categoryName: String, picture: Picture? = nil) -> Item {
        let date = article.publishAt ?? article.publishedAt ?? article.createdAt ?? Date()
        return Item(
            title: article.title, url: SiteURL.article(slug: .value(article.slug)).path, summary: article.summary,
            date: VietnameseDate.day(date), isoDate: VietnameseDate.iso(date), category: categoryName, picture: picture)
    }

    /// Items of a list with their covers as thumbnails; the first `eager` load at once (they may
    /// be on the first screen), the others when scrolled to.
    static func items(
        _ articles: [Article], unitID: UUID, eager: Int = 1, on db: any Database, categoryName: (Article) -> String
    ) async throws -> [Item] {
        let covers = try await Picture.media(articles.compactMap(\.coverMediaID), unitID: unitID, on: db)
        return articles.enumerated().map { index, article in
            let picture = article.coverMediaID.flatMap { covers[$0] }.map { Picture($0, sizes: Picture.thumbnailSizes, lazy: index >= eager) }
            return item(article, categoryName: categoryName(article), picture: picture)
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        req.render(try await ArticlePage.query(req, unit: try req.requireUnit()))
    }
}
