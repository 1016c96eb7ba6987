import EduCore
import EduData
import EduMail
import Fluent
import Vapor

/// Creating and editing units, with their hostnames, validated field by field.
enum UnitService {
    /// The unit form as posted; every field already normalised.
    struct Input {
        var code = ""
        var type = ""
        var name = ""
        var nameEn = ""
        var hostnames: [String] = []
        var mailDomain = ""
        var address = ""
        var phone = ""
        var email = ""
        var headName = ""
        var headTitle = ""
        var portalContactName = ""
        var portalContactEmail = ""
        var portalContactPhone = ""
        var mailContactName = ""
        var mailContactEmail = ""
        var mailContactPhone = ""
        var requireTOTPForAdmins = false
        /// The national monitoring system's script address (`MonitoringScript`).
        var monitoringScript = ""

        init() {}

        init(_ unit: ResolvedUnit) {
            code = unit.code
            type = unit.type.rawValue
            name = unit.name
            nameEn = unit.nameEn
            hostnames = unit.hostnames
            mailDomain = unit.mailDomain
            address = unit.address
            phone = unit.phone
            email = unit.email
            headName = unit.headName
            headTitle = unit.headTitle
            portalContactName = unit.portalContactName
            portalContactEmail = unit.portalContactEmail
            portalContactPhone = unit.portalContactPhone
            mailContactName = unit.mailContactName
            mailContactEmail = unit.mailContactEmail
            mailContactPhone = unit.mailContactPhone
            requireTOTPForAdmins = unit.requireTOTPForAdmins
            monitoringScript = unit.monitoringScript
        }

        /// Reads and normalises a posted form.
        init(form: [String: String]) {
            func text(_ key: String, _ max: Int = 300) -> String { TextNormalizer.normalize(form[key] ?? "", maxLength: max) }
            code = text("code", 63).lowercased()
            type = text("type", 20)
            name = text("name")
            nameEn = text("nameEn")
            hostnames = TextNormalizer.normalize(form["hostnames"] ?? "", mode: .multiLine, maxLength: 4000)
                .split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == " " })
                .map { Validation.canonicalHost(String($0)) }
                .filter { !$0.isEmpty }
            mailDomain = text("mailDomain", 253).lowercased()
            address = text("address", 500)
            phone = text("phone", 40)
            email = text("email", 254).lowercased()
            headName = text("headName")
            headTitle = text("headTitle")
            portalContactName = text("portalContactName")
            portalContactEmail = text("portalContactEmail", 254).lowercased()
            portalContactPhone = text("portalContactPhone", 40)
            mailContactName = text("mailContactName")
            mailContactEmail = text("mailContactEmail", 254).lowercased()
            mailContactPhone = text("mailContactPhone", 40)
            requireTOTPForAdmins = form.isChecked("requireTOTPForAdmins")
            // Kept as typed (trimmed): an address is refused, never silently rewritten.
            monitoringScript = String((form["monitoringScript"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(MonitoringScript.maxLength + 1))
        }
    }

