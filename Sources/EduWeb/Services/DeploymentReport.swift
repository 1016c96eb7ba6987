import EduCore
import EduData
import EduImport
import Fluent
import Foundation
import Vapor

/// The deployment report of a subtree (A13–A15: each level reports its deployment upward on
/// request): for every active unit its portal's hostnames, mail domains, accounts, mailboxes,
/// groups, focal people, how many of its sections have content and how many categories are
/// updated on time (read as `EvaluationChecks` reads them), its last post and its last published
/// score. Shown as a printable page and a workbook, and sent to the unit above.
enum DeploymentReport {
    struct Row: Codable, Sendable, Equatable {
        var code: String
        var name: String
        var type: String
        var parent: String
        var hostnames: String
        var mailDomains: String
        var accounts: Int
        var mailboxes: Int
        var groups: Int
        var portalContact: String
        var mailContact: String
        var coverage: String
        var freshness: String
        var lastPost: String
        var lastScore: String
    }

    static let headers = ["Mã", "Đơn vị", "Loại", "Đơn vị quản lý", "Tên miền cổng", "Tên miền thư", "Tài khoản", "Hộp thư", "Nhóm thư",
                          "Đầu mối cổng", "Đầu mối thư", "Chuyên mục có nội dung", "Cập nhật đúng hạn", "Tin bài gần nhất", "Điểm đánh giá gần nhất"]

    static func cells(_ row: Row) -> [String] {
        [row.code, row.name, row.type, row.parent, row.hostnames, row.mailDomains, String(row.accounts), String(row.mailboxes), String(row.groups),
         row.portalContact, row.mailContact, row.coverage, row.freshness, row.lastPost, row.lastScore]
    }

    static func build(for root: ResolvedUnit, context: EvaluationChecks.Context) async throws -> [Row] {
        let db = context.db
        let units = try await OrgUnit.subtree(ofPath: root.path, on: db)
        let ids = units.compactMap(\.id)
        let names = Dictionary(units.compactMap { u in u.id.map { ($0, u.name) } }, uniquingKeysWith: { a, _ in a })
        func count<M: Model>(_ rows: [M], _ key: (M) -> UUID) -> [UUID: Int] { Dictionary(grouping: rows, by: key).mapValues(\.count) }
        let hosts = Dictionary(grouping: try await UnitHostname.query(on: db).filter(\.$unitID ~~ ids).sort(\.$hostname).all(), by: \.unitID)
        let domains = Dictionary(grouping: try await MailDomainRecord.query(on: db).filter(\.$unitID ~~ ids).filter(\.$active == true).all(), by: \.unitID)
        let accounts = count(try await User.query(on: db).filter(\.$unitID ~~ ids).filter(\.$disabled == false).all(), \.unitID)
        let mailboxes = count(try await Mailbox.query(on: db).filter(\.$unitID ~~ ids).filter(\.$active == true).all(), \.unitID)
        let groups = count(try await MailGroup.query(on: db).filter(\.$unitID ~~ ids).all(), \.unitID)
        var rows: [Row] = []
        // Units sharing a parent share its latest published round: its table is built once.
        var latest: [UUID: (round: EvaluationRound, table: [EvaluationService.Row])?] = [:]
        func latestRound(of parentID: UUID) async throws -> (round: EvaluationRound, table: [EvaluationService.Row])? {
            if let known = latest[parentID] { return known }
            var found: (round: EvaluationRound, table: [EvaluationService.Row])?
            if let round = try await EvaluationRound.query(in: parentID, on: db).filter(\.$state == EvaluationRound.State.published.rawValue)
                .sort(\.$publishedAt, .descending).first(), let parent = try await OrgUnit.find(parentID, on: db) {
                found = (round, try await EvaluationService.table(round, evaluator: try await parent.resolved(on: db), on: db))
            }
            latest[parentID] = .some(found)
            return found
        }
        for unit in units {
            guard let id = unit.id else { continue }
            let resolved = try await unit.resolved(on: db)
            let coverage = try await EvaluationChecks.measure("muc-bat-buoc", unit: resolved, context: context)
            let freshness = try await EvaluationChecks.measure("cap-nhat", unit: resolved, context: context)
            let last = try await Article.publicQuery(unitID: id, now: context.now, on: db).sort(\.$publishedAt, .descending).first()
            var score = ""
            if let parentID = unit.parentID, let latest = try await latestRound(of: parentID), let row = latest.table.first(where: { $0.unit.id == id }) {
                score = "\(ScorecardVM.number(row.total.score))/100 (\(row.grade), hạng \(row.rank)) – \(latest.round.title)"
            }
            func percent(_ result: EvaluationChecks.Result) -> String {
                result.value.map { ScorecardVM.number($0) + "%" + ($0 < 100 ? ": " + result.evidence : "") } ?? result.evidence
            }
            rows.append(Row(
                code: unit.code, name: unit.name, type: unit.type.label, parent: unit.parentID.flatMap { names[$0] } ?? "",
                hostnames: (hosts[id] ?? []).map(\.hostname).filter { !($0.first?.isNumber ?? true) }.joined(separator: ", "),
                mailDomains: (domains[id] ?? []).map(\.domain).sorted().joined(separator: ", "),
                accounts: accounts[id] ?? 0, mailboxes: mailboxes[id] ?? 0, groups: groups[id] ?? 0,
                portalContact: [unit.portalContactName, unit.portalContactEmail, unit.portalContactPhone].filter { !$0.isEmpty }.joined(separator: " – "),
                mailContact: [unit.mailContactName, unit.mailContactEmail, unit.mailContactPhone].filter { !$0.isEmpty }.joined(separator: " – "),
                coverage: percent(coverage), freshness: percent(freshness),
                lastPost: last.map { "\($0.publishedAt.map(VietnameseDate.day) ?? "") – \($0.title)" } ?? "Chưa có", lastScore: score))
        }
        return rows
    }

