import EduCore
import EduData
import Fluent
import Vapor

struct DepartmentsPage: PageView {
    static let template = "departments"

    struct Item {
        let name: String
        let functions: String
        let headName: String
        let phone: String
        let email: String
    }

    let layout: LayoutVM
    let departments: [Item]
    let unitName: String
}

extension DepartmentsPage {
    /// The query that builds the page.
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> DepartmentsPage {
        let page = DepartmentsPage(
            layout: LayoutVM.make(req, title: "Cơ cấu tổ chức", admin: false),
            departments: try await IntroService.departments(unitID: unit.id, on: req.db).map {
                .init(name: $0.name, functions: $0.functions, headName: $0.headName, phone: $0.phone, email: $0.email)
            },
            unitName: unit.name)
        return page
    }
}
