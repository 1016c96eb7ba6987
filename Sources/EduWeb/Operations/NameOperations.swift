import EduCore
import EduData
import Fluent
import Foundation
import Vapor

/// `eduportal name …`: the operator hands suffixes to subtrees (which also reserves them) and
/// assigns names directly; the same `NameService` rules as the admin, with the operator's authority.
public enum NameOperations {
    public static func delegate(app: Application, unitCode: String, suffix: String) async throws -> String {
        let unit = try await OperationFailure.unit(unitCode, app: app)
        let delegation = try await MailOperations.wrap { try await NameService.delegate(suffix, to: unit, by: .commandLine, on: app.db) }
        return delegation.suffix
    }

    /// Gives `name` to the unit at once (no request), unless another unit holds it or it is a
    /// provider's; the demo and the operator's scripts use it.
    public static func assign(app: Application, unitCode: String, name raw: String, kind: NameRequest.Kind) async throws {
        let unit = try await OperationFailure.unit(unitCode, app: app)
        let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
        switch kind {
        case .mailDomain:
            _ = try await MailOperations.wrap {
                try await MailService.addDomain(name, unit: unit, names: .operator, baseDomain: app.eduConfig.baseDomain, by: .commandLine, on: app.db)
            }
        case .hostname:
            guard Validation.isHostname(name) else { throw OperationFailure("Tên miền «\(name)» không hợp lệ.") }
            if unit.hostnames.contains(name) { return }
            if case .refused(let why) = try await NameService.judge(
                name, for: .init(unit), authority: .operator, baseDomain: app.eduConfig.baseDomain, on: app.db)
            {
                throw OperationFailure(why)
            }
            try await app.db.transaction { db in
                try await UnitHostname(unitID: unit.id, hostname: name).create(on: db)
                try await OrgUnit.touch(unit.id, on: db)
                try await AuditEntry.record(.commandLine, unitID: unit.id, action: "name.assign", target: name, detail: "Tên miền cổng thông tin", on: db)
            }
        }
    }

    /// Pending requests, one line each.
    public static func pending(app: Application) async throws -> [String] {
        let requests = try await NameRequest.query(on: app.db).filter(\.$stateCode == NameRequest.State.pending.rawValue).sort(\.$createdAt).all()
        var lines: [String] = []
        for request in requests {
            let unit = try await OrgUnit.find(request.unitID, on: app.db)
            lines.append("\(request.name)\t\(request.kind.rawValue)\t\(unit?.code ?? "?")\t\(request.requestedBy)")
        }
        return lines
    }
}
