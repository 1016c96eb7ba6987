import EduCore
import EduData
import Fluent
import Vapor

struct SubUnitsPage: PageView {
    static let template = "sub-units"

    let layout: LayoutVM
    let name: String
    let units: [UnitLink]
}

extension SubUnitsPage {
    /// The query that builds the page.
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> SubUnitsPage {
        let children = try await OrgUnit.children(of: unit.id, on: req.db)
        let page = SubUnitsPage(
            layout: LayoutVM.make(req, title: "Đơn vị trực thuộc", admin: false), name: unit.name,
            units: try await req.publicLinks.links(for: children, on: req.db))
        return page
    }
}
