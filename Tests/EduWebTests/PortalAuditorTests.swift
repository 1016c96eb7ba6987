import EduCore
import Foundation
import Testing
@testable import EduWeb

/// The auditor for any portal (#17 point 3) on a portal served from memory: robots.txt kept,
/// the page budget kept, sections, feeds, images and metadata scored; the DNS reply read.
/// `scripts/test` runs the same auditor against nginx and Knot DNS.
@Suite struct PortalAuditorTests {
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var paths: [String] = []
        func add(_ path: String) { lock.lock(); paths.append(path); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return paths }
    }

    static let site: [String: String] = [
        "/robots.txt": "User-agent: *\nDisallow: /noi-bo/\nSitemap: http://truong.test/sitemap.xml\n",
        "/": """
            <html lang="vi"><head><meta name="viewport" content="x"><meta name="description" content="x"><meta property="og:title" content="x">
            <meta name="DC.title" content="x"><script type="application/ld+json">{}</script><link rel="alternate" type="application/rss+xml" href="/tin.rss"></head>
            <body><a href="/gioi-thieu">Giới thiệu</a> <a href="/tin-tuc"><span>Tin tức</span></a> <a href="/noi-bo/">Nội bộ</a> <a href="/hoi-dap">Hỏi đáp</a>
            <a href="/tai-lieu.pdf">Tài liệu</a> <img src="a.png"></body></html>
            """,
        "/gioi-thieu": "<html><body><a href='/lien-he#ban-do'>Liên hệ</a><img src='b.png' alt='Trường'><img src='c.png'></body></html>",
        "/tin-tuc": "<html><body><a href='/tin-tuc?trang=2'>Trang sau</a></body></html>",
        "/tin.rss": "<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>",
        "/sitemap.xml": "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>http://truong.test/</loc></url></urlset>",
    ]

    static func get(_ log: Log) -> PortalAuditor.Get {
        { url in
            log.add(url.path.isEmpty ? "/" : url.path)
            guard url.scheme == "http" else { throw URLError(.cannotConnectToHost) }
            let body = site[url.path.isEmpty ? "/" : url.path]
            return .init(url: url, status: body == nil ? 404 : 200, headers: [:], body: body ?? "")
        }
    }

    @Test func aPortalIsCrawledPolitelyAndScored() async throws {
        let log = Log()
        var auditor = PortalAuditor(get: Self.get(log), resolve: nil)
        auditor.pause = 0
        let report = try await auditor.audit(URL(string: "http://truong.test/")!)
        #expect(!log.all.contains { $0.hasPrefix("/noi-bo") } && report.skippedByRobots.contains("http://truong.test/noi-bo/"))
        #expect(!log.all.contains("/tai-lieu.pdf"))
        let results = Dictionary(report.results.map { ($0.criterion.check, $0.result) }, uniquingKeysWith: { a, _ in a })
        // Giới thiệu, Tin tức, Hỏi đáp, Liên hệ of nine.
        #expect(results["muc-tim-thay"]?.value == EvaluationChecks.round2(4.0 / 9 * 100))
        #expect(results["rss-sitemap"]?.value == 100 && results["sieu-du-lieu"]?.value == 100)
        #expect(results["anh-thieu-mo-ta"]?.value == 2 && results["anh-thieu-mo-ta"]?.evidence.contains("/gioi-thieu") == true)
        #expect(results["https"]?.value == 0 && results["hsts"]?.value == 0)
        #expect(results["dmarc"]?.value == nil && results["fcp"]?.value == nil && results["fcp"]?.evidence.contains("Chưa đo") == true && report.total.unmeasured == 10)
        // The budget: one page only reads the home page.
        auditor.pageBudget = 1
        let short = try await auditor.audit(URL(string: "http://truong.test/")!)
        #expect(short.pagesRead == ["http://truong.test/"])
        await #expect(throws: FormErrors.self) { try await auditor.audit(URL(string: "ftp://truong.test/")!) }
    }

    @Test func robotsAreReadAsCrawlersReadThem() {
        let robots = PortalAuditor.Robots(text: "User-agent: Googlebot\nDisallow: /\n\nUser-agent: *\nUser-agent: other\nDisallow: /a/\nAllow: /a/mo/\n# chú thích\nSitemap: http://x.test/s.xml")
        #expect(robots.allows("/") && !robots.allows("/a/b") && robots.allows("/a/mo/c") && robots.sitemaps == ["http://x.test/s.xml"])
        #expect(PortalAuditor.Robots(text: "").allows("/bat-ky"))
    }

    @Test func dnsQueriesAskForSignaturesAndRepliesAreRead() throws {
        let query = DNSClient.message(name: "signed.test", type: .mx, id: 0x0102)
        #expect(Array(query.prefix(4)) == [0x01, 0x02, 0x01, 0x20] && Array(query.suffix(11)) == [0, 0, 41, 0x04, 0xD0, 0, 0, 0x80, 0, 0, 0])
        // A reply: one MX (preference 10, mail.<compressed signed.test>) and an RRSIG.
        var reply: [UInt8] = [0x01, 0x02, 0x81, 0xA0, 0, 1, 0, 2, 0, 0, 0, 0]
        reply += [6] + Array("signed".utf8) + [4] + Array("test".utf8) + [0, 0, 15, 0, 1]
        reply += [0xC0, 12, 0, 15, 0, 1, 0, 0, 1, 44, 0, 9, 0, 10, 4] + Array("mail".utf8) + [0xC0, 12]
        reply += [0xC0, 12, 0, 46, 0, 1, 0, 0, 1, 44, 0, 2, 0xAB, 0xCD]
        let answer = try DNSClient.read(reply, type: .mx)
        #expect(answer.records == ["mail.signed.test"] && answer.signed && answer.authenticated && answer.rcode == 0)
        #expect(throws: DNSClient.Failure.self) { try DNSClient.read(Array(reply.prefix(30)), type: .mx) }
        #expect(DNSClient.parse("127.0.0.1:5353")?.port == 5353 && DNSClient.parse("[::1]:53")?.host == "::1" && DNSClient.parse("a:b:c") == nil)
    }
}
