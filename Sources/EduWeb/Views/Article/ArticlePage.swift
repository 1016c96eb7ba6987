import EduCore
import EduData
import Fluent
import Vapor

struct ArticlePage: PageView {
    static let template = "article"

    struct GalleryItem {
        let picture: Picture
        let caption: String
    }

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
    let cover: Picture?
    /// The pictures under the text, in the library's order.
    let gallery: [GalleryItem]
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
        let pictures = try await Picture.media((article.coverMediaID.map { [$0] } ?? []) + article.galleryIDs, unitID: unitID, on: req.db)
        let cover = article.coverMediaID.flatMap { pictures[$0] }
        let gallery = article.galleryIDs.compactMap { pictures[$0] }.sorted { ($0.createdAt ?? .distantPast, $0.storedName) < ($1.createdAt ?? .distantPast, $1.storedName) }
        let coverURL = cover.map { Picture($0, sizes: "", lazy: false).large }
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
            cover: cover.map { Picture($0, sizes: Picture.columnSizes, lazy: false) },
            gallery: gallery.map { GalleryItem(picture: Picture($0, sizes: Picture.cardSizes, lazy: true), caption: $0.title) },
            tags: article.tagList,
            related: related.map { NewsController.item($0, categoryName: category?.name ?? "") })
        return page
    }
}
