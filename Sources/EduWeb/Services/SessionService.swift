import EduCore
import EduData
import Fluent
import Vapor

/// Database-backed login sessions. The cookie holds a random token; the table holds its hash.
struct SessionService {
    static let cookieName = "edu_session"
    /// Anonymous forms (the login page) use a double-submit cookie for CSRF.
    static let csrfCookieName = "edu_csrf"

    let request: Request

    /// Starts a session for `user` with a fresh id, ending any session the browser had.
    func start(for user: User, mfaPending: Bool, on db: any Database) async throws -> (token: String, session: LoginSession) {
        if let old = request.cookies[Self.cookieName]?.string {
            try await LoginSession.query(on: db).filter(\.$tokenHash == SecureToken.sha256Hex(old)).delete()
        }
        let token = SecureToken.generate()
        let config = request.config
        let session = LoginSession(
            tokenHash: SecureToken.sha256Hex(token), userID: try user.requireID(), csrfToken: SecureToken.generate(),
            mfaPending: mfaPending, expiresAt: Date().addingTimeInterval(config.sessionLifetime),
            ip: request.clientAddress, userAgent: String((request.headers.first(name: .userAgent) ?? "").prefix(300)))
        try await session.create(on: db)
        return (token, session)
    }

    /// The session the cookie names, if it is still valid.
    func current() async throws -> LoginSession? {
        guard let token = request.cookies[Self.cookieName]?.string, token.count >= 32, token.count <= 100 else { return nil }
        guard let session = try await LoginSession.query(on: request.db)
            .filter(\.$tokenHash == SecureToken.sha256Hex(token)).first()
        else { return nil }
        let now = Date()
        if session.expiresAt < now || now.timeIntervalSince(session.lastSeenAt) > request.config.sessionIdleTimeout {
            try await session.delete(on: request.db)
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) > 60 {
            session.lastSeenAt = now
            try await session.save(on: request.db)
        }
        return session
    }

    func end() async throws {
        if let token = request.cookies[Self.cookieName]?.string {
            try await LoginSession.query(on: request.db).filter(\.$tokenHash == SecureToken.sha256Hex(token)).delete()
        }
    }

    static func cookie(_ value: String, tls: Bool, maxAge: Int?) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, expires: nil, maxAge: maxAge, domain: nil, path: "/", isSecure: tls, isHTTPOnly: true,
            sameSite: .lax)
    }

    func setCookie(_ token: String, on response: Response) {
        response.cookies[Self.cookieName] = Self.cookie(token, tls: request.config.tls, maxAge: Int(request.config.sessionLifetime))
    }

    func clearCookie(on response: Response) {
        response.cookies[Self.cookieName] = Self.cookie("", tls: request.config.tls, maxAge: 0)
    }
}
