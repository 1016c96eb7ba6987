import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/don-vi/:code/chuyen-muc`: a unit's categories and their update deadlines (A11.2c).
struct CategoryController {
    func register(_ units: UnitRoutes) {
        units.get(.adminCategories(code: .key), requires: .publishContent, use: index)
        units.post(.adminCategories(code: .key), requires: .publishContent, use: save)
    }

    func page(_ req: Request, admin: AdminContext, unit: ResolvedUnit, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        req.render(try await CategoriesPage.query(req, admin: admin, unit: unit, error: error), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return try await page(req, admin: admin, unit: unit)
    }

    @Sendable func save(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = try req.content.decode([String: String].self)
        do {
            try await CategoryService.save(form: form, unit: unit, by: req.actor(admin), on: req.db)
        } catch let errors as FormErrors {
            return try await page(req, admin: admin, unit: unit, error: errors.form, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminCategories(code: .value(unit.code)).path + "?ok=categories-saved")
    }
}
