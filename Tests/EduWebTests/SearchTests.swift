import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Vietnamese search with and without diacritics. The suite runs on SQLite (FTS5) and on
/// PostgreSQL with the same expectations, so both backends return the same lists.
@Suite struct SearchTests {
    /// Publishes an article directly through the service layer, as the head of the board would.
    func publish(_ title: String, body: String, at unit: OrgUnit, daysAgo: Double = 1, app: Application) async throws -> Article {
        let category = try #require(try await Category.find(unitID: unit.requireID(), slug: "tin-tuc-su-kien", on: app.db))
        let user = try #require(try await User.query(on: app.db).first())
        var input = ContentService.ArticleInput()
        input.title = title
        input.bodyHTML = HTMLSanitizer.sanitize(body)
        input.categoryID = try category.requireID()
        let article = try await ContentService.create(input, at: try await unit.resolved(on: app.db), by: .person(user, address: "test"), on: app.db)
        article.state = .daDang
        article.publishedAt = Date().addingTimeInterval(-daysAgo * 86_400)
        try await article.save(on: app.db)
        try await SearchService.refresh(article, on: app.db)
        return article
    }

    func titles(_ page: Browser.Page) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"<h2><a href="[^"]*">([^<]*)</a></h2>"#)
        return pattern.matches(in: page.body, range: NSRange(page.body.startIndex..., in: page.body)).map {
            (page.body as NSString).substring(with: $0.range(at: 1))
        }
    }

    func search(_ query: String, host: String = "a.test", extra: String = "", app: Application) async throws -> Browser.Page {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        return try await Browser(app: app, host: host).get("/tim-kiem?q=\(encoded)\(extra)")
    }

    @Test func findsWithOrWithoutDiacriticsBothWays() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let a = province.schoolA
            _ = try await publish("Xây dựng trường học thân thiện", body: "<p>Nhà trường phát động phong trào.</p>", at: a, app: app)
            _ = try await publish("Học sinh Đồng Nai giao lưu", body: "<p>Đoàn học sinh tỉnh Đồng Nai đến thăm.</p>", at: a, app: app)
            _ = try await publish("Đoàn công tác đến Da Nang", body: "<p>Chuyến tham quan thành phố Da Nang.</p>", at: a, app: app)
            _ = try await publish("Đọc sách mùa hè", body: "<p>Ngày hội đọc sách.</p>", at: a, app: app)

            let school = try await search("truong hoc", app: app)
            #expect(titles(school) == ["Xây dựng trường học thân thiện"])
            #expect(school.body.contains("Nhà <mark>trường</mark> phát động"))

