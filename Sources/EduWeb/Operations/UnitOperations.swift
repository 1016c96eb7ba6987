import EduCore
import EduData
import Fluent
import Vapor

/// `eduportal unit …`: moving, merging and dissolving units from the command line (the operator
/// may do anything the tree rules allow).
public enum UnitOperations {
    static func record(_ code: String, app: Application) async throws -> OrgUnit {
        guard let unit = try await OrgUnit.find(code: code.lowercased(), on: app.db) else { throw OperationFailure("Không có đơn vị mã «\(code)».") }
        return unit
    }

    static func wrap(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let errors as FormErrors { throw OperationFailure(errors.messagesWithoutFields.joined(separator: "\n")) }
    }

    /// The province's Sở, the root every other unit is created under in the admin: made once on a
    /// fresh installation (a second root is refused), checked as the admin checks a unit.
    public static func createRoot(app: Application, code: String, name: String, hostnames: [String], mailDomain: String, email: String) async throws {
        if let existing = try await OrgUnit.query(on: app.db).filter(\.$parentID == nil).first() {
            throw OperationFailure("Đã có đơn vị gốc «\(existing.name)» (\(existing.code)); các đơn vị khác tạo trong trang quản trị, dưới đơn vị này.")
        }
        var input = UnitService.Input()
        input.code = code.lowercased()
        input.type = UnitType.so.rawValue
        input.name = TextNormalizer.normalize(name, maxLength: 300)
        input.hostnames = hostnames.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        input.mailDomain = mailDomain.lowercased()
        input.email = email.lowercased()
        let (errors, _) = try await UnitService.validate(input, editing: nil, parent: nil, names: .operator, baseDomain: app.eduConfig.baseDomain, on: app.db)
        if !errors.isEmpty { throw OperationFailure(errors.messagesWithoutFields.joined(separator: "\n")) }
        let checked = input
        try await app.db.transaction { tx in
            let unit = try await UnitService.create(checked, parent: nil, on: tx)
            try await AuditEntry.record(.commandLine, unitID: unit.id, action: "unit.create", target: unit.code, detail: "đơn vị gốc «\(unit.name)»", on: tx)
        }
        try await app.unitsChanged(on: app.db)
    }

    public static func move(app: Application, unitCode: String, parentCode: String) async throws {
        let unit = try await record(unitCode, app: app), parent = try await record(parentCode, app: app)
        try await wrap { try await UnitChangeService.move(unit, under: parent, authority: .operator, by: .commandLine, on: app.db) }
        try await app.unitsChanged(on: app.db)
    }

    public static func merge(app: Application, unitCode: String, intoCode: String) async throws {
        let unit = try await record(unitCode, app: app), successor = try await record(intoCode, app: app)
        try await wrap {
            try await UnitChangeService.merge(unit, into: successor, authority: .operator, by: .commandLine,
                                              notices: PublicLinks(config: app.eduConfig, port: app.eduConfig.publicPort), on: app.db)
        }
        try await app.unitsChanged(on: app.db)
    }

    public static func dissolve(app: Application, unitCode: String) async throws {
        let unit = try await record(unitCode, app: app)
        try await wrap {
            try await UnitChangeService.dissolve(unit, authority: .operator, by: .commandLine,
                                                 notices: PublicLinks(config: app.eduConfig, port: app.eduConfig.publicPort), on: app.db)
        }
        try await app.unitsChanged(on: app.db)
    }
}
