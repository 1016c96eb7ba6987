import EduCore
import EduData
import EduMail
import Fluent
import Foundation
import Vapor
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The automatic checks behind the criteria (A16) for a unit on the platform. Each answers a
/// value (nil: could not be measured, said plainly), what it rests on in words, and a page that
/// shows it. Checks of what the public sees read the unit's own pages through `fetch`, the way a
/// visitor would (in process on this server; over the network for the auditor).
enum EvaluationChecks {
    struct Result: Sendable, Equatable {
        let value: Double?
        let evidence: String
        let url: String
    }

    typealias Fetch = @Sendable (_ host: String, _ path: String) async throws -> (status: Int, body: String)

    struct Context: Sendable {
        let db: any Database
        let config: AppConfig
        let links: PublicLinks
        let fetch: Fetch
        let now: Date
        /// A headless Chromium for speed and accessibility; nil: those criteria are not measured.
        var browser: BrowserRuns? = nil
    }

    /// One browser run per page for a round (three criteria read the same run).
    actor BrowserRuns {
        let probe: ChromiumProbe
        private var runs: [String: Swift.Result<ChromiumProbe.Measures, any Error>] = [:]

        init(_ probe: ChromiumProbe) { self.probe = probe }

        func measures(_ url: String) async -> Swift.Result<ChromiumProbe.Measures, any Error> {
            if let known = runs[url] { return known }
            let result: Swift.Result<ChromiumProbe.Measures, any Error>
            do { result = .success(try await probe.measure(url)) } catch { result = .failure(error) }
            runs[url] = result
            return result
        }
    }

    /// The automatic checks there are, with what each measures (the admin's choice of "cách đo").
    static let catalogue: [(key: String, label: String)] = [
        ("muc-bat-buoc", "Chuyên mục bắt buộc có nội dung (%)"), ("cap-nhat", "Chuyên mục cập nhật đúng hạn (%)"),
        ("bai-viet-nam-hoc", "Số tin bài trong năm học"), ("cong-khai", "Mục công khai đúng hạn (%)"), ("nien-giam", "Đã báo cáo niên giám kỳ gần nhất"),
        ("thu-tuc", "Số thủ tục hành chính đã công bố"), ("nien-giam-truc-thuoc", "Trường trực thuộc đã báo cáo niên giám (%)"),
        ("thu-chinh-thuc", "Thư điện tử chính thức trên tên miền của đơn vị"), ("dau-moi", "Có đầu mối cổng và thư (%)"),
        ("ban-bien-tap", "Có trưởng Ban Biên tập"), ("rss-sitemap", "RSS và sơ đồ trang hợp lệ (%)"), ("sieu-du-lieu", "Dữ liệu đặc tả trang chủ (%)"),
        ("fcp", "Nội dung đầu tiên hiển thị (ms)"), ("lcp", "Phần tử lớn nhất hiển thị (ms)"), ("long-task", "Tác vụ dài nhất khi tải (ms)"), ("load", "Trang tải xong (ms)"),
        ("axe", "Số lỗi truy cập (axe-core)"), ("nhom-cap-tren", "Thư thủ trưởng, văn thư nhận thư nhóm của cấp trên (%)"),
        ("cap-do-an-toan", "Cấp độ an toàn hệ thống đã được phê duyệt"), ("giam-sat", "Kết nối hệ thống giám sát quốc gia (EMC, an toàn thông tin)"),
        ("luot-truy-cap", "Lượt truy cập trong 30 ngày"), ("ma-giam-sat", "Cổng gắn mã theo dõi của hệ thống EMC"),
    ]

    /// What a section's page says when it has nothing to show (the templates' empty messages).
    static let emptyMarkers = ["Chưa có", "Không có mục nào"]

