import EduCore
import EduData
import Fluent
import Vapor

/// RSS 2.0 for the site and each category (A12.5), `sitemap.xml` and `robots.txt`.
struct FeedController {
    static let feedSize = 30

    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.rss.routePath, use: siteFeed)
        routes.get(SiteURL.categoryRSS(slug: .key).routePath, use: categoryFeed)
        routes.get(SiteURL.sitemap.routePath, use: sitemap)
        routes.get(SiteURL.robots.routePath, use: robots)
    }

    static func rfc822(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = VietnameseDate.timeZone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    func base(_ req: Request) throws -> String {
        guard let frame = req.storage[PublicFrameKey.self] else { throw AppError.unknownHost }
        return frame.baseURL
    }

    @Sendable func siteFeed(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        return try await feed(req, unit: unit, category: nil, selfPath: SiteURL.rss.path)
    }

    @Sendable func categoryFeed(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        guard let file = req.parameters.get("file"), file.hasSuffix(".xml"),
            let category = try await Category.find(unitID: unit.id, slug: String(file.dropLast(4)), on: req.db)
        else { throw AppError.notFound }
        return try await feed(req, unit: unit, category: category, selfPath: SiteURL.categoryRSS(slug: .value(category.slug)).path)
    }

    func feed(_ req: Request, unit: ResolvedUnit, category: Category?, selfPath: String) async throws -> Response {
        let base = try base(req)
        let unitID = unit.id
        let categories = Dictionary(uniqueKeysWithValues: try await Category.list(unitID: unitID, on: req.db).compactMap { c in c.id.map { ($0, c.name) } })
        let query = Article.publicQuery(unitID: unitID, on: req.db)
        if let category { query.filter(\.$categoryID == (try category.requireID())) }
        let articles = try await query.sort(\.$publishedAt, .descending).limit(Self.feedSize).all()
        let title = category.map { "\($0.name) – \(unit.name)" } ?? unit.name
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel>
            <title>\(Escape.xml(title))</title>
            <link>\(Escape.xml(base + (category.map { SiteURL.newsCategory(slug: .value($0.slug)).path } ?? "/")))</link>
            <description>\(Escape.xml("Tin tức, thông báo của " + unit.name))</description>
            <language>vi</language>
            <atom:link href="\(Escape.xml(base + selfPath))" rel="self" type="application/rss+xml"/>

            """
        if let latest = articles.first?.publishedAt { xml += "<lastBuildDate>\(Self.rfc822(latest))</lastBuildDate>\n" }
        for article in articles {
            let link = base + SiteURL.article(slug: .value(article.slug)).path
            let summary = article.summary.isEmpty ? String(HTMLSanitizer.plainText(article.bodyHTML).prefix(300)) : article.summary
            xml += "<item>\n<title>\(Escape.xml(article.title))</title>\n<link>\(Escape.xml(link))</link>\n"
            xml += "<guid isPermaLink=\"true\">\(Escape.xml(link))</guid>\n"
            if let date = article.publishAt ?? article.publishedAt { xml += "<pubDate>\(Self.rfc822(date))</pubDate>\n" }
            xml += "<description>\(Escape.xml(summary))</description>\n"
            if !article.authorName.isEmpty { xml += "<dc:creator>\(Escape.xml(article.authorName))</dc:creator>\n" }
            if let name = categories[article.categoryID] { xml += "<category>\(Escape.xml(name))</category>\n" }
            xml += "</item>\n"
        }
        xml += "</channel>\n</rss>\n"
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/rss+xml; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return Response(status: .ok, headers: headers, body: .init(string: xml))
    }

    @Sendable func sitemap(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let unitID = unit.id
        let base = try base(req)
        var urls: [(String, Date?)] = [("/", nil)]
        urls += PortalSections.forType(unit.type).map { ($0.path, nil) }
        urls += try await Category.list(unitID: unitID, on: req.db).map { (SiteURL.newsCategory(slug: .value($0.slug)).path, nil) }
        urls += try await Article.publicQuery(unitID: unitID, on: req.db).sort(\.$publishedAt, .descending).limit(20_000).all()
            .map { (SiteURL.article(slug: .value($0.slug)).path, $0.updatedAt) }
        urls += try await LegalDocument.publicQuery(unitID: unitID, on: req.db).sort(\.$issuedOn, .descending).limit(20_000).all()
            .map { (SiteURL.document(id: .value($0.id!.uuidString.lowercased())).path, $0.updatedAt) }
        urls += try await IntroPage.query(on: req.db).filter(\.$unitID == unitID).filter(\.$published == true).all()
            .filter { $0.slug != "tong-quan" }.map { (SiteURL.introPage(slug: .value($0.slug)).path, $0.updatedAt) }
        var seen = Set<String>()
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for (path, modified) in urls where seen.insert(path).inserted {
            xml += "<url><loc>\(Escape.xml(base + path))</loc>"
            if let modified { xml += "<lastmod>\(VietnameseDate.format(modified, "yyyy-MM-dd"))</lastmod>" }
            xml += "</url>\n"
        }
        xml += "</urlset>\n"
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/xml; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: xml))
    }

    @Sendable func robots(req: Request) async throws -> Response {
        let base = try base(req)
        let text = "User-agent: *\nDisallow: /quan-tri/\nDisallow: /tim-kiem\nSitemap: \(base)/sitemap.xml\n"
        return Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .init(string: text))
    }
}
