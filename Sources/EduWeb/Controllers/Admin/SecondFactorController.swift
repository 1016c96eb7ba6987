import EduCore
import EduData
import Vapor

/// `/quan-tri/tai-khoan/xac-thuc-hai-buoc`: turn TOTP on (scan the key, confirm a code) or off.
struct SecondFactorController {
    func register(_ routes: any RoutesBuilder) {
        let path = SiteURL.adminSecondFactor.routePath
        routes.get(path, use: show)
        routes.post(path, use: submit)
    }

    struct SetupPage {
        let layout: LayoutVM
        let enabled: Bool
        let required: Bool
        let secretGroups: String
        let uri: String
        let form: FormPage
    }

    func page(_ req: Request, admin: AdminContext, errors: FormErrors = [:], status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = admin.user
        let required = try await AccountService.mustEnrollSecondFactor(user, grants: admin.grants, on: req.db)
        var secretGroups = ""
        var uri = ""
        if !user.totpEnabled {
            let secret = try await AccountService.enrolmentSecret(for: user, on: req.db)
            secretGroups = stride(from: 0, to: secret.count, by: 4).map { i in
                let start = secret.index(secret.startIndex, offsetBy: i)
                return String(secret[start..<(secret.index(start, offsetBy: 4, limitedBy: secret.endIndex) ?? secret.endIndex)])
            }.joined(separator: " ")
            uri = TOTPGenerator(base32Secret: secret)?.provisioningURI(account: user.email, issuer: "EduPortal") ?? ""
        }
        let layout = LayoutVM.make(
            req, title: "Xác thực hai bước", admin: true,
            breadcrumbs: [.init(label: "Quản trị", url: SiteURL.adminHome.path), .init(label: "Xác thực hai bước", url: SiteURL.adminSecondFactor.path)])
        let form = FormPage(
            layout: layout, heading: "", intro: nil, action: SiteURL.adminSecondFactor.path,
            submitLabel: user.totpEnabled ? "Tắt xác thực hai bước" : "Bật xác thực hai bước",
            fields: [
                FormField(
                    name: "code", label: "Mã xác thực (6 chữ số)", error: errors["code"],
                    hint: user.totpEnabled ? "Nhập mã hiện tại để xác nhận tắt." : "Nhập mã ứng dụng hiển thị sau khi thêm khóa.",
                    required: true, autocomplete: "one-time-code", inputmode: "numeric", maxlength: 8)
            ],
            cancelURL: SiteURL.adminHome.path)
        let setup = SetupPage(layout: layout, enabled: user.totpEnabled, required: required, secretGroups: secretGroups, uri: uri, form: form)
        return req.theme.render("admin/second-factor", setup, status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await page(req, admin: try req.requireAdmin())
    }

    struct CodeForm: Content { var code: String? }

    @Sendable func submit(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let code = (try? req.content.decode(CodeForm.self).code) ?? ""
        do {
            let enabled = try await AccountService.setSecondFactor(
                admin.user, code: code, grants: admin.grants, by: .person(admin.user, address: req.clientAddress), on: req.db)
            return req.redirect(to: SiteURL.adminHome.path + (enabled ? "?ok=totp-enabled" : "?ok=totp-disabled"))
        } catch let errors as FormErrors {
            return try await page(req, admin: admin, errors: errors, status: .unprocessableEntity)
        }
    }
}
