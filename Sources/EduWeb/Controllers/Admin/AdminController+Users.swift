import EduCore
import EduData
import Fluent
import Vapor

extension AdminController {
    static func userFields(_ input: AccountService.NewUser, errors: AccountService.FieldErrors) -> [FormField] {
        [
            FormField(name: "fullName", label: "Họ và tên", value: input.fullName, error: errors["fullName"], required: true, autocomplete: "off"),
            FormField(name: "position", label: "Chức vụ", value: input.position, error: errors["position"]),
            FormField(
                name: "email", label: "Thư điện tử (tên đăng nhập)", value: input.email, error: errors["email"], type: "email",
                required: true, autocomplete: "off"),
            FormField(
                name: "password", label: "Mật khẩu ban đầu", error: errors["password"],
                hint: "Ít nhất 10 ký tự, kết hợp chữ và số hoặc ký hiệu. Người dùng nên đổi sau lần đăng nhập đầu.",
                type: "password", required: true, autocomplete: "new-password"),
            FormField(
                name: "role", label: "Vai trò tại đơn vị", value: input.role?.rawValue ?? "", error: errors["role"], type: "select",
                required: true,
                options: [.init(value: "", label: "— Chọn vai trò —", selected: input.role == nil)]
                    + Role.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == input.role) }),
        ]
    }

    func userForm(_ req: Request, admin: AdminContext, unit: OrgUnit, input: AccountService.NewUser,
                  errors: AccountService.FieldErrors = [:], status: HTTPResponseStatus = .ok) async throws -> Response {
        let crumbs = try await Self.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Tạo tài khoản", url: SiteURL.adminUserCreate(code: unit.code).path)])
        let page = FormPage(
            layout: LayoutVM.make(req, title: "Tạo tài khoản tại \(unit.name)", admin: true, breadcrumbs: crumbs),
            heading: "Tạo tài khoản", intro: "Đơn vị: " + unit.name,
            action: SiteURL.adminUserCreate(code: unit.code).path, submitLabel: "Tạo tài khoản",
            fields: Self.userFields(input, errors: errors), cancelURL: SiteURL.adminUnit(code: unit.code).path)
        return req.theme.render("admin/form", page, status: status)
    }

    @Sendable func createUserForm(req: Request) async throws -> Response {
        let (admin, unit) = try await Self.unit(req, for: .manageUsers)
        return try await userForm(req, admin: admin, unit: unit, input: .init(email: "", fullName: "", position: "", password: "", role: nil))
    }

    @Sendable func createUser(req: Request) async throws -> Response {
        let (admin, unit) = try await Self.unit(req, for: .manageUsers)
        let form = try req.content.decode([String: String].self)
        let input = AccountService.NewUser(
            email: TextNormalizer.normalize(form["email"] ?? "", maxLength: 254).lowercased(),
            fullName: TextNormalizer.normalize(form["fullName"] ?? "", maxLength: 200),
            position: TextNormalizer.normalize(form["position"] ?? "", maxLength: 200),
            password: form["password"] ?? "",
            role: Role(rawValue: form["role"] ?? ""))
        let errors = try await AccountService.validate(input, on: req.db)
        if !errors.isEmpty {
            return try await userForm(req, admin: admin, unit: unit, input: input, errors: errors, status: .unprocessableEntity)
        }
        _ = try await AccountService.create(input, at: unit, by: admin.user, ip: req.clientAddress, hasher: req.password.async, on: req.db)
        return req.redirect(to: SiteURL.adminUnit(code: unit.code).path + "?ok=user-created")
    }

    struct GrantForm: Content {
        var email: String?
        var role: String?
    }

    /// Grants a role at this unit to an existing account. The account may belong to this unit
    /// or to one below it; granting to someone outside the admin's subtree is refused.
    @Sendable func grantRole(req: Request) async throws -> Response {
        let (admin, unit) = try await Self.unit(req, for: .manageUsers)
        let form = try req.content.decode(GrantForm.self)
        guard let role = Role(rawValue: form.role ?? "") else { throw AppError(.unprocessableEntity, "Chọn vai trò cần cấp.") }
        let email = TextNormalizer.normalize(form.email ?? "", maxLength: 254).lowercased()
        guard let user = try await User.find(email: email, on: req.db) else {
            throw AppError(.unprocessableEntity, "Không có tài khoản nào dùng địa chỉ «\(email)». Hãy tạo tài khoản trước.")
        }
        guard let home = try await OrgUnit.find(user.unitID, on: req.db), admin.may(.manageUsers, on: home) else {
            throw AppError(.forbidden, "Tài khoản «\(email)» thuộc đơn vị ngoài phạm vi bạn quản lý.")
        }
        guard Permissions.mayGrant(role, at: unit.ref, by: admin.grants) else { throw AppError.forbidden }
        let exists = try await RoleGrant.query(on: req.db)
            .filter(\.$userID == user.requireID()).filter(\.$unitID == unit.requireID()).filter(\.$roleCode == role.rawValue)
            .count() > 0
        if !exists {
            try await req.db.transaction { db in
                try await RoleGrant(userID: try user.requireID(), unitID: try unit.requireID(), role: role, grantedBy: admin.user.id).create(on: db)
                try await AuditEntry.record(
                    on: db, user: admin.user, unitID: unit.id, action: "role.grant", target: user.email,
                    detail: "\(role.label) tại \(unit.name)", ip: req.clientAddress)
            }
        }
        return req.redirect(to: SiteURL.adminUnit(code: unit.code).path + "?ok=role-granted")
    }

    struct RevokeForm: Content {
        var grant: String?
    }

    @Sendable func revokeRole(req: Request) async throws -> Response {
        let (admin, unit) = try await Self.unit(req, for: .manageUsers)
        let form = try req.content.decode(RevokeForm.self)
        guard let id = UUID(uuidString: form.grant ?? ""),
            let grant = try await RoleGrant.find(id, on: req.db), grant.unitID == unit.id
        else { throw AppError.notFound }
        guard grant.userID != admin.user.id else {
            throw AppError(.unprocessableEntity, "Bạn không thể tự thu hồi quyền của chính mình.")
        }
        let user = try await User.find(grant.userID, on: req.db)
        try await req.db.transaction { db in
            try await grant.delete(on: db)
            try await AuditEntry.record(
                on: db, user: admin.user, unitID: unit.id, action: "role.revoke", target: user?.email ?? "",
                detail: "\(grant.role?.label ?? grant.roleCode) tại \(unit.name)", ip: req.clientAddress)
        }
        return req.redirect(to: SiteURL.adminUnit(code: unit.code).path + "?ok=role-revoked")
    }

    struct DisableForm: Content {
        var user: String?
        var disable: String?
    }

    /// Locks or unlocks an account of this unit (or one holding a role here); a lock also ends its sessions.
    @Sendable func setUserDisabled(req: Request) async throws -> Response {
        let (admin, unit) = try await Self.unit(req, for: .manageUsers)
        let form = try req.content.decode(DisableForm.self)
        guard let id = UUID(uuidString: form.user ?? ""), let user = try await User.find(id, on: req.db) else { throw AppError.notFound }
        guard let home = try await OrgUnit.find(user.unitID, on: req.db), admin.may(.manageUsers, on: home) else { throw AppError.forbidden }
        guard user.id != admin.user.id else { throw AppError(.unprocessableEntity, "Bạn không thể tự khóa tài khoản của mình.") }
        let disable = form.disable != "0"
        try await req.db.transaction { db in
            user.disabled = disable
            try await user.save(on: db)
            if disable { try await LoginSession.query(on: db).filter(\.$userID == id).delete() }
            try await AuditEntry.record(
                on: db, user: admin.user, unitID: home.id, action: disable ? "user.disable" : "user.enable", target: user.email,
                ip: req.clientAddress)
        }
        return req.redirect(to: SiteURL.adminUnit(code: unit.code).path + (disable ? "?ok=user-disabled" : "?ok=user-enabled"))
    }
}
