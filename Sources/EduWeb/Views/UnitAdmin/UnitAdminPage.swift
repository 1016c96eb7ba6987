import EduCore
import EduData
import Fluent
import Vapor

struct UnitAdminPage: PageView {
    static let template = "admin/unit"

    struct Row {
        let label: String
        let value: String
    }

    struct Child {
        let name: String
        let typeLabel: String
        let url: String
    }

    struct Account {
        let id: String
        let email: String
        let fullName: String
        let position: String
        let disabled: Bool
        let roles: [RoleRow]
        let canManage: Bool
    }

    struct RoleRow {
        let grantID: String
        let label: String
    }

    var layout: LayoutVM
    let name: String
    let typeLabel: String
    let code: String
    let rows: [Row]
    let hostnames: [String]
    let publicURL: String
    let children: [Child]
    let accounts: [Account]
    let canEdit: Bool
    let canCreateChild: Bool
    let canManageUsers: Bool
    /// Moving, merging or dissolving needs rights at the unit's managing unit.
    let canReorganise: Bool
    let changeURL: String
    let editURL: String
    let createChildURL: String
    let createUserURL: String
    let grantURL: String
    let revokeURL: String
    let disableURL: String
    let resetURL: String
    let csrf: String
    let roleOptions: [FormField.Option]
    let contentLinks: [AdminController.ContentLink]
}

extension UnitAdminPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit) async throws -> UnitAdminPage {
        let unitID = unit.id
        let children = try await OrgUnit.children(of: unitID, on: req.db)
        let users = try await User.query(in: unitID, on: req.db).sort(\.$email).all()
        let grants = try await RoleGrant.query(in: unitID, on: req.db).all()
        var grantUsers = Dictionary(uniqueKeysWithValues: users.compactMap { u in u.id.map { ($0, u) } })
        let outsiders = Set(grants.map(\.userID)).subtracting(grantUsers.keys)
        if !outsiders.isEmpty {
            for user in try await User.query(on: req.db).filter(\.$id ~~ Array(outsiders)).all() { grantUsers[user.id!] = user }
        }
        let canManageUsers = admin.may(.manageUsers, on: unit)
        let accounts = grantUsers.values.sorted { $0.email < $1.email }.map { user in
            UnitAdminPage.Account(
                id: user.id!.uuidString, email: user.email, fullName: user.fullName, position: user.position,
                disabled: user.disabled,
                roles: grants.filter { $0.userID == user.id }.compactMap { g in
                    g.role.map { .init(grantID: g.id!.uuidString, label: $0.label) }
                },
                canManage: canManageUsers && user.id != admin.user.id)
        }
        let hostnames = unit.hostnames
        let rows: [UnitAdminPage.Row] = [
            .init(label: "Tên tiếng Anh", value: unit.nameEn),
            .init(label: "Miền thư điện tử", value: unit.mailDomain),
            .init(label: "Địa chỉ", value: unit.address),
            .init(label: "Điện thoại", value: unit.phone),
            .init(label: "Thư điện tử chính thức", value: unit.email),
            .init(label: "Thủ trưởng đơn vị", value: [unit.headTitle, unit.headName].filter { !$0.isEmpty }.joined(separator: ": ")),
            .init(label: "Đầu mối cổng thông tin", value: [unit.portalContactName, unit.portalContactEmail, unit.portalContactPhone].filter { !$0.isEmpty }.joined(separator: " · ")),
            .init(label: "Đầu mối thư điện tử", value: [unit.mailContactName, unit.mailContactEmail, unit.mailContactPhone].filter { !$0.isEmpty }.joined(separator: " · ")),
            .init(label: "Bắt buộc xác thực hai bước cho quản trị", value: unit.requireTOTPForAdmins ? "Có" : "Không"),
        ]
        let page = UnitAdminPage(
            layout: LayoutVM.make(req, title: unit.name, admin: true, breadcrumbs: try await AdminController.breadcrumbs(req, admin: admin, unit: unit)),
            name: unit.name, typeLabel: unit.type.label, code: unit.code, rows: rows, hostnames: hostnames,
            publicURL: req.publicLinks.url(for: unit),
            children: children.map { .init(name: $0.name, typeLabel: $0.type.label, url: SiteURL.adminUnit(code: .value($0.code)).path) },
            accounts: accounts,
            canEdit: admin.may(.editUnit, on: unit), canCreateChild: admin.may(.createChildUnit, on: unit),
            canManageUsers: canManageUsers,
            canReorganise: unit.ancestorIDs.last.map { _ in
                let ids = unit.ref.ancestorIDs
                return Permissions.allows(admin.grants, .createChildUnit, on: UnitRef(id: ids.last ?? "", ancestorIDs: Array(ids.dropLast())))
            } ?? false,
            changeURL: SiteURL.adminUnitChange(code: .value(unit.code)).path,
            editURL: SiteURL.adminUnitEdit(code: .value(unit.code)).path,
            createChildURL: SiteURL.adminUnitCreateChild(code: .value(unit.code)).path,
            createUserURL: SiteURL.adminUserCreate(code: .value(unit.code)).path,
            grantURL: SiteURL.adminGrant(code: .value(unit.code)).path,
            revokeURL: SiteURL.adminRevoke(code: .value(unit.code)).path,
            disableURL: SiteURL.adminUserDisable(code: .value(unit.code)).path,
            resetURL: SiteURL.adminUserPasswordReset(code: .value(unit.code)).path,
            csrf: req.csrfToken,
            roleOptions: Role.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: false) },
            contentLinks: AdminController.contentLinks(admin: admin, unit: unit))
        return page
    }
}
