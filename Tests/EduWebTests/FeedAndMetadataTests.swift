import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Collects element texts of an XML document, failing on malformed XML.
final class XMLCollector: NSObject, XMLParserDelegate {
    var elements: [(String, String)] = []
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        elements.append((qualifiedName ?? name, text))
        text = ""
    }

    static func parse(_ xml: String) -> [(String, String)]? {
        let collector = XMLCollector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        return parser.parse() ? collector.elements : nil
    }
}

@Suite struct FeedAndMetadataTests {
    func publish(_ title: String, slug category: String, at unit: OrgUnit, app: Application, author: String = "Nguyễn Văn Tác Giả") async throws -> Article {
        let category = try #require(try await Category.find(unitID: unit.requireID(), slug: category, on: app.db))
        let user = try #require(try await User.query(on: app.db).first())
        var input = ContentService.ArticleInput()
        input.title = title
        input.summary = "Tóm tắt <đặc biệt> & \"ký tự\""
        input.bodyHTML = "<p>Nội dung.</p>"
        input.authorName = author
        input.source = "Báo Giáo dục và Thời đại"
        input.categoryID = try category.requireID()
        let article = try await ContentService.create(input, at: try await unit.resolved(on: app.db), by: .person(user, address: "test"), on: app.db)
        article.state = .daDang
        article.publishedAt = Date().addingTimeInterval(-3600)
        try await article.save(on: app.db)
        return article
    }

    @Test func feedsAreWellFormedRSSWithOnlyPublicItems() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let news = try await publish("Tin <mới> & đẹp", slug: "tin-tuc-su-kien", at: province.schoolA, app: app)
            _ = try await publish("Thông báo nghỉ lễ", slug: "thong-bao", at: province.schoolA, app: app)
            let draft = try await publish("Bản nháp", slug: "tin-tuc-su-kien", at: province.schoolA, app: app)
            draft.state = .nhap
            try await draft.save(on: app.db)

