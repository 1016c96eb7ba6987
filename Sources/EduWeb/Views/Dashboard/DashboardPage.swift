import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri`: the units a person may manage (each with its children) and their roles.
struct DashboardPage: PageView {
    static let template = "admin/dashboard"

    struct UnitRow {
        let name: String
        let typeLabel: String
        let url: String
        let children: [UnitRow]
    }

    struct GrantRow {
        let role: String
        let unit: String
    }

    let layout: LayoutVM
    let roots: [UnitRow]
    let grants: [GrantRow]
    let canViewAudit: Bool
    let secondFactorEnabled: Bool
}

extension DashboardPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext) async throws -> DashboardPage {
        var rows: [DashboardPage.UnitRow] = []
        for root in Permissions.roots(for: .viewUnit, in: admin.grants) {
            guard let id = UUID(uuidString: root.id), let unit = try await OrgUnit.find(id, on: req.db) else { continue }
            let children = try await OrgUnit.children(of: id, on: req.db).map {
                DashboardPage.UnitRow(name: $0.name, typeLabel: $0.type.label, url: SiteURL.adminUnit(code: .value($0.code)).path, children: [])
            }
            rows.append(.init(name: unit.name, typeLabel: unit.type.label, url: SiteURL.adminUnit(code: .value(unit.code)).path, children: children))
        }
        let grantUnits = try await OrgUnit.query(on: req.db).filter(\.$id ~~ admin.grants.compactMap { UUID(uuidString: $0.unit.id) }).all()
        let names = Dictionary(uniqueKeysWithValues: grantUnits.compactMap { u in u.id.map { ($0.uuidString.lowercased(), u.name) } })
        let page = DashboardPage(
            layout: LayoutVM.make(req, title: "Trang quản trị", admin: true),
            roots: rows,
            grants: admin.grants.map { .init(role: $0.role.label, unit: names[$0.unit.id] ?? "") },
            canViewAudit: !Permissions.roots(for: .viewAudit, in: admin.grants).isEmpty,
            secondFactorEnabled: admin.user.totpEnabled)
        return page
    }
}
