import EduCore
import EduData
import EduImport
import EduMail
import Fluent
import Foundation
import Vapor

/// `eduportal mail …`: the directory from the command line, and the Postfix/Dovecot configuration.
public enum MailOperations {

    static func wrap<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let errors as FormErrors { throw OperationFailure(errors.messagesWithoutFields.joined(separator: "\n")) }
    }

    public static func addDomain(app: Application, unitCode: String, domain: String) async throws {
        let unit = try await OperationFailure.unit(unitCode, app: app)
        _ = try await wrap {
            try await MailService.addDomain(domain, unit: unit, names: .operator, baseDomain: app.eduConfig.baseDomain, by: .commandLine, on: app.db)
        }
    }

    public static func addMailbox(app: Application, unitCode: String, address: String, name: String, function: String, title: String,
                                  department: String, password: String) async throws {
        let unit = try await OperationFailure.unit(unitCode, app: app)
        let parts = address.lowercased().split(separator: "@", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw OperationFailure("Địa chỉ «\(address)» không hợp lệ.") }
        guard let fn = MailFunction(rawValue: function) else { throw OperationFailure("Chức năng «\(function)» không có (\(MailFunction.allCases.map(\.rawValue).joined(separator: ", ")))." ) }
        _ = try await wrap {
            try await MailService.createMailbox(.init(localPart: parts[0], domain: parts[1], displayName: name, function: fn, title: title, department: department),
                                                password: password, unit: unit, by: .commandLine, hasher: app.password.async, on: app.db)
        }
    }

    public static func setMailbox(app: Application, address: String, function: String?, active: Bool?, forwardTo: String?, retentionDays: Int?,
                                  aliases: [String]? = nil, quotaMB: Int? = nil) async throws {
        guard let box = try await Mailbox.query(on: app.db).filter(\.$address == address.lowercased()).first() else { throw OperationFailure("Không có hộp thư \(address).") }
        var change = MailService.MailboxChange()
        if let function {
            guard let fn = MailFunction(rawValue: function) else { throw OperationFailure("Chức năng «\(function)» không có.") }
            change.function = fn
        }
        change.active = active
        change.forwardTo = forwardTo
        change.retentionDays = retentionDays
        change.aliases = aliases
        change.quotaMB = quotaMB
        try await wrap { try await MailService.update(box, change, by: .commandLine, on: app.db) }
    }

    /// `--rule thu-truong:so[:subtree-unit-code]`
    public static func addGroup(app: Application, unitCode: String, address: String, name: String, members: [String], rules: [String],
                                posting: String = "members") async throws {
        guard ["open", "members", "moderated"].contains(posting) else { throw OperationFailure("Chế độ gửi «\(posting)» không có (open, members, moderated).") }
        let unit = try await OperationFailure.unit(unitCode, app: app)
        let parts = address.lowercased().split(separator: "@", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw OperationFailure("Địa chỉ «\(address)» không hợp lệ.") }
        var parsed: [MailDirectoryView.Rule] = []
        for text in rules {
            let bits = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard let fn = MailFunction(rawValue: bits[0]) else { throw OperationFailure("Quy tắc «\(text)»: chức năng «\(bits[0])» không có.") }
            let type = bits.count > 1 && !bits[1].isEmpty ? bits[1] : nil
            if let type, UnitType(rawValue: type) == nil { throw OperationFailure("Quy tắc «\(text)»: loại đơn vị «\(type)» không có.") }
            var within: UUID? = nil
            if bits.count > 2, !bits[2].isEmpty { within = try await OperationFailure.unit(bits[2], app: app).id }
            parsed.append(.init(function: fn, unitType: type, withinUnitID: within))
        }
        _ = try await wrap {
            try await MailService.createGroup(.init(localPart: parts[0], domain: parts[1], name: name, posting: posting, members: members, rules: parsed),
                                              unit: unit, by: .commandLine, on: app.db)
        }
    }

    /// Provisions a staff list; writes the first-password sheet to `sheetPath` (mode 600).
    public static func importStaff(app: Application, unitCode: String, domain: String?, path: String, sheetPath: String) async throws -> (created: Int, existing: Int, errors: [String], notices: [String]) {
        let unit = try await OperationFailure.unit(unitCode, app: app)
        guard let data = FileManager.default.contents(atPath: path) else { throw OperationFailure("Không đọc được tệp «\(path)».") }
        let mailDomain = (domain ?? unit.mailDomain).lowercased()
        let outcome = StaffListImporter.run(bytes: Array(data), domain: mailDomain)
        guard outcome.isClean else { return (0, 0, outcome.errors.map(\.text), []) }
        let (result, errors) = try await MailService.provision(outcome.rows, domain: mailDomain, unit: unit, by: .commandLine,
                                                               hasher: app.password.async, on: app.db)
        guard errors.isEmpty else { return (0, 0, errors.map(\.text), []) }
        let sheet = try MailService.passwordSheet(result, notices: outcome.notices)
        guard FileManager.default.createFile(atPath: sheetPath, contents: sheet, attributes: [.posixPermissions: 0o600]) else {
            throw OperationFailure("Không ghi được tệp mật khẩu «\(sheetPath)»; các hộp thư đã được tạo, hãy đặt lại mật khẩu của chúng.")
        }
        let created = result.filter { $0.password != nil }.count
        return (created, result.count - created, [], outcome.notices.map(\.text))
    }

    public static func writeConfig(app: Application, out: String, vmail: String, uid: Int, gid: Int, hostname: String,
                                   instance: MailServerConfig.Instance?, policyPort: Int? = nil, intakePort: Int? = nil) throws -> [String] {
        let storage = app.eduConfig.storage
        let database: MailServerConfig.Database
        switch storage {
        case .postgres(let url, _):
            guard let parsed = MailServerConfig.Database.from(databaseURL: url, sqlitePath: "") else { throw OperationFailure("DATABASE_URL không đọc được.") }
            database = parsed
        case .sqliteFile(let path):
            database = .sqlite(path: URL(fileURLWithPath: path).standardizedFileURL.path)
        case .sqliteMemory:
            throw OperationFailure("Cơ sở dữ liệu tạm trong bộ nhớ không dùng được cho máy chủ thư.")
        }
        let root = URL(fileURLWithPath: out).standardizedFileURL.path
        var config = MailServerConfig(database: database, postfixDirectory: root + "/postfix", dovecotDirectory: root + "/dovecot", vmailDirectory: vmail,
                                      vmailUID: uid, vmailGID: gid, hostname: hostname, instance: instance)
        config.policyService = policyPort.map { "inet:127.0.0.1:\($0)" }
        config.intakeService = intakePort.map { "inet:127.0.0.1:\($0)" }
        var written: [String] = []
        for file in config.files() {
            let path = root + "/" + file.path
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // The maps and Dovecot's SQL file may hold the database password.
            guard FileManager.default.createFile(atPath: path, contents: Data(file.contents.utf8), attributes: [.posixPermissions: 0o640]) else {
                throw OperationFailure("Không ghi được «\(path)».")
            }
            written.append(path)
        }
        return written
    }
}
