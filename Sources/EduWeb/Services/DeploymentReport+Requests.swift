import EduCore
import EduData
import Fluent
import Foundation
import Vapor

/// Reports asked for (A13.3, A14.3, A15.3: each level reports upward on request): a unit above
/// asks the units directly below it, once or on a schedule, with a due date; each is told through
/// the outbox, sees the request on its report page and answers it; when a period comes due the
/// server sends the report of every unit that has not (when the request says so) or reminds them.
extension DeploymentReport {
    struct RequestInput: Sendable {
        var title = ""
        var note = ""
        var due = ""
        var cadence = Cadence.once.rawValue
        var autoSend = true

        init() {}

        init(form: [String: String]) {
            title = form["title"] ?? ""
            note = form["note"] ?? ""
            due = form["due"] ?? ""
            cadence = form["cadence"] ?? ""
            autoSend = form.isChecked("autoSend")
        }
    }

    /// The units a request goes to: the active units directly below the requester.
    static func asked(by unit: UUID, on db: any Database) async throws -> [OrgUnit] {
        try await OrgUnit.query(on: db).filter(\.$parentID == unit).filter(\.$stateCode == UnitState.active.rawValue).sort(\.$name).all()
    }

    @discardableResult
    static func request(_ input: RequestInput, from unit: ResolvedUnit, by actor: AuditActor, who: String, links: PublicLinks, now: Date = Date(),
                        on db: any Database) async throws -> ReportRequest {
        var errors: FormErrors = [:]
        let title = TextNormalizer.normalize(input.title, maxLength: 300)
        if title.count < 5 { errors["title"] = "Nhập tên báo cáo cần gửi (ví dụ «Báo cáo triển khai cổng thông tin, thư điện tử»)." }
        let note = TextNormalizer.normalize(input.note, mode: .multiLine, maxLength: 2000)
        let cadence = Cadence(rawValue: input.cadence)
        if cadence == nil { errors["cadence"] = "Chọn một lần hoặc định kỳ." }
        let day = VietnameseDate.parse(input.due)
        if input.due.trimmingCharacters(in: .whitespaces).isEmpty {
            errors["due"] = "Nhập hạn gửi (ngày/tháng/năm)."
        } else if day == nil {
            errors["due"] = "«\(String(input.due.prefix(30)))» không phải ngày (viết ngày/tháng/năm, ví dụ 31/12/2026)."
        } else if let day, Cadence.endOfDay(day) < now {
            errors["due"] = "Hạn gửi \(VietnameseDate.day(day)) đã qua."
        }
        let children = try await asked(by: unit.id, on: db)
        if children.isEmpty { errors.form = "Đơn vị chưa có đơn vị trực thuộc nào đang hoạt động để yêu cầu báo cáo." }
        guard errors.isEmpty, let cadence, let day else { throw errors }
        let due = Cadence.endOfDay(day)
        let request = ReportRequest()
        request.unitID = unit.id
        request.title = title
        request.note = note
        request.cadence = cadence.rawValue
        request.firstDue = due
        request.dueAt = due
        request.autoSend = input.autoSend
        request.stopped = false
        request.createdAt = now
        request.createdBy = who
        try await db.transaction { tx in
            try await request.create(on: tx)
            for child in children {
                let resolved = try await child.resolved(on: tx)
                try await tell(resolved, subject: "\(unit.name) yêu cầu báo cáo: \(request.title(for: due))",
                               body: "\(unit.name) yêu cầu \(child.name) gửi «\(request.title(for: due))» trước hết ngày \(VietnameseDate.day(due))"
                                + (cadence == .once ? "." : " (\(cadence.label.lowercased()), kỳ sau hạn \(cadence.next(after: due, from: due).map(VietnameseDate.day) ?? "")).")
                                + (note.isEmpty ? "" : "\n\n\(note)")
                                + (input.autoSend ? "\n\nĐến hạn mà đơn vị chưa gửi, hệ thống sẽ tự lập báo cáo từ số liệu trên hệ thống và gửi đi." : "")
                                + "\n\nLập và gửi báo cáo: " + links.base(of: resolved) + SiteURL.adminReport(code: .value(child.code)).path + "\n",
                               on: tx)
            }
            try await AuditEntry.record(actor, unitID: unit.id, action: "report.request", target: title,
                                        detail: "\(cadence.label), hạn \(VietnameseDate.day(due)), \(children.count) đơn vị", on: tx)
        }
        return request
    }

