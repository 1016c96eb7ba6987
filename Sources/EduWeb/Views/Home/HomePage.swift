import EduCore
import EduData
import Fluent
import Vapor

struct HomePage: PageView {
    static let template = "home"

    struct Service {
        let title: String
        let url: String
    }

    /// The newest published article with a picture, first on the page with its picture.
    struct Lead {
        let item: NewsController.Item
        let picture: Picture
    }

    let layout: LayoutVM
    let name: String
    let lead: Lead?
    let news: [NewsController.Item]
    let notices: [NewsController.Item]
    let documents: [DocumentsController.Row]
    let services: [Service]
    let newsURL: String
    let noticesURL: String
    let documentsURL: String
}

extension HomePage {
    /// The query that builds the page.
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> HomePage {
        let unitID = unit.id
        let categories = try await Category.list(unitID: unitID, on: req.db)
        let names = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name) } })
        let notice = categories.first { $0.slug == "thong-bao" }
        let leadArticle = try await Article.publicQuery(unitID: unitID, on: req.db)
            .filter(\.$categoryID != (notice?.id ?? UUID())).filter(\.$coverMediaID != nil).sort(\.$publishedAt, .descending).first()
        let leadMedia = try await Picture.media(leadArticle?.coverMediaID.map { [$0] } ?? [], unitID: unitID, on: req.db)
        let lead = leadArticle.flatMap { article in
            article.coverMediaID.flatMap { leadMedia[$0] }.map {
                Lead(item: NewsController.item(article, categoryName: names[article.categoryID] ?? ""),
                     picture: Picture($0, sizes: "(min-width: 72rem) 40rem, (min-width: 48rem) 58vw, calc(100vw - 2rem)", lazy: false))
            }
        }
        let newsQuery = Article.publicQuery(unitID: unitID, on: req.db).filter(\.$categoryID != (notice?.id ?? UUID()))
        if lead != nil, let id = leadArticle?.id { newsQuery.filter(\.$id != id) }
        let news = try await newsQuery.sort(\.$publishedAt, .descending).limit(6).all()
        let notices = try await notice.asyncMap { category in
            try await Article.publicQuery(unitID: unitID, on: req.db).filter(\.$categoryID == category.requireID())
                .sort(\.$publishedAt, .descending).limit(5).all()
        } ?? []
        let documents = try await LegalDocument.publicQuery(unitID: unitID, on: req.db).sort(\.$issuedOn, .descending).limit(5).all()
        let page = HomePage(
            layout: LayoutVM.make(req, title: "Trang chủ", admin: false),
            name: unit.name,
            lead: lead,
            news: try await NewsController.items(news, unitID: unitID, eager: 0, on: req.db) { names[$0.categoryID] ?? "" },
            notices: notices.map { NewsController.item($0, categoryName: notice?.name ?? "") },
            documents: documents.map(DocumentsController.row),
            services: PortalSections.services(for: unit.type).map { .init(title: $0.title, url: $0.path) },
            newsURL: SiteURL.newsIndex.path, noticesURL: SiteURL.newsCategory(slug: .value("thong-bao")).path, documentsURL: SiteURL.documents.path)
        return page
    }
}
