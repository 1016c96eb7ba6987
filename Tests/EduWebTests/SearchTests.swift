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
            // Whole words, every one, in any order; never part of a word.
            #expect(titles(try await search("than thien", app: app)) == ["Xây dựng trường học thân thiện"])
            #expect(titles(try await search("hoc truong", app: app)) == ["Xây dựng trường học thân thiện"])
            #expect(titles(try await search("than thi", app: app)).isEmpty)
            #expect(titles(try await search("truon", app: app)).isEmpty)
            #expect(titles(try await search("ien", app: app)).isEmpty)
            #expect(titles(try await search("truong hoc nai", app: app)).isEmpty)
            #expect(titles(try await search("khong co gi", app: app)).isEmpty)
        }
    }

    @Test func aGradeIsAWordLop1IsNotLop10() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            _ = try await publish("Tuyển sinh lớp 10 năm học 2026–2027", body: "<p>Kế hoạch.</p>", at: province.schoolA, app: app)
            _ = try await publish("Tuyển sinh lớp 1 năm học 2026–2027", body: "<p>Kế hoạch.</p>", at: province.schoolA, daysAgo: 3, app: app)
            _ = try await publish("Đón học sinh lớp 10 nhập học", body: "<p>Đồng phục.</p>", at: province.schoolA, daysAgo: 2, app: app)
            #expect(titles(try await search("lop 1", app: app)) == ["Tuyển sinh lớp 1 năm học 2026–2027"])
            #expect(titles(try await search("lớp 10", app: app)) == ["Tuyển sinh lớp 10 năm học 2026–2027", "Đón học sinh lớp 10 nhập học"])
            // The snippet marks whole words only.
            let page = try await search("lop 1", app: app)
            #expect(page.body.contains("<mark>1</mark>") || !page.body.contains("<mark>10</mark>"))
            #expect(!page.body.contains("<mark>10</mark>"))
        }
    }

    @Test func allWordsInTheTitleComeBeforeSomeThenTheBodyThenNewer() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let a = province.schoolA
            // Older items with only "học" in the title; the newest has both words; one has them in the body only.
            _ = try await publish("Học bổng cho học sinh nghèo", body: "<p>Trao học bổng tại trường.</p>", at: a, daysAgo: 9, app: app)
            _ = try await publish("Lịch học kỳ II", body: "<p>Các lớp của trường học theo lịch mới.</p>", at: a, daysAgo: 8, app: app)
            _ = try await publish("Trường học xanh, sạch, đẹp", body: "<p>Phong trào.</p>", at: a, daysAgo: 1, app: app)
            _ = try await publish("Hội khỏe Phù Đổng", body: "<p>Trường học tổ chức thi đấu.</p>", at: a, daysAgo: 0.5, app: app)
            _ = try await publish("Trường THPT đạt chuẩn quốc gia", body: "<p>Năm học 2025–2026.</p>", at: a, daysAgo: 3, app: app)
            #expect(titles(try await search("truong hoc", app: app)) == [
                "Trường học xanh, sạch, đẹp",  // both words in the title
                "Trường THPT đạt chuẩn quốc gia",  // one word in the title, newest of those
                "Lịch học kỳ II", "Học bổng cho học sinh nghèo",  // one word, older
                "Hội khỏe Phù Đổng",  // body only, although the newest
            ])
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
            // Every word in the title first, newer first among them; then the body-only match.
            #expect(titles(page) == ["Thông báo tuyển sinh bổ sung", "Kế hoạch tuyển sinh lớp 10", "Hoạt động ngoại khóa"])
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

    /// The ranking rule written out plainly, to check the SQL against: how many of the query
    /// words the title holds as whole words, more first; then newer; then the title.
    func referenceRank(_ entries: [SearchEntry], terms: [String]) -> [String] {
        func score(_ entry: SearchEntry) -> Int {
            let words = Set(entry.foldedTitle.split(separator: " ").map(String.init))
            return terms.filter(words.contains).count
        }
        return entries.sorted { a, b in
            let sa = score(a), sb = score(b)
            if sa != sb { return sa > sb }
            if a.publishedAt != b.publishedAt { return (a.publishedAt ?? .distantPast) > (b.publishedAt ?? .distantPast) }
            return a.rankKey > b.rankKey  // the same moment: the order the index keeps
        }.map(\.title)
    }

    @Test func rankedCountedAndPagedInTheDatabase() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let a = try province.schoolA.requireID()
            // Titles with both words, one of them, or neither (body only).
            for i in 0..<23 {
                let title = i % 4 == 0 ? "Thông báo số \(i)" : (i % 3 == 0 ? "Báo cáo số \(i)" : "Tin số \(i)")
                let filler = i == 5 ? String(repeating: "lời mở đầu ", count: 500) : ""
                let body = "<p>\(filler)" + String(repeating: "Thông báo về lịch học. ", count: i == 7 ? 30 : 1 + i % 5) + "Bài \(i).</p>"
                _ = try await publish(title, body: body, at: province.schoolA, daysAgo: Double(i % 6) + 1, app: app)
            }
            _ = try await publish("Lịch thi học kỳ", body: "<p>Lịch thi.</p>", at: province.schoolA, app: app)
            let terms = SearchIndex.terms("thông báo")
            let all = try await SearchEntry.query(on: app.db).all().filter { entry in
                terms.allSatisfy { term in entry.folded.split(separator: " ").contains { $0 == term } }
            }
            #expect(all.count == 23)
            let expected = referenceRank(all, terms: terms)
            // Page by page, the database returns the reference order, one page at a time.
            var pages: [String] = []
            for offset in stride(from: 0, to: 30, by: 7) {
                let page = try await SearchIndex.search(terms: terms, scope: .unit(a), offset: offset, limit: 7, on: app.db)
                #expect(page.total == 23)
                #expect(page.entries.count == max(0, min(7, 23 - offset)))
                pages += page.entries.map(\.title)
            }
            #expect(pages == expected)
            // Filters run in the database and change the count.
            let recent = try await SearchIndex.search(terms: terms, scope: .unit(a), from: Date().addingTimeInterval(-1.5 * 86_400), limit: 50, on: app.db)
            #expect(recent.total == all.filter { ($0.publishedAt ?? .distantPast) >= Date().addingTimeInterval(-1.5 * 86_400) }.count)
            #expect(recent.total > 0 && recent.total < 23 && recent.entries.count == recent.total)
            let none = try await SearchIndex.search(terms: terms, scope: .unit(a), kind: "document", limit: 10, on: app.db)
            #expect(none.total == 0 && none.entries.isEmpty)
            // Through the page: the count, the third page, and a page past the end shows the last.
            let third = try await search("thong bao", extra: "&trang=3", app: app)
            #expect(third.body.contains("23 kết quả"))
            #expect(titles(third) == Array(expected[20...]))
            #expect(titles(try await search("thong bao", extra: "&trang=999999999", app: app)) == Array(expected[20...]))
        }
    }
}

