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

    public static func move(app: Application, unitCode: String, parentCode: String) async throws {
        let unit = try await record(unitCode, app: app), parent = try await record(parentCode, app: app)
        try await wrap { try await UnitChangeService.move(unit, under: parent, authority: .operator, by: .commandLine, on: app.db) }
        app.unitCache.forget()
    }

    public static func merge(app: Application, unitCode: String, intoCode: String) async throws {
        let unit = try await record(unitCode, app: app), successor = try await record(intoCode, app: app)
        try await wrap {
            try await UnitChangeService.merge(unit, into: successor, authority: .operator, by: .commandLine,
                                              notices: PublicLinks(config: app.eduConfig, port: app.eduConfig.publicPort), on: app.db)
        }
        app.unitCache.forget()
    }

    public static func dissolve(app: Application, unitCode: String) async throws {
        let unit = try await record(unitCode, app: app)
        try await wrap {
            try await UnitChangeService.dissolve(unit, authority: .operator, by: .commandLine,
                                                 notices: PublicLinks(config: app.eduConfig, port: app.eduConfig.publicPort), on: app.db)
        }
        app.unitCache.forget()
    }
}
