import EduCore
import Foundation
import Vapor

/// `eduportal audit URL`: the auditor from the command line, its report as text or JSON.
public enum AuditOperations {
    public struct Options: Sendable {
        public var url: String
        public var domain: String?
        public var mailDomain: String?
        /// `host:port` of the DNS server to ask; nil: the system's resolver; "" : do not ask.
        public var dns: String?
        public var pages: Int
        /// Requests per second.
        public var rate: Double
        /// Measure the home page in Chromium when there is one (EDUPORTAL_CHROMIUM, /usr/bin/chromium).
        public var browser = true

        public init(url: String, domain: String?, mailDomain: String?, dns: String?, pages: Int, rate: Double, browser: Bool = true) {
            self.browser = browser
            self.url = url
            self.domain = domain
            self.mailDomain = mailDomain
            self.dns = dns
            self.pages = pages
            self.rate = rate
        }
    }

    public static func run(_ options: Options, client: any Client, eventLoopGroup: any EventLoopGroup) async throws -> (text: String, json: String, score: Double) {
        guard let url = URL(string: options.url), url.host != nil else { throw OperationFailure("«\(options.url)» không phải địa chỉ http(s):// đầy đủ.") }
        guard (1...500).contains(options.pages) else { throw OperationFailure("Số trang đọc tối đa phải từ 1 đến 500.") }
        guard options.rate > 0 && options.rate <= 10 else { throw OperationFailure("Tốc độ phải lớn hơn 0 và không quá 10 yêu cầu mỗi giây.") }
        var resolver: PortalAuditor.Resolve?
        switch options.dns {
        case .none: let dns = DNSClient.system(); resolver = { try await dns.query($0, $1) }
        case .some(let text) where text.isEmpty: resolver = nil
        case .some(let text):
            guard let dns = DNSClient.parse(text) else { throw OperationFailure("Máy chủ DNS «\(text)» viết dạng host:cổng, ví dụ 127.0.0.1:5353.") }
            resolver = { try await dns.query($0, $1) }
        }
        var auditor = PortalAuditor(get: PortalAuditor.client(client), resolve: resolver)
        auditor.pageBudget = options.pages
        auditor.pause = 1 / options.rate
        if options.browser { auditor.browser = ChromiumProbe.find(eventLoopGroup: eventLoopGroup).map(EvaluationChecks.BrowserRuns.init) }
        let report: PortalAuditor.Report
        do {
            report = try await auditor.audit(url, domain: options.domain, mailDomain: options.mailDomain)
        } catch let errors as FormErrors {
            throw OperationFailure(errors.form ?? errors.fields.values.sorted().joined(separator: " "))
        }
        var lines = ["Kiểm tra \(report.url) (tên miền \(report.domain), thư \(report.mailDomain)): đọc \(report.pagesRead.count) trang"
                     + (report.skippedByRobots.isEmpty ? "." : ", bỏ qua \(report.skippedByRobots.count) trang theo robots.txt."), ""]
        for (criterion, result) in report.results {
            let points = criterion.points(for: result.value)
            lines.append("\(criterion.code)  \(points.map { ScorecardVM.number($0) } ?? "—")/\(ScorecardVM.number(criterion.weight))  \(criterion.title): \(result.evidence)")
        }
        lines += ["", "Tổng: \(ScorecardVM.number(report.total.score))/100 (\(Evaluation.grade(report.total.score)))"
                  + (report.total.unmeasured > 0 ? "; \(report.total.unmeasured) tiêu chí chưa đo, không tính vào tổng." : ".")]
        struct Item: Encodable { let code: String; let check: String; let value: Double?; let points: Double?; let weight: Double; let evidence: String }
        struct Output: Encodable { let url: String; let domain: String; let mailDomain: String; let pagesRead: [String]; let skippedByRobots: [String]; let score: Double; let criteria: [Item] }
        let output = Output(url: report.url, domain: report.domain, mailDomain: report.mailDomain, pagesRead: report.pagesRead, skippedByRobots: report.skippedByRobots,
                            score: report.total.score, criteria: report.results.map {
                                Item(code: $0.criterion.code, check: $0.criterion.check, value: $0.result.value, points: $0.criterion.points(for: $0.result.value),
                                     weight: $0.criterion.weight, evidence: $0.result.evidence)
                            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (lines.joined(separator: "\n"), String(decoding: try encoder.encode(output), as: UTF8.self), report.total.score)
    }
}