            #expect(titles(try await search("dong nai", app: app)) == ["Học sinh Đồng Nai giao lưu"])
            #expect(titles(try await search("Đồng Nai", app: app)) == ["Học sinh Đồng Nai giao lưu"])
            #expect(titles(try await search("Đà Nẵng", app: app)) == ["Đoàn công tác đến Da Nang"])
            #expect(titles(try await search("da nang", app: app)) == ["Đoàn công tác đến Da Nang"])
            // Decomposed input from some keyboards folds the same way.
            #expect(titles(try await search("Tru\u{031B}o\u{031B}\u{0300}ng", app: app)) == ["Xây dựng trường học thân thiện"])
            // Word prefixes match; the middle of a word does not.
            #expect(titles(try await search("than thi", app: app)) == ["Xây dựng trường học thân thiện"])
            #expect(titles(try await search("ien", app: app)).isEmpty)
            #expect(titles(try await search("khong co gi", app: app)).isEmpty)
        }
    }

    @Test func rankedByTitleThenFreshnessAndPaged() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let a = province.schoolA
            _ = try await publish("Hoạt động ngoại khóa", body: "<p>Tuyển sinh các câu lạc bộ.</p>", at: a, daysAgo: 1, app: app)
            _ = try await publish("Kế hoạch tuyển sinh lớp 10", body: "<p>Chỉ tiêu tuyển sinh.</p>", at: a, daysAgo: 5, app: app)
            _ = try await publish("Thông báo tuyển sinh bổ sung", body: "<p>Nội dung.</p>", at: a, daysAgo: 2, app: app)
            let page = try await search("tuyển sinh", app: app)
            // Title matches first (the one with more hits first), then the body-only match.
            #expect(titles(page) == ["Kế hoạch tuyển sinh lớp 10", "Thông báo tuyển sinh bổ sung", "Hoạt động ngoại khóa"])
            for index in 0..<12 { _ = try await publish("Tin tuyển sinh số \(index)", body: "<p>x</p>", at: a, daysAgo: Double(10 + index), app: app) }
            let first = try await search("tuyen sinh", app: app)
            #expect(titles(first).count == 10)
            #expect(first.body.contains("15 kết quả"))
            let second = try await search("tuyen sinh", extra: "&trang=2", app: app)
            #expect(titles(second).count == 5)
            #expect(Set(titles(first)).isDisjoint(with: titles(second)))
            #expect(titles(try await search("tuyen sinh", extra: "&loai=document", app: app)).isEmpty)
        }
    }

    @Test func indexFollowsPublicationAndUnits() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let article = try await publish("Lễ tổng kết năm học", body: "<p>Khen thưởng học sinh.</p>", at: province.schoolA, app: app)
            #expect(titles(try await search("tong ket", app: app)) == ["Lễ tổng kết năm học"])
            // Not on a sibling school's site, but on the parent's when it searches its subtree.
            #expect(titles(try await search("tong ket", host: "b.test", app: app)).isEmpty)
            #expect(titles(try await search("tong ket", host: "phong.test", app: app)).isEmpty)
            let subtree = try await search("tong ket", host: "phong.test", extra: "&pham-vi=tat-ca", app: app)
            #expect(titles(subtree) == ["Lễ tổng kết năm học"])
            #expect(subtree.body.contains("http://a.test/bai-viet/"))
            // Unpublished: gone at once.
            article.state = .goXuong
            try await article.save(on: app.db)
            try await SearchService.refresh(article, on: app.db)
            #expect(titles(try await search("tong ket", app: app)).isEmpty)
            // Scheduled for tomorrow: indexed but not shown until its time.
            article.state = .daDang
            article.publishAt = Date().addingTimeInterval(86_400)
            try await article.save(on: app.db)
            try await SearchService.refresh(article, on: app.db)
            #expect(titles(try await search("tong ket", app: app)).isEmpty)
        }
    }

    @Test func snippetsKeepDiacriticsAndMarkMatches() {
        let parts = SearchSnippet.make("Trường THPT Chu Văn An tổ chức lễ khai giảng năm học mới.", terms: ["truong", "khai"])
        #expect(parts.first == SearchSnippet.Segment(text: "Trường", highlight: true))
        #expect(parts.contains(SearchSnippet.Segment(text: "khai", highlight: true)))
        #expect(parts.map(\.text).joined() == "Trường THPT Chu Văn An tổ chức lễ khai giảng năm học mới.")
        let long = String(repeating: "lời mở đầu ", count: 60) + "Đồng Nai" + String(repeating: " phần sau", count: 60)
        let cut = SearchSnippet.make(long, terms: ["dong"])
        #expect(cut.first?.text.hasPrefix("…") == true)
        #expect(cut.contains(SearchSnippet.Segment(text: "Đồng", highlight: true)))
        #expect(cut.last?.text.hasSuffix("…") == true)
    }

    @Test func aCommonWordIsRankedWithinABoundAndThePageSaysHowManyMatched() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            for i in 0..<12 {
                _ = try await publish("Thông báo số \(i)", body: "<p>Thông báo về lịch học tuần \(i).</p>", at: province.schoolA, daysAgo: Double(i + 1), app: app)
            }
            _ = try await publish("Lịch thi học kỳ", body: "<p>Lịch thi.</p>", at: province.schoolA, app: app)
            // Filters run in the database; at most `limit` entries come back, the total is counted.
            let found = try await SearchIndex.candidates(terms: SearchIndex.terms("thong bao"), unitIDs: [try province.schoolA.requireID()], limit: 5, on: app.db)
            #expect(found.entries.count == 5)
            #expect(found.total == 12)
            let recent = try await SearchIndex.candidates(
                terms: SearchIndex.terms("thong bao"), unitIDs: [try province.schoolA.requireID()], from: Date().addingTimeInterval(-3.5 * 86_400), on: app.db)
            #expect(recent.total == 3 && recent.entries.count == 3)
            let none = try await SearchIndex.candidates(terms: SearchIndex.terms("thong bao"), unitIDs: [try province.schoolA.requireID()], kind: "van-ban", on: app.db)
            #expect(none.total == 0 && none.entries.isEmpty)
            // Through the page, with the default bound, all twelve are ranked and listed.
            #expect(try await search("thong bao", app: app).body.contains("12 kết quả"))
        }
    }
}
