import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/don-vi/<code>/bao-cao-trien-khai`: the deployment report of the unit's subtree,
/// printable, as a workbook, sent to the unit above; and the reports the units below have sent
/// it. A received report shows the rows as they were sent.
struct DeploymentReportPage: PageView {
    static let template = "admin/deployment-report"

    struct Received {
        let title: String
        let from: String
        let date: String
        let url: String
    }

    struct Cell {
        let text: String
        let url: String
        let late: Bool
    }

    struct StatusRow {
        let unit: String
        let cells: [Cell]
    }

    /// A request this unit made, with who has answered each of its last periods.
    struct RequestVM {
        let title: String
        let schedule: String
        let due: String
        let auto: Bool
        let stopped: Bool
        let note: String
        let periods: [String]
        let rows: [StatusRow]
        let stopURL: String
        let anchor: String
    }

    let layout: LayoutVM
    let heading: String
    let generated: String
    let headers: [String]
    let rows: [[String]]
    let xlsxURL: String
    let submitForm: FormPage?
    /// What the unit above has asked this unit for and it has not sent.
    let pending: [String]
    let received: [Received]
    let requestForm: FormPage?
    let requests: [RequestVM]
    let notice: String
}

extension DeploymentReportPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, errors: FormErrors = [:], input: [String: String] = [:],
                      requestErrors: FormErrors = [:], requestInput: [String: String] = [:]) async throws -> DeploymentReportPage {
        let url = SiteURL.adminReport(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Báo cáo triển khai", url: url)])
        let layout = LayoutVM.make(req, title: "Báo cáo triển khai – \(unit.name)", admin: true, breadcrumbs: crumbs)
        let context = EvaluationChecks.Context(serving: req)
        let rows = try await DeploymentReport.build(for: unit, context: context)
        let parent = try await unit.parentID.asyncMap { try await OrgUnit.find($0, on: req.db) } ?? nil
        let pending = try await DeploymentReport.pending(for: unit, now: context.now, on: req.db)
        let chosen = input["request"] ?? pending.first?.key ?? ""
        var fields: [FormField] = []
        if !pending.isEmpty {
            fields.append(FormField(name: "request", label: "Trả lời yêu cầu", value: chosen, error: errors["request"],
                                    hint: "Để trống tên báo cáo thì báo cáo mang tên của yêu cầu và kỳ.", type: "select",
                                    options: [.init(value: "", label: "Không theo yêu cầu nào", selected: chosen.isEmpty)]
                                        + pending.map { .init(value: $0.key, label: $0.label, selected: $0.key == chosen) }))
        }
        fields.append(FormField(name: "title", label: "Tên báo cáo", value: input["title"] ?? "", error: errors["title"],
                                hint: "Ví dụ: Báo cáo triển khai cổng thông tin, thư điện tử quý IV/2026. Số liệu gửi đi là số liệu lúc gửi.",
                                required: pending.isEmpty))
        let submitForm = parent != nil && admin.may(.editUnit, on: unit) ? FormPage(
            layout: layout, heading: "Gửi báo cáo lên \(parent?.name ?? "")", intro: errors.form ?? (errors.isEmpty ? nil : "Chưa gửi: sửa các ô được chỉ ra."),
            action: SiteURL.adminReportSubmit(code: .value(unit.code)).path, submitLabel: "Gửi báo cáo", fields: fields, cancelURL: url) : nil
        let children = try await DeploymentReport.asked(by: unit.id, on: req.db)
        let mayRequest = admin.may(.evaluateUnits, on: unit) && !children.isEmpty
        let cadence = requestInput["cadence"] ?? Cadence.once.rawValue
        let requestForm = mayRequest || !requestErrors.isEmpty ? FormPage(
            layout: layout, heading: "Yêu cầu các đơn vị trực thuộc báo cáo",
            intro: requestErrors.form ?? (requestErrors.isEmpty ? nil : "Chưa gửi yêu cầu: sửa các ô được chỉ ra."),
            action: SiteURL.adminReportRequests(code: .value(unit.code)).path, submitLabel: "Gửi yêu cầu",
            fields: [
                FormField(name: "title", label: "Tên báo cáo cần gửi", value: requestInput["title"] ?? "", error: requestErrors["title"],
                          hint: "Ví dụ: Báo cáo triển khai cổng thông tin, thư điện tử. Báo cáo định kỳ thêm kỳ vào tên (quý IV/2026).", required: true, idPrefix: "yc-"),
                FormField(name: "due", label: "Hạn gửi (kỳ đầu)", value: requestInput["due"] ?? "", error: requestErrors["due"],
                          hint: "Ngày/tháng/năm, ví dụ 31/12/2026; gửi được đến hết ngày này.", required: true, inputmode: "numeric", maxlength: 10, idPrefix: "yc-"),
                FormField(name: "cadence", label: "Lặp lại", value: cadence, error: requestErrors["cadence"], type: "select", required: true,
                          options: Cadence.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == cadence) }, idPrefix: "yc-"),
                FormField(name: "note", label: "Ghi chú cho đơn vị", value: requestInput["note"] ?? "", error: requestErrors["note"], type: "textarea", maxlength: 2000, idPrefix: "yc-"),
                FormField(name: "autoSend", label: "Đến hạn mà đơn vị chưa gửi thì hệ thống tự lập báo cáo từ số liệu trên hệ thống và gửi", value: "1",
                          error: requestErrors["autoSend"], type: "checkbox", checked: requestInput.isEmpty || requestInput.isChecked("autoSend"), idPrefix: "yc-"),
            ], cancelURL: url) : nil
        var requests: [RequestVM] = []
        do {
            for request in try await ReportRequest.query(in: unit, on: req.db).sort(\.$createdAt, .descending).limit(20).all() {
                let status = try await DeploymentReport.status(of: request, children: children, receiver: unit, now: context.now, on: req.db)
                let id = request.id?.uuidString.lowercased() ?? ""
                requests.append(RequestVM(
                    title: request.title, schedule: request.schedule.label, due: VietnameseDate.day(request.dueAt), auto: request.autoSend,
                    stopped: request.stopped, note: request.note,
                    periods: status.periods.map { period in
                        let label = request.schedule.periodLabel(of: period)
                        return (label.isEmpty ? "" : label + ", ") + "hạn " + VietnameseDate.day(period)
                    },
                    rows: status.rows.map { StatusRow(unit: $0.unit.name, cells: $0.cells.map { Cell(text: $0.text, url: $0.url, late: $0.late) }) },
                    stopURL: admin.may(.evaluateUnits, on: unit) && !request.stopped
                        ? SiteURL.adminReportRequestStop(code: .value(unit.code), id: .value(id)).path : "",
                    anchor: "yeu-cau-" + id.prefix(8)))
            }
        }
        let submissions = try await ReportSubmission.query(on: req.db).filter(\.$toUnitID == unit.id).sort(\.$createdAt, .descending).limit(100).all()
        let senders = Dictionary(try await OrgUnit.query(on: req.db).filter(\.$id ~~ submissions.map(\.unitID)).all().compactMap { u in u.id.map { ($0, u.name) } },
                                 uniquingKeysWith: { a, _ in a })
        return DeploymentReportPage(
            layout: layout, heading: "Báo cáo triển khai – \(unit.name)", generated: VietnameseDate.dateTime(context.now), headers: DeploymentReport.headers,
            rows: rows.map(DeploymentReport.cells), xlsxURL: SiteURL.adminReportXLSX(code: .value(unit.code)).path, submitForm: submitForm,
            pending: pending.map(\.label),
            received: submissions.map { s in
                Received(title: s.title, from: senders[s.unitID] ?? "", date: VietnameseDate.dateTime(s.createdAt) + (s.automatic == true ? " · hệ thống tự gửi khi đến hạn" : ""),
                         url: SiteURL.adminReportReceived(code: .value(unit.code), id: .value(s.id?.uuidString.lowercased() ?? "")).path)
            },
            requestForm: requestForm, requests: requests,
            notice: ["submitted": "Đã gửi báo cáo lên đơn vị cấp trên.", "requested": "Đã gửi yêu cầu báo cáo tới các đơn vị trực thuộc.",
                     "stopped": "Đã dừng yêu cầu báo cáo."][req.textParameter("ok")] ?? "")
    }

    /// A report a unit below sent, as it was sent.
    static func received(_ req: Request, admin: AdminContext, unit: ResolvedUnit, submission: ReportSubmission) async throws -> DeploymentReportPage {
        let sender = try await OrgUnit.find(submission.unitID, on: req.db)
        let id = submission.id?.uuidString.lowercased() ?? ""
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Báo cáo triển khai", url: SiteURL.adminReport(code: .value(unit.code)).path),
            .init(label: submission.title, url: SiteURL.adminReportReceived(code: .value(unit.code), id: .value(id)).path),
        ])
        return DeploymentReportPage(
            layout: LayoutVM.make(req, title: submission.title, admin: true, breadcrumbs: crumbs),
            heading: "\(submission.title) – \(sender?.name ?? "")", generated: VietnameseDate.dateTime(submission.createdAt) + " (gửi bởi \(submission.createdBy))",
            headers: DeploymentReport.headers, rows: DeploymentReport.rows(of: submission).map(DeploymentReport.cells),
            xlsxURL: SiteURL.adminReportReceivedXLSX(code: .value(unit.code), id: .value(id)).path, submitForm: nil, pending: [], received: [],
            requestForm: nil, requests: [], notice: "")
    }
}
