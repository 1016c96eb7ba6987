import EduCore
import EduData
import Fluent
import Vapor

/// Account operations for the command line (`eduportal user …`), on the same data as the
/// running server. Errors carry a Vietnamese message for the operator.
public enum UserOperations {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public struct Listed: Sendable {
        public let email: String
        public let fullName: String
        public let unitCode: String
        public let roles: [String]
        public let disabled: Bool
    }

    public static func add(
        app: Application, unitCode: String, email: String, fullName: String?, role roleCode: String, password: String
    ) async throws {
        guard let unit = try await OrgUnit.find(code: unitCode, on: app.db) else {
            throw Failure(description: "Không có đơn vị mã «\(unitCode)».")
        }
        guard let role = Role(rawValue: roleCode) else {
            throw Failure(description: "Vai trò «\(roleCode)» không có. Các vai trò: " + Role.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let normalizedEmail = TextNormalizer.normalize(email, maxLength: 254).lowercased()
        let input = AccountService.NewUser(
            email: normalizedEmail,
            fullName: TextNormalizer.normalize(fullName ?? "", maxLength: 200).isEmpty
                ? normalizedEmail : TextNormalizer.normalize(fullName ?? "", maxLength: 200),
            position: "", password: password, role: role)
        let errors = try await AccountService.validate(input, on: app.db)
        if !errors.isEmpty {
            throw Failure(description: errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n"))
        }
        _ = try await AccountService.create(
            input, at: unit, by: nil, actorName: "cli", ip: "cli", hasher: app.password.async, on: app.db)
    }

    public static func list(app: Application, unitCode: String?) async throws -> [Listed] {
        let units = try await OrgUnit.query(on: app.db).all()
        let codes = Dictionary(uniqueKeysWithValues: units.compactMap { u in u.id.map { ($0, u.code) } })
        let query = User.query(on: app.db).sort(\.$email)
        if let unitCode {
            guard let unit = units.first(where: { $0.code == unitCode.lowercased() }) else {
                throw Failure(description: "Không có đơn vị mã «\(unitCode)».")
            }
            query.filter(\.$unitID == (try unit.requireID()))
        }
        let users = try await query.all()
        let grants = try await RoleGrant.query(on: app.db).all()
        return users.map { user in
            Listed(
                email: user.email, fullName: user.fullName, unitCode: codes[user.unitID] ?? "",
                roles: grants.filter { $0.userID == user.id }.map { "\($0.roleCode)@\(codes[$0.unitID] ?? "")" },
                disabled: user.disabled)
        }
    }

    public static func setDisabled(app: Application, email: String, disabled: Bool) async throws {
        guard let user = try await User.find(email: email, on: app.db) else {
            throw Failure(description: "Không có tài khoản «\(email)».")
        }
        try await app.db.transaction { db in
            user.disabled = disabled
            try await user.save(on: db)
            if disabled { try await LoginSession.query(on: db).filter(\.$userID == user.requireID()).delete() }
            try await AuditEntry.record(
                on: db, user: nil, actor: "cli", unitID: user.unitID, action: disabled ? "user.disable" : "user.enable",
                target: user.email, ip: "cli")
        }
    }
}
