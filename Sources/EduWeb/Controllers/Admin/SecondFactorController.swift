import EduCore
import EduData
import Fluent
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

    func page(_ req: Request, admin: AdminContext, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = admin.user
        let required = try await AccountService.mustEnrollSecondFactor(user, grants: admin.grants, on: req.db)
        var secretGroups = ""
        var uri = ""
        if !user.totpEnabled {
            if user.totpSecret == nil {
                user.totpSecret = Base32.encode(TOTPGenerator.randomSecret())
                try await user.save(on: req.db)
            }
            let secret = user.totpSecret ?? ""
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
                    name: "code", label: "Mã xác thực (6 chữ số)", error: error,
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
        let user = admin.user
        let code = (try? req.content.decode(CodeForm.self).code) ?? ""
        guard let secret = user.totpSecret, let generator = TOTPGenerator(base32Secret: secret),
            let counter = generator.verify(code, at: Date()), Int64(counter) > (user.totpLastCounter ?? -1)
        else {
            return try await page(req, admin: admin, error: "Mã xác thực không đúng. Kiểm tra giờ trên điện thoại và thử lại.", status: .unprocessableEntity)
        }
        if user.totpEnabled, try await AccountService.mustEnrollSecondFactor(user, grants: admin.grants, on: req.db) {
            return try await page(req, admin: admin, error: "Đơn vị của bạn bắt buộc xác thực hai bước cho quản trị; không thể tắt.", status: .unprocessableEntity)
        }
        let enabling = !user.totpEnabled
        try await req.db.transaction { db in
            user.totpEnabled = enabling
            user.totpLastCounter = Int64(counter)
            if !enabling { user.totpSecret = nil }
            try await user.save(on: db)
            try await AuditEntry.record(
                on: db, user: user, unitID: user.unitID, action: enabling ? "totp.enable" : "totp.disable", ip: req.clientAddress)
        }
        return req.redirect(to: SiteURL.adminHome.path + (enabling ? "?ok=totp-enabled" : "?ok=totp-disabled"))
    }
}
