import EduCore
import EduData
import EduMail
import Fluent
import Vapor

/// The demo's mail directory: every unit's domain, a head and a clerical mailbox per unit, and
/// groups at the Sở that follow the directory (heads of all units; clerical offices of schools).
enum DemoMail {
    static func create(units records: [OrgUnit], root rootRecord: OrgUnit, password: String, app: Application) async throws {
        let hasher = app.password.async
        let root = try await ResolvedUnit.resolve(rootRecord, on: app.db)
        for record in records where !record.mailDomain.isEmpty {
            let unit = try await ResolvedUnit.resolve(record, on: app.db)
            _ = try await MailService.addDomain(
                unit.mailDomain, unit: unit, names: .operator, baseDomain: app.eduConfig.baseDomain, by: .cli("demo"), on: app.db)
            let isSchool = !unit.type.isManagementAgency
            let head = isSchool ? "hieutruong" : (unit.type == .so ? "giamdoc" : "truongphong")
            let headName = unit.headName.isEmpty ? "Thủ trưởng \(unit.name)" : unit.headName
            _ = try await MailService.createMailbox(
                .init(localPart: head, domain: unit.mailDomain, displayName: headName, function: .head, title: unit.headTitle),
                password: password, unit: unit, by: .cli("demo"), hasher: hasher, on: app.db)
            _ = try await MailService.createMailbox(
                .init(localPart: isSchool ? "vanthu" : "vanphong", domain: unit.mailDomain, displayName: isSchool ? "Văn thư \(unit.name)" : "Văn phòng \(unit.name)",
                      function: isSchool ? .clerical : .department, title: isSchool ? "Văn thư" : "Văn phòng"),
                password: password, unit: unit, by: .cli("demo"), hasher: hasher, on: app.db)
        }
        guard !root.mailDomain.isEmpty else { return }
        let rootID = root.id
        _ = try await MailService.createGroup(
            .init(localPart: "thutruong", domain: root.mailDomain, name: "Thủ trưởng các đơn vị trong tỉnh", owners: ["vanphong@" + root.mailDomain],
                  rules: [.init(function: .head, unitType: nil, withinUnitID: rootID)]),
            unit: root, by: .cli("demo"), on: app.db)
        _ = try await MailService.createGroup(
            .init(localPart: "vanthu-truong", domain: root.mailDomain, name: "Văn thư các trường", owners: ["vanphong@" + root.mailDomain],
                  rules: [.init(function: .clerical, unitType: nil, withinUnitID: rootID)]),
            unit: root, by: .cli("demo"), on: app.db)
    }
}
