import EduCore
import EduData
import EduImport
import EduMail
import Fluent
import Foundation
import Vapor

/// The mail directory: domains, mailboxes, groups, and the alias table Postfix reads, rebuilt
/// in the same transaction as every change so delivery always matches the directory.
enum MailService {
    static let defaultQuotaMB = 2048

    /// A new, active mailbox (not yet saved): one place for what every new mailbox starts with.
    static func newMailbox(
        unitID: UUID, address: String, displayName: String, function: MailFunction, title: String, department: String,
        passwordHash: String, quotaMB: Int, phone: String = ""
    ) -> Mailbox {
        let box = Mailbox()
        box.unitID = unitID
        box.address = address
        box.localPart = String(address.prefix { $0 != "@" })
        box.domain = String(address.drop { $0 != "@" }.dropFirst())
        box.displayName = displayName
        box.function = function.rawValue
        box.title = title
        box.department = department
        box.phone = phone
        box.passwordHash = passwordHash
        box.quotaMB = quotaMB
        box.active = true
        box.forwardTo = ""
        box.keepCopy = true
        box.aliases = ""
        box.createdAt = Date()
        box.updatedAt = Date()
        return box
    }

    /// `{BLF-CRYPT}` + bcrypt: Dovecot checks it with libc's crypt.
    static func hash(_ password: String, hasher: AsyncPasswordHasher) async throws -> String {
        "{BLF-CRYPT}" + (try await hasher.hash(password))
    }

    // MARK: - Domains

    enum DomainOutcome {
        case added(MailDomainRecord)
        /// Filed for a unit above to approve (`NameService`).
        case requested
    }

    /// Adds a mail domain the unit may hold, or files the request an admin above must approve;
    /// a domain another unit holds, a public provider's, or one outside the unit's delegated
    /// names is refused (Postfix would treat it as local and swallow its mail).
    static func addDomain(
        _ raw: String, unit: ResolvedUnit, names: NameService.Authority, baseDomain: String, by actor: AuditActor, on db: any Database
    ) async throws -> DomainOutcome {
        let domain = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard Validation.isDomain(domain) else { throw FormErrors.field("domain", "Tên miền không hợp lệ (ví dụ đúng: thptchuvanan.ninhbinh.edu.vn).") }
        if let record = try await MailDomainRecord.query(on: db).filter(\.$domain == domain).first() {
            throw FormErrors.field("domain", record.unitID == unit.id ? "Đơn vị đã có tên miền thư \(domain)." : "Tên miền \(domain) đã thuộc đơn vị khác.")
        }
        switch try await NameService.judge(domain, for: .init(unit), authority: names, baseDomain: baseDomain, on: db) {
        case .refused(let why):
            throw FormErrors.field("domain", why)
        case .needsApproval:
            try await db.transaction { tx in _ = try await NameService.request(domain, kind: .mailDomain, for: unit, by: actor, on: tx) }
            return .requested
        case .granted:
            let record = MailDomainRecord(unitID: unit.id, domain: domain)
            try await db.transaction { tx in
                try await record.create(on: tx)
                try await AuditEntry.record(actor, unitID: unit.id, action: "mail.domain.add", target: domain, on: tx)
            }
            return .added(record)
        }
    }

    // MARK: - Mailboxes

    struct MailboxInput {
        var localPart: String
        var domain: String
        var displayName: String
        var function: MailFunction
        var title: String = ""
        var department: String = ""
        var quotaMB: Int = MailService.defaultQuotaMB
    }

