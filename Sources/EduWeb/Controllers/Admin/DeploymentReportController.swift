import EduCore
import EduData
import Fluent
import Vapor

/// The deployment report of a subtree (A13–A15): the page, the workbook, sending it upward, and
/// the reports received from below.
struct DeploymentReportController {
    func register(_ units: UnitRoutes) {
        units.get(.adminReport(code: .key), requires: .viewUnit, use: page)
        units.get(.adminReportXLSX(code: .key), requires: .viewUnit, use: workbook)
        units.post(.adminReportSubmit(code: .key), requires: .editUnit, use: submit)
        units.get(.adminReportReceived(code: .key, id: .key), requires: .viewUnit, use: received)
        units.get(.adminReportReceivedXLSX(code: .key, id: .key), requires: .viewUnit, use: receivedWorkbook)
        units.post(.adminReportRequests(code: .key), requires: .evaluateUnits, use: request)
        units.post(.adminReportRequestStop(code: .key, id: .key), requires: .evaluateUnits, use: stop)
    }

    func form(_ req: Request) -> [String: String] { (try? req.content.decode([String: String].self)) ?? [:] }

    /// A report sent to this unit, only among those sent to it.
    func submission(_ req: Request, unit: ResolvedUnit) async throws -> ReportSubmission {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let submission = try await ReportSubmission.query(on: req.db).filter(\.$id == id).filter(\.$toUnitID == unit.id).first() else { throw AppError.notFound }
        return submission
    }

    @Sendable func page(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await DeploymentReportPage.query(req, admin: admin, unit: unit))
    }

    @Sendable func workbook(req: Request) async throws -> Response {
        let (_, unit) = try req.scoped()
        let rows = try await DeploymentReport.build(for: unit, context: .init(serving: req))
        return .xlsx(try DeploymentReport.workbook(title: "Báo cáo triển khai – \(unit.name) – \(VietnameseDate.dateTime(Date()))", rows: rows),
                     filename: "bao-cao-trien-khai-\(unit.code)")
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let input = form(req)
        let title = input["title"] ?? "", key = input["request"] ?? ""
        do {
            var answering: (request: ReportRequest, period: Date)?
            if !key.isEmpty {
                guard let pending = try await DeploymentReport.pending(key, for: unit, now: Date(), on: req.db) else {
                    throw FormErrors(form: "Chưa gửi: yêu cầu đã chọn đã được trả lời hoặc không còn nhận báo cáo.")
                }
                answering = (pending.request, pending.period)
            }
            let rows = try await DeploymentReport.build(for: unit, context: .init(serving: req))
            try await DeploymentReport.submit(rows, from: unit, title: title, answering: answering, by: req.actor(admin), who: admin.user.email,
                                              links: req.publicLinks, on: req.db)
            return req.redirect(to: SiteURL.adminReport(code: .value(unit.code)).path + "?ok=submitted")
        } catch let errors as FormErrors {
            return req.render(try await DeploymentReportPage.query(req, admin: admin, unit: unit, errors: errors, input: input), status: .unprocessableEntity)
        }
    }

    @Sendable func request(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let input = form(req)
        do {
            try await DeploymentReport.request(.init(form: input), from: unit, by: req.actor(admin), who: admin.user.email, links: req.publicLinks, on: req.db)
            return req.redirect(to: SiteURL.adminReport(code: .value(unit.code)).path + "?ok=requested#yeu-cau")
        } catch let errors as FormErrors {
            return req.render(try await DeploymentReportPage.query(req, admin: admin, unit: unit, requestErrors: errors, requestInput: input),
                              status: .unprocessableEntity)
        }
    }

    @Sendable func stop(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let request = try await ReportRequest.query(in: unit, on: req.db).filter(\.$id == id).first() else { throw AppError.notFound }
        try await DeploymentReport.stop(request, unit: unit, by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminReport(code: .value(unit.code)).path + "?ok=stopped#yeu-cau")
    }

    @Sendable func received(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await DeploymentReportPage.received(req, admin: admin, unit: unit, submission: try await submission(req, unit: unit)))
    }

    @Sendable func receivedWorkbook(req: Request) async throws -> Response {
        let (_, unit) = try req.scoped()
        let submission = try await submission(req, unit: unit)
        return .xlsx(try DeploymentReport.workbook(title: submission.title, rows: DeploymentReport.rows(of: submission)), filename: "bao-cao-da-nhan-\(unit.code)")
    }
}