    /// `editing`: the unit being edited (nil when creating one under `parent`).
    /// Also says which new hostnames need a unit above to approve them (`NameService`): they are
    /// not saved with the unit but filed as requests.
    static func validate(
        _ input: Input, editing unit: ResolvedUnit?, parent: ResolvedUnit?, names: NameService.Authority, baseDomain: String,
        monitoringHosts: [String] = [], on db: any Database
    ) async throws -> (errors: FormErrors, needApproval: [String]) {
        var errors: FormErrors = [:]
        if input.monitoringScript != (unit?.monitoringScript ?? ""), let problem = MonitoringScript.problem(input.monitoringScript, allowedHosts: monitoringHosts) {
            errors["monitoringScript"] = problem
        }
        var needApproval: [String] = []
        if unit == nil {
            if !Slug.isValid(input.code) {
                errors["code"] = "Mã đơn vị chỉ gồm chữ thường không dấu, chữ số và dấu gạch nối (ví dụ: thpt-chu-van-an)."
            } else if try await OrgUnit.find(code: input.code, on: db) != nil {
                errors["code"] = "Mã đơn vị này đã được dùng."
            }
            if let parent {
                let rules = try await OrgUnit.treeRules(on: db)
                if let type = UnitType(rawValue: input.type) {
                    if !rules.allows(parent: parent.type, child: type) {
                        errors["type"] = "\(parent.type.label) không quản lý loại đơn vị \(type.label.lowercased())."
                    }
                } else {
                    errors["type"] = "Chọn loại đơn vị."
                }
            }
        }
        if input.name.isEmpty { errors["name"] = "Nhập tên đơn vị." }
        var seen = Set<String>()
        for host in input.hostnames {
            if !Validation.isHostname(host) {
                errors["hostnames"] = "Tên miền không hợp lệ: \(host)"
                break
            }
            if !seen.insert(host).inserted || unit?.hostnames.contains(host) == true { continue }
            let claimant = unit.map(NameService.Claimant.init) ?? parent.map { NameService.Claimant(newChild: input.code, under: $0) }
            guard let claimant else { continue }
            switch try await NameService.judge(host, for: claimant, authority: names, baseDomain: baseDomain, on: db) {
            case .granted: break
            case .needsApproval: needApproval.append(host)
            case .refused(let why): errors["hostnames"] = why
            }
            if errors["hostnames"] != nil { break }
        }
        if input.hostnames.count > 20 { errors["hostnames"] = "Tối đa 20 tên miền cho một đơn vị." }
        if let problem = MailDomain.problem(input.mailDomain) { errors["mailDomain"] = problem }
        for (key, value) in [("email", input.email), ("portalContactEmail", input.portalContactEmail), ("mailContactEmail", input.mailContactEmail)]
        where !value.isEmpty && !Validation.isEmail(value) {
            errors[key] = "Địa chỉ thư điện tử không hợp lệ."
        }
        for (key, value) in [("phone", input.phone), ("portalContactPhone", input.portalContactPhone), ("mailContactPhone", input.mailContactPhone)]
        where !value.isEmpty && !Validation.isPhone(value) {
            errors[key] = "Số điện thoại không hợp lệ (8–15 chữ số, ví dụ 0229 3871 234)."
        }
        return (errors, needApproval)
    }

    static func apply(_ input: Input, to unit: OrgUnit, securityAllowed: Bool) {
        unit.name = input.name
        unit.nameEn = input.nameEn
        unit.mailDomain = input.mailDomain
        unit.address = input.address
        unit.phone = input.phone
        unit.email = input.email
        unit.headName = input.headName
        unit.headTitle = input.headTitle
        unit.portalContactName = input.portalContactName
        unit.portalContactEmail = input.portalContactEmail
        unit.portalContactPhone = input.portalContactPhone
        unit.mailContactName = input.mailContactName
        unit.mailContactEmail = input.mailContactEmail
        unit.mailContactPhone = input.mailContactPhone
        if securityAllowed {
            unit.requireTOTPForAdmins = input.requireTOTPForAdmins
            unit.monitoringScript = input.monitoringScript
        }
    }

    static func setHostnames(_ hostnames: [String], for unit: OrgUnit, on db: any Database) async throws {
        let unitID = try unit.requireID()
        try await UnitHostname.query(on: db).filter(\.$unitID == unitID).delete()
        var seen = Set<String>()
        for host in hostnames where seen.insert(host).inserted {
            try await UnitHostname(unitID: unitID, hostname: host).create(on: db)
        }
    }

    /// Saves the edited unit and its hostnames; the unit and its parent's pages change. Throws
    /// `FormErrors` when the input is not acceptable. Returns the hostnames filed for approval.
    @discardableResult
    static func update(
        _ resolved: ResolvedUnit, with input: Input, securityAllowed: Bool, names: NameService.Authority, baseDomain: String,
        monitoringHosts: [String] = [], by actor: AuditActor, on db: any Database
    ) async throws -> [String] {
        var posted = input
        if !securityAllowed { posted.monitoringScript = resolved.monitoringScript }  // not theirs to change
        let (errors, needApproval) = try await validate(
            posted, editing: resolved, parent: nil, names: names, baseDomain: baseDomain, monitoringHosts: monitoringHosts, on: db)
        guard errors.isEmpty else { throw errors }
        let unit = try await resolved.record(on: db)
        let before = Input(resolved)
        var granted = posted
        granted.hostnames.removeAll { needApproval.contains($0) }
        let input = granted
        try await db.transaction { db in
            apply(input, to: unit, securityAllowed: securityAllowed)
            try await unit.save(on: db)
            try await setHostnames(input.hostnames, for: unit, on: db)
            try await OrgUnit.touch(unit.requireID(), on: db)
            if let parentID = unit.parentID { try await OrgUnit.touch(parentID, on: db) }
            try await AuditEntry.record(
                actor, unitID: unit.id, action: "unit.update", target: unit.code,
                detail: describeChanges(from: before, to: Input(try ResolvedUnit(unit, hostnames: input.hostnames))), on: db)
            for host in needApproval { try await NameService.request(host, kind: .hostname, for: resolved, by: actor, on: db) }
        }
        return needApproval
    }