    static func workbook(title: String, rows: [Row]) throws -> Data {
        try XLSXWriter.workbook(sheetName: "Báo cáo triển khai", rows: [[.text(title)], headers.map { .text($0) }]
            + rows.map { row in cells(row).enumerated().map { index, text in (6...8).contains(index) ? .number(Double(text) ?? 0) : .text(text) } },
            merges: ["A1:O1"])
    }

    /// Sends the unit's report to the unit above: the rows kept as they are now, the receiver's
    /// admins and official address told through the outbox with a link. `answering` is the
    /// request and period it answers (its title then stands when none is typed); `automatic`
    /// marks one the server made when the period came due.
    @discardableResult
    static func submit(_ rows: [Row], from unit: ResolvedUnit, title raw: String, answering: (request: ReportRequest, period: Date)? = nil,
                       automatic: Bool = false, by actor: AuditActor, who: String, links: PublicLinks,
                       now: Date = Date(), on db: any Database) async throws -> ReportSubmission {
        guard let parentID = unit.parentID, let parent = try await OrgUnit.find(parentID, on: db) else {
            throw FormErrors(form: "Đơn vị không có đơn vị cấp trên trên hệ thống; tải tệp XLSX để gửi.")
        }
        if let answering {
            guard answering.request.unitID == parentID, !answering.request.stopped else {
                throw FormErrors.field("request", "Yêu cầu này không còn nhận báo cáo của đơn vị.")
            }
            guard answering.request.periods(limit: 4).contains(answering.period) else {
                throw FormErrors.field("request", "Kỳ báo cáo này không có trong yêu cầu.")
            }
            let requestID = try answering.request.requireID()
            if try await ReportSubmission.query(on: db).filter(\.$requestID == requestID).filter(\.$periodDue == answering.period)
                .filter(\.$unitID == unit.id).first() != nil {
                throw FormErrors.field("request", "Đơn vị đã gửi báo cáo cho kỳ này (hạn \(VietnameseDate.day(answering.period))).")
            }
        }
        let typed = TextNormalizer.normalize(raw, maxLength: 300)
        let title = typed.isEmpty ? answering.map { $0.request.title(for: $0.period) } ?? "" : typed
        guard title.count >= 5 else { throw FormErrors.field("title", "Nhập tên báo cáo (ví dụ «Báo cáo triển khai cổng thông tin, thư điện tử quý IV/2026»).") }
        let submission = ReportSubmission()
        submission.unitID = unit.id
        submission.toUnitID = parentID
        submission.title = title
        submission.rowsJSON = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        submission.createdAt = now
        submission.createdBy = who
        submission.requestID = try answering?.request.requireID()
        submission.periodDue = answering?.period
        submission.automatic = automatic
        let receiver = try await parent.resolved(on: db)
        try await db.transaction { tx in
            try await submission.create(on: tx)
            let link = links.base(of: receiver) + SiteURL.adminReportReceived(code: .value(receiver.code), id: .value(try submission.requireID().uuidString.lowercased())).path
            let how = automatic ? "Hệ thống đã tự lập và gửi báo cáo của \(unit.name)" : "\(unit.name) đã gửi"
            try await tell(receiver, subject: "Báo cáo triển khai từ \(unit.name): \(title)",
                           body: "\(how) «\(title)» (\(rows.count) đơn vị) lúc \(VietnameseDate.dateTime(now)).\n\nXem báo cáo: \(link)\n", on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: automatic ? "report.submit.auto" : "report.submit", target: title,
                                        detail: "gửi \(parent.name)", on: tx)
        }
        return submission
    }

    static func rows(of submission: ReportSubmission) -> [Row] {
        (try? JSONDecoder().decode([Row].self, from: Data(submission.rowsJSON.utf8))) ?? []
    }
}
