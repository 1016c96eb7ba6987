import EduCore
import EduData
import Fluent
import Vapor

struct ArticlePage: PageView {
    static let template = "article"

    let layout: LayoutVM
    let title: String
    let summary: String
    let body: String
    let date: String
    let isoDate: String
    let authorName: String
    let source: String
    /// Where it was published, when a merger moved it here.
    let origin: String
    let category: NewsController.CategoryLink?
    let cover: NewsController.Cover?
    let tags: [String]
    let related: [NewsController.Item]
}

extension ArticlePage {
    /// The query that builds the page.
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> ArticlePage {
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
            try await Media.query(in: unitID, on: req.db).filter(\.$id == id).first()
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
            origin: try await UnitChangeService.originNote(article.originUnitID, keptBy: unit, on: req.db),
            category: category.map { .init(name: $0.name, url: SiteURL.newsCategory(slug: .value($0.slug)).path, current: false) },
            cover: cover.map { .init(url: MediaService.publicPath($0), alt: $0.altText, width: $0.width, height: $0.height) },
            tags: article.tagList,
            related: related.map { NewsController.item($0, categoryName: category?.name ?? "") })
        return page
    }
}