    /// Creates a mailbox; with no password given, generates one and returns it (to hand out once).
    static func createMailbox(_ input: MailboxInput, password: String?, unit: ResolvedUnit, by actor: AuditActor,
                              hasher: AsyncPasswordHasher, on db: any Database) async throws -> (Mailbox, String?) {
        let local = input.localPart.lowercased()
        let domain = input.domain.lowercased()
        guard LocalPart.isValid(local) else { throw FormErrors.field("localPart", "Tên hộp thư «\(local)» không hợp lệ (chữ thường không dấu, số, dấu chấm, gạch).") }
        guard let record = try await MailDomainRecord.query(on: db).filter(\.$domain == domain).first(), record.unitID == unit.id else {
            throw FormErrors.field("domain", "Đơn vị không có tên miền thư \(domain).")
        }
        let address = local + "@" + domain
        if try await addressTaken(address, on: db) { throw FormErrors.field("localPart", "Địa chỉ \(address) đã được dùng.") }
        let name = TextNormalizer.normalize(input.displayName, maxLength: 120)
        guard !name.isEmpty else { throw FormErrors.field("displayName", "Nhập tên hiển thị.") }
        let generated = password == nil ? MailPasswordPolicy.generate() : nil
        let secret = password ?? generated!
        if let problem = MailPasswordPolicy.problem(secret, localPart: local) { throw FormErrors.field("password", problem) }
        let box = newMailbox(
            unitID: unit.id, address: address, displayName: name, function: input.function,
            title: TextNormalizer.normalize(input.title, maxLength: 120), department: TextNormalizer.normalize(input.department, maxLength: 120),
            passwordHash: try await hash(secret, hasher: hasher), quotaMB: max(50, min(input.quotaMB, 102_400)))
        try await db.transaction { tx in
            try await box.create(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: "mail.mailbox.create", target: address,
                                        detail: "\(name), \(input.function.label)", on: tx)
            try await rebuildAliasMap(on: tx)
        }
        return (box, generated)
    }

    static func addressTaken(_ address: String, on db: any Database) async throws -> Bool {
        switch try await resolve(address, on: db) {
        case .mailbox, .group: return true
        case .external, nil: return try await ConsultationService.intakeTarget(address, on: db) != nil
        }
    }

    struct MailboxChange {
        var function: MailFunction?
        var active: Bool?
        var forwardTo: String?
        var keepCopy: Bool?
        var retentionDays: Int?
        /// Replaces the extra addresses delivered to this mailbox (on the unit's own domains).
        var aliases: [String]?
        var quotaMB: Int?
    }

    /// Forwarding stays inside the unit's subtree for our own addresses, and into a group only
    /// when anyone may write to it: a forward would otherwise carry outside mail past the
    /// group's posting rule (Postfix checks the rule on the address written, not on the forward).
    static func checkForwarding(to target: String, from box: Mailbox, on db: any Database) async throws {
        switch try await resolve(target, on: db) {
        case .external:
            return
        case .mailbox(let other):
            guard try await unit(other.unitID, isWithin: box.unitID, on: db) else {
                throw FormErrors.field("forwardTo", "Chỉ chuyển tiếp được tới hộp thư của đơn vị và các đơn vị trực thuộc, hoặc tới địa chỉ ngoài hệ thống.")
            }
        case .group(let group):
            guard try await unit(group.unitID, isWithin: box.unitID, on: db) else {
                throw FormErrors.field("forwardTo", "Nhóm \(target) thuộc đơn vị khác; không chuyển tiếp được vào đó.")
            }
            guard group.posting == "open" else {
                throw FormErrors.field("forwardTo", "Nhóm \(target) chỉ nhận thư theo quy tắc gửi riêng; chuyển tiếp sẽ vượt qua quy tắc đó nên không được phép.")
            }
        case nil:
            throw FormErrors.field("forwardTo", "Không có hộp thư hay nhóm nào là \(target).")
        }
    }

