import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import Vapor
@testable import EduWeb

/// Visits (#19 point 5): counted by the server per unit, day and page, without cookies; robots,
/// prefetches, files and the admin left out; shown to the unit's staff and nobody else's; read
/// from nginx's syslog lines when nginx caches the pages. The monitoring script setting: loaded
/// from its address only, its origin alone added to that unit's public pages' CSP.
@Suite struct VisitTests {
    static let phone = "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36"

    @discardableResult
    static func open(_ app: Application, _ host: String, _ path: String, agent: String? = phone, method: HTTPMethod = .GET,
                     extra: [(String, String)] = []) async throws -> (status: HTTPStatus, headers: HTTPHeaders, body: String) {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .host, value: host)
        if let agent { headers.replaceOrAdd(name: .userAgent, value: agent) }
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        var result: (HTTPStatus, HTTPHeaders, String)?
        try await app.testing().test(method, path, headers: headers) { response in
            result = (response.status, response.headers, response.body.string)
        }
        return try #require(result)
    }

    /// Every stored (path → count) of a unit, all days.
    static func stored(_ app: Application, _ unit: OrgUnit) async throws -> [String: Int] {
        let rows = try await VisitService.pages(unitID: unit.requireID(), from: "2000-01-01", offset: 0, limit: 1000, on: app.db).rows
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.path, $0.count) })
    }

    @Test func pagesPeopleOpenAreCountedPerUnitAndPageAndNothingElseIs() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            // Visits: the home page twice (the second from the page cache), the news list with and
            // without a trailing slash, a page asked again with its ETag (304), another school.
            let first = try await Self.open(app, "a.test", "/")
            #expect(first.status == .ok)
            #expect(try await Self.open(app, "a.test", "/").headers.first(name: "X-Cache") == "hit")
            try await Self.open(app, "a.test", "/tin-tuc")
            try await Self.open(app, "a.test", "/tin-tuc/")
            let etag = try #require(first.headers.first(name: .eTag))
            #expect(try await Self.open(app, "a.test", "/", extra: [("If-None-Match", etag)]).status == .notModified)
            try await Self.open(app, "b.test", "/")
            // Not visits: robots and tools, no User-Agent, prefetches, HEAD, a missing page, a
            // feed, the admin, a file of the theme.
            try await Self.open(app, "a.test", "/", agent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
            try await Self.open(app, "a.test", "/", agent: "curl/8.5.0")
            try await Self.open(app, "a.test", "/", agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0 Safari/537.36")
            try await Self.open(app, "a.test", "/", agent: nil)
            try await Self.open(app, "a.test", "/", extra: [("Sec-Purpose", "prefetch;prerender")])
            try await Self.open(app, "a.test", "/", extra: [("Purpose", "prefetch")])
            try await Self.open(app, "a.test", "/", method: .HEAD)
            #expect(try await Self.open(app, "a.test", "/khong-co-trang-nay").status == .notFound)
            try await Self.open(app, "a.test", "/rss.xml")
            try await Self.open(app, "a.test", "/quan-tri/dang-nhap")
            #expect(app.visitCounter.pending == 6)

            #expect(try await app.visitCounter.flush(on: app.db) == 6)
            #expect(app.visitCounter.pending == 0)
            #expect(try await Self.stored(app, province.schoolA) == ["/": 3, "/tin-tuc": 2])
            #expect(try await Self.stored(app, province.schoolB) == ["/": 1])
            #expect(try await Self.stored(app, province.so).isEmpty)

            // A second flush adds to the stored counts (the same day's rows are updated, not replaced).
            try await Self.open(app, "a.test", "/")
            try await app.visitCounter.flush(on: app.db)
            #expect(try await Self.stored(app, province.schoolA) == ["/": 4, "/tin-tuc": 2])
            #expect(try await app.visitCounter.flush(on: app.db) == 0)
        }
    }

    @Test func theStaffSeeTheirUnitsVisitsAndNoOneElses() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("bientap@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            try await province.user("canbo@a.edu.vn", .canBo, at: province.schoolA, app: app)
            for _ in 0..<3 { try await Self.open(app, "a.test", "/tin-tuc") }
            try await Self.open(app, "a.test", "/")
            for _ in 0..<2 { try await Self.open(app, "b.test", "/") }
            // Not flushed yet: the page writes this node's counts before reading.
            let editor = Browser(app: app, host: "a.test")
            try await editor.login("bientap@a.edu.vn", Province.password)
            let page = try await editor.get("/quan-tri/don-vi/th-a/luot-truy-cap")
            #expect(page.status == .ok)
            #expect(page.body.contains("Lượt truy cập cổng thông tin"))
            let table = try #require(page.body.components(separatedBy: "Trang được xem nhiều nhất").last)
            let news = try #require(table.range(of: ">/tin-tuc</a></td><td class=\"num\">3</td>"))
            let home = try #require(table.range(of: ">/</a></td><td class=\"num\">1</td>"))
            #expect(news.lowerBound < home.lowerBound)  // most visited first
            #expect(page.body.contains("Hôm nay: <strong>4</strong> lượt"))
            // A sibling school's figures are not theirs to read (its existence is not confirmed).
            #expect(try await editor.get("/quan-tri/don-vi/thcs-b/luot-truy-cap").status == .notFound)
            #expect(try await editor.get("/quan-tri/don-vi/phong-thu/luot-truy-cap").status == .notFound)
            // Someone with no role at the unit sees nothing.
            let clerk = Browser(app: app, host: "a.test")
            try await clerk.login("canbo@a.edu.vn", Province.password)
            let refused = try await clerk.get("/quan-tri/don-vi/th-a/luot-truy-cap")
            #expect([.forbidden, .notFound].contains(refused.status))
            #expect(!refused.body.contains("/tin-tuc</a>"))

            // The office above ranks its schools by visits and opens each one's figures.
            let office = Browser(app: app, host: "phong.test")
            try await office.login("quantri@phong.edu.vn", Province.password)
            let ranking = try await office.get("/quan-tri/don-vi/phong-thu/luot-truy-cap?ky=7")
            #expect(ranking.status == .ok)
            let a = try #require(ranking.body.range(of: "Trường Tiểu học Nguyễn Trãi</a></td><td>Trường tiểu học</td><td class=\"num\">4</td>"))
            let b = try #require(ranking.body.range(of: "Trường THCS Lê Quý Đôn</a></td><td>Trường trung học cơ sở</td><td class=\"num\">2</td>"))
            #expect(a.lowerBound < b.lowerBound)
            #expect(try await office.get("/quan-tri/don-vi/thcs-b/luot-truy-cap").status == .ok)
            // An unknown period or a page past the end falls back rather than failing.
            #expect(try await office.get("/quan-tri/don-vi/phong-thu/luot-truy-cap?ky=abc").status == .ok)
            let far = try await office.get("/quan-tri/don-vi/phong-thu/luot-truy-cap?trang=999&trang-don-vi=999")
            #expect(far.status == .ok)
            #expect(far.body.contains("Trường THCS Lê Quý Đôn"))

            // The ranking can use them: the 30-day count of a unit.
            let context = EvaluationRoundTests.context(app)
            let resolved = try await ResolvedUnit.resolve(province.schoolA, on: app.db)
            let measured = try await EvaluationChecks.measure("luot-truy-cap", unit: resolved, context: context)
            #expect(measured.value == 4)
            let other = try await EvaluationChecks.measure("luot-truy-cap", unit: try await ResolvedUnit.resolve(province.thpt, on: app.db), context: context)
            #expect(other.value == 0)
        }
    }

    @Test func daysAreVietnamsDaysAndAStormOfPathsStaysBounded() throws {
        // Day numbers and their names against Foundation's calendar in Vietnam's time zone.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(secondsFromGMT: 7 * 3600))
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        var moment = try #require(formatter.date(from: "1999-12-30"))
        for _ in 0..<400 {
            for offset: TimeInterval in [0, 1, 3600 * 16 + 59 * 60, 86_399] {
                let date = moment.addingTimeInterval(offset)
                #expect(VisitCounter.dayString(VisitCounter.day(of: date)) == formatter.string(from: date))
            }
            moment = moment.addingTimeInterval(86_400 * 37)
        }
        // 23:30 in Hà Nội on 31/12 is still the 31st (16:30 UTC).
        let lateEvening = try #require(ISO8601DateFormatter().date(from: "2026-12-31T16:30:00Z"))
        #expect(VisitCounter.dayString(VisitCounter.day(of: lateEvening)) == "2026-12-31")
        #expect(VisitCounter.dayString(VisitCounter.day(of: lateEvening.addingTimeInterval(3600))) == "2027-01-01")

        // Paths are stored decoded, without a trailing slash, never the admin's or a file's.
        #expect(VisitCounter.normalizedPath("/gioi-thieu/") == "/gioi-thieu")
        #expect(VisitCounter.normalizedPath("/tin-tuc/l%E1%BB%8Bch-s%E1%BB%AD") == "/tin-tuc/lịch-sử")
        #expect(VisitCounter.normalizedPath("/") == "/")
        #expect(VisitCounter.normalizedPath("/quan-tri/don-vi") == nil)
        #expect(VisitCounter.normalizedPath("/tep/abc.pdf") == nil)
        #expect(VisitCounter.normalizedPath("/a%0Ab") == nil)
        #expect(VisitCounter.normalizedPath("khong-gach") == nil)
        #expect(VisitCounter.normalizedPath("/" + String(repeating: "x", count: 1000))?.count == VisitCounter.maxPathLength)

        // Past the bound, new pages of the minute are counted together; known ones still by page.
        let counter = VisitCounter()
        let unit = UUID()
        for i in 0..<(VisitCounter.maxKeys + 500) { counter.record(unit: unit, path: "/trang-\(i)") }
        counter.record(unit: unit, path: "/trang-1")
        #expect(counter.pending == VisitCounter.maxKeys + 501)
    }

    /// Sends one UDP datagram to 127.0.0.1:`port`.
    static func send(_ text: String, to port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bytes = Array(text.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    @Test func behindNginxTheVisitsComeFromItsSyslogLines() async throws {
        let port = freeLoopbackPort()
        try await TestApp.run({ $0.visitPort = port; $0.visits = .nginx }) { app in
            let province = try await Province.make(on: app.db)
            try await app.asyncBoot()
            // nginx's own counting replaces the node's: a page through the app is not counted twice.
            try await Self.open(app, "a.test", "/")
            #expect(app.visitCounter.pending == 0)
            func line(_ path: String, method: String = "GET", status: Int = 200, host: String = "a.test", type: String = "text/html; charset=utf-8",
                      agent: String = VisitTests.phone, purpose: String = "") -> String {
                "<190>Dec  2 10:15:07 eduportal_visit: \(method)\t\(status)\t\(host)\t\(path)\t\(type)\t\(agent)\t\(purpose)"
            }
            let visits = [
                line("/"), line("/"), line("/tin-tuc", status: 304, type: ""), line("/tin-tuc/lịch-sử-trường"),
                line("/", host: "B.TEST"),
                // An agent with escaped quotes and a tab is still one field.
                line("/gioi-thieu", agent: #"Mozilla/5.0 (\"Zalo\"\tiPhone) Mobile/15E148"#),
            ]
            let dropped = [
                line("/lien-he", method: "POST"), line("/khong-co", status: 404), line("/rss.xml", type: "application/rss+xml"),
                line("/", agent: "Mozilla/5.0 (compatible; bingbot/2.0)"), line("/", purpose: "prefetch"),
                line("/", host: "khong-phai-cua-ai.example"), line("/quan-tri/don-vi/th-a"),
                "khong phai dong nhat ky", "<190>Dec  2 10:15:07 eduportal_visit: GET\t200\ta.test", "<190>x: GET\tabc\ta.test\t/\ttext/html\tMozilla/5.0\t",
                String(repeating: "<", count: 20_000),
            ]
            for text in visits + dropped { Self.send(text, to: port) }
            // UDP on loopback: wait for the listener to have read them.
            let deadline = Date().addingTimeInterval(10)
            while app.visitCounter.pending < visits.count && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            try await Task.sleep(for: .milliseconds(300))  // and nothing more arrives
            #expect(app.visitCounter.pending == visits.count)
            try await app.visitCounter.flush(on: app.db)
            #expect(try await Self.stored(app, province.schoolA) == ["/": 2, "/tin-tuc": 1, "/tin-tuc/lịch-sử-trường": 1, "/gioi-thieu": 1])
            #expect(try await Self.stored(app, province.schoolB) == ["/": 1])
        }
    }

    @Test func theLineFormatIsReadAsNginxWritesIt() {
        let parsed = VisitLogListener.parse("<190>Dec  2 10:15:07 web1 eduportal_visit: GET\t200\ta.test\t/tin-tuc\ttext/html\tMozilla/5.0 (\\\"x\\\")\t\n")
        #expect(parsed == VisitLogListener.Line(method: "GET", status: 200, host: "a.test", path: "/tin-tuc", contentType: "text/html",
                                                userAgent: "Mozilla/5.0 (\"x\")", purpose: ""))
        #expect(VisitLogListener.parse("<190>Dec  2 10:15:07 eduportal_visit: GET\t200\ta.test\t/\ttext/html\tMozilla/5.0\t\tthừa") == nil)
        #expect(VisitLogListener.parse("GET\t200\ta.test\t/\ttext/html\tMozilla/5.0\t") == nil)
    }

    @Test func theMonitoringScriptComesFromItsAddressAndOnlyItsOriginJoinsThePolicy() async throws {
        try await TestApp.run({ $0.monitoringScriptHosts = ["emc.gov.vn"] }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let admin = Browser(app: app, host: "a.test")
            try await admin.login("quantri@a.edu.vn", Province.password)
            func save(_ script: String) async throws -> Browser.Page {
                try await admin.get("/quan-tri/don-vi/th-a/sua")
                return try await admin.post("/quan-tri/don-vi/th-a/sua", ["name": "Trường Tiểu học Nguyễn Trãi", "hostnames": "a.test", "monitoringScript": script])
            }
            let refused: [(String, String)] = [
                ("javascript:alert(1)", "https://"),
                ("http://emc.gov.vn/script.js", "phải được tải qua https://"),
                ("https://emc.gov.vn.evil.example/script.js", "không nằm trong danh sách được phép"),
                ("https://evil.example/emc.gov.vn/script.js", "không nằm trong danh sách được phép"),
                ("https://emc.gov.vn/x.js\" onload=\"alert(1)", "không có dấu cách, dấu nháy"),
                ("https://emc.gov.vn/x.js'><script>alert(1)</script>", "không có dấu cách, dấu nháy"),
                ("https://user:matkhau@emc.gov.vn/script.js", "tên đăng nhập hay mật khẩu"),
                ("//emc.gov.vn/script.js", "không hợp lệ"),
                ("https://emc.gov.vn/script.js#x", "«#…»"),
                ("https://emc.gov.vn/" + String(repeating: "a", count: 600), "dài quá 500"),
            ]
            for (script, message) in refused {
                let answer = try await save(script)
                #expect(answer.status == .unprocessableEntity, "\(script)")
                #expect(answer.body.contains(message), "\(script): \(message)")
                let stored = try #require(try await OrgUnit.find(province.schoolA.id, on: app.db))
                #expect(stored.monitoringScript == "")
                #expect(stored.name == "Trường Tiểu học Nguyễn Trãi")
            }
            #expect(!(try await Self.open(app, "a.test", "/").body.contains("emc.gov.vn")))

            let address = "https://api.emc.gov.vn/script/tracking.js?site=th-a&v=2"
            #expect(try await save(address).status == .seeOther)
            for _ in 0..<2 {  // rendered, then from the page cache
                let home = try await Self.open(app, "a.test", "/")
                #expect(home.body.contains(#"<script src="https://api.emc.gov.vn/script/tracking.js?site=th-a&amp;v=2" async></script>"#))
                let policy = try #require(home.headers.first(name: "Content-Security-Policy"))
                #expect(policy.contains("script-src 'self' https://api.emc.gov.vn;"))
                #expect(policy.contains("connect-src 'self' https://api.emc.gov.vn;"))
                #expect(policy.contains("img-src 'self' data: https://api.emc.gov.vn;"))
                #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"))
                // The script is never inlined: the page's only scripts load from an address or are data.
                let inline = home.body.components(separatedBy: "<script").dropFirst().filter { !$0.hasPrefix(" src=") && !$0.hasPrefix(" type=\"application/ld+json\"") }
                #expect(inline.isEmpty)
            }
            // Another school, and the school's own admin pages, keep the strict policy.
            let other = try #require(try await Self.open(app, "b.test", "/").headers.first(name: "Content-Security-Policy"))
            #expect(!other.contains("emc.gov.vn") && other.contains("script-src 'self';"))
            let login = try #require(try await Self.open(app, "a.test", "/quan-tri/dang-nhap").headers.first(name: "Content-Security-Policy"))
            #expect(!login.contains("emc.gov.vn"))
            #expect(!(try await Self.open(app, "a.test", "/quan-tri/dang-nhap").body.contains("emc.gov.vn")))

            // The ranking sees the connection.
            let context = EvaluationRoundTests.context(app)
            let withScript = try await EvaluationChecks.measure("ma-giam-sat", unit: try await ResolvedUnit.resolve(#require(try await OrgUnit.find(province.schoolA.id, on: app.db)), on: app.db), context: context)
            #expect(withScript.value == 1)
            let without = try await EvaluationChecks.measure("ma-giam-sat", unit: try await ResolvedUnit.resolve(province.schoolB, on: app.db), context: context)
            #expect(without.value == 0)

            // Cleared: gone from the page and the policy.
            #expect(try await save("").status == .seeOther)
            let cleared = try await Self.open(app, "a.test", "/")
            #expect(!cleared.body.contains("emc.gov.vn"))
            #expect(!(cleared.headers.first(name: "Content-Security-Policy") ?? "").contains("emc.gov.vn"))
        }
    }

    @Test func withoutAllowedHostsTheSettingIsRefusedPlainly() async throws {
        try await TestApp.run({ $0.monitoringScriptHosts = [] }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let admin = Browser(app: app, host: "a.test")
            try await admin.login("quantri@a.edu.vn", Province.password)
            try await admin.get("/quan-tri/don-vi/th-a/sua")
            let answer = try await admin.post("/quan-tri/don-vi/th-a/sua", ["name": "Trường Tiểu học Nguyễn Trãi", "hostnames": "a.test",
                                                                          "monitoringScript": "https://emc.gov.vn/script.js"])
            #expect(answer.status == .unprocessableEntity)
            #expect(answer.body.contains("EDUPORTAL_MONITORING_SCRIPT_HOSTS"))
            // Other edits still save while the field stays empty.
            try await admin.get("/quan-tri/don-vi/th-a/sua")
            #expect(try await admin.post("/quan-tri/don-vi/th-a/sua", ["name": "Trường Tiểu học Nguyễn Trãi (mới)", "hostnames": "a.test"]).status == .seeOther)
        }
    }
}
