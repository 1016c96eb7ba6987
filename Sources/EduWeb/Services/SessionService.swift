import EduCore
import EduData
import Fluent
import Vapor

/// Database-backed login sessions. The cookie holds a random token; the table holds its hash.
/// The controllers read the cookie and write it; these functions see only the token.
enum SessionService {
    static let cookieName = "edu_session"
    /// Anonymous forms (the login page) use a double-submit cookie for CSRF.
    static let csrfCookieName = "edu_csrf"

    /// Where a session is started from: kept with it for the person's own record.
    struct Origin: Sendable {
        var address: String
        var userAgent: String
    }

    /// Starts a session for `user` with a fresh id, ending the session the browser had (`replacing`).
    static func start(
        for user: User, mfaPending: Bool, replacing oldToken: String?, origin: Origin, lifetime: TimeInterval, on db: any Database
    ) async throws -> (token: String, session: LoginSession) {
        if let oldToken {
            try await LoginSession.query(on: db).filter(\.$tokenHash == SecureToken.sha256Hex(oldToken)).delete()
        }
        let token = SecureToken.generate()
        let session = LoginSession(
            tokenHash: SecureToken.sha256Hex(token), userID: try user.requireID(), csrfToken: SecureToken.generate(),
            mfaPending: mfaPending, expiresAt: Date().addingTimeInterval(lifetime),
            ip: origin.address, userAgent: String(origin.userAgent.prefix(300)))
        try await session.create(on: db)
        return (token, session)
    }

    /// The session `token` names, if it is still valid; an expired or idle one is deleted.
    static func current(token: String?, idleTimeout: TimeInterval, on db: any Database) async throws -> LoginSession? {
        guard let token, token.count >= 32, token.count <= 100 else { return nil }
        guard let session = try await LoginSession.query(on: db).filter(\.$tokenHash == SecureToken.sha256Hex(token)).first()
        else { return nil }
        let now = Date()
        if session.expiresAt < now || now.timeIntervalSince(session.lastSeenAt) > idleTimeout {
            try await session.delete(on: db)
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) > 60 {
            session.lastSeenAt = now
            try await session.save(on: db)
        }
        return session
    }

    static func end(token: String?, on db: any Database) async throws {
        guard let token else { return }
        try await LoginSession.query(on: db).filter(\.$tokenHash == SecureToken.sha256Hex(token)).delete()
    }

    static func end(_ session: LoginSession, on db: any Database) async throws {
        try await session.delete(on: db)
    }

    static func cookie(_ value: String, tls: Bool, maxAge: Int?) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, expires: nil, maxAge: maxAge, domain: nil, path: "/", isSecure: tls, isHTTPOnly: true,
            sameSite: .lax)
    }
}