    /// Changes a mailbox (function, departure with forwarding, …); groups follow at once.
    static func update(_ box: Mailbox, _ change: MailboxChange, by actor: AuditActor, on db: any Database) async throws {
        if let forward = change.forwardTo {
            let target = forward.trimmingCharacters(in: .whitespaces).lowercased()
            guard target.isEmpty || Validation.isEmail(target) else { throw FormErrors.field("forwardTo", "Địa chỉ chuyển tiếp không hợp lệ.") }
            guard target != box.address else { throw FormErrors.field("forwardTo", "Không chuyển tiếp thư về chính hộp thư này.") }
            if !target.isEmpty { try await checkForwarding(to: target, from: box, on: db) }
            box.forwardTo = target
        }
        if let keep = change.keepCopy { box.keepCopy = keep }
        if let quota = change.quotaMB {
            guard (50...102_400).contains(quota) else { throw FormErrors.field("quotaMB", "Hạn mức từ 50 MB đến 100 GB.") }
            box.quotaMB = quota
        }
        if let aliases = change.aliases {
            let wanted = Array(Set(aliases.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })).sorted()
            let ownDomains = Set(try await MailDomainRecord.query(in: box.unitID, on: db).all().map(\.domain))
            let current = Set(box.aliasList)
            for alias in wanted {
                let parts = alias.split(separator: "@", maxSplits: 1).map(String.init)
                guard parts.count == 2, LocalPart.isValid(parts[0]), ownDomains.contains(parts[1]) else {
                    throw FormErrors.field("aliases", "Địa chỉ phụ «\(alias)» không hợp lệ hoặc không thuộc tên miền của đơn vị.")
                }
                if !current.contains(alias), alias != box.address, try await addressTaken(alias, on: db) {
                    throw FormErrors.field("aliases", "Địa chỉ phụ \(alias) đã được dùng.")
                }
            }
            box.aliases = wanted.joined(separator: "\n")
        }
        if let function = change.function { box.function = function.rawValue }
        var detail: [String] = []
        if let active = change.active, active != box.active {
            box.active = active
            box.disabledAt = active ? nil : Date()
            box.deleteAfter = active ? nil : Date().addingTimeInterval(Double(change.retentionDays ?? 90) * 86_400)
            detail.append(active ? "mở lại" : "khóa (xóa sau \(change.retentionDays ?? 90) ngày)")
        }
        if let function = change.function { detail.append("chức năng: \(function.label)") }
        if !box.forwardTo.isEmpty { detail.append("chuyển tiếp tới \(box.forwardTo)") }
        box.updatedAt = Date()
        let summary = detail.joined(separator: "; ")
        try await db.transaction { tx in
            try await box.save(on: tx)
            try await AuditEntry.record(actor, unitID: box.unitID, action: "mail.mailbox.update", target: box.address,
                                        detail: summary, on: tx)
            try await rebuildAliasMap(on: tx)
        }
    }

    static func resetPassword(_ box: Mailbox, to password: String?, by actor: AuditActor, hasher: AsyncPasswordHasher,
                              on db: any Database) async throws -> String {
        let secret = password ?? MailPasswordPolicy.generate()
        if let problem = MailPasswordPolicy.problem(secret, localPart: box.localPart) { throw FormErrors.field("password", problem) }
        box.passwordHash = try await hash(secret, hasher: hasher)
        box.updatedAt = Date()
        try await db.transaction { tx in
            try await box.save(on: tx)
            try await AuditEntry.record(actor, unitID: box.unitID, action: "mail.mailbox.password", target: box.address, on: tx)
        }
        return secret
    }

    /// Deletes mailboxes disabled longer than their retention period.
    static func purgeExpired(now: Date = Date(), on db: any Database) async throws -> Int {
        let expired = try await Mailbox.query(on: db).filter(\.$active == false).filter(\.$deleteAfter < now).all()
        guard !expired.isEmpty else { return 0 }
        try await db.transaction { tx in
            for box in expired {
                try await box.delete(on: tx)
                try await AuditEntry.record(.system, unitID: box.unitID, action: "mail.mailbox.delete", target: box.address,
                                            detail: "hết thời hạn lưu", on: tx)
            }
            try await rebuildAliasMap(on: tx)
        }
        return expired.count
    }

    // MARK: - Groups

    struct GroupInput {
        var localPart: String
        var domain: String
        var name: String
        var description = ""
        var posting = "members"
        var owners: [String] = []
        var members: [String] = []
        var rules: [MailDirectoryView.Rule] = []
    }

    static func createGroup(_ input: GroupInput, unit: ResolvedUnit, by actor: AuditActor, on db: any Database) async throws -> MailGroup {
        let local = input.localPart.lowercased(), domain = input.domain.lowercased()
        guard LocalPart.isValid(local) else { throw FormErrors.field("localPart", "Tên nhóm «\(local)» không hợp lệ.") }
        guard let record = try await MailDomainRecord.query(on: db).filter(\.$domain == domain).first(), record.unitID == unit.id else {
            throw FormErrors.field("domain", "Đơn vị không có tên miền thư \(domain).")
        }
        let address = local + "@" + domain
        if try await addressTaken(address, on: db) { throw FormErrors.field("localPart", "Địa chỉ \(address) đã được dùng.") }
        let group = MailGroup()
        group.unitID = unit.id
        group.address = address
        group.name = TextNormalizer.normalize(input.name, maxLength: 200)
        group.description = TextNormalizer.normalize(input.description, maxLength: 1000)
        group.posting = ["open", "members", "moderated"].contains(input.posting) ? input.posting : "members"
        group.owners = input.owners.map { $0.lowercased() }.filter(Validation.isEmail).joined(separator: "\n")
        group.createdAt = Date()
        try await db.transaction { tx in
            try await group.create(on: tx)
            for member in input.members { try await addMember(member, to: group, on: tx) }
            for rule in input.rules {
                // A rule selects inside the group's own subtree: without a subtree, the unit's.
                let within = rule.withinUnitID ?? unit.id
                guard try await Self.unit(within, isWithin: unit.id, on: tx) else {
                    throw FormErrors.field("rules", "Quy tắc chỉ chọn được hộp thư trong đơn vị và các đơn vị trực thuộc.")
                }
                let row = MailGroupRule()
                row.groupID = try group.requireID()
                row.function = rule.function.rawValue
                row.unitType = rule.unitType ?? ""
                row.withinUnitID = within
                try await row.create(on: tx)
            }
            try await AuditEntry.record(actor, unitID: unit.id, action: "mail.group.create", target: address,
                                        detail: "\(input.members.count) thành viên, \(input.rules.count) quy tắc", on: tx)
            try await rebuildAliasMap(on: tx)
        }
        return group
    }

    /// Whether the unit `unitID` is `root` or lies below it.
    static func unit(_ unitID: UUID, isWithin root: UUID, on db: any Database) async throws -> Bool {
        guard let unit = try await OrgUnit.find(unitID, on: db) else { return false }
        return unitID == root || unit.ancestorIDs.contains(root)
    }

    /// What a local address is: one of our mailboxes (by address or alias), one of our groups,
    /// or nothing (nil); `external` when its domain is not one of ours.
    enum LocalAddress {
        case mailbox(Mailbox)
        case group(MailGroup)
        case external
    }

    static func resolve(_ address: String, on db: any Database) async throws -> LocalAddress? {
        if let box = try await Mailbox.query(on: db).filter(\.$address == address).first() { return .mailbox(box) }
        if let group = try await MailGroup.query(on: db).filter(\.$address == address).first() { return .group(group) }
        let domain = String(address.drop { $0 != "@" }.dropFirst())
        guard try await MailDomainRecord.query(on: db).filter(\.$domain == domain).first() != nil else { return .external }
        let candidates = try await Mailbox.query(on: db).filter(\.$aliases, .custom("LIKE"), "%\(address)%").all()
        if let box = candidates.first(where: { $0.aliasList.contains(address) }) { return .mailbox(box) }
        return nil
    }

    /// A member by address: a mailbox or group of the group's own subtree, or an address outside
    /// our domains. Another unit's mailbox or group is refused: a school's open group must not
    /// become a way to write to the Sở's members-only group. (A unit above takes a lower unit's
    /// address into its group through the registration flow, which ends here too.)
    static func addMember(_ raw: String, to group: MailGroup, on db: any Database) async throws {
        let address = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard Validation.isEmail(address) else { throw FormErrors.field("members", "Địa chỉ thành viên «\(address)» không hợp lệ.") }
        let member = MailGroupMember()
        member.groupID = try group.requireID()
        member.externalAddress = ""
        member.createdAt = Date()
        switch try await resolve(address, on: db) {
        case .mailbox(let box):
            guard try await unit(box.unitID, isWithin: group.unitID, on: db) else {
                throw FormErrors.field("members", "Hộp thư \(address) thuộc đơn vị ngoài phạm vi của nhóm; nhóm chỉ gồm hộp thư của đơn vị và các đơn vị trực thuộc.")
            }
            member.mailboxID = box.id
        case .group(let nested):
            guard nested.id != group.id else { throw FormErrors.field("members", "Nhóm không thể là thành viên của chính nó.") }
            guard try await unit(nested.unitID, isWithin: group.unitID, on: db) else {
                throw FormErrors.field("members", "Nhóm \(address) thuộc đơn vị ngoài phạm vi của nhóm; không thể lồng vào.")
            }
            member.memberGroupID = nested.id
        case .external:
            member.externalAddress = address
        case nil:
            throw FormErrors.field("members", "Không có hộp thư hay nhóm nào là \(address).")
        }
        try await member.create(on: db)
    }

    // MARK: - The alias table

    /// Recomputes `mail_alias_map` from the directory (call inside the change's transaction).
    static func rebuildAliasMap(on db: any Database) async throws {
        let units = try await OrgUnit.query(on: db).all()
        let unitByID = Dictionary(uniqueKeysWithValues: units.compactMap { unit in unit.id.map { ($0, unit) } })
        let boxes = try await Mailbox.query(on: db).all().compactMap { box -> MailDirectoryView.Mailbox? in
            guard let id = box.id, let unit = unitByID[box.unitID] else { return nil }
            return MailDirectoryView.Mailbox(
                id: id, address: box.address, unitID: box.unitID, unitType: unit.typeCode, unitPath: Set(unit.ancestorIDs + [box.unitID]),
                function: MailFunction(rawValue: box.function) ?? .staff, active: box.active && unit.state == .active, aliases: box.aliasList,
                forwardTo: box.forwardTo, keepCopy: box.keepCopy)
        }
        let members = Dictionary(grouping: try await MailGroupMember.query(on: db).all(), by: \.groupID)
        let rules = Dictionary(grouping: try await MailGroupRule.query(on: db).all(), by: \.groupID)
        let groups = try await MailGroup.query(on: db).all().compactMap { group -> MailDirectoryView.Group? in
            guard let id = group.id, let owner = unitByID[group.unitID] else { return nil }
            let own = members[id] ?? []
            return MailDirectoryView.Group(
                id: id, address: group.address, unitID: group.unitID, unitPath: Set(owner.ancestorIDs), mailboxIDs: own.compactMap(\.mailboxID),
                externals: own.map(\.externalAddress).filter { !$0.isEmpty }, nestedGroupIDs: own.compactMap(\.memberGroupID),
                rules: (rules[id] ?? []).map { rule in
                    MailDirectoryView.Rule(function: MailFunction(rawValue: rule.function) ?? .staff, unitType: rule.unitType.isEmpty ? nil : rule.unitType,
                                           withinUnitID: rule.withinUnitID)
                })
        }
        let rows = MailDirectoryView(mailboxes: boxes, groups: groups).aliasRows()
        try await MailAliasRow.query(on: db).delete()
        for batch in stride(from: 0, to: rows.count, by: 200) {
            let slice = rows[batch..<min(rows.count, batch + 200)].map { MailAliasRow(source: $0.source, destination: $0.destination) }
            try await slice.create(on: db)
        }
    }
}

