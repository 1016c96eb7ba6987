import EduCore
import Foundation
import Vapor

/// The auditor for any portal (#17 point 3): crawls it politely (robots.txt honoured, a pause
/// between requests, a page budget) and scores what a visitor and the DNS can see, against
/// `Evaluation.auditCriteria`. Reading pages and asking the DNS are handed in, so the same
/// auditor runs from the command line, from the admin, and in tests.
struct PortalAuditor: Sendable {
    struct Page: Sendable {
        let url: URL
        let status: Int
        /// Header names in lower case.
        let headers: [String: String]
        let body: String
    }

    typealias Get = @Sendable (URL) async throws -> Page
    typealias Resolve = @Sendable (_ name: String, _ type: DNSClient.RecordType) async throws -> DNSClient.Answer

    let get: Get
    /// Nil: the DNS is not asked and its criteria are «not measured».
    let resolve: Resolve?
    var pageBudget = 30
    /// Seconds between two requests to the portal.
    var pause: TimeInterval = 0.5
    /// A headless Chromium for the home page's speed and accessibility; nil: «not measured».
    var browser: EvaluationChecks.BrowserRuns? = nil

    struct Report: Sendable {
        let url: String
        let domain: String
        let mailDomain: String
        let pagesRead: [String]
        let skippedByRobots: [String]
        let results: [(criterion: Evaluation.Criterion, result: EvaluationChecks.Result)]
        let total: Evaluation.Total
    }

    /// The sections a portal of the sector should link to, by the words of their links or their addresses.
    static let sections: [(title: String, words: [String])] = [
        ("Giới thiệu", ["gioi thieu", "gioi-thieu", "about"]), ("Tin tức", ["tin tuc", "tin-tuc", "news"]), ("Văn bản", ["van ban", "van-ban"]),
        ("Thủ tục hành chính hoặc Công khai", ["thu tuc", "thu-tuc", "cong khai", "cong-khai"]), ("Tuyển sinh", ["tuyen sinh", "tuyen-sinh"]),
        ("Hỏi đáp", ["hoi dap", "hoi-dap"]), ("Liên hệ", ["lien he", "lien-he", "contact"]), ("Thống kê", ["thong ke", "thong-ke"]),
        ("Tài nguyên số, thư viện", ["tai nguyen", "tai-nguyen", "thu vien", "thu-vien"]),
    ]

