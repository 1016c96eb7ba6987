import EduCore
import EduData
import Fluent
import Vapor

extension AdminController {
    static func userFields(_ input: AccountService.NewUser, errors: FormErrors) -> [FormField] {
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

    func userForm(_ req: Request, admin: AdminContext, unit: ResolvedUnit, input: AccountService.NewUser,
                  errors: FormErrors = [:], status: HTTPResponseStatus = .ok) async throws -> Response {
        let crumbs = try await Self.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Tạo tài khoản", url: SiteURL.adminUserCreate(code: .value(unit.code)).path)])
        let page = FormPage(
            layout: LayoutVM.make(req, title: "Tạo tài khoản tại \(unit.name)", admin: true, breadcrumbs: crumbs),
            heading: "Tạo tài khoản", intro: "Đơn vị: " + unit.name,
            action: SiteURL.adminUserCreate(code: .value(unit.code)).path, submitLabel: "Tạo tài khoản",
            fields: Self.userFields(input, errors: errors), cancelURL: SiteURL.adminUnit(code: .value(unit.code)).path)
        return req.render(page, status: status)
    }

    @Sendable func createUserForm(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return try await userForm(req, admin: admin, unit: unit, input: .init(email: "", fullName: "", position: "", password: "", role: nil))
    }

    @Sendable func createUser(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = try req.content.decode([String: String].self)
        let input = AccountService.NewUser(
            email: form["email"] ?? "", fullName: form["fullName"] ?? "", position: form["position"] ?? "",
            password: form["password"] ?? "", role: Role(rawValue: form["role"] ?? ""))
        do {
            _ = try await AccountService.create(input, at: unit, by: req.actor(admin), hasher: req.password.async, on: req.db)
        } catch let errors as FormErrors {
            return try await userForm(req, admin: admin, unit: unit, input: input, errors: errors, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminUnit(code: .value(unit.code)).path + "?ok=user-created")
    }

    struct GrantForm: Content {
        var email: String?
        var role: String?
    }

    /// Grants a role at this unit to an existing account. The account may belong to this unit
    /// or to one below it; granting to someone outside the admin's subtree is refused.
    @Sendable func grantRole(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = try req.content.decode(GrantForm.self)
        guard let role = Role(rawValue: form.role ?? "") else { throw AppError(.unprocessableEntity, "Chọn vai trò cần cấp.") }
        let email = TextNormalizer.normalize(form.email ?? "", maxLength: 254).lowercased()
        guard let user = try await User.find(email: email, on: req.db) else {
            throw AppError(.unprocessableEntity, "Không có tài khoản nào dùng địa chỉ «\(email)». Hãy tạo tài khoản trước.")
        }
        guard try await admin.mayManage(user, on: req.db) else {
            throw AppError(.forbidden, "Tài khoản «\(email)» thuộc đơn vị ngoài phạm vi bạn quản lý.")
        }
        guard Permissions.mayGrant(role, at: unit.ref, by: admin.grants) else { throw AppError.forbidden }
        try await AccountService.grant(role, to: user, at: unit, by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminUnit(code: .value(unit.code)).path + "?ok=role-granted")
    }

    struct RevokeForm: Content {
        var grant: String?
    }

    @Sendable func revokeRole(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = try req.content.decode(RevokeForm.self)
        guard let id = UUID(uuidString: form.grant ?? ""), let grant = try await AccountService.grant(id: id, at: unit, on: req.db)
        else { throw AppError.notFound }
        try await AccountService.revoke(grant, at: unit, by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminUnit(code: .value(unit.code)).path + "?ok=role-revoked")
    }

    struct DisableForm: Content {
        var user: String?
        var disable: String?
    }

    /// Locks or unlocks an account of this unit (or one holding a role here); a lock also ends its sessions.
    @Sendable func setUserDisabled(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = try req.content.decode(DisableForm.self)
        guard let id = UUID(uuidString: form.user ?? ""), let user = try await User.find(id, on: req.db) else { throw AppError.notFound }
        guard try await admin.mayManage(user, on: req.db) else { throw AppError.forbidden }
        guard user.id != admin.user.id else { throw AppError(.unprocessableEntity, "Bạn không thể tự khóa tài khoản của mình.") }
        let disable = form.disable != "0"
        try await AccountService.setDisabled(user, disabled: disable, by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminUnit(code: .value(unit.code)).path + (disable ? "?ok=user-disabled" : "?ok=user-enabled"))
    }

    /// Gives an account of this unit a new password, shown once on the answer; the person must
    /// change it at the next login. Only for accounts whose every role lies in the admin's subtree.
    @Sendable func resetUserPassword(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = try req.content.decode(DisableForm.self)
        guard let id = UUID(uuidString: form.user ?? ""), let user = try await User.find(id, on: req.db) else { throw AppError.notFound }
        guard try await admin.mayManage(user, on: req.db) else { throw AppError.forbidden }
        guard user.id != admin.user.id else {
            throw AppError(.unprocessableEntity, "Đổi mật khẩu của chính bạn ở trang Đổi mật khẩu.")
        }
        let password = try await AccountService.resetPassword(user, by: req.actor(admin), hasher: req.password.async, on: req.db)
        var page = try await UnitAdminPage.query(req, admin: admin, unit: unit)
        page.layout.notice = "Mật khẩu mới của \(user.email): \(password) — chỉ hiện một lần; người dùng phải đổi khi đăng nhập."
        return req.render(page)
    }
}
