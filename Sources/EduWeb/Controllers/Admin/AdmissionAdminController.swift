import EduCore
import EduData
import Fluent
import Vapor

/// Admission plans in the admin: created by the unit that runs them (a school, a commune
/// office or the Sở), their registrations listed to each school they name.
struct AdmissionAdminController {
    func register(_ units: UnitRoutes) {
        units.get(.adminAdmissions(code: .key), requires: .manageAdmissions, use: index)
        units.post(.adminAdmissions(code: .key), requires: .manageAdmissions, use: create)
        units.get(.adminAdmissionPlan(code: .key, id: .key), requires: .manageAdmissions, use: show)
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

    @Sendable func show(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard let plan = try await AdmissionService.plan(req.parameters.get("id").flatMap(UUID.init(uuidString:)), shownAt: unit.id, on: req.db)
        else { throw AppError.notFound }
        return req.render(try await AdmissionPlanAdminPage.query(req, admin: admin, unit: unit, plan: plan))
    }
}
