import EduCore
import EduData
import Fluent
import SQLKit
import Vapor

/// Accounts: creating them, roles, locking, the second factor, and the login checks. The admin
/// and the CLI call these same functions; each write and its audit record are one transaction.
enum AccountService {
    struct NewUser {
        var email: String
        var fullName: String
        var position: String
        var password: String
        var role: Role?

        /// Reads and normalises a posted form (or the CLI's options).
        init(email: String, fullName: String, position: String, password: String, role: Role?) {
            self.email = TextNormalizer.normalize(email, maxLength: 254).lowercased()
            self.fullName = TextNormalizer.normalize(fullName, maxLength: 200)
            self.position = TextNormalizer.normalize(position, maxLength: 200)
            self.password = password
            self.role = role
        }
    }

    static func validate(_ input: NewUser, on db: any Database) async throws -> FormErrors {
        var errors: FormErrors = [:]
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

    /// Creates the account at `unit` and grants `role` there, in one transaction with its audit
    /// records. Throws `FormErrors` when the input is not acceptable.
    static func create(
        _ input: NewUser, at unit: ResolvedUnit, by actor: AuditActor, hasher: AsyncPasswordHasher, on db: any Database
    ) async throws -> User {
        let errors = try await validate(input, on: db)
        guard errors.isEmpty else { throw errors }
        let hash = try await hasher.hash(input.password)
        return try await db.transaction { db in
            let user = User(
                email: input.email, unitID: unit.id, fullName: input.fullName, position: input.position,
                passwordHash: hash)
            try await user.create(on: db)
            try await AuditEntry.record(
                actor, unitID: unit.id, action: "user.create", target: user.email, detail: "Tạo tài khoản tại \(unit.name)", on: db)
            if let role = input.role {
                try await RoleGrant(userID: try user.requireID(), unitID: unit.id, role: role, grantedBy: actor.user?.id)
                    .create(on: db)
                try await AuditEntry.record(
                    actor, unitID: unit.id, action: "role.grant", target: user.email, detail: "\(role.label) tại \(unit.name)", on: db)
            }
            return user
        }
    }

    /// Locks or unlocks an account; a lock also ends its sessions.
    static func setDisabled(_ user: User, disabled: Bool, by actor: AuditActor, on db: any Database) async throws {
        let userID = try user.requireID()
        try await db.transaction { db in
            user.disabled = disabled
            try await user.save(on: db)
            if disabled { try await LoginSession.query(on: db).filter(\.$userID == userID).delete() }
            try await AuditEntry.record(
                actor, unitID: user.unitID, action: disabled ? "user.disable" : "user.enable", target: user.email, on: db)
        }
    }

    /// The person changes their own password: the current one is checked, the new one follows
    /// the password rule; every other session of theirs ends.
    static func changePassword(
        _ user: User, current: String, new: String, confirmation: String, keeping session: LoginSession?, by actor: AuditActor,
        hasher: AsyncPasswordHasher, on db: any Database
    ) async throws {
        var errors: FormErrors = [:]
        if !(try await hasher.verify(current, created: user.passwordHash)) { errors["current"] = "Mật khẩu hiện tại không đúng." }
        if let problem = Validation.passwordProblem(new, email: user.email) {
            errors["password"] = problem
        } else if new == current {
            errors["password"] = "Mật khẩu mới phải khác mật khẩu hiện tại."
        }
        if new != confirmation { errors["confirmation"] = "Hai lần nhập mật khẩu mới không khớp." }
        guard errors.isEmpty else { throw errors }
        let hash = try await hasher.hash(new)
        let userID = try user.requireID()
        try await db.transaction { db in
            user.passwordHash = hash
            user.mustChangePassword = false
            try await user.save(on: db)
            let others = LoginSession.query(on: db).filter(\.$userID == userID)
            if let keep = session?.id { others.filter(\.$id != keep) }
            try await others.delete()
            try await AuditEntry.record(actor, unitID: user.unitID, action: "password.change", target: user.email, on: db)
        }
    }

    /// An admin gives the account a new random password, shown once; the person must change it
    /// at the next login, and every session of theirs ends now.
    static func resetPassword(_ user: User, by actor: AuditActor, hasher: AsyncPasswordHasher, on db: any Database) async throws -> String {
        let password = SecureToken.generate(bytes: 12)
        let hash = try await hasher.hash(password)
        let userID = try user.requireID()
        try await db.transaction { db in
            user.passwordHash = hash
            user.mustChangePassword = true
            try await user.save(on: db)
            try await LoginSession.query(on: db).filter(\.$userID == userID).delete()
            try await LoginThrottle.query(on: db).filter(\.$key == accountKey(user.email)).delete()
            try await AuditEntry.record(actor, unitID: user.unitID, action: "password.reset", target: user.email, on: db)
        }
        return password
    }

    /// Grants `role` at `unit`; granting what the person already holds there changes nothing.
    static func grant(_ role: Role, to user: User, at unit: ResolvedUnit, by actor: AuditActor, on db: any Database) async throws {
        let userID = try user.requireID()
        let unitID = unit.id
        try await db.transaction { db in
            let exists = try await RoleGrant.query(on: db)
                .filter(\.$userID == userID).filter(\.$unitID == unitID).filter(\.$roleCode == role.rawValue).count() > 0
            guard !exists else { return }
            try await RoleGrant(userID: userID, unitID: unitID, role: role, grantedBy: actor.user?.id).create(on: db)
            try await AuditEntry.record(
                actor, unitID: unitID, action: "role.grant", target: user.email, detail: "\(role.label) tại \(unit.name)", on: db)
        }
    }

    /// The grant with this id held at `unit`, or nil (a grant elsewhere is not found here).
    static func grant(id: UUID, at unit: ResolvedUnit, on db: any Database) async throws -> RoleGrant? {
        try await RoleGrant.query(in: unit.id, on: db).filter(\.$id == id).first()
    }

    static func revoke(_ grant: RoleGrant, at unit: ResolvedUnit, by actor: AuditActor, on db: any Database) async throws {
        if case .person(let person, _) = actor, grant.userID == person.id {
            throw AppError(.unprocessableEntity, "Bạn không thể tự thu hồi quyền của chính mình.")
        }
        let user = try await User.find(grant.userID, on: db)
        try await db.transaction { db in
            try await grant.delete(on: db)
            try await AuditEntry.record(
                actor, unitID: unit.id, action: "role.revoke", target: user?.email ?? "",
                detail: "\(grant.role?.label ?? grant.roleCode) tại \(unit.name)", on: db)
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

    /// The stored form of a second-factor secret: sealed with the server key, which is kept
    /// outside the database, so a copy of the database alone does not give the codes away.
    static let sealedPrefix = "sealed:"

    /// The person's second-factor secret in clear; an older row stored in clear still reads.
    static func secondFactorSecret(of user: User, key: ServerKey) -> String? {
        guard let stored = user.totpSecret else { return nil }
        guard stored.hasPrefix(sealedPrefix) else { return stored }
        return try? key.open(String(stored.dropFirst(sealedPrefix.count)))
    }

    /// A secret for enrolment, made once and kept (sealed) until the person confirms a code.
    static func enrolmentSecret(for user: User, key: ServerKey, on db: any Database) async throws -> String {
        if let secret = secondFactorSecret(of: user, key: key) { return secret }
        let secret = Base32.encode(TOTPGenerator.randomSecret())
        user.totpSecret = sealedPrefix + (try key.seal(secret))
        try await user.save(on: db)
        return secret
    }

    /// Turns the second factor on or off once the person has typed a valid code.
    static func setSecondFactor(
        _ user: User, code: String, grants: [Grant], key: ServerKey, by actor: AuditActor, on db: any Database
    ) async throws -> Bool {
        guard let secret = secondFactorSecret(of: user, key: key), let generator = TOTPGenerator(base32Secret: secret),
            let counter = generator.verify(code, at: Date()), Int64(counter) > (user.totpLastCounter ?? -1)
        else {
            throw FormErrors(["code": "Mã xác thực không đúng. Kiểm tra giờ trên điện thoại và thử lại."])
        }
        if user.totpEnabled, try await mustEnrollSecondFactor(user, grants: grants, on: db) {
            throw FormErrors(["code": "Đơn vị của bạn bắt buộc xác thực hai bước cho quản trị; không thể tắt."])
        }
        let enabling = !user.totpEnabled
        try await db.transaction { db in
            user.totpEnabled = enabling
            user.totpLastCounter = Int64(counter)
            if !enabling { user.totpSecret = nil }
            try await user.save(on: db)
            try await AuditEntry.record(actor, unitID: user.unitID, action: enabling ? "totp.enable" : "totp.disable", on: db)
        }
        return enabling
    }

    // MARK: - Login

    enum LoginOutcome {
        case success(User)
        case failure
        case locked(minutes: Int)
    }

    /// What a login check needs to know of the configuration.
    struct LoginPolicy: Sendable {
        var account: LoginThrottlePolicy
        var address: LoginThrottlePolicy
        /// Hash checked when the account does not exist, so that timing does not tell.
        var dummyHash: String
        /// Opens sealed second-factor secrets.
        var key: ServerKey

        static func of(_ app: Application) -> LoginPolicy {
            LoginPolicy(account: app.eduConfig.accountThrottle, address: app.eduConfig.addressThrottle, dummyHash: app.dummyPasswordHash,
                        key: app.eduConfig.serverKey ?? .random())
        }
    }

    private static func accountKey(_ email: String) -> String { "account:" + email }
    private static func addressKey(_ address: String) -> String { "address:" + ClientAddress.rateLimitKey(address) }

    /// Checks a password under the throttles. Every attempt is counted before the password is
    /// checked (atomically, compare-and-swap), so parallel guesses cannot all pass a check that
    /// reads a count and writes it later: once the count locks, the rest are refused without
    /// hashing. A correct password takes back its own count. Every failure and lock is audited.
    static func login(
        email rawEmail: String, password: String, from address: String, policy: LoginPolicy, hasher: AsyncPasswordHasher,
        on db: any Database
    ) async throws -> LoginOutcome {
        let email = rawEmail.lowercased()
        let now = Date()
        let user = try await User.find(email: email, on: db)
        let actor = AuditActor.visitor(claimed: email, user: user, address: address)
        let keys = [(accountKey(email), policy.account), (addressKey(address), policy.address)]
        let counted: [Counted]
        switch try await countAttempt(keys, now: now, on: db) {
        case .refused(let minutes):
            EduMetrics.refused("login")
            try await AuditEntry.record(
                actor, unitID: user?.unitID, action: "login.refused-locked", detail: "Đăng nhập khi đang bị tạm khóa", on: db)
            return .locked(minutes: minutes)
        case .counted(let rows):
            counted = rows
        }
        let verified = try await hasher.verify(password, created: user?.passwordHash ?? policy.dummyHash)
        if let user, verified, !user.disabled {
            try await db.transaction { db in
                try await LoginThrottle.query(on: db).filter(\.$key == accountKey(email)).delete()
                user.lastLoginAt = now
                try await user.save(on: db)
            }
            try await takeBack(counted.filter { $0.key != accountKey(email) }, on: db)
            if !user.totpEnabled {
                try await AuditEntry.record(
                    .person(user, address: address), unitID: user.unitID, action: "login.success", detail: "Đăng nhập bằng mật khẩu",
                    on: db)
            }
            return .success(user)
        }
        let reason = user == nil ? "tài khoản không tồn tại" : (user?.disabled == true ? "tài khoản đã bị khóa" : "sai mật khẩu")
        return try await failed(counted, reason: reason, actor: actor, unitID: user?.unitID, now: now, on: db)
    }

    enum SecondFactorOutcome {
        case success(User)
        case failure
        case locked(minutes: Int)
        /// Too many wrong codes in this pending login: it is over, start again with the password.
        case sessionEnded
    }

    /// Wrong codes allowed in one pending login before it ends.
    static let codesPerPendingLogin = 5

    /// Checks the second factor of a password-verified login. Wrong codes count on their own
    /// account counter, which a correct password does not clear (a stolen password must not
    /// reset the guesses), and on the pending login, which ends after five.
    static func verifySecondFactor(
        _ user: User, code: String, pending: LoginSession, from address: String, policy: LoginPolicy, on db: any Database
    ) async throws -> SecondFactorOutcome {
        let now = Date()
        let actor = AuditActor.person(user, address: address)
        let perLogin = LoginThrottlePolicy(maxFailures: codesPerPendingLogin, baseLock: policy.account.maxLock, maxLock: policy.account.maxLock,
                                           window: policy.account.maxLock)
        let keys = [(secondFactorKey(user.email), policy.account), (pendingKey(pending), perLogin)]
        let counted: [Counted]
        switch try await countAttempt(keys, now: now, on: db) {
        case .refused(let minutes):
            EduMetrics.refused("second_factor")
            if try await isLocked(pendingKey(pending), now: now, on: db) { return .sessionEnded }
            try await AuditEntry.record(
                actor, unitID: user.unitID, action: "login.refused-locked", detail: "Nhập mã xác thực khi đang bị tạm khóa", on: db)
            return .locked(minutes: minutes)
        case .counted(let rows):
            counted = rows
        }
        guard let secret = secondFactorSecret(of: user, key: policy.key), let generator = TOTPGenerator(base32Secret: secret),
            let counter = generator.verify(code, at: now), Int64(counter) > (user.totpLastCounter ?? -1)
        else {
            let outcome = try await failed(counted, reason: "sai mã xác thực hai bước", actor: actor, unitID: user.unitID, now: now, on: db)
            if counted.contains(where: { $0.key == pendingKey(pending) && $0.locked }) { return .sessionEnded }
            switch outcome {
            case .locked(let minutes): return .locked(minutes: minutes)
            default: return .failure
            }
        }
        try await db.transaction { db in
            user.totpLastCounter = Int64(counter)
            user.lastLoginAt = now
            try await user.save(on: db)
            try await LoginThrottle.query(on: db).filter(\.$key ~~ [secondFactorKey(user.email), pendingKey(pending)]).delete()
            try await AuditEntry.record(
                actor, unitID: user.unitID, action: "login.success", detail: "Đăng nhập với xác thực hai bước", on: db)
        }
        return .success(user)
    }

    private static func secondFactorKey(_ email: String) -> String { "totp:" + email }
    private static func pendingKey(_ session: LoginSession) -> String { "pending:" + (session.id?.uuidString ?? session.tokenHash) }

    static func recordLogout(_ user: User, from address: String, on db: any Database) async throws {
        try await AuditEntry.record(.person(user, address: address), unitID: user.unitID, action: "logout", on: db)
    }

    // MARK: - Counting attempts

    /// One attempt counted on one key: the state before and after.
    struct Counted {
        let key: String
        let before: LoginThrottlePolicy.State
        let after: LoginThrottlePolicy.State
        let policy: LoginThrottlePolicy
        var locked: Bool { policy.didLock(from: before, to: after) }
    }

    enum Admission {
        case refused(minutes: Int)
        case counted([Counted])
    }

    private static func isLocked(_ key: String, now: Date, on db: any Database) async throws -> Bool {
        guard let row = try await LoginThrottle.query(on: db).filter(\.$key == key).first() else { return false }
        return row.lockedUntil.map { $0 > now } ?? false
    }

    /// Counts the attempt on every key, unless one of them is locked: then nothing is counted
    /// (a refused attempt is audited, not counted again) and the longest wait is returned.
    private static func countAttempt(_ keys: [(String, LoginThrottlePolicy)], now: Date, on db: any Database) async throws -> Admission {
        var waits: [TimeInterval] = []
        for (key, policy) in keys {
            if let row = try await LoginThrottle.query(on: db).filter(\.$key == key).first(), let left = policy.lockRemaining(row.state, now: now) {
                waits.append(left)
            }
        }
        if let longest = waits.max() { return .refused(minutes: Int((longest / 60).rounded(.up))) }
        var counted: [Counted] = []
        for (key, policy) in keys {
            // The key may have locked between the look above and this count: the swap sees it.
            var lockedMeanwhile: TimeInterval?
            let change = try await swap(key: key, on: db) { state in
                if let left = policy.lockRemaining(state, now: now) {
                    lockedMeanwhile = left
                    return nil
                }
                return policy.afterFailure(state, now: now)
            }
            if let lockedMeanwhile {
                try await takeBack(counted, on: db)
                return .refused(minutes: Int((lockedMeanwhile / 60).rounded(.up)))
            }
            if let change { counted.append(Counted(key: key, before: change.before, after: change.after, policy: policy)) }
        }
        return .counted(counted)
    }

    /// Undoes counts taken for an attempt that succeeded (or was refused on another key): the
    /// state goes back to what it was when nothing else counted meanwhile, else one failure less.
    private static func takeBack(_ counted: [Counted], on db: any Database) async throws {
        for item in counted {
            _ = try await swap(key: item.key, on: db) { state in
                if state == item.after { return item.before }
                var less = state
                less.failures = max(0, less.failures - 1)
                return less
            }
        }
    }

    /// Audits a failed attempt whose count was already taken; a count that locked is audited on
    /// its own line first.
    private static func failed(
        _ counted: [Counted], reason: String, actor: AuditActor, unitID: UUID?, now: Date, on db: any Database
    ) async throws -> LoginOutcome {
        var lockedMinutes: Int?
        for item in counted where item.locked {
            guard let until = item.after.lockedUntil else { continue }
            let minutes = Int((until.timeIntervalSince(now) / 60).rounded(.up))
            lockedMinutes = max(lockedMinutes ?? 0, minutes)
            let target = item.key.split(separator: ":", maxSplits: 1).last.map(String.init) ?? item.key
            try await AuditEntry.record(
                actor, unitID: unitID, action: "login.locked", target: target,
                detail: "Tạm khóa \(minutes) phút sau nhiều lần đăng nhập sai", on: db)
        }
        try await AuditEntry.record(actor, unitID: unitID, action: "login.failure", detail: reason, on: db)
        if let lockedMinutes { return .locked(minutes: lockedMinutes) }
        return .failure
    }

    /// Applies `change` to the counter row of `key` atomically: the new state is written only if
    /// the row still holds the counts that were read (compare-and-swap on failures and lockouts);
    /// otherwise it is read again. `change` returning nil leaves the row alone. Two first
    /// failures at once race to create the row; the loser counts on the winner's row.
    private static func swap(
        key: String, on db: any Database, _ change: (LoginThrottlePolicy.State) -> LoginThrottlePolicy.State?
    ) async throws -> (before: LoginThrottlePolicy.State, after: LoginThrottlePolicy.State)? {
        guard let sql = db as? any SQLDatabase else { throw AppError(.internalServerError, "Cơ sở dữ liệu không hỗ trợ SQL.") }
        for _ in 0..<200 {
            guard let row = try await LoginThrottle.query(on: db).filter(\.$key == key).first() else {
                guard let next = change(LoginThrottlePolicy.State()) else { return nil }
                let row = LoginThrottle(key: key)
                row.state = next
                do {
                    try await row.create(on: db)
                    return (LoginThrottlePolicy.State(), next)
                } catch {
                    continue  // another attempt created it first
                }
            }
            let before = row.state
            guard let next = change(before) else { return nil }
            let updated = try await sql.update(LoginThrottle.schema)
                .set("failures", to: next.failures).set("lockouts", to: next.lockouts)
                .set("last_failure_at", to: next.lastFailureAt).set("locked_until", to: next.lockedUntil)
                .where("key", .equal, key).where("failures", .equal, before.failures).where("lockouts", .equal, before.lockouts)
                .returning("key").all()
            if !updated.isEmpty { return (before, next) }
        }
        throw AppError(.serviceUnavailable, "Hệ thống đang bận, vui lòng thử lại.")
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