    func audit(_ start: URL, domain: String? = nil, mailDomain: String? = nil) async throws -> Report {
        guard let host = start.host, ["http", "https"].contains(start.scheme?.lowercased() ?? "") else {
            throw FormErrors.field("url", "Địa chỉ cổng phải là http:// hoặc https:// đầy đủ.")
        }
        let name = (domain?.isEmpty == false ? domain! : host).lowercased()
        let mail = (mailDomain?.isEmpty == false ? mailDomain! : (name.hasPrefix("www.") ? String(name.dropFirst(4)) : name)).lowercased()
        var requests = 0
        func fetch(_ url: URL) async throws -> Page {
            if requests > 0 && pause > 0 { try await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000)) }
            requests += 1
            return try await get(url)
        }
        // robots.txt first: what it keeps out is never read.
        let robotsURL = URL(string: "/robots.txt", relativeTo: start)!.absoluteURL
        let robots = Robots(text: (try? await fetch(robotsURL)).flatMap { $0.status == 200 ? $0.body : nil } ?? "")
        var queue = [start.absoluteURL], seen: Set<String> = [Self.key(start)], pages: [Page] = [], skipped: [String] = []
        var links: [(text: String, href: String)] = []
        while !queue.isEmpty && pages.count < pageBudget {
            let url = queue.removeFirst()
            guard robots.allows(Self.rawPath(url)) else { skipped.append(url.absoluteString); continue }
            guard let page = try? await fetch(url) else { continue }
            pages.append(page)
            guard page.status < 400 else { continue }
            for link in Self.links(in: page.body) {
                links.append(link)
                guard let target = URL(string: link.href, relativeTo: page.url)?.absoluteURL, target.host?.lowercased() == host.lowercased(),
                      ["http", "https"].contains(target.scheme?.lowercased() ?? ""), !Self.isFile(target.path) else { continue }
                if seen.insert(Self.key(target)).inserted { queue.append(Self.withoutFragment(target)) }
            }
        }
        guard let home = pages.first, home.status < 400 else {
            throw FormErrors.field("url", "Không đọc được trang chủ \(start.absoluteString)" + (pages.first.map { " (mã \($0.status))." } ?? "."))
        }
        var results: [String: EvaluationChecks.Result] = [:]

        // Sections, by the words of links and their addresses.
        let folded = links.map { SearchFolding.foldWords($0.text) + " " + $0.href.lowercased() }
        let found = Self.sections.filter { section in folded.contains { text in section.words.contains { text.contains($0) } } }
        let missing = Self.sections.filter { section in !found.contains { $0.title == section.title } }.map(\.title)
        results["muc-tim-thay"] = .init(value: EvaluationChecks.round2(Double(found.count) / Double(Self.sections.count) * 100),
                                       evidence: missing.isEmpty ? "Tìm thấy đủ \(Self.sections.count) chuyên mục." : "Không tìm thấy liên kết tới: " + missing.joined(separator: ", ") + ".",
                                       url: home.url.absoluteString)

        // The feed the home page announces (else /rss.xml), and the sitemap robots.txt names (else /sitemap.xml).
        let feedURL = Self.feedLink(in: home.body).flatMap { URL(string: $0, relativeTo: home.url)?.absoluteURL } ?? URL(string: "/rss.xml", relativeTo: start)!.absoluteURL
        let sitemapURL = robots.sitemaps.first.flatMap(URL.init(string:)) ?? URL(string: "/sitemap.xml", relativeTo: start)!.absoluteURL
        var good: [String] = [], bad: [String] = []
        for (url, marks) in [(feedURL, ["<rss", "<feed"]), (sitemapURL, ["<urlset", "<sitemapindex"])] {
            if robots.allows(Self.rawPath(url)), let page = try? await fetch(url), page.status == 200, XMLCheck.isWellFormed(page.body), marks.contains(where: page.body.contains) {
                good.append(url.absoluteString)
            } else {
                bad.append(url.absoluteString)
            }
        }
        results["rss-sitemap"] = .init(value: Double(good.count) / 2 * 100,
                                      evidence: bad.isEmpty ? "Tin RSS và sơ đồ trang đọc được, đúng định dạng." : "Không có hoặc không hợp lệ: " + bad.joined(separator: ", ") + ".",
                                      url: feedURL.absoluteString)
        results["sieu-du-lieu"] = EvaluationChecks.metadata(of: home.body, url: home.url.absoluteString)

        // Images without a text alternative (alt="" marks a decorative one and is fine).
        var unlabelled: [String] = []
        for page in pages {
            for image in Self.matches(#"<img\b[^>]*>"#, in: page.body) where image.range(of: #"\balt\s*="#, options: [.regularExpression, .caseInsensitive]) == nil {
                unlabelled.append(page.url.path.isEmpty ? "/" : page.url.path)
            }
        }
        results["anh-thieu-mo-ta"] = .init(value: Double(unlabelled.count),
                                          evidence: unlabelled.isEmpty ? "Mọi ảnh trên \(pages.count) trang đã đọc có văn bản thay thế."
                                            : "\(unlabelled.count) ảnh thiếu thuộc tính alt, ở: " + Array(Set(unlabelled)).sorted().prefix(5).joined(separator: ", ") + ".",
                                          url: home.url.absoluteString)

        // HTTPS and HSTS.
        var secure = start.scheme?.lowercased() == "https" ? home : nil
        if secure == nil, let https = URL(string: "https://\(host)/") { secure = try? await fetch(https) }
        let httpsOK = secure.map { $0.status < 400 } ?? false
        results["https"] = .init(value: httpsOK ? 1 : 0, evidence: httpsOK ? "Trang chủ mở được qua HTTPS." : "Không mở được https://\(host)/.", url: "https://\(host)/")
        let hsts = secure?.headers["strict-transport-security"] ?? ""
        let hstsOK = httpsOK && hsts.lowercased().contains("max-age=") && !hsts.lowercased().contains("max-age=0")
        results["hsts"] = .init(value: hstsOK ? 1 : 0, evidence: hstsOK ? "Strict-Transport-Security: \(hsts)" : "Không có tiêu đề Strict-Transport-Security hợp lệ qua HTTPS.", url: "")

        // The domain's DNS and mail records.
        if let resolve, Self.isName(name) {
            func ask(_ label: String, _ type: DNSClient.RecordType) async -> DNSClient.Answer? { try? await resolve(label, type) }
            let aaaa = await ask(name, .aaaa)
            results["ipv6"] = aaaa.map { .init(value: $0.records.isEmpty ? 0 : 1, evidence: $0.records.isEmpty ? "\(name) không có bản ghi AAAA." : "\(name) có \($0.records.count) bản ghi AAAA.", url: "") }
                ?? EvaluationChecks.notMeasured("Không hỏi được DNS về \(name).")
            var zone = name, signed: String?
            while zone.split(separator: ".").count >= 2 && signed == nil {
                if let answer = await ask(zone, .dnskey), !answer.records.isEmpty, answer.signed || answer.authenticated { signed = zone }
                zone = zone.split(separator: ".").dropFirst().joined(separator: ".")
            }
            results["dnssec"] = .init(value: signed == nil ? 0 : 1, evidence: signed.map { "Vùng \($0) có khóa DNSKEY và chữ ký RRSIG." } ?? "Không thấy vùng nào của \(name) được ký DNSSEC.", url: "")
            let mx = await ask(mail, .mx)
            results["mx"] = .init(value: (mx?.records.isEmpty ?? true) ? 0 : 1,
                                 evidence: (mx?.records.isEmpty ?? true) ? "\(mail) không có bản ghi MX." : "MX của \(mail): " + (mx?.records ?? []).joined(separator: ", ") + ".", url: "")
            let spf = await ask(mail, .txt)?.records.first { $0.lowercased().hasPrefix("v=spf1") }
            results["spf"] = .init(value: spf == nil ? 0 : 1, evidence: spf.map { "SPF của \(mail): \($0)" } ?? "\(mail) không có bản ghi SPF (TXT v=spf1).", url: "")
            let dmarc = await ask("_dmarc." + mail, .txt)?.records.first { $0.lowercased().hasPrefix("v=dmarc1") }
            results["dmarc"] = .init(value: dmarc == nil ? 0 : 1, evidence: dmarc.map { "DMARC của \(mail): \($0)" } ?? "_dmarc.\(mail) không có chính sách DMARC.", url: "")
        } else {
            for key in ["ipv6", "dnssec", "mx", "spf", "dmarc"] {
                results[key] = EvaluationChecks.notMeasured(Self.isName(name) ? "Không hỏi DNS trong lần kiểm tra này." : "«\(name)» là địa chỉ IP, không phải tên miền.")
            }
        }
        // The home page in a real browser, as a phone on a slow network loads it.
        for check in ["fcp", "lcp", "long-task", "load", "axe"] {
            results[check] = await EvaluationChecks.browserResult(check, browser: browser, page: home.url.absoluteString)
        }
        let criteria = Evaluation.auditCriteria
        let values = Dictionary(criteria.compactMap { c in results[c.check]?.value.map { (c.code, $0) } }, uniquingKeysWith: { a, _ in a })
        return Report(url: start.absoluteString, domain: name, mailDomain: mail, pagesRead: pages.map(\.url.absoluteString), skippedByRobots: skipped,
                      results: criteria.map { ($0, results[$0.check] ?? EvaluationChecks.notMeasured("Chưa đo.")) },
                      total: Evaluation.total(criteria, values: values))
    }

    // MARK: - Reading pages

    static func key(_ url: URL) -> String { withoutFragment(url).absoluteString.lowercased() }

    /// The path as written, trailing slash and escapes kept (`URL.path` drops both), which is what
    /// robots.txt rules are matched against.
    static func rawPath(_ url: URL) -> String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: true)?.percentEncodedPath ?? url.path
        return path.isEmpty ? "/" : path
    }

    static func withoutFragment(_ url: URL) -> URL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return url }
        components.fragment = nil
        return components.url ?? url
    }

    static func isFile(_ path: String) -> Bool {
        let ext = (path as NSString).pathExtension.lowercased()
        return ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "rar", "jpg", "jpeg", "png", "gif", "webp", "svg", "mp4", "mp3", "xml", "css", "js"].contains(ext)
    }

    static func isName(_ host: String) -> Bool { host.contains(where: \.isLetter) && !host.contains(":") }

    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .dotMatchesLineSeparators]) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    /// Each `<a href>` with its text (tags stripped, entities left as written).
    static func links(in html: String) -> [(text: String, href: String)] {
        guard let regex = try? NSRegularExpression(pattern: #"<a\s[^>]*?href\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a>"#, options: [.caseInsensitive, .dotMatchesLineSeparators]) else { return [] }
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap { match in
            guard let href = Range(match.range(at: 1), in: html), let text = Range(match.range(at: 2), in: html) else { return nil }
            let plain = html[text].replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
            return (plain.trimmingCharacters(in: .whitespacesAndNewlines), String(html[href]).replacingOccurrences(of: "&amp;", with: "&"))
        }
    }

    static func feedLink(in html: String) -> String? {
        for tag in matches(#"<link\b[^>]*>"#, in: html) where tag.lowercased().contains("application/rss+xml") || tag.lowercased().contains("application/atom+xml") {
            if let href = matches(#"href\s*=\s*["'][^"']+["']"#, in: tag).first {
                return String(href.drop { $0 != "\"" && $0 != "'" }.dropFirst().dropLast())
            }
        }
        return nil
    }

    /// robots.txt as crawlers read it: the group for every agent (or ours), Disallow and Allow by
    /// longest prefix, and the sitemaps it names.
    struct Robots: Sendable {
        var disallow: [String] = []
        var allow: [String] = []
        var sitemaps: [String] = []

        init(text: String) {
            var applies = false, inGroupHeader = false
            for raw in text.split(whereSeparator: \.isNewline) {
                let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
                guard let colon = line.firstIndex(of: ":") else { continue }
                let field = line[..<colon].lowercased().trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                switch field {
                case "user-agent":
                    let ours = value == "*" || value.lowercased().contains("eduportal")
                    applies = inGroupHeader ? (applies || ours) : ours
                    inGroupHeader = true
                case "disallow":
                    inGroupHeader = false
                    if applies && !value.isEmpty { disallow.append(value) }
                case "allow":
                    inGroupHeader = false
                    if applies && !value.isEmpty { allow.append(value) }
                case "sitemap": sitemaps.append(value)
                default: inGroupHeader = false
                }
            }
        }

        func allows(_ path: String) -> Bool {
            let blocked = disallow.filter { path.hasPrefix($0) }.map(\.count).max() ?? -1
            let allowed = allow.filter { path.hasPrefix($0) }.map(\.count).max() ?? -1
            return blocked < 0 || allowed >= blocked
        }
    }

    /// Reading pages through Vapor's client (redirects followed, a 10 s limit, the auditor named).
    static func client(_ client: any Client) -> Get {
        { url in
            let response = try await client.send(.GET, headers: ["User-Agent": "EduPortalAudit/1.0 (+kiem tra cong thong tin)"], to: URI(string: url.absoluteString)) {
                $0.timeout = .seconds(10)
            }
            var headers: [String: String] = [:]
            for (name, value) in response.headers { headers[name.lowercased()] = value }
            var body = response.body ?? ByteBuffer()
            return Page(url: url, status: Int(response.status.code), headers: headers, body: body.readString(length: min(body.readableBytes, 4 << 20)) ?? "")
        }
    }
}
