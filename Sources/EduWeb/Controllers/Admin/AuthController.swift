import EduCore
import EduData
import Vapor

/// `/quan-tri/dang-nhap`: password, then (when enabled) the second factor; `/quan-tri/dang-xuat`.
struct AuthController {
    func register(_ routes: any RoutesBuilder) {
        let login = SiteURL.login.routePath
        let second = SiteURL.loginSecondFactor.routePath
        routes.get(login, use: showLogin)
        routes.post(login, use: submitLogin)
        routes.get(second, use: showSecondFactor)
        routes.post(second, use: submitSecondFactor)
        routes.post(SiteURL.logout.routePath, use: logout)
    }

    struct LoginForm: Content {
        var email: String?
        var password: String?
    }

    struct CodeForm: Content {
        var code: String?
    }

    func loginPage(_ req: Request, email: String = "", error: String? = nil, status: HTTPResponseStatus = .ok) -> Response {
        let fields = [
            FormField(
                // A text field typed as e-mail (the Nu checker refuses `username` on type=email;
                // password managers need `username`).
                name: "email", label: "Địa chỉ thư điện tử", value: email, type: "text", required: true,
                autocomplete: "username", inputmode: "email"),
            FormField(
                name: "password", label: "Mật khẩu", error: error, type: "password", required: true,
                autocomplete: "current-password"),
        ]
        let page = FormPage(
            layout: LayoutVM.make(req, title: "Đăng nhập quản trị", admin: true), heading: "Đăng nhập quản trị",
            intro: "Đăng nhập bằng địa chỉ thư điện tử công vụ của bạn.", action: SiteURL.login.path,
            submitLabel: "Đăng nhập", fields: fields, cancelURL: SiteURL.home.path)
        return req.render(page, status: status)
    }

    @Sendable func showLogin(req: Request) async throws -> Response {
        if req.admin != nil { return req.redirect(to: SiteURL.adminHome.path) }
        return loginPage(req)
    }

    @Sendable func submitLogin(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let email = TextNormalizer.normalize(form.email ?? "", maxLength: 254).lowercased()
        let password = form.password ?? ""
        guard !email.isEmpty, !password.isEmpty, password.count <= 200 else {
            return loginPage(req, email: email, error: "Nhập địa chỉ thư điện tử và mật khẩu.", status: .badRequest)
        }
        let outcome = try await AccountService.login(
            email: email, password: password, from: req.clientAddress, policy: .of(req.application), hasher: req.password.async,
            on: req.db)
        switch outcome {
        case .locked(let minutes):
            return loginPage(
                req, email: email,
                error: "Tài khoản hoặc địa chỉ mạng của bạn tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau \(minutes) phút.",
                status: .tooManyRequests)
        case .failure:
            return loginPage(req, email: email, error: "Địa chỉ thư điện tử hoặc mật khẩu không đúng.", status: .unauthorized)
        case .success(let user):
            let response = req.redirect(
                to: user.totpEnabled ? SiteURL.loginSecondFactor.path : SiteURL.adminHome.path, redirectType: .normal)
            try await req.startSession(for: user, mfaPending: user.totpEnabled, on: response)
            return response
        }
    }

    func secondFactorPage(_ req: Request, error: String? = nil, status: HTTPResponseStatus = .ok) -> Response {
        let fields = [
            FormField(
                name: "code", label: "Mã xác thực (6 chữ số)", error: error,
                hint: "Mở ứng dụng xác thực trên điện thoại và nhập mã đang hiển thị.", required: true,
                autocomplete: "one-time-code", inputmode: "numeric", maxlength: 8)
        ]
        let page = FormPage(
            layout: LayoutVM.make(req, title: "Xác thực hai bước", admin: true), heading: "Xác thực hai bước", intro: nil,
            action: SiteURL.loginSecondFactor.path, submitLabel: "Xác nhận", fields: fields, cancelURL: SiteURL.login.path)
        return req.render(page, status: status)
    }

    @Sendable func showSecondFactor(req: Request) async throws -> Response {
        guard req.storage[PendingSessionKey.self] != nil else { return req.redirect(to: SiteURL.login.path) }
        return secondFactorPage(req)
    }

    @Sendable func submitSecondFactor(req: Request) async throws -> Response {
        guard let pending = req.storage[PendingSessionKey.self],
            let user = try await User.find(pending.userID, on: req.db), !user.disabled
        else { return req.redirect(to: SiteURL.login.path) }
        let code = (try? req.content.decode(CodeForm.self).code) ?? ""
        switch try await AccountService.verifySecondFactor(
            user, code: code, pending: pending, from: req.clientAddress, policy: .of(req.application), on: req.db)
        {
        case .sessionEnded:
            try await SessionService.end(pending, on: req.db)
            let response = req.redirect(to: SiteURL.login.path + "?ok=mfa-ended")
            req.clearSessionCookie(on: response)
            return response
        case .locked(let minutes):
            return secondFactorPage(req, error: "Tạm khóa do nhập sai nhiều lần. Thử lại sau \(minutes) phút.", status: .tooManyRequests)
        case .failure:
            return secondFactorPage(req, error: "Mã xác thực không đúng hoặc đã được dùng.", status: .unauthorized)
        case .success(let user):
            // A new session id once both factors are in.
            try await SessionService.end(pending, on: req.db)
            let response = req.redirect(to: SiteURL.adminHome.path)
            try await req.startSession(for: user, mfaPending: false, on: response)
            return response
        }
    }

    @Sendable func logout(req: Request) async throws -> Response {
        if let admin = req.admin {
            try await AccountService.recordLogout(admin.user, from: req.clientAddress, on: req.db)
        }
        try await SessionService.end(token: req.sessionToken, on: req.db)
        let response = req.redirect(to: SiteURL.login.path + "?ok=logged-out")
        req.clearSessionCookie(on: response)
        return response
    }
}