    static func measure(_ check: String, unit: ResolvedUnit, context: Context) async throws -> Result {
        let base = context.links.base(of: unit)
        let host = PublicLinks.preferredHost(code: unit.code, hostnames: unit.hostnames, baseDomain: context.config.baseDomain)
        let db = context.db
        switch check {
        case "muc-bat-buoc":
            let sections = PortalSections.forType(unit.type).filter { $0.path != "/en/" && $0.path != "/lien-he" }
            var empty: [String] = []
            for section in sections {
                let (status, body) = try await context.fetch(host, section.path)
                let main = body.range(of: "<main").map { String(body[$0.lowerBound...]) } ?? body
                if status != 200 || emptyMarkers.contains(where: main.contains) { empty.append(section.title) }
            }
            let value = sections.isEmpty ? nil : Double(sections.count - empty.count) / Double(sections.count) * 100
            return Result(value: value.map(round2), evidence: empty.isEmpty ? "Đủ \(sections.count) chuyên mục, chuyên mục nào cũng có nội dung."
                            : "Chuyên mục trống hoặc không mở được: " + empty.joined(separator: ", ") + ".", url: base + "/")
        case "cap-nhat":
            guard let row = try await OrgUnit.find(unit.id, on: db) else { return notMeasured("Không tìm thấy đơn vị.") }
            let statuses = try await DeadlineService.statuses(of: [row], now: context.now, on: db)
            guard !statuses.isEmpty else { return notMeasured("Đơn vị không có chuyên mục nào có hạn cập nhật.") }
            let late = statuses.filter { $0.daysOverdue >= 0 }
            return Result(value: round2(Double(statuses.count - late.count) / Double(statuses.count) * 100),
                          evidence: late.isEmpty ? "Cả \(statuses.count) chuyên mục có hạn đều cập nhật đúng hạn."
                            : "Quá hạn cập nhật: " + late.map { "\($0.category.name) (\($0.daysOverdue + 1) ngày)" }.joined(separator: ", ") + ".",
                          url: base + SiteURL.newsIndex.path)
        case "bai-viet-nam-hoc":
            let year = VietnameseDate.schoolYear(of: context.now)
            guard let from = VietnameseDate.parse("01/08/\(year)") else { return notMeasured("Không xác định được năm học.") }
            let count = try await Article.publicQuery(unitID: unit.id, now: context.now, on: db).filter(\.$publishedAt >= from).count()
            return Result(value: Double(count), evidence: "\(count) tin bài đăng từ 01/08/\(year) (năm học \(year)–\(year + 1)).", url: base + SiteURL.newsIndex.path)
        case "cong-khai":
            guard !YearbookLevel.levels(of: unit.type).isEmpty else { return notMeasured("Đơn vị không thuộc diện công khai theo Thông tư 09/2024.") }
            let current = VietnameseDate.schoolYear(of: context.now)
            var counted = 0, onTime = 0
            var missing: [String] = []
            for year in [current - 1, current] {
                let rows = try await DisclosureService.board(under: unit, year: year, now: context.now, calendar: DisclosureService.calendar(context.config), on: db)
                for (item, status) in rows.first(where: { $0.school.id == unit.id })?.statuses ?? [] {
                    guard let status else { continue }
                    switch status {
                    case .notYetDue: continue
                    case .onTime: onTime += 1
                    case .missing: missing.append(item.title)
                    case .late, .updateLate: break
                    }
                    counted += 1
                }
            }
            guard counted > 0 else { return notMeasured("Chưa có mục công khai nào đến hạn.") }
            return Result(value: round2(Double(onTime) / Double(counted) * 100),
                          evidence: "\(onTime)/\(counted) mục đến hạn được công khai đúng hạn" + (missing.isEmpty ? "." : "; chưa công khai: " + missing.prefix(5).joined(separator: ", ") + (missing.count > 5 ? "…" : ".")),
                          url: base + SiteURL.disclosure.path)
        case "nien-giam", "nien-giam-truc-thuoc":
            guard let period = try await YearbookPeriod.query(on: db).filter(\.$dueAt < context.now).sort(\.$dueAt, .descending).first() else {
                return notMeasured("Chưa có kỳ báo cáo niên giám nào đến hạn.")
            }
            let missing = try await YearbookService.missing(under: unit, period: period, on: db)
            if check == "nien-giam" {
                let filed = !missing.contains { $0.id == unit.id }
                return Result(value: filed ? 1 : 0, evidence: (filed ? "Đã báo cáo " : "Chưa báo cáo ") + "kỳ «\(period.label)».", url: base + SiteURL.yearbook.path)
            }
            let schools = try await OrgUnit.subtree(ofPath: unit.path, on: db).filter { !YearbookLevel.levels(of: $0.type).isEmpty && $0.id != unit.id }
            guard !schools.isEmpty else { return notMeasured("Không có trường trực thuộc.") }
            return Result(value: round2(Double(schools.count - missing.count) / Double(schools.count) * 100),
                          evidence: "\(schools.count - missing.count)/\(schools.count) trường đã báo cáo kỳ «\(period.label)»"
                            + (missing.isEmpty ? "." : "; chưa báo cáo: " + missing.prefix(5).map(\.name).joined(separator: ", ") + (missing.count > 5 ? "…" : ".")),
                          url: base + SiteURL.yearbook.path)
        case "thu-tuc":
            let count = try await Procedure.query(in: unit, on: db).filter(\.$publishedAt != nil).count()
            return Result(value: Double(count), evidence: "\(count) thủ tục hành chính đã công bố.", url: base + SiteURL.procedures.path)
        case "thu-chinh-thuc":
            let address = unit.email.lowercased()
            // The unit's mail domains: those registered to it, and the one on its record.
            let domains = Set(try await MailDomainRecord.query(on: db).filter(\.$unitID == unit.id).filter(\.$active == true).all().map { $0.domain.lowercased() }
                + [unit.mailDomain.lowercased()]).subtracting([""])
            let onDomain = address.split(separator: "@").last.map { domains.contains(String($0)) } ?? false
            let box = onDomain ? try await Mailbox.query(on: db).filter(\.$address == address).filter(\.$unitID == unit.id).filter(\.$active == true).first() : nil
            let ok = onDomain && box != nil
            return Result(value: ok ? 1 : 0,
                          evidence: address.isEmpty ? "Đơn vị chưa công bố địa chỉ thư điện tử."
                            : !onDomain ? "«\(address)» không thuộc tên miền thư của đơn vị (\(domains.isEmpty ? "chưa có" : domains.sorted().joined(separator: ", ")))."
                            : ok ? "«\(address)» là hộp thư đang dùng trên tên miền của đơn vị." : "«\(address)» chưa là hộp thư đang dùng trên hệ thống.",
                          url: base + SiteURL.contact.path)
        case "dau-moi":
            let named = [unit.portalContactName, unit.mailContactName].filter { !$0.isEmpty }.count
            return Result(value: Double(named) / 2 * 100,
                          evidence: "Đầu mối cổng: \(unit.portalContactName.isEmpty ? "chưa có" : unit.portalContactName); đầu mối thư: \(unit.mailContactName.isEmpty ? "chưa có" : unit.mailContactName).",
                          url: base + SiteURL.contact.path)
        case "ban-bien-tap":
            let head = try await RoleGrant.query(on: db).filter(\.$unitID == unit.id).filter(\.$roleCode == Role.truongBanBienTap.rawValue).count()
            return Result(value: head > 0 ? 1 : 0, evidence: head > 0 ? "Có \(head) trưởng Ban Biên tập được phân quyền." : "Chưa phân quyền trưởng Ban Biên tập.",
                          url: base + "/")
        case "nhom-cap-tren":
            return try await registeredAbove(unit, base: base, on: db)
        case "cap-do-an-toan":
            guard context.config.securityLevel > 0 else {
                return notMeasured("Chưa đo: hệ thống chưa khai báo cấp độ an toàn được phê duyệt (EDUPORTAL_SECURITY_LEVEL); cán bộ kiểm tra chấm theo hồ sơ cấp độ.")
            }
            return Result(value: Double(context.config.securityLevel),
                          evidence: "Cổng của đơn vị chạy trên hệ thống dùng chung được phê duyệt cấp độ \(context.config.securityLevel)"
                            + (context.config.securityDecision.isEmpty ? "." : " (\(context.config.securityDecision))."), url: "")
        case "giam-sat":
            let declared = context.config.monitoring
            return declared.isEmpty
                ? notMeasured("Chưa đo: hệ thống chưa khai báo kết nối giám sát an toàn thông tin (EDUPORTAL_MONITORING); cán bộ kiểm tra chấm.")
                : Result(value: 1, evidence: "Hệ thống dùng chung đã kết nối giám sát: \(declared).", url: "")
        case "luot-truy-cap":
            // Counted by the server (`VisitCounter`): the 30 days ending on the day of the round.
            let today = VisitCounter.day(of: context.now)
            let from = VisitCounter.dayString(today - 29), to = VisitCounter.dayString(today)
            let count = try await VisitService.days(unitID: unit.id, from: from, on: db).filter { $0.day <= to }.reduce(0) { $0 + $1.count }
            return Result(value: Double(count), evidence: "\(VisitsPage.number(count)) lượt truy cập trang công khai từ \(VietnameseDate.day(VisitCounter.date(ofDay: today - 29))) đến \(VietnameseDate.day(context.now)) (máy chủ đếm, không tính máy tìm kiếm và công cụ tự động).",
                          url: base + "/")
        case "ma-giam-sat":
            guard let origin = unit.monitoringOrigin else {
                return Result(value: 0, evidence: "Chưa khai báo mã theo dõi của hệ thống EMC trong thông tin đơn vị.", url: base + "/")
            }
            let (status, body) = try await context.fetch(host, "/")
            let loaded = status == 200 && body.contains("<script src=\"" + origin)
            return Result(value: loaded ? 1 : 0,
                          evidence: loaded ? "Trang chủ tải mã theo dõi từ \(origin)." : "Đã khai báo mã theo dõi (\(origin)) nhưng trang chủ không tải được mã.",
                          url: base + "/")
        case "rss-sitemap":
            var good: [String] = [], bad: [String] = []
            for path in [SiteURL.rss.path, SiteURL.sitemap.path] {
                let (status, body) = try await context.fetch(host, path)
                (status == 200 && XMLCheck.isWellFormed(body) && (body.contains("<rss") || body.contains("<urlset")) ? { good.append(path) } : { bad.append(path) })()
            }
            return Result(value: Double(good.count) / 2 * 100, evidence: bad.isEmpty ? "Tin RSS và sơ đồ trang đọc được, đúng định dạng XML."
                            : "Không hợp lệ hoặc không mở được: " + bad.joined(separator: ", ") + ".", url: base + SiteURL.rss.path)
        case "sieu-du-lieu":
            let (status, body) = try await context.fetch(host, "/")
            guard status == 200 else { return Result(value: 0, evidence: "Trang chủ trả về mã \(status).", url: base + "/") }
            return metadata(of: body, url: base + "/")
        case "fcp", "lcp", "long-task", "load", "axe":
            return await browserResult(check, browser: context.browser, page: base + "/")
        default:
            return notMeasured("Không có cách đo tự động «\(check)».")
        }
    }