    /// Creates a unit under `parent`, with its default categories, in one transaction with its
    /// audit record. Throws `FormErrors` when the input is not acceptable. Hostnames that need a
    /// unit above to approve them are filed as the new unit's requests.
    static func createChild(
        _ input: Input, under resolvedParent: ResolvedUnit, securityAllowed: Bool, names: NameService.Authority, baseDomain: String,
        monitoringHosts: [String] = [], by actor: AuditActor, on db: any Database
    ) async throws -> OrgUnit {
        var posted = input
        if !securityAllowed { posted.monitoringScript = "" }
        let (errors, needApproval) = try await validate(
            posted, editing: nil, parent: resolvedParent, names: names, baseDomain: baseDomain, monitoringHosts: monitoringHosts, on: db)
        guard errors.isEmpty else { throw errors }
        let parent = try await resolvedParent.record(on: db)
        var granted = posted
        granted.hostnames.removeAll { needApproval.contains($0) }
        let input = granted
        return try await db.transaction { db in
            let child = try await create(input, parent: parent, securityAllowed: securityAllowed, on: db)
            try await OrgUnit.touch(parent.requireID(), on: db)
            try await AuditEntry.record(
                actor, unitID: child.id, action: "unit.create", target: child.code,
                detail: "\(child.type.label) «\(child.name)» trực thuộc \(parent.name)", on: db)
            let resolvedChild = try ResolvedUnit(child, hostnames: input.hostnames)
            for host in needApproval { try await NameService.request(host, kind: .hostname, for: resolvedChild, by: actor, on: db) }
            return child
        }
    }

    /// Creates a unit under `parent` (nil only for the root, from the CLI or the demo).
    static func create(_ input: Input, parent: OrgUnit?, securityAllowed: Bool = true, on db: any Database) async throws -> OrgUnit {
        let unit = OrgUnit(code: input.code, type: UnitType(rawValue: input.type) ?? .trungTam, name: input.name, parent: parent)
        apply(input, to: unit, securityAllowed: securityAllowed)
        try await unit.create(on: db)
        try await setHostnames(input.hostnames, for: unit, on: db)
        try await Category.createDefaults(for: unit, on: db)
        return unit
    }

    /// A short account of what changed, for the audit log.
    static func describeChanges(from old: Input, to new: Input) -> String {
        let pairs: [(String, String, String)] = [
            ("tên", old.name, new.name), ("tên tiếng Anh", old.nameEn, new.nameEn),
            ("tên miền", old.hostnames.joined(separator: ", "), new.hostnames.joined(separator: ", ")),
            ("miền thư", old.mailDomain, new.mailDomain), ("địa chỉ", old.address, new.address),
            ("điện thoại", old.phone, new.phone), ("thư điện tử", old.email, new.email),
            ("thủ trưởng", old.headName, new.headName), ("chức vụ thủ trưởng", old.headTitle, new.headTitle),
            ("đầu mối cổng", old.portalContactName, new.portalContactName),
            ("thư đầu mối cổng", old.portalContactEmail, new.portalContactEmail),
            ("điện thoại đầu mối cổng", old.portalContactPhone, new.portalContactPhone),
            ("đầu mối thư", old.mailContactName, new.mailContactName),
            ("thư đầu mối thư", old.mailContactEmail, new.mailContactEmail),
            ("điện thoại đầu mối thư", old.mailContactPhone, new.mailContactPhone),
            ("bắt buộc xác thực hai bước", String(old.requireTOTPForAdmins), String(new.requireTOTPForAdmins)),
            ("mã theo dõi của hệ thống giám sát", old.monitoringScript, new.monitoringScript),
        ]
        let changes = pairs.filter { $0.1 != $0.2 }.map { "\($0.0): «\($0.1)» → «\($0.2)»" }
        return changes.isEmpty ? "Không thay đổi" : changes.joined(separator: "; ")
    }
}