extension SearchTests {
    /// Searches are not cached: one per core runs at a time, 64 wait, the next is told to come back.
    /// At scale (#19): a word most items hold is answered from the newest `SearchIndex.window`
    /// matches, ranked among them, and the page says there are more; a rare word is counted exactly.
    @Test func aCommonWordIsRankedAmongTheNewestMatchesAndSaysThereAreMore() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let items = SearchIndex.window + 150
            _ = try await BenchSearchData.fill(app: app, unitCode: "th-a", items: items, units: 0, perUnit: 0)
            let a = try province.schoolA.requireID()
            let terms = SearchIndex.terms("học")
            let matches = try await SearchEntry.query(on: app.db).filter(\.$unitID == a).all().filter { entry in
                terms.allSatisfy { term in entry.folded.split(separator: " ").contains { $0 == term } }
            }
            #expect(matches.count > SearchIndex.window)
            let newest = Array(matches.sorted { $0.rankKey > $1.rankKey }.prefix(SearchIndex.window))
            let expected = referenceRank(newest, terms: terms)
            let first = try await SearchIndex.search(terms: terms, scope: .unit(a), limit: 10, on: app.db)
            #expect(first.more && first.total == SearchIndex.window)
            #expect(first.entries.map(\.title) == Array(expected.prefix(10)))
            let last = try await SearchIndex.search(terms: terms, scope: .unit(a), offset: SearchIndex.window - 10, limit: 10, on: app.db)
            #expect(last.entries.map(\.title) == Array(expected.suffix(10)))
            let page = try await search("học", app: app)
            #expect(page.body.contains("Hơn \(SearchIndex.window) kết quả") && titles(page).count == 10)
            // The last page of the window, also when a later one is asked for.
            #expect(titles(try await search("hoc", extra: "&trang=5000", app: app)) == Array(expected.suffix(10)))
            // A rare word: every match, counted exactly (the generator puts it in item 17 only).
            let rare = try await SearchIndex.search(terms: SearchIndex.terms("Quỳnh Nhai"), scope: .unit(a), limit: 10, on: app.db)
            #expect(!rare.more && rare.total == 1 && rare.entries.first?.title.contains("Quỳnh Nhai") == true)
            // A kind and a period narrow the window in the index, before it is cut.
            let documents = try await SearchIndex.search(terms: terms, scope: .unit(a), kind: "document", limit: 10, on: app.db)
            #expect(documents.total == min(SearchIndex.window, matches.filter { $0.kind == "document" }.count))
            #expect(documents.entries.allSatisfy { $0.kind == "document" })
            let from = Date(timeIntervalSince1970: 1_793_491_200 - 3 * 86_400)
            let recent = try await SearchIndex.search(terms: terms, scope: .unit(a), from: from, limit: 500, on: app.db)
            #expect(!recent.more && recent.total == matches.filter { ($0.publishedAt ?? .distantPast) >= from }.count)
            // The school's items are not in its sibling's search, and are in the office's subtree search.
            #expect(try await SearchIndex.search(terms: terms, scope: .unit(try province.schoolB.requireID()), limit: 10, on: app.db).total == 0)
            let phong = try province.phong.requireID()
            let subtree = try await SearchIndex.search(
                terms: terms, scope: .subtree(root: phong, unitIDs: try await OrgUnit.subtree(of: province.phong, on: app.db).map { try $0.requireID() }),
                limit: 10, on: app.db)
            #expect(subtree.more && subtree.entries.map(\.title) == Array(expected.prefix(10)))
        }
    }

    /// The scope of a search is never read from an item's text: a school cannot put its news in
    /// another school's search by writing the other's scope word.
    @Test func textCannotClaimAnotherUnitsScope() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let b = try province.schoolB.requireID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            _ = try await publish("Thông báo chen ngang", body: "<p>o\(b) u\(b) scope kind folded chenngang</p>", at: province.schoolA, app: app)
            #expect(titles(try await search("chen ngang", app: app)) == ["Thông báo chen ngang"])
            #expect(titles(try await search("chenngang", host: "b.test", app: app)).isEmpty)
            #expect(titles(try await search("o\(b)", host: "b.test", app: app)).isEmpty)
            #expect(titles(try await search("u\(b) chenngang", host: "b.test", extra: "&pham-vi=tat-ca", app: app)).isEmpty)
            // Query words that look like the index's own syntax are words, nothing else.
            for hostile in ["scope : x", "NEAR(a b)", "\"hoc\" OR \"x\"", "a* AND b", "kind:document", "'; DROP TABLE search_fts; --", "chen & ngang | !x"] {
                let page = try await search(hostile, app: app)
                #expect(page.status == .ok, "\(hostile)")
            }
            #expect(titles(try await search("chen & ngang", app: app)) == ["Thông báo chen ngang"])
        }
    }

    /// Search pages are kept like other pages, apart from them: a repeat is served from memory,
    /// a publication is found at once, and a request shares a page only with the same query string.
    @Test func searchPagesAreCachedAndFollowPublication() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            _ = try await publish("Lịch thi học kỳ I", body: "<p>Lịch thi.</p>", at: province.schoolA, app: app)
            let visitor = Browser(app: app, host: "a.test")
            let first = try await visitor.get("/tim-kiem?q=lich+thi")
            let second = try await visitor.get("/tim-kiem?q=lich+thi")
            #expect(first.headers.first(name: "X-Cache") == "miss" && second.headers.first(name: "X-Cache") == "hit")
            #expect(titles(second) == ["Lịch thi học kỳ I"] && app.searchPageCache.count == 1)
            // Another school's page for the same words is another page.
            #expect(titles(try await Browser(app: app, host: "b.test").get("/tim-kiem?q=lich+thi")).isEmpty)
            _ = try await publish("Lịch thi học kỳ II", body: "<p>Lịch thi.</p>", at: province.schoolA, daysAgo: 0.5, app: app)
            #expect(titles(try await visitor.get("/tim-kiem?q=lich+thi")) == ["Lịch thi học kỳ II", "Lịch thi học kỳ I"])
            // A parameter sent twice is its own key: never the page of the other query.
            let twice = try await visitor.get("/tim-kiem?q=khong+co&q=lich+thi")
            let other = try await visitor.get("/tim-kiem?q=lich+thi")
            #expect(other.headers.first(name: "X-Cache") == "hit" && titles(other).count == 2)
            #expect(twice.body.contains("«khong co»") == !twice.body.contains("«lich thi»"))
        }
    }

    @Test func searchesBeyondTheQueueAreRefusedWithAVietnameseMessage() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            let gate = app.searchGate
            let loop = app.eventLoopGroup.any()
            // Take every running slot and every waiting place.
            for _ in 0..<gate.limit { try await gate.acquire(on: loop).get() }
            let waiting = (0..<gate.maxWaiting).map { _ in gate.acquire(on: loop) }
            let refused = try await Browser(app: app, host: "a.test").get("/tim-kiem?q=thong+bao")
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers.first(name: "Retry-After") == "5")
            #expect(refused.body.contains("Máy chủ đang xử lý nhiều lượt tìm kiếm cùng lúc"))
            // Released, the waiting ones run in turn and the next search is answered.
            for _ in 0..<gate.limit { gate.release() }
            for future in waiting { try await future.get(); gate.release() }
            let answered = try await Browser(app: app, host: "a.test").get("/tim-kiem?q=thong+bao")
            #expect(answered.status == .ok)
            #expect(answered.body.contains("0 kết quả"))
        }
    }
}