extension MailService {
    struct Provisioned {
        let row: StaffRow
        let address: String
        /// Only for mailboxes made now: handed out once, never stored.
        let password: String?
    }

    /// Mailboxes for a staff list, all or nothing. Idempotent: a row whose wanted address, or
    /// (without one) whose name and department, already has a mailbox at the unit is left as is.
    static func provision(_ rows: [StaffRow], domain rawDomain: String, unit: ResolvedUnit, by actor: AuditActor,
                          hasher: AsyncPasswordHasher, on db: any Database) async throws -> (result: [Provisioned], errors: [ImportRowError]) {
        let domain = rawDomain.lowercased()
        let unitID = unit.id
        guard let record = try await MailDomainRecord.query(on: db).filter(\.$domain == domain).first(), record.unitID == unitID else {
            return ([], [ImportRowError(line: 0, message: "Đơn vị không có tên miền thư \(domain).")])
        }
        let existing = try await Mailbox.query(on: db).all()
        let groups = try await MailGroup.query(on: db).all()
        // A consultation's own address is taken too (its mail is filed as comments).
        let consultations = try await Consultation.query(on: db).filter(\.$unitID == unitID).all().map(\.receivingAddress)
        var taken = Set(existing.map(\.address) + groups.map(\.address) + existing.flatMap(\.aliasList) + consultations)
        let ownByAddress = Dictionary(existing.filter { $0.unitID == unitID }.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        let ownByPerson = Dictionary(existing.filter { $0.unitID == unitID }.map { (personKey($0.displayName, $0.department), $0) }, uniquingKeysWith: { a, _ in a })
        var errors: [ImportRowError] = []
        var plan: [(StaffRow, String, Bool)] = []  // row, address, create
        for row in rows {
            if !row.wantedLocalPart.isEmpty {
                let address = row.wantedLocalPart + "@" + domain
                if ownByAddress[address] != nil { plan.append((row, address, false)); continue }
                if taken.contains(address) { errors.append(ImportRowError(line: row.line, message: "địa chỉ \(address) đã được dùng ở nơi khác.")); continue }
                taken.insert(address)
                plan.append((row, address, true))
            } else if let known = ownByPerson[personKey(row.fullName, row.department)] {
                plan.append((row, known.address, false))
            } else {
                let base = LocalPart.fromName(row.fullName)
                guard !base.isEmpty else { errors.append(ImportRowError(line: row.line, message: "không tạo được tên hộp thư từ «\(row.fullName)».")); continue }
                let local = LocalPart.unique(base, taken: Set(taken.filter { $0.hasSuffix("@" + domain) }.map { String($0.dropLast(domain.count + 1)) }))
                let address = local + "@" + domain
                taken.insert(address)
                plan.append((row, address, true))
            }
        }
        guard errors.isEmpty else { return ([], errors) }
        var made: [Provisioned] = []
        var boxes: [Mailbox] = []
        for (row, address, create) in plan {
            guard create else { made.append(Provisioned(row: row, address: address, password: nil)); continue }
            let password = MailPasswordPolicy.generate()
            let box = newMailbox(
                unitID: unitID, address: address, displayName: row.fullName, function: MailFunction(title: row.title), title: row.title,
                department: row.department, passwordHash: try await hash(password, hasher: hasher), quotaMB: defaultQuotaMB, phone: row.phone)
            boxes.append(box)
            made.append(Provisioned(row: row, address: address, password: password))
        }
        // A list read again updates the phone numbers of the mailboxes it already made.
        let renumbered = plan.compactMap { row, address, create -> Mailbox? in
            guard !create, !row.phone.isEmpty, let box = ownByAddress[address], box.phone != row.phone else { return nil }
            box.phone = row.phone
            return box
        }
        let phones = Dictionary(plan.filter { !$0.0.phone.isEmpty }.map { ($0.1, $0.0.phone) }, uniquingKeysWith: { a, _ in a })
        let created = boxes, summary = "tạo \(boxes.count), đã có \(made.count - boxes.count)"
        try await db.transaction { tx in
            for box in created { try await box.create(on: tx) }
            for box in renumbered { try await box.save(on: tx) }
            // The leaders' contact page: a leader listed with one of these addresses and no phone gets it.
            for leader in try await Leader.query(on: tx).filter(\.$unitID == unitID).filter(\.$phone == "").all() {
                if let phone = phones[leader.email.lowercased()] {
                    leader.phone = phone
                    try await leader.save(on: tx)
                }
            }
            try await AuditEntry.record(actor, unitID: unitID, action: "mail.provision", target: domain,
                                        detail: summary, on: tx)
            try await rebuildAliasMap(on: tx)
        }
        return (made, [])
    }

    static func personKey(_ name: String, _ department: String) -> String {
        SearchFolding.fold(name) + "|" + SearchFolding.fold(department)
    }

    /// The sheet handed to the unit once: who got which address and first password.
    /// The first passwords, and per row what the import corrected (`notices`, by line).
    static func passwordSheet(_ provisioned: [Provisioned], notices: [ImportRowError] = []) throws -> Data {
        let noticeByLine = Dictionary(grouping: notices, by: \.line).mapValues { $0.map(\.message).joined(separator: " ") }
        var rows: [[XLSXWriter.Cell]] = [["Họ tên", "Chức vụ", "Bộ phận", "Địa chỉ thư", "Số điện thoại", "Mật khẩu ban đầu", "Ghi chú"]]
        for item in provisioned {
            var note = item.password == nil ? "Đã có hộp thư từ trước; mật khẩu không đổi." : "Đổi mật khẩu ở lần đăng nhập đầu."
            if let corrected = noticeByLine[item.row.line] { note += " Dòng \(item.row.line): \(corrected)" }
            rows.append([.text(item.row.fullName), .text(item.row.title), .text(item.row.department), .text(item.address),
                         .text(item.row.phone), .text(item.password ?? ""), .text(note)])
        }
        return try XLSXWriter.workbook(sheetName: "Hộp thư", rows: rows)
    }
}
