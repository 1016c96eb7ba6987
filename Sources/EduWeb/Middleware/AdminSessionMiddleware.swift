import EduCore
import EduData
import Fluent
import Vapor

struct AnonymousCSRFKey: StorageKey { typealias Value = String }

/// On every `/quan-tri` request: loads the session and the person behind it, and refuses any
/// state-changing request whose CSRF token does not match (403).
struct AdminSessionMiddleware: AsyncMiddleware {
    static let maxFormBytes = 1 << 20

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let session = try await SessionService.current(
            token: request.sessionToken, idleTimeout: request.config.sessionIdleTimeout, on: request.db)
        {
            if session.mfaPending {
                request.storage[PendingSessionKey.self] = session
            } else if let user = try await User.find(session.userID, on: request.db), !user.disabled {
                request.admin = AdminContext(user: user, session: session, grants: try await user.grants(on: request.db))
            } else {
                try await SessionService.end(session, on: request.db)
            }
        }
        var newAnonymousToken: String?
        if request.method != .GET && request.method != .HEAD {
            // The session and the token are checked before any body is read: a request without
            // a session (or the login form's cookie) is refused unread. An upload (multipart, up
            // to 50 MB on the routes that take one) carries its token in the form's action URL
            // or a header, so it is checked before the upload route collects the file; any
            // other form is read up to 1 MB to find its `_csrf` field.
            guard let expected = expectedToken(request) else { throw AppError.csrf }
            var provided = request.headers.first(name: "X-CSRF-Token") ?? (try? request.query.get(String.self, at: "_csrf"))
            if provided == nil {
                guard request.headers.contentType?.type != "multipart" else { throw AppError.csrf }
                _ = try await request.body.collect(max: Self.maxFormBytes).get()
                provided = try? request.content.get(String.self, at: "_csrf")
            }
            guard let provided, constantTimeEquals(expected, provided) else { throw AppError.csrf }
        } else if request.admin == nil && request.storage[PendingSessionKey.self] == nil
            && (request.cookies[SessionService.csrfCookieName]?.string ?? "").count < 32
        {
            newAnonymousToken = SecureToken.generate()
            request.storage[AnonymousCSRFKey.self] = newAnonymousToken
        }
        let response = try await next.respond(to: request)
        if let token = newAnonymousToken {
            response.cookies[SessionService.csrfCookieName] = SessionService.cookie(token, tls: request.config.tls, maxAge: nil)
        }
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    private func expectedToken(_ request: Request) -> String? {
        if let admin = request.admin { return admin.session.csrfToken }
        if let pending = request.storage[PendingSessionKey.self] { return pending.csrfToken }
        guard let cookie = request.cookies[SessionService.csrfCookieName]?.string, cookie.count >= 32 else { return nil }
        return cookie
    }
}

extension Request {
    /// The token forms on this page must carry.
    var csrfToken: String {
        if let admin { return admin.session.csrfToken }
        if let pending = storage[PendingSessionKey.self] { return pending.csrfToken }
        if let fresh = storage[AnonymousCSRFKey.self] { return fresh }
        return cookies[SessionService.csrfCookieName]?.string ?? ""
    }
}

/// Routes behind login: no session → the login page; an admin whose unit demands a second
/// factor and who has none yet → the enrolment page.
struct RequireAdminMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let admin = request.admin else {
            return request.redirect(to: SiteURL.login.path)
        }
        let path = request.url.path
        if admin.user.mustChangePassword, path != SiteURL.adminPassword.path, path != SiteURL.logout.path {
            return request.redirect(to: SiteURL.adminPassword.path)
        }
        if !admin.user.totpEnabled, path != SiteURL.adminSecondFactor.path, path != SiteURL.logout.path,
            try await AccountService.mustEnrollSecondFactor(admin.user, grants: admin.grants, on: request.db)
        {
            return request.redirect(to: SiteURL.adminSecondFactor.path)
        }
        return try await next.respond(to: request)
    }
}
