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

    func page(_ req: Request, admin: AdminContext, errors: FormErrors = [:], status: HTTPResponseStatus = .ok) async throws -> Response {
        req.render(try await SecondFactorPage.query(req, admin: admin, errors: errors), status: status)
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
                admin.user, code: code, grants: admin.grants, key: req.serverKey, by: req.actor(admin), on: req.db)
            return req.redirect(to: SiteURL.adminHome.path + (enabled ? "?ok=totp-enabled" : "?ok=totp-disabled"))
        } catch let errors as FormErrors {
            return try await page(req, admin: admin, errors: errors, status: .unprocessableEntity)
        }
    }
}