            let browser = Browser(app: app, host: "a.test")
            let site = try await browser.get("/rss.xml")
            #expect(site.headers.first(name: .contentType)?.hasPrefix("application/rss+xml") == true)
            let elements = try #require(XMLCollector.parse(site.body))
            let titles = elements.filter { $0.0 == "title" }.map(\.1)
            #expect(titles.contains("Tin <mới> & đẹp"))
            #expect(titles.contains("Thông báo nghỉ lễ"))
            #expect(!titles.contains("Bản nháp"))
            #expect(elements.contains { $0.0 == "link" && $0.1 == "http://a.test/bai-viet/\(news.slug)" })
            #expect(elements.contains { $0.0 == "dc:creator" && $0.1 == "Nguyễn Văn Tác Giả" })
            // A description is HTML to a reader: the plain-text summary arrives as text, never as markup.
            let descriptions = elements.filter { $0.0 == "description" }.map(\.1)
            #expect(descriptions.contains("Tóm tắt &lt;đặc biệt&gt; &amp; \"ký tự\""))
            #expect(!descriptions.contains { $0.contains("<đặc biệt>") })
            let category = try #require(XMLCollector.parse(try await browser.get("/rss/thong-bao.xml").body))
            #expect(category.filter { $0.0 == "item" }.count == 1)
            #expect(try await browser.get("/rss/khong-co.xml").status == .notFound)
            // Every public page announces the site feed.
            #expect(try await browser.get("/").body.contains(#"<link rel="alternate" type="application/rss+xml""#))
        }
    }

    @Test func sitemapAndRobots() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let author = try await province.user("vanthu@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
            let article = try await publish("Tin có trong sơ đồ", slug: "tin-tuc-su-kien", at: province.schoolA, app: app)
            // Published but not public: one expired, one due tomorrow; and a draft.
            let expired = try await publish("Tin đã hết hạn", slug: "tin-tuc-su-kien", at: province.schoolA, app: app)
            expired.expiresAt = Date().addingTimeInterval(-60)
            try await expired.save(on: app.db)
            let scheduled = try await publish("Tin hẹn giờ ngày mai", slug: "tin-tuc-su-kien", at: province.schoolA, app: app)
            scheduled.publishAt = Date().addingTimeInterval(86_400)
            try await scheduled.save(on: app.db)
            let draft = try await publish("Tin nháp", slug: "tin-tuc-su-kien", at: province.schoolA, app: app)
            draft.state = .nhap
            try await draft.save(on: app.db)
            let document = try await UnitChangeTests.publishedDocument(
                "12/QĐ-THA", "Quyết định thành lập tổ chuyên môn", at: try await province.schoolA.resolved(on: app.db), by: author, on: app.db)
            // Another unit's article is not in this map.
            let elsewhere = try await publish("Tin của trường khác", slug: "tin-tuc-su-kien", at: province.schoolB, app: app)
            let browser = Browser(app: app, host: "a.test")
            let map = try #require(XMLCollector.parse(try await browser.get("/sitemap.xml").body))
            let locations = map.filter { $0.0 == "loc" }.map(\.1)
            // The element after an item's <loc> is its <lastmod>: the day it was last changed, in Vietnam.
            func lastModified(_ location: String) -> String? {
                guard let index = map.firstIndex(where: { $0.0 == "loc" && $0.1 == location }), index + 1 < map.count, map[index + 1].0 == "lastmod" else { return nil }
                return map[index + 1].1
            }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
            func day(_ date: Date?) -> String? {
                date.map { let c = calendar.dateComponents([.year, .month, .day], from: $0); return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!) }
            }
            let articleURL = "http://a.test/bai-viet/\(article.slug)"
            let documentURL = "http://a.test/van-ban/\(try document.requireID().uuidString.lowercased())"
            #expect(locations.contains(articleURL))
            let stored = try await Article.find(article.id, on: app.db)
            #expect(lastModified(articleURL) != nil && lastModified(articleURL) == day(stored?.updatedAt))
            #expect(locations.contains(documentURL))
            #expect(lastModified(documentURL) != nil && lastModified(documentURL) == day(document.updatedAt))
            for hidden in [expired, scheduled, draft, elsewhere] { #expect(!locations.contains("http://a.test/bai-viet/\(hidden.slug)")) }
            #expect(locations.contains("http://a.test/van-ban"))
            #expect(!locations.contains { $0.contains("quan-tri") })
            let robots = try await browser.get("/robots.txt").body
            #expect(robots.contains("Disallow: /quan-tri/"))
            #expect(robots.contains("Sitemap: http://a.test/sitemap.xml"))
        }
    }

    @Test func articlePagesCarryCanonicalDublinCoreOpenGraphAndJSONLD() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let article = try await publish("Khai giảng </script><script>alert(1)</script>", slug: "tin-tuc-su-kien", at: province.schoolA, app: app)
            let page = try await Browser(app: app, host: "a.test").get("/bai-viet/\(article.slug)")
            #expect(page.body.contains("<link rel=\"canonical\" href=\"http://a.test/bai-viet/\(article.slug)\">"))
            #expect(page.body.contains("<meta name=\"DC.creator\" content=\"Nguyễn Văn Tác Giả\">"))
            #expect(page.body.contains("<meta name=\"DC.source\" content=\"Báo Giáo dục và Thời đại\">"))
            #expect(page.body.contains("<meta property=\"og:type\" content=\"article\">"))
            let start = try #require(page.body.range(of: "<script type=\"application/ld+json\">"))
            let end = try #require(page.body[start.upperBound...].range(of: "</script>"))
            let json = String(page.body[start.upperBound..<end.lowerBound])
            #expect(!json.contains("<"))  // the title's "</script>" cannot close the block
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let graph = try #require(object["@graph"] as? [[String: Any]])
            let types = graph.compactMap { $0["@type"] as? String }
            #expect(types.contains("EducationalOrganization"))
            #expect(types.contains("BreadcrumbList"))
            #expect(types.contains("NewsArticle"))
            let news = try #require(graph.first { $0["@type"] as? String == "NewsArticle" })
            #expect((news["headline"] as? String)?.hasPrefix("Khai giảng </script>") == true)
            // An agency's pages describe a government organisation.
            let so = try await Browser(app: app, host: "so.test").get("/")
            #expect(so.body.contains("GovernmentOrganization"))
        }
    }
}