    /// Speed and accessibility of one page in a headless Chromium (one run serves the four
    /// criteria); said plainly «Chưa đo» when there is no Chromium or it could not load the page.
    static func browserResult(_ check: String, browser: BrowserRuns?, page: String) async -> Result {
        guard let browser else {
            return notMeasured("Chưa đo: máy chủ không có trình duyệt Chromium để đo tiêu chí này.")
        }
        switch await browser.measures(page) {
        case .failure(let error):
            return notMeasured("Chưa đo: Chromium không đo được \(page) (\(error)).")
        case .success(let m):
            let profile = "điện thoại 375 px, CPU chậm 4 lần, mạng di động chậm"
            switch check {
            case "fcp":
                return Result(value: m.fcp.map(round2), evidence: m.fcp.map { "Nội dung đầu tiên hiển thị sau \(Int($0)) ms (\(profile)); tác vụ dài nhất \(Int(m.longestTask)) ms." }
                                ?? "Trình duyệt không ghi nhận thời điểm hiển thị nội dung đầu tiên.", url: page)
            case "lcp":
                return Result(value: m.lcp.map(round2), evidence: m.lcp.map { "Phần tử lớn nhất hiển thị sau \(Int($0)) ms (\(profile))." }
                                ?? "Trình duyệt không ghi nhận phần tử lớn nhất.", url: page)
            case "long-task":
                return Result(value: round2(m.longestTask), evidence: "Tác vụ dài nhất khi tải: \(Int(m.longestTask)) ms (\(profile)).", url: page)
            case "load":
                return Result(value: m.load.map(round2), evidence: m.load.map { "Trang hiển thị đầy đủ (tải xong và vẽ xong phần tử lớn nhất) sau \(Int($0)) ms (\(profile))." }
                                ?? "Trình duyệt không ghi nhận lúc trang tải xong.", url: page)
            default:
                return m.axeViolations.map { Result(value: Double($0), evidence: "axe-core (WCAG 2.1 A, AA): \($0) loại lỗi trên trang chủ.", url: page) }
                    ?? notMeasured("Chưa đo: máy chủ không có axe-core (EDUPORTAL_AXE_JS).")
            }
        }
    }

