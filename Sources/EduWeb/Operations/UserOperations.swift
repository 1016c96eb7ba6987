import EduCore
import EduData
import Fluent
import Vapor

/// Account operations for the command line (`eduportal user …`), on the same data as the
/// running server. Errors carry a Vietnamese message for the operator.
public enum UserOperations {

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
        let unit = try await OperationFailure.unit(unitCode, app: app)
        guard let role = Role(rawValue: roleCode) else {
            throw OperationFailure("Vai trò «\(roleCode)» không có. Các vai trò: " + Role.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let fullName = TextNormalizer.normalize(fullName ?? "", maxLength: 200)
        let input = AccountService.NewUser(
            email: email, fullName: fullName.isEmpty ? email : fullName, position: "", password: password, role: role)
        do {
            _ = try await AccountService.create(input, at: unit, by: .commandLine, hasher: app.password.async, on: app.db)
        } catch let errors as FormErrors {
            throw OperationFailure(errors.messages.joined(separator: "\n"))
        }
    }

    public static func list(app: Application, unitCode: String?) async throws -> [Listed] {
        let units = try await OrgUnit.query(on: app.db).all()
        let codes = Dictionary(uniqueKeysWithValues: units.compactMap { u in u.id.map { ($0, u.code) } })
        let query = User.query(on: app.db).sort(\.$email)
        if let unitCode {
            guard let unit = units.first(where: { $0.code == unitCode.lowercased() }) else {
                throw OperationFailure("Không có đơn vị mã «\(unitCode)».")
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
            throw OperationFailure("Không có tài khoản «\(email)».")
        }
        try await AccountService.setDisabled(user, disabled: disabled, by: .commandLine, on: app.db)
    }
}
