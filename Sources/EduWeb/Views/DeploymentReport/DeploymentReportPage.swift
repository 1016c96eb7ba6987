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

    let layout: LayoutVM
    let heading: String
    let generated: String
    let headers: [String]
    let rows: [[String]]
    let xlsxURL: String
    let submitForm: FormPage?
    let received: [Received]
    let notice: String
}

extension DeploymentReportPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, errors: FormErrors = [:], title: String = "") async throws -> DeploymentReportPage {
        let url = SiteURL.adminReport(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Báo cáo triển khai", url: url)])
        let layout = LayoutVM.make(req, title: "Báo cáo triển khai – \(unit.name)", admin: true, breadcrumbs: crumbs)
        let context = EvaluationChecks.Context(serving: req)
        let rows = try await DeploymentReport.build(for: unit, context: context)
        let parent = try await unit.parentID.asyncMap { try await OrgUnit.find($0, on: req.db) } ?? nil
        let submitForm = parent != nil && admin.may(.editUnit, on: unit) ? FormPage(
            layout: layout, heading: "Gửi báo cáo lên \(parent?.name ?? "")", intro: errors.form ?? (errors.isEmpty ? nil : "Chưa gửi: sửa các ô được chỉ ra."),
            action: SiteURL.adminReportSubmit(code: .value(unit.code)).path, submitLabel: "Gửi báo cáo",
            fields: [FormField(name: "title", label: "Tên báo cáo", value: title, error: errors["title"],
                               hint: "Ví dụ: Báo cáo triển khai cổng thông tin, thư điện tử quý IV/2026. Số liệu gửi đi là số liệu lúc gửi.", required: true)],
            cancelURL: url) : nil
        let submissions = try await ReportSubmission.query(on: req.db).filter(\.$toUnitID == unit.id).sort(\.$createdAt, .descending).limit(100).all()
        let senders = Dictionary(try await OrgUnit.query(on: req.db).filter(\.$id ~~ submissions.map(\.unitID)).all().compactMap { u in u.id.map { ($0, u.name) } },
                                 uniquingKeysWith: { a, _ in a })
        return DeploymentReportPage(
            layout: layout, heading: "Báo cáo triển khai – \(unit.name)", generated: VietnameseDate.dateTime(context.now), headers: DeploymentReport.headers,
            rows: rows.map(DeploymentReport.cells), xlsxURL: SiteURL.adminReportXLSX(code: .value(unit.code)).path, submitForm: submitForm,
            received: submissions.map { s in
                Received(title: s.title, from: senders[s.unitID] ?? "", date: VietnameseDate.dateTime(s.createdAt),
                         url: SiteURL.adminReportReceived(code: .value(unit.code), id: .value(s.id?.uuidString.lowercased() ?? "")).path)
            },
            notice: ["submitted": "Đã gửi báo cáo lên đơn vị cấp trên."][req.textParameter("ok")] ?? "")
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
            xlsxURL: SiteURL.adminReportReceivedXLSX(code: .value(unit.code), id: .value(id)).path, submitForm: nil, received: [], notice: "")
    }
}