    /// A5.2: the head's and the clerical office's mailboxes of the unit receive mail sent to at
    /// least one group of the units above (the directory as Postfix expands it).
    static func registeredAbove(_ unit: ResolvedUnit, base: String, on db: any Database) async throws -> Result {
        let groups = unit.ancestorIDs.isEmpty ? [] : try await MailGroup.query(on: db).filter(\.$unitID ~~ unit.ancestorIDs).all()
        let boxes = try await Mailbox.query(on: db).filter(\.$unitID == unit.id).filter(\.$active == true)
            .filter(\.$function ~~ [MailFunction.head.rawValue, MailFunction.clerical.rawValue]).all()
        let rows = groups.isEmpty || boxes.isEmpty ? [] : try await MailAliasRow.query(on: db).filter(\.$source ~~ groups.map(\.address))
            .filter(\.$destination ~~ boxes.map(\.address)).all()
        var found = 0
        var parts: [String] = []
        for (function, name) in [(MailFunction.head, "thủ trưởng"), (MailFunction.clerical, "văn thư")] {
            let own = boxes.filter { $0.function == function.rawValue }.map(\.address)
            let inGroups = Set(rows.filter { own.contains($0.destination) }.map(\.source)).sorted()
            if own.isEmpty {
                parts.append("Chưa có hộp thư \(name).")
            } else if inGroups.isEmpty {
                parts.append("Hộp thư \(name) (\(own.joined(separator: ", "))) chưa có trong nhóm thư nào của đơn vị cấp trên.")
            } else {
                found += 1
                parts.append("Hộp thư \(name) nhận thư của nhóm \(inGroups.joined(separator: ", ")).")
            }
        }
        return Result(value: Double(found) / 2 * 100, evidence: parts.joined(separator: " "), url: base + SiteURL.contact.path)
    }

