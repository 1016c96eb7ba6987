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
        let feed = try await RSSFeed.query(base: try base(req), unit: unit, category: category, selfPath: selfPath, on: req.db)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/rss+xml; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return Response(status: .ok, headers: headers, body: .init(string: feed.xml))
    }

    @Sendable func sitemap(req: Request) async throws -> Response {
        let sitemap = try await Sitemap.query(base: try base(req), unit: try req.requireUnit(), on: req.db)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/xml; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: sitemap.xml))
    }

    @Sendable func robots(req: Request) async throws -> Response {
        let base = try base(req)
        let text = "User-agent: *\nDisallow: /quan-tri/\nDisallow: /tim-kiem\nSitemap: \(base)/sitemap.xml\n"
        return Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .init(string: text))
    }
}
