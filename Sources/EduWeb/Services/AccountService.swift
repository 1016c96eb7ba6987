import EduCore
import EduData
import Fluent
import Vapor

/// Accounts: creating them, granting roles, and the login checks. Used by the admin and the CLI.
enum AccountService {
    /// Field-level problems of a form, keyed by field name; messages in Vietnamese.
    typealias FieldErrors = [String: String]

    struct NewUser {
        var email: String
        var fullName: String
        var position: String
        var password: String
        var role: Role?
    }

    static func validate(_ input: NewUser, on db: any Database) async throws -> FieldErrors {
        var errors: FieldErrors = [:]
        if !Validation.isEmail(input.email) {
            errors["email"] = "Địa chỉ thư điện tử không hợp lệ."
        } else if try await User.find(email: input.email, on: db) != nil {
            errors["email"] = "Đã có tài khoản dùng địa chỉ này."
        }
        if input.fullName.isEmpty { errors["fullName"] = "Nhập họ và tên." }
        if let problem = Validation.passwordProblem(input.password, email: input.email) { errors["password"] = problem }
        if input.role == nil { errors["role"] = "Chọn vai trò." }
        return errors
    }

    /// Creates the account at `unit` and grants `role` there, in one transaction with its audit record.
    static func create(
        _ input: NewUser, at unit: OrgUnit, by actor: User?, actorName: String? = nil, ip: String,
        hasher: AsyncPasswordHasher, on db: any Database
    ) async throws -> User {
        let hash = try await hasher.hash(input.password)
        return try await db.transaction { db in
            let user = User(
                email: input.email, unitID: try unit.requireID(), fullName: input.fullName, position: input.position,
                passwordHash: hash)
            try await user.create(on: db)
            try await AuditEntry.record(
                on: db, user: actor, actor: actorName, unitID: unit.id, action: "user.create", target: user.email,
                detail: "Tạo tài khoản tại \(unit.name)", ip: ip)
            if let role = input.role {
                try await RoleGrant(userID: try user.requireID(), unitID: try unit.requireID(), role: role, grantedBy: actor?.id)
                    .create(on: db)
                try await AuditEntry.record(
                    on: db, user: actor, actor: actorName, unitID: unit.id, action: "role.grant", target: user.email,
                    detail: "\(role.label) tại \(unit.name)", ip: ip)
            }
            return user
        }
    }

    /// True when one of the units where the person is an admin (or a unit above it) demands a
    /// second factor for its admins.
    static func mustEnrollSecondFactor(_ user: User, grants: [Grant], on db: any Database) async throws -> Bool {
        let adminUnitIDs = Set(grants.filter { $0.role == .quanTri }.flatMap { [$0.unit.id] + $0.unit.ancestorIDs })
            .compactMap(UUID.init(uuidString:))
        guard !adminUnitIDs.isEmpty else { return false }
        return try await OrgUnit.query(on: db).filter(\.$id ~~ adminUnitIDs).filter(\.$requireTOTPForAdmins == true).count() > 0
    }

    enum LoginOutcome {
        case success(User)
        case failure
        case locked(minutes: Int)
    }

    /// Checks a password under the throttles. Every failure and lock goes to the audit log.
    static func login(email rawEmail: String, password: String, request: Request) async throws -> LoginOutcome {
        let email = rawEmail.lowercased()
        let config = request.config
        let ip = request.clientAddress
        let accountKey = "account:" + email
        let addressKey = "address:" + ClientAddress.rateLimitKey(ip)
        let now = Date()
        let db = request.db

        let accountRow = try await LoginThrottle.query(on: db).filter(\.$key == accountKey).first()
        let addressRow = try await LoginThrottle.query(on: db).filter(\.$key == addressKey).first()
        let user = try await User.find(email: email, on: db)
        let locks = [
            accountRow.flatMap { config.accountThrottle.lockRemaining($0.state, now: now) },
            addressRow.flatMap { config.addressThrottle.lockRemaining($0.state, now: now) },
        ].compactMap { $0 }
        if let remaining = locks.max() {
            try await AuditEntry.record(
                on: db, user: user, actor: email, unitID: user?.unitID, action: "login.refused-locked",
                detail: "Đăng nhập khi đang bị tạm khóa", ip: ip)
            return .locked(minutes: Int((remaining / 60).rounded(.up)))
        }

        let hasher = request.password.async
        let verified = try await hasher.verify(password, created: user?.passwordHash ?? request.application.dummyPasswordHash)
        if let user, verified, !user.disabled {
            try await db.transaction { db in
                try await LoginThrottle.query(on: db).filter(\.$key == accountKey).delete()
                user.lastLoginAt = now
                try await user.save(on: db)
            }
            return .success(user)
        }

        // A failure: count it on both keys; a lock is audited on its own line.
        var lockedMinutes: Int?
        for (key, policy, existing) in [
            (accountKey, config.accountThrottle, accountRow), (addressKey, config.addressThrottle, addressRow),
        ] {
            let (before, after) = try await recordFailure(key: key, policy: policy, existing: existing, now: now, on: db)
            if policy.didLock(from: before, to: after), let until = after.lockedUntil {
                let minutes = Int((until.timeIntervalSince(now) / 60).rounded(.up))
                lockedMinutes = max(lockedMinutes ?? 0, minutes)
                try await AuditEntry.record(
                    on: db, user: user, actor: email, unitID: user?.unitID, action: "login.locked",
                    target: key.hasPrefix("account:") ? email : ClientAddress.rateLimitKey(ip),
                    detail: "Tạm khóa \(minutes) phút sau nhiều lần đăng nhập sai", ip: ip)
            }
        }
        let reason = user == nil ? "tài khoản không tồn tại" : (user?.disabled == true ? "tài khoản đã bị khóa" : "sai mật khẩu")
        try await AuditEntry.record(
            on: db, user: user, actor: email, unitID: user?.unitID, action: "login.failure", detail: reason, ip: ip)
        if let lockedMinutes { return .locked(minutes: lockedMinutes) }
        return .failure
    }

    /// Counts one failure on a throttle row. Two first failures at once race to create the row;
    /// the loser counts on the winner's row.
    private static func recordFailure(
        key: String, policy: LoginThrottlePolicy, existing: LoginThrottle?, now: Date, on db: any Database
    ) async throws -> (LoginThrottlePolicy.State, LoginThrottlePolicy.State) {
        let row = existing ?? LoginThrottle(key: key)
        let before = row.state
        row.state = policy.afterFailure(before, now: now)
        do {
            try await row.save(on: db)
            return (before, row.state)
        } catch where existing == nil {
            guard let winner = try await LoginThrottle.query(on: db).filter(\.$key == key).first() else { throw error }
            let before = winner.state
            winner.state = policy.afterFailure(before, now: now)
            try await winner.save(on: db)
            return (before, winner.state)
        }
    }
}

extension LoginThrottle {
    var state: LoginThrottlePolicy.State {
        get { .init(failures: failures, lockouts: lockouts, lastFailureAt: lastFailureAt, lockedUntil: lockedUntil) }
        set {
            failures = newValue.failures
            lockouts = newValue.lockouts
            lastFailureAt = newValue.lastFailureAt
            lockedUntil = newValue.lockedUntil
        }
    }
}
