import EduCore
import EduData
import Fluent
import Vapor

/// An RSS 2.0 channel of a unit's published news (or one category's): the query and the XML.
struct RSSFeed {
    let xml: String

    /// `base`: the portal's absolute address, no trailing slash.
    static func query(base: String, unit: ResolvedUnit, category: Category?, selfPath: String, on db: any Database) async throws -> RSSFeed {
        let unitID = unit.id
        let categories = Dictionary(uniqueKeysWithValues: try await Category.list(unitID: unitID, on: db).compactMap { c in c.id.map { ($0, c.name) } })
        let query = Article.publicQuery(unitID: unitID, on: db)
        if let category { query.filter(\.$categoryID == (try category.requireID())) }
        let articles = try await query.sort(\.$publishedAt, .descending).limit(FeedController.feedSize).all()
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
        if let latest = articles.first?.publishedAt { xml += "<lastBuildDate>\(FeedController.rfc822(latest))</lastBuildDate>\n" }
        for article in articles {
            let link = base + SiteURL.article(slug: .value(article.slug)).path
            let summary = article.summary.isEmpty ? String(HTMLSanitizer.plainText(article.bodyHTML).prefix(300)) : article.summary
            xml += "<item>\n<title>\(Escape.xml(article.title))</title>\n<link>\(Escape.xml(link))</link>\n"
            xml += "<guid isPermaLink=\"true\">\(Escape.xml(link))</guid>\n"
            if let date = article.publishAt ?? article.publishedAt { xml += "<pubDate>\(FeedController.rfc822(date))</pubDate>\n" }
            // RSS descriptions are HTML, which readers render: the plain-text summary is made HTML
            // first (its "<script>" stays text), then escaped for XML.
            xml += "<description>\(Escape.xml(Escape.html(summary)))</description>\n"
            if !article.authorName.isEmpty { xml += "<dc:creator>\(Escape.xml(article.authorName))</dc:creator>\n" }
            if let name = categories[article.categoryID] { xml += "<category>\(Escape.xml(name))</category>\n" }
            xml += "</item>\n"
        }
        xml += "</channel>\n</rss>\n"
        return RSSFeed(xml: xml)
    }
}
