import FluentKit
import Foundation

/// Who does a write, as every service takes it and the audit log records it. A service never sees
/// an HTTP request: the admin passes the signed-in person and their address, the command line
/// `.cli`, background work `.system`.
public enum AuditActor: Sendable {
    /// A signed-in person, from the address their request came from.
    case person(User, address: String)
    /// Someone not signed in: a login attempt names the account it claims (which may not exist).
    case visitor(claimed: String, user: User?, address: String)
    /// The operator at the command line; `name` is what the log shows (`cli`, `demo`).
    case cli(String)
    /// EduPortal's own background work (retention purges, deadline notices).
    case system

    public static let commandLine = AuditActor.cli("cli")

    /// The account acting, when there is one.
    public var user: User? {
        switch self {
        case .person(let user, _): user
        case .visitor(_, let user, _): user
        case .cli, .system: nil
        }
    }

    /// The name the audit log shows.
    public var name: String {
        switch self {
        case .person(let user, _): user.email
        case .visitor(let claimed, _, _): claimed
        case .cli(let name): name
        case .system: "eduportal"
        }
    }

    /// Where the action came from: the client's address, `cli`, or `-` for the system.
    public var address: String {
        switch self {
        case .person(_, let address), .visitor(_, _, let address): address
        case .cli: "cli"
        case .system: "-"
        }
    }
}

extension AuditEntry {
    /// Writes one audit record. Call inside the same transaction as the change it describes.
    public static func record(
        _ actor: AuditActor, unitID: UUID?, action: String, target: String = "", detail: String = "", on db: any Database
    ) async throws {
        let entry = AuditEntry(
            userID: actor.user?.id, actor: actor.name, unitID: unitID, action: action,
            target: String(target.prefix(500)), detail: String(detail.prefix(2000)), ip: actor.address)
        try await entry.create(on: db)
    }
}
