import EduCore
import EduData
import Fluent
import Vapor

struct CategoriesPage: PageView {
    static let template = "admin/categories"

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

extension CategoriesPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, error: String? = nil) async throws -> CategoriesPage {
        let categories = try await Category.list(unitID: unit.id, on: req.db)
        let path = SiteURL.adminCategories(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Chuyên mục", url: path)])
        let page = CategoriesPage(
            layout: LayoutVM.make(req, title: "Chuyên mục – \(unit.name)", admin: true, breadcrumbs: crumbs),
            unitName: unit.name,
            rows: categories.map {
                let id = $0.id!.uuidString
                return .init(id: id, name: $0.name, nameField: "name-" + id, intervalField: "interval-" + id,
                             interval: $0.updateIntervalDays.map(String.init) ?? "", nameID: "f-name-" + id, intervalID: "f-interval-" + id)
            },
            action: path, error: error)
        return page
    }
}