    /// The metadata a state portal's home page should carry (Circular 37 A12.6; national criteria 2025).
    static func metadata(of body: String, url: String) -> Result {
        let wanted: [(String, String)] = [
            ("<html lang=\"vi", "ngôn ngữ (lang=\"vi\")"), ("name=\"viewport\"", "viewport"), ("name=\"description\"", "mô tả"),
            ("property=\"og:title\"", "Open Graph"), ("name=\"DC.title\"", "Dublin Core"), ("application/ld+json", "schema.org"),
        ]
        let missing = wanted.filter { !body.contains($0.0) }.map(\.1)
        return Result(value: round2(Double(wanted.count - missing.count) / Double(wanted.count) * 100),
                      evidence: missing.isEmpty ? "Có đủ: " + wanted.map(\.1).joined(separator: ", ") + "." : "Thiếu: " + missing.joined(separator: ", ") + ".", url: url)
    }

    static func notMeasured(_ why: String) -> Result { Result(value: nil, evidence: why, url: "") }

    static func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    /// Reads the unit's pages in process, through every middleware, as a visitor on its host would.
    static func inProcess(_ app: Application) -> Fetch {
        { host, path in
            let request = Request(application: app, method: .GET, url: URI(path: path), headers: ["Host": host], on: app.eventLoopGroup.next())
            let response = try await app.responder.respond(to: request).get()
            var body = response.body.buffer ?? ByteBuffer()
            if response.body.buffer == nil, let collected = try await response.body.collect(on: request.eventLoop).get() { body = collected }
            return (Int(response.status.code), body.readString(length: body.readableBytes) ?? "")
        }
    }
}

/// Whether a document is well-formed XML (the feeds and the sitemap). The parser's own verdict
/// is not enough on Linux (a document cut off after an opening tag parses "successfully"), so
/// every element opened must also be closed.
enum XMLCheck {
    private final class Balance: NSObject, XMLParserDelegate {
        var depth = 0
        var elements = 0
        var failed = false

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                    attributes attributeDict: [String: String] = [:]) {
            depth += 1
            elements += 1
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) { depth -= 1 }
        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { failed = true }
    }

    static func isWellFormed(_ text: String) -> Bool {
        let parser = XMLParser(data: Data(text.utf8))
        let balance = Balance()
        parser.delegate = balance
        let parsed = parser.parse()
        return parsed && !balance.failed && balance.depth == 0 && balance.elements > 0
    }
}

extension EvaluationChecks.Context {
    /// Checks run while this server answers a request: its database, configuration and public
    /// addresses, the units' pages read in process, now; no browser unless one is given.
    init(serving req: Request) {
        self.init(db: req.db, config: req.config, links: req.publicLinks, fetch: EvaluationChecks.inProcess(req.application), now: Date())
    }
}
