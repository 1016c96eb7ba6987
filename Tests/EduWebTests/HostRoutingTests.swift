import Crypto
import EduCore
import EduData
import EduTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct HostRoutingTests {
    @Test func hostPicksTheUnitAndUnknownHostIs404() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            let browser = Browser(app: app, host: "a.test")
            let school = try await browser.get("/")
            #expect(school.status == .ok)
            #expect(school.body.contains("Trường Tiểu học Nguyễn Trãi"))
            #expect(school.body.contains("Phòng Giáo dục và Đào tạo huyện Đồng Văn"))  // link up the tree (A10.1)

            browser.host = "thpt-c.localhost:8080"  // <code>.<base domain> fallback, with a port
            #expect(try await browser.get("/").body.contains("Trường THPT Trần Phú"))

            browser.host = "khong-co.example.vn"
            let unknown = try await browser.get("/")
            #expect(unknown.status == .notFound)
            #expect(unknown.body.contains("Không tìm thấy cổng thông tin"))
            #expect(unknown.headers.contentType == .html)
        }
    }

    @Test func parentPageLinksDownToItsChildren() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            let page = try await Browser(app: app, host: "phong.test").get("/")
            #expect(page.body.contains("http://a.test/"))
            #expect(page.body.contains("http://b.test/"))
            #expect(page.body.contains("http://so.test/"))
        }
    }

    @Test func healthzAnswersOnAnyHost() async throws {
        try await TestApp.run { app in
            let page = try await Browser(app: app, host: "anything.invalid").get("/healthz")
            #expect(page.status == .ok)
        }
    }

    @Test func securityHeadersOnEveryResponse() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            let browser = Browser(app: app, host: "a.test")
            for path in ["/", "/khong-ton-tai", "/quan-tri/dang-nhap", "/api/v1/units"] {
                let page = try await browser.get(path)
                let csp = page.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(csp.contains("script-src 'self'"), "\(path)")
                #expect(!csp.contains("unsafe-inline"), "\(path)")
                #expect(csp.contains("frame-ancestors 'none'"), "\(path)")
                #expect(page.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                #expect(page.headers.first(name: "Referrer-Policy") != nil, "\(path)")
                // Public pages carry the stylesheet in a style element (one round trip less on a
                // phone): the CSP allows exactly that element by its hash, nothing else inline.
                if let range = page.body.range(of: #"<style>[\s\S]*?</style>"#, options: .regularExpression) {
                    let style = String(page.body[range].dropFirst("<style>".count).dropLast("</style>".count))
                    let digest = Data(SHA256.hash(data: Data(style.utf8))).base64EncodedString()
                    #expect(csp.contains("style-src 'self' 'sha256-\(digest)'"), "\(path): \(csp)")
                    #expect(style.contains(".main-nav") && page.body.components(separatedBy: "<style").count == 2, "\(path)")
                }
            }
            for path in ["/", "/khong-ton-tai"] {
                let page = try await browser.get(path)
                #expect(page.body.contains("<style>"), "\(path)")
            }
            // The admin links it: cached across an editor's many pages.
            let login = try await browser.get("/quan-tri/dang-nhap")
            #expect(!login.body.contains("<style>") && login.body.contains("<link rel=\"stylesheet\" href=\"/static/app."))
            #expect(try await browser.get("/khong-ton-tai").status == .notFound)
        }
    }

    @Test func staticAssetsAreFingerprintedAndCachedLong() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            let browser = Browser(app: app, host: "a.test")
            // Admin pages link the stylesheet (public pages carry it inline), public pages the script.
            let login = try await browser.get("/quan-tri/dang-nhap")
            let home = try await browser.get("/")
            for (page, pattern) in [(login, #"/static/app\.[0-9a-f]{10}\.css"#), (home, #"/static/site\.[0-9a-f]{10}\.js"#)] {
                let href = try #require(page.body.range(of: pattern, options: .regularExpression).map { String(page.body[$0]) })
                let asset = try await browser.get(href)
                #expect(asset.status == .ok, "\(href)")
                #expect(asset.headers.first(name: .cacheControl)?.contains("immutable") == true, "\(href)")
            }
            #expect(try await browser.get("/static/../Package.swift").status == .notFound)
        }
    }
}

@Suite struct UnitsAPITests {
    struct Listing: Decodable {
        struct Unit: Decodable {
            let code: String
            let type: String
            let name: String
            let nameEn: String
            let hostnames: [String]
            let parentCode: String?
            let email: String
            let mailDomain: String
        }

        let units: [Unit]
    }

    @Test func listsTheWholeTreeWithPublicDataOnly() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            let page = try await Browser(app: app, host: "so.test").get("/api/v1/units")
            #expect(page.status == .ok)
            #expect(page.headers.contentType?.subType == "json")
            let listing = try JSONDecoder().decode(Listing.self, from: Data(page.body.utf8))
            let byCode = Dictionary(uniqueKeysWithValues: listing.units.map { ($0.code, $0) })
            #expect(byCode.count == 5)
            #expect(byCode["so-thu"]?.parentCode == nil)
            #expect(byCode["th-a"]?.parentCode == "phong-thu")
            #expect(byCode["th-a"]?.type == "tieu-hoc")
            #expect(byCode["th-a"]?.hostnames == ["a.test"])
            #expect(byCode["phong-thu"]?.email == "vanphong@phong-thu.edu.vn")
            #expect(page.body.contains("\"parentCode\":null"))
            #expect(!page.body.contains("password"))
            #expect(!page.body.contains("require_totp"))
        }
    }
}

@Suite struct PublicSectionTests {
    @Test func englishPagesCoverIntroductionContactAndServices() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            province.so.nameEn = "Thu Nghiem Department of Education and Training"
            try await province.so.save(on: app.db)
            let browser = Browser(app: app, host: "so.test")
            let intro = try await browser.get("/en/")
            #expect(intro.status == .ok)
            #expect(intro.body.contains("<html lang=\"en\">"))
            #expect(intro.body.contains("<header class=\"site-header with-nav\" lang=\"vi\">"))  // the Vietnamese frame is marked
            #expect(intro.body.contains("Thu Nghiem Department of Education and Training"))
            #expect(try await browser.get("/en/contact").body.contains("mailto:vanphong@so-thu.edu.vn"))
            let services = try await browser.get("/en/online-services")
            #expect(services.body.contains("Exam score lookup"))
            #expect(try await browser.get("/en/khong-co").status == .notFound)
        }
    }

    @Test func everySectionOfTheCircularIsInTheNavigationAndAnswers() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            for (host, type) in [("so.test", UnitType.so), ("a.test", UnitType.tieuHoc)] {
                let browser = Browser(app: app, host: host)
                let home = try await browser.get("/")
                for section in PortalSections.forType(type) {
                    #expect(home.body.contains("href=\"\(section.path)\""), "\(host) lacks \(section.path) in its navigation")
                    #expect(try await browser.get(section.path).status == .ok, "\(host)\(section.path)")
                }
            }
            // A section without content says so, in its own words.
            #expect(try await Browser(app: app, host: "so.test").get("/tai-nguyen").body.contains("Chưa có tài nguyên nào được đăng."))
            #expect(try await Browser(app: app, host: "so.test").get("/thu-tuc-hanh-chinh").body.contains("Chưa có thủ tục nào được đăng."))
        }
    }
}
