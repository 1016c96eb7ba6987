import EduCore
import EduData
import EduImport
import Fluent
import Vapor

/// Admission plans in the admin: created by the unit that runs them (a school, a commune
/// office or the Sở), their registrations listed to each school they name.
struct AdmissionAdminController {
    func register(_ units: UnitRoutes) {
        units.get(.adminAdmissions(code: .key), requires: .manageAdmissions, use: index)
        units.post(.adminAdmissions(code: .key), requires: .manageAdmissions, use: create)
        units.get(.adminAdmissionPlan(code: .key, id: .key), requires: .manageAdmissions, use: show)
        units.post(.adminAdmissionReview(code: .key, id: .key, registration: .key), requires: .manageAdmissions, use: review)
        units.get(.adminAdmissionExport(code: .key, id: .key, file: .key), requires: .manageAdmissions, use: export)
    }

    /// `ho-so.xlsx` or `ho-so.csv`: the registrations this unit may see.
    @Sendable func export(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let plan = try await plan(req, unit: unit)
        let file = req.parameters.get("file") ?? ""
        guard file == "ho-so.xlsx" || file == "ho-so.csv" else { throw AppError.notFound }
        let rows = try await AdmissionService.exportRows(of: plan, visibleTo: unit, by: req.actor(admin), on: req.db)
        var headers = HTTPHeaders()
        let body: Response.Body
        if file.hasSuffix(".csv") {
            headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            body = .init(string: AdmissionService.csv(rows))
        } else {
            headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            body = .init(data: try XLSXWriter.workbook(sheetName: "Hồ sơ", rows: rows.map { $0.map { XLSXWriter.Cell.text($0) } }))
        }
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"ho-so-\(unit.code).\(file.hasSuffix(".csv") ? "csv" : "xlsx")\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: body)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await AdmissionsAdminPage.query(req, admin: admin, unit: unit))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let input = AdmissionService.PlanInput(form: (try? req.content.decode([String: String].self)) ?? [:])
        do {
            let plan = try await AdmissionService.createPlan(input, owner: unit, by: req.actor(admin), on: req.db)
            return req.redirect(to: SiteURL.adminAdmissionPlan(code: .value(unit.code), id: .value(try plan.requireID().uuidString.lowercased())).path)
        } catch let errors as FormErrors {
            return req.render(try await AdmissionsAdminPage.query(req, admin: admin, unit: unit, input: input, errors: errors), status: .unprocessableEntity)
        }
    }

    func plan(_ req: Request, unit: ResolvedUnit) async throws -> AdmissionPlan {
        guard let plan = try await AdmissionService.plan(req.parameters.get("id").flatMap(UUID.init(uuidString:)), shownAt: unit.id, on: req.db)
        else { throw AppError.notFound }
        return plan
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await AdmissionPlanAdminPage.query(req, admin: admin, unit: unit, plan: try await plan(req, unit: unit)))
    }

    /// A decision on one registration the unit may see; another plan's or one it may not see is 404.
    @Sendable func review(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let plan = try await plan(req, unit: unit)
        guard let id = req.parameters.get("registration").flatMap(UUID.init(uuidString:)),
              let registration = try await AdmissionService.registrations(of: plan, visibleTo: unit.id, on: req.db).filter(\.$id == id).first()
        else { throw AppError.notFound }
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let base = SiteURL.adminAdmissionPlan(code: .value(unit.code), id: .value(try plan.requireID().uuidString.lowercased())).path
        guard let decision = AdmissionService.Decision(rawValue: form["decision"] ?? "") else {
            return req.render(try await AdmissionPlanAdminPage.query(req, admin: admin, unit: unit, plan: plan, error: "Chọn kết quả xét hồ sơ."), status: .unprocessableEntity)
        }
        do {
            try await AdmissionService.review(registration, decision: decision, reason: form["reason"] ?? "", plan: plan, at: unit,
                                              statusURL: req.publicLinks.base(of: unit) + SiteURL.admissionStatus.path, by: req.actor(admin), on: req.db)
            return req.redirect(to: base + "?ok=" + registration.trackingCode)
        } catch let errors as FormErrors {
            return req.render(try await AdmissionPlanAdminPage.query(req, admin: admin, unit: unit, plan: plan,
                                                                      error: "\(registration.trackingCode): " + errors.messagesWithoutFields.joined(separator: " ")),
                              status: .unprocessableEntity)
        }
    }
}
