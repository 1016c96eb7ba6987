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

    struct Page {
        struct Row {
            let id: String
            let name: String
            let nameField: String
            let intervalField: String
            let interval: String
            let nameID: String
            let intervalID: String
        }

        let layout: LayoutVM
        let unitName: String
        let rows: [Row]
        let action: String
        let error: String?
    }

    func page(_ req: Request, admin: AdminContext, unit: ResolvedUnit, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let categories = try await Category.list(unitID: unit.id, on: req.db)
        let path = SiteURL.adminCategories(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Chuyên mục", url: path)])
        let page = Page(
            layout: LayoutVM.make(req, title: "Chuyên mục – \(unit.name)", admin: true, breadcrumbs: crumbs),
            unitName: unit.name,
            rows: categories.map {
                let id = $0.id!.uuidString
                return .init(id: id, name: $0.name, nameField: "name-" + id, intervalField: "interval-" + id,
                             interval: $0.updateIntervalDays.map(String.init) ?? "", nameID: "f-name-" + id, intervalID: "f-interval-" + id)
            },
            action: path, error: error)
        return req.theme.render("admin/categories", page, status: status)
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
