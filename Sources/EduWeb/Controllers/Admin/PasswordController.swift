import EduCore
import EduData
import Vapor

/// `/quan-tri/tai-khoan/mat-khau`: every signed-in person changes their own password (and must,
/// after an admin reset it).
struct PasswordController {
    func register(_ routes: any RoutesBuilder) {
        let path = SiteURL.adminPassword.routePath
        routes.get(path, use: show)
        routes.post(path, use: submit)
    }

    func page(_ req: Request, admin: AdminContext, errors: FormErrors = [:], status: HTTPResponseStatus = .ok) -> Response {
        let forced = admin.user.mustChangePassword
        let page = FormPage(
            layout: LayoutVM.make(req, title: "Đổi mật khẩu", admin: true),
            heading: "Đổi mật khẩu",
            intro: forced ? "Mật khẩu của bạn vừa được quản trị đặt lại. Hãy chọn mật khẩu mới trước khi tiếp tục." : nil,
            action: SiteURL.adminPassword.path, submitLabel: "Đổi mật khẩu",
            fields: [
                FormField(name: "current", label: forced ? "Mật khẩu được cấp" : "Mật khẩu hiện tại", error: errors["current"], type: "password",
                          required: true, autocomplete: "current-password", maxlength: 200),
                FormField(name: "password", label: "Mật khẩu mới", error: errors["password"],
                          hint: "Ít nhất 10 ký tự; không chứa địa chỉ thư của bạn.", type: "password", required: true,
                          autocomplete: "new-password", maxlength: 200),
                FormField(name: "confirmation", label: "Nhập lại mật khẩu mới", error: errors["confirmation"], type: "password", required: true,
                          autocomplete: "new-password", maxlength: 200),
            ],
            cancelURL: forced ? SiteURL.logout.path : SiteURL.adminHome.path)
        return req.render(page, status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        page(req, admin: try req.requireAdmin())
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        do {
            try await AccountService.changePassword(
                admin.user, current: form["current"] ?? "", new: form["password"] ?? "", confirmation: form["confirmation"] ?? "",
                keeping: admin.session, by: req.actor(admin), hasher: req.password.async, on: req.db)
        } catch let errors as FormErrors {
            return page(req, admin: admin, errors: errors, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminHome.path + "?ok=password-changed")
    }
}