    /// A notice to a unit's admins and its official address.
    static func tell(_ unit: ResolvedUnit, subject: String, body: String, on db: any Database) async throws {
        let people = try await Notifier.people(with: [.quanTri], at: unit, on: db).map(\.email)
        let recipients = Array(Set(people + (unit.email.isEmpty ? [] : [unit.email]))).sorted()
        guard !recipients.isEmpty else { return }
        try await OutboxMessage(unitID: unit.id, recipients: recipients, subject: subject, body: body).create(on: db)
    }

    static func stop(_ request: ReportRequest, unit: ResolvedUnit, by actor: AuditActor, on db: any Database) async throws {
        guard request.unitID == unit.id else { throw AppError.notFound }
        guard !request.stopped else { return }
        request.stopped = true
        try await db.transaction { tx in
            try await request.save(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: "report.request.stop", target: request.title, on: tx)
        }
    }

    /// A period of a request that a unit has not answered.
    struct Pending: Sendable {
        let request: ReportRequest
        let period: Date
        let overdue: Bool

        /// The form's value for it: the request's id and the period's moment.
        var key: String { (request.id?.uuidString.lowercased() ?? "") + "@" + String(Int(period.timeIntervalSince1970)) }
        var label: String {
            request.title(for: period) + " – hạn " + VietnameseDate.day(period) + (overdue ? " (đã quá hạn)" : "")
        }
    }

    /// What the unit above has asked this unit for and it has not sent: the current period of
    /// every request not stopped, and the last periods it missed; soonest due first.
    static func pending(for unit: ResolvedUnit, now: Date, on db: any Database) async throws -> [Pending] {
        guard let parentID = unit.parentID else { return [] }
        let requests = try await ReportRequest.query(on: db).filter(\.$unitID == parentID).filter(\.$stopped == false)
            .sort(\.$createdAt, .descending).limit(50).all()
        guard !requests.isEmpty else { return [] }
        let sent = try await ReportSubmission.query(on: db).filter(\.$unitID == unit.id).filter(\.$requestID ~~ requests.compactMap(\.id)).all()
        let answered = Set(sent.compactMap { s in s.requestID.flatMap { id in s.periodDue.map { "\(id)@\(Int($0.timeIntervalSince1970))" } } })
        var out: [Pending] = []
        for request in requests {
            guard let id = request.id else { continue }
            for period in request.periods() where !answered.contains("\(id)@\(Int(period.timeIntervalSince1970))") {
                out.append(Pending(request: request, period: period, overdue: period < now))
            }
        }
        return out.sorted { $0.period < $1.period }
    }

    /// Finds a pending period by its form value, among the unit's own.
    static func pending(_ key: String, for unit: ResolvedUnit, now: Date, on db: any Database) async throws -> Pending? {
        try await pending(for: unit, now: now, on: db).first { $0.key == key }
    }

    /// One cell of a request's status table.
    struct Status: Sendable {
        let text: String
        let url: String
        let late: Bool
    }

