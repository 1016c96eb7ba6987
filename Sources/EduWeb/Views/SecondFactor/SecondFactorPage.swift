import EduCore
import EduData
import Vapor

struct SecondFactorPage: PageView {
    static let template = "admin/second-factor"

    let layout: LayoutVM
    let enabled: Bool
    let required: Bool
    let secretGroups: String
    let uri: String
    let form: FormPage
}

extension SecondFactorPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, errors: FormErrors = [:]) async throws -> SecondFactorPage {
        let user = admin.user
        let required = try await AccountService.mustEnrollSecondFactor(user, grants: admin.grants, on: req.db)
        var secretGroups = ""
        var uri = ""
        if !user.totpEnabled {
            let secret = try await AccountService.enrolmentSecret(for: user, key: req.serverKey, on: req.db)
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
        let setup = SecondFactorPage(layout: layout, enabled: user.totpEnabled, required: required, secretGroups: secretGroups, uri: uri, form: form)
        return setup
    }
}
