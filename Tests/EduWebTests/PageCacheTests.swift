import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

@Suite struct PageCacheTests {
    @Test func pagesAreCachedWithETagsAndRenewedWhenContentChanges() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let visitor = Browser(app: app, host: "a.test")
            let first = try await visitor.get("/tin-tuc")
            #expect(first.headers.first(name: "X-Cache") == "miss")
            let etag = try #require(first.headers.first(name: .eTag))
            let second = try await visitor.get("/tin-tuc")
            #expect(second.headers.first(name: "X-Cache") == "hit")
            #expect(second.body == first.body)

            // A conditional request with the current tag gets 304 and no body.
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .host, value: "a.test")
            headers.replaceOrAdd(name: .ifNoneMatch, value: etag)
            try await app.testing().test(.GET, "/tin-tuc", headers: headers) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }

            // Publishing through the workflow shows at once.
            let head = Browser(app: app, host: "a.test")
            try await head.login("truongban@a.edu.vn", Province.password)
            let category = try #require(try await Category.find(unitID: province.schoolA.requireID(), slug: "tin-tuc-su-kien", on: app.db))
            try await head.get("/quan-tri/don-vi/th-a/bai-viet/moi")
            try await head.post("/quan-tri/don-vi/th-a/bai-viet/moi",
                                ["title": "Tin vừa đăng", "category": try category.requireID().uuidString, "body": "<p>Mới.</p>"])
            let article = try #require(try await Article.query(on: app.db).first())
            let path = "/quan-tri/don-vi/th-a/bai-viet/\(try article.requireID().uuidString)"
            for step in ["gui-duyet", "duyet", "dang"] {
                try await head.get(path)
                try await head.post(path + "/chuyen-trang-thai", ["transition": step])
            }
            let after = try await visitor.get("/tin-tuc")
            #expect(after.headers.first(name: "X-Cache") == "miss")
            #expect(after.body.contains("Tin vừa đăng"))
            #expect(after.headers.first(name: .eTag) != etag)
            // Another unit's cached pages are untouched by it.
            #expect(try await Browser(app: app, host: "b.test").get("/tin-tuc").headers.first(name: "X-Cache") == "miss")
            #expect(try await Browser(app: app, host: "b.test").get("/tin-tuc").headers.first(name: "X-Cache") == "hit")
        }
    }

    @Test func adminAndSearchAreNeverCached() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            let browser = Browser(app: app, host: "a.test")
            for path in ["/quan-tri/dang-nhap", "/tim-kiem?q=abc"] {
                try await browser.get(path)
                #expect(try await browser.get(path).headers.first(name: "X-Cache") == nil, "\(path)")
            }
        }
    }
}
