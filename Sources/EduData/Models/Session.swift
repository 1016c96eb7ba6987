import FluentKit
import Foundation

/// A login session. Stored in the database so several app nodes share them; the cookie holds a
/// random token and only its SHA-256 is stored, so a database leak does not leak sessions.
public final class LoginSession: Model, @unchecked Sendable {
    public static let schema = "sessions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "csrf_token") public var csrfToken: String
    /// Password accepted, second factor still to come: grants nothing but the second step.
    @Field(key: "mfa_pending") public var mfaPending: Bool
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    @Field(key: "ip") public var ip: String
    @Field(key: "user_agent") public var userAgent: String

    public init() {}

    public init(tokenHash: String, userID: UUID, csrfToken: String, mfaPending: Bool, expiresAt: Date, ip: String, userAgent: String) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.csrfToken = csrfToken
        self.mfaPending = mfaPending
        self.createdAt = Date()
        self.expiresAt = expiresAt
        self.lastSeenAt = Date()
        self.ip = ip
        self.userAgent = userAgent
    }
}

/// Failure counts for login throttling, per account and per client address (IPv6 by /64).
public final class LoginThrottle: Model, @unchecked Sendable {
    public static let schema = "login_throttles"

    @ID(key: .id) public var id: UUID?
    /// `account:<email>` or `address:<key>`.
    @Field(key: "key") public var key: String
    @Field(key: "failures") public var failures: Int
    @Field(key: "lockouts") public var lockouts: Int
    @Field(key: "last_failure_at") public var lastFailureAt: Date
    @OptionalField(key: "locked_until") public var lockedUntil: Date?

    public init() {}

    public init(key: String) {
        self.key = key
        self.failures = 0
        self.lockouts = 0
        self.lastFailureAt = Date()
    }
}

/// Who did what, when, from where. Never updated or deleted by the application.
public final class AuditEntry: Model, @unchecked Sendable {
    public static let schema = "audit_log"

    @ID(key: .id) public var id: UUID?
    @Field(key: "at") public var at: Date
    @OptionalField(key: "user_id") public var userID: UUID?
    @Field(key: "actor") public var actor: String
    @OptionalField(key: "unit_id") public var unitID: UUID?
    @Field(key: "action") public var action: String
    @Field(key: "target") public var target: String
    @Field(key: "detail") public var detail: String
    @Field(key: "ip") public var ip: String

    public init() {}

    public init(userID: UUID?, actor: String, unitID: UUID?, action: String, target: String, detail: String, ip: String) {
        self.at = Date()
        self.userID = userID
        self.actor = actor
        self.unitID = unitID
        self.action = action
        self.target = target
        self.detail = detail
        self.ip = ip
    }
}
