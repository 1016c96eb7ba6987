import EduCore
import EduData
import Fluent
import Vapor

/// What a request carries once the middleware has run.
struct ResolvedUnitKey: StorageKey { typealias Value = ResolvedUnit }
struct AdminContextKey: StorageKey { typealias Value = AdminContext }
struct PendingSessionKey: StorageKey { typealias Value = LoginSession }

/// The logged-in person and what they may do.
struct AdminContext: Sendable {
    let user: User
    let session: LoginSession
    let grants: [Grant]

    func may(_ action: Action, on unit: some UnitPlaced) -> Bool {
        Permissions.allows(grants, action, on: unit.ref)
    }

    func isAuthor(of item: some WorkflowItem) -> Bool { item.createdBy == user.id }

    /// Who may change an item's text (`Workflow.mayEdit`); a new item (nil) is the person's own draft.
    func mayEdit(_ item: (some WorkflowItem)?, in unit: ResolvedUnit) -> Bool {
        Workflow.mayEdit(state: item?.state ?? .nhap, grants: grants, unit: unit.ref, isAuthor: item.map(isAuthor(of:)) ?? true)
    }

    /// Whether this person may change the account (grants, locks, resets): its home unit and
    /// every unit where it holds a role lie inside the subtree this person manages. A school's
    /// admin cannot lock the Sở's director because the director also has a role at the school.
    func mayManage(_ user: User, on db: any Database) async throws -> Bool {
        guard let home = try await OrgUnit.find(user.unitID, on: db), may(.manageUsers, on: home) else { return false }
        let roleUnits = try await RoleGrant.query(on: db).filter(\.$userID == user.requireID()).all().map(\.unitID)
        guard !roleUnits.isEmpty else { return true }
        let units = try await OrgUnit.query(on: db).filter(\.$id ~~ Set(roleUnits)).all()
        return units.count == Set(roleUnits).count && units.allSatisfy { may(.manageUsers, on: $0) }
    }

    func require(_ action: Action, on unit: ResolvedUnit) throws {
        guard may(action, on: unit) else { throw AppError.forbidden }
    }
}

struct RequestPathKey: StorageKey { typealias Value = String }

extension Request {
    var config: AppConfig { application.eduConfig }

    /// The server's secret; `configure` always sets it.
    var serverKey: ServerKey { application.eduConfig.serverKey ?? .random() }

    /// `url.path`, computed once per request: Vapor recomputes it (through Foundation) on every
    /// access, and the middleware on the hot path each need it.
    var path: String {
        if let known = storage[RequestPathKey.self] { return known }
        let path = url.path
        storage[RequestPathKey.self] = path
        return path
    }

    /// The unit chosen by `Host` (set by `UnitResolverMiddleware`).
    var unit: ResolvedUnit? {
        get { storage[ResolvedUnitKey.self] }
        set { storage[ResolvedUnitKey.self] = newValue }
    }

    func requireUnit() throws -> ResolvedUnit {
        guard let unit else { throw AppError.unknownHost }
        return unit
    }

    var admin: AdminContext? {
        get { storage[AdminContextKey.self] }
        set { storage[AdminContextKey.self] = newValue }
    }

    func requireAdmin() throws -> AdminContext {
        guard let admin else { throw Abort.redirect(to: SiteURL.login.path) }
        return admin
    }

    /// The signed-in person acting from this request's address, as services take it.
    func actor(_ admin: AdminContext) -> AuditActor { .person(admin.user, address: clientAddress) }

    /// A query parameter as text, normalised (NFC, trimmed, at most 300 characters); "" when absent.
    func textParameter(_ name: String) -> String {
        TextNormalizer.normalize((try? query.get(String.self, at: name)) ?? "", maxLength: 300)
    }

    /// The client's address as written in the audit log and counted by rate limits.
    var clientAddress: String {
        ClientAddress.resolve(
            forwardedFor: headers.first(name: "X-Forwarded-For"), peer: remoteAddress?.ipAddress, trusted: config.trustedProxies)
    }

    /// The host the request asked for: lower case, no port.
    var requestedHost: String {
        Validation.canonicalHost(headers.first(name: .host) ?? "")
    }
}

struct EduConfigKey: StorageKey { typealias Value = AppConfig }

extension Application {
    public var eduConfig: AppConfig {
        get { storage[EduConfigKey.self] ?? AppConfig(storage: .sqliteMemory) }
        set { storage[EduConfigKey.self] = newValue }
    }
}

extension AuditActor {
    /// The person a write needs when it records an author or a lock holder; the CLI and the
    /// system cannot write content.
    func person() throws -> User {
        guard let user else { throw AppError.forbidden }
        return user
    }
}

extension Request {
    /// Links to units' portals, from their stored hostnames and the configured public port
    /// (`EDUPORTAL_PUBLIC_PORT`; the demo sets its own): never from the Host header, since a
    /// public page is cached under the canonical host and served to everyone.
    var publicLinks: PublicLinks {
        PublicLinks(config: config, port: config.publicPort)
    }
}

/// The session cookie on a request and its response.
extension Request {
    var sessionToken: String? { cookies[SessionService.cookieName]?.string }

    var sessionOrigin: SessionService.Origin {
        .init(address: clientAddress, userAgent: headers.first(name: .userAgent) ?? "")
    }

    /// Starts a session for `user` and sets its cookie on `response`.
    func startSession(for user: User, mfaPending: Bool, on response: Response) async throws {
        let (token, _) = try await SessionService.start(
            for: user, mfaPending: mfaPending, replacing: sessionToken, origin: sessionOrigin, lifetime: config.sessionLifetime, on: db)
        response.cookies[SessionService.cookieName] = SessionService.cookie(token, tls: config.tls, maxAge: Int(config.sessionLifetime))
    }

    func clearSessionCookie(on response: Response) {
        response.cookies[SessionService.cookieName] = SessionService.cookie("", tls: config.tls, maxAge: 0)
    }
}