    /// Each unit asked, for each of the request's last periods (newest first): sent on time,
    /// late, by the server, not yet, or overdue.
    static func status(of request: ReportRequest, children: [OrgUnit], receiver: ResolvedUnit, now: Date,
                       on db: any Database) async throws -> (periods: [Date], rows: [(unit: OrgUnit, cells: [Status])]) {
        let periods = request.periods()
        let requestID = try request.requireID()
        let sent = try await ReportSubmission.query(on: db).filter(\.$requestID == requestID).all()
        var byKey: [String: ReportSubmission] = [:]
        for s in sent { if let due = s.periodDue { byKey["\(s.unitID)@\(Int(due.timeIntervalSince1970))"] = s } }
        let rows = children.compactMap { child -> (unit: OrgUnit, cells: [Status])? in
            guard let childID = child.id else { return nil }
            return (child, periods.map { period in
                if let s = byKey["\(childID)@\(Int(period.timeIntervalSince1970))"] {
                    let url = SiteURL.adminReportReceived(code: .value(receiver.code), id: .value(s.id?.uuidString.lowercased() ?? "")).path
                    if s.automatic == true { return Status(text: "Hệ thống tự gửi " + VietnameseDate.day(s.createdAt), url: url, late: false) }
                    let late = s.createdAt > period
                    return Status(text: (late ? "Gửi muộn " : "Đã gửi ") + VietnameseDate.day(s.createdAt), url: url, late: late)
                }
                return period < now ? Status(text: "Quá hạn, chưa gửi", url: "", late: true) : Status(text: "Chưa gửi", url: "", late: false)
            })
        }
        return (periods, rows)
    }

    /// The server's part when a period comes due: every unit asked that has not sent gets its
    /// report made and sent (when the request says so) or a reminder; then the request moves to
    /// its next period, or, if it was a one-off, is done. Returns the reports sent.
    @discardableResult
    static func runDueRequests(context: EvaluationChecks.Context, links: PublicLinks) async throws -> Int {
        let db = context.db
        let now = context.now
        let due = try await ReportRequest.query(on: db).filter(\.$stopped == false).filter(\.$dueAt <= now).all()
            .filter { request in request.processedThrough.map { $0 < request.dueAt } ?? true }
        var sent = 0
        for request in due {
            guard let requestID = request.id, let requester = try await OrgUnit.find(request.unitID, on: db) else { continue }
            let period = request.dueAt
            // Claimed first: the period is marked done before anything is sent, so a second
            // worker (or a crash halfway) never sends a unit's report twice.
            request.processedThrough = period
            if let next = request.schedule.next(after: period, from: request.firstDue) {
                request.dueAt = next <= now ? (request.schedule.next(after: now, from: request.firstDue) ?? next) : next
            }
            try await request.save(on: db)
            let answered = Set(try await ReportSubmission.query(on: db).filter(\.$requestID == requestID).filter(\.$periodDue == period).all().map(\.unitID))
            let children = try await asked(by: request.unitID, on: db)
            for child in children where !answered.contains(child.id ?? UUID()) {
                let resolved = try await child.resolved(on: db)
                let title = request.title(for: period)
                if request.autoSend {
                    let rows = try await build(for: resolved, context: context)
                    try await submit(rows, from: resolved, title: "", answering: (request, period), automatic: true, by: .system,
                                     who: "Hệ thống (tự động khi đến hạn)", links: links, now: now, on: db)
                    try await tell(resolved, subject: "Đã tự gửi báo cáo: \(title)",
                                   body: "Đến hạn \(VietnameseDate.day(period)) mà \(child.name) chưa gửi «\(title)», hệ thống đã lập báo cáo từ số liệu trên hệ thống và gửi \(requester.name).\n",
                                   on: db)
                    sent += 1
                } else {
                    try await tell(resolved, subject: "Quá hạn gửi báo cáo: \(title)",
                                   body: "\(requester.name) yêu cầu «\(title)» hạn \(VietnameseDate.day(period)); \(child.name) chưa gửi.\n\nLập và gửi báo cáo: "
                                    + links.base(of: resolved) + SiteURL.adminReport(code: .value(child.code)).path + "\n", on: db)
                }
            }
            if request.schedule != .once {
                for child in children {
                    let resolved = try await child.resolved(on: db)
                    try await tell(resolved, subject: "\(requester.name) yêu cầu báo cáo: \(request.title(for: request.dueAt))",
                                   body: "Kỳ báo cáo mới: «\(request.title(for: request.dueAt))», hạn hết ngày \(VietnameseDate.day(request.dueAt)).\n\nLập và gửi báo cáo: "
                                    + links.base(of: resolved) + SiteURL.adminReport(code: .value(child.code)).path + "\n", on: db)
                }
            }
        }
        return sent
    }
}
