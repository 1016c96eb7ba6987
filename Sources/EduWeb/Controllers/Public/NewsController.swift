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
    }

    struct ListPage {
        let layout: LayoutVM
        let heading: String
        let items: [Item]
        let categories: [CategoryLink]
        let page: Int
        let pages: Int
        let previousURL: String?
        let nextURL: String?
        let feedURL: String
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
        let unit = try req.requireUnit()
        let unitID = unit.id
        let categories = try await Category.list(unitID: unitID, on: req.db)
        let names = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name) } })
        let query = Article.publicQuery(unitID: unitID, on: req.db)
        if let category { query.filter(\.$categoryID == (try category.requireID())) }
        let total = try await query.copy().count()
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let requested = (try? req.query.get(Int.self, at: "trang")) ?? 1
        guard requested >= 1, requested <= pages else { throw AppError.notFound }
        let articles = try await query.sort(\.$publishedAt, .descending).sort(\.$createdAt, .descending)
            .range(((requested - 1) * Self.pageSize)..<(requested * Self.pageSize)).all()
        let base = category.map { SiteURL.newsCategory(slug: .value($0.slug)).path } ?? SiteURL.newsIndex.path
        let heading = category?.name ?? "Tin tức"
        let page = ListPage(
            layout: LayoutVM.make(req, title: heading, admin: false),
            heading: heading,
            items: articles.map { Self.item($0, categoryName: names[$0.categoryID] ?? "") },
            categories: categories.map { .init(name: $0.name, url: SiteURL.newsCategory(slug: .value($0.slug)).path, current: $0.id == category?.id) },
            page: requested, pages: pages,
            previousURL: requested > 1 ? base + "?trang=\(requested - 1)" : nil,
            nextURL: requested < pages ? base + "?trang=\(requested + 1)" : nil,
            feedURL: category.map { SiteURL.categoryRSS(slug: .value($0.slug)).path } ?? SiteURL.rss.path)
        return req.theme.render("news", page)
    }

    static func item(_ article: Article, categoryName: String) -> Item {
        let date = article.publishAt ?? article.publishedAt ?? article.createdAt ?? Date()
        return Item(
            title: article.title, url: SiteURL.article(slug: .value(article.slug)).path, summary: article.summary,
            date: VietnameseDate.day(date), isoDate: VietnameseDate.iso(date), category: categoryName)
    }

    struct Cover {
        let url: String
        let alt: String
        let width: Int?
        let height: Int?
    }

    struct ArticlePage {
        let layout: LayoutVM
        let title: String
        let summary: String
        let body: String
        let date: String
        let isoDate: String
        let authorName: String
        let source: String
        let category: CategoryLink?
        let cover: Cover?
        let tags: [String]
        let related: [Item]
    }

    @Sendable func show(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let unitID = unit.id
        guard let slug = req.parameters.get("slug"), let article = try await Article.findPublic(unitID: unitID, slug: slug, on: req.db) else {
            throw AppError.notFound
        }
        let category = try await Category.find(article.categoryID, on: req.db)
        let related = try await Article.publicQuery(unitID: unitID, on: req.db)
            .filter(\.$categoryID == article.categoryID).filter(\.$id != article.requireID())
            .sort(\.$publishedAt, .descending).limit(5).all()
        let date = article.publishAt ?? article.publishedAt ?? article.createdAt ?? Date()
        let cover = try await article.coverMediaID.asyncMap { id in
            try await Media.query(on: req.db).filter(\.$id == id).filter(\.$unitID == unitID).first()
        } ?? nil
        let coverURL = cover.map(MediaService.publicPath)
        var crumbs: [LayoutVM.Crumb] = [.init(label: "Tin tức", url: SiteURL.newsIndex.path)]
        if let category { crumbs.append(.init(label: category.name, url: SiteURL.newsCategory(slug: .value(category.slug)).path)) }
        crumbs.append(.init(label: article.title, url: SiteURL.article(slug: .value(article.slug)).path))
        let details = PageMeta.Details(
            description: article.summary.isEmpty ? String(HTMLSanitizer.plainText(article.bodyHTML).prefix(200)) : article.summary,
            isArticle: true, published: date, modified: article.updatedAt, author: article.authorName, source: article.source,
            section: category?.name, image: coverURL)
        let page = ArticlePage(
            layout: LayoutVM.make(req, title: article.title, admin: false, breadcrumbs: crumbs, details: details),
            title: article.title, summary: article.summary, body: article.bodyHTML,
            date: VietnameseDate.dateTime(date), isoDate: VietnameseDate.iso(date),
            authorName: article.authorName, source: article.source,
            category: category.map { .init(name: $0.name, url: SiteURL.newsCategory(slug: .value($0.slug)).path, current: false) },
            cover: cover.map { .init(url: MediaService.publicPath($0), alt: $0.altText, width: $0.width, height: $0.height) },
            tags: article.tagList,
            related: related.map { Self.item($0, categoryName: category?.name ?? "") })
        return req.theme.render("article", page)
    }
}
