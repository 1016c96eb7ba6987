import EduCore
import EduData
import EduImport
import EduMail
import Fluent
import Vapor

/// A unit's mail directory in the admin: its domains, mailboxes and groups, provisioning from a
/// staff list (the first-password sheet is the response, handed out once), and mailbox changes.
/// Only the unit's admins and email focal people (`manageMail`, their subtree) reach it.
struct MailAdminController {
    static let uploadBody = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(value: 20 << 20))

    func register(_ units: UnitRoutes) {
        units.get(.adminMail(code: .key), requires: .manageMail, use: index)
        units.post(.adminMailImport(code: .key), requires: .manageMail, body: Self.uploadBody, use: importStaff)
        units.post(.adminMailbox(code: .key, id: .key), requires: .manageMail, use: updateMailbox)
        units.post(.adminMailRegistration(code: .key), requires: .manageMail, use: register)
        units.post(.adminMailDomains(code: .key), requires: .manageMail, use: addDomain)
        units.post(.adminMailboxes(code: .key), requires: .manageMail, use: addMailbox)
        units.post(.adminMailGroups(code: .key), requires: .manageMail, use: addGroup)
        units.post(.adminMailDecision(code: .key, id: .key), requires: .manageMail, use: decide)
    }

    func page(_ req: Request, admin: AdminContext, unit: ResolvedUnit, errors: [ImportRowError] = [], message: String? = nil,
              status: HTTPResponseStatus = .ok) async throws -> Response {
        req.render(try await MailAdminPage.query(req, admin: admin, unit: unit, errors: errors, message: message), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return try await page(req, admin: admin, unit: unit)
    }

    struct ImportForm: Content {
        var file: File?
    }

    /// Provisions a staff list; the answer is the first-password sheet (never stored).
    @Sendable func importStaff(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard let form = try? req.content.decode(ImportForm.self), let file = form.file, file.data.readableBytes > 0 else {
            return try await page(req, admin: admin, unit: unit, errors: [ImportRowError(line: 0, message: "Chọn tệp danh sách cán bộ (.xlsx hoặc .csv).")],
                                  status: .badRequest)
        }
        guard !unit.mailDomain.isEmpty else {
            return try await page(req, admin: admin, unit: unit, errors: [ImportRowError(line: 0, message: "Đơn vị chưa có tên miền thư.")], status: .unprocessableEntity)
        }
        let outcome = StaffListImporter.run(bytes: Array(file.data.readableBytesView), domain: unit.mailDomain)
        guard outcome.isClean else { return try await page(req, admin: admin, unit: unit, errors: outcome.errors, status: .unprocessableEntity) }
        let (result, errors) = try await MailService.provision(outcome.rows, domain: unit.mailDomain, unit: unit, by: req.actor(admin), hasher: req.password.async, on: req.db)
        guard errors.isEmpty else { return try await page(req, admin: admin, unit: unit, errors: errors, status: .unprocessableEntity) }
        let sheet = try MailService.passwordSheet(result, notices: outcome.notices)
        return .xlsx(sheet, filename: "mat-khau-ban-dau-\(unit.code)")
    }

    @Sendable func updateMailbox(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard let box = try await Mailbox.find(req.parameters.get("id").flatMap(UUID.init(uuidString:)), in: unit, on: req.db) else {
            throw AppError.notFound
        }
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        if form["action"] == "reset" {
            let password = try await MailService.resetPassword(box, to: nil, by: req.actor(admin),
                                                               hasher: req.password.async, on: req.db)
            return try await page(req, admin: admin, unit: unit, message: "Mật khẩu mới của \(box.address): \(password) (chỉ hiện một lần; hãy trao trực tiếp cho người dùng).")
        }
        var change = MailService.MailboxChange()
        change.function = form["function"].flatMap(MailFunction.init(rawValue:))
        if let state = form["state"] { change.active = state == "active" }
        if let forward = form["forwardTo"] { change.forwardTo = forward }
        if let aliases = form["aliases"] { change.aliases = aliases.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " || $0 == "\n" }).map(String.init) }
        if let quota = form["quotaMB"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) { change.quotaMB = quota }
        do {
            try await MailService.update(box, change, by: req.actor(admin), on: req.db)
        } catch let errors as FormErrors {
            return try await page(req, admin: admin, unit: unit, errors: errors.messagesWithoutFields.map { ImportRowError(line: 0, message: $0) }, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminMail(code: .value(unit.code)).path)
    }

    @Sendable func register(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        do {
            guard let groupID = form["group"].flatMap(UUID.init(uuidString:)) else {
                throw FormErrors.field("group", "Chọn nhóm thư của cấp trên.")
            }
            _ = try await MailService.requestRegistration(unit: unit, groupID: groupID, address: form["address"] ?? "", note: form["note"] ?? "",
                                                          by: req.actor(admin), on: req.db)
        } catch let errors as FormErrors {
            return try await page(req, admin: admin, unit: unit, errors: errors.messagesWithoutFields.map { ImportRowError(line: 0, message: $0) }, status: .unprocessableEntity)
        }
        return try await page(req, admin: admin, unit: unit, message: "Đã gửi yêu cầu đăng ký; đơn vị cấp trên sẽ duyệt.")
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let request = try await MailRegistrationRequest.find(id, on: req.db) else {
            throw AppError.notFound
        }
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        do {
            try await MailService.decide(request, approve: form["decision"] == "approve", owner: unit, by: req.actor(admin), on: req.db)
        } catch let errors as FormErrors {
            return try await page(req, admin: admin, unit: unit, errors: errors.messagesWithoutFields.map { ImportRowError(line: 0, message: $0) }, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminMail(code: .value(unit.code)).path)
    }

    @Sendable func addDomain(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let outcome: MailService.DomainOutcome
        do {
            outcome = try await MailService.addDomain(
                form["domain"] ?? "", unit: unit, names: NameService.authority(admin, over: unit), baseDomain: req.config.baseDomain,
                by: req.actor(admin), on: req.db)
        } catch let errors as FormErrors {
            return try await page(req, admin: admin, unit: unit, errors: errors.messagesWithoutFields.map { ImportRowError(line: 0, message: $0) }, status: .unprocessableEntity)
        }
        if case .requested = outcome { return req.redirect(to: SiteURL.adminMail(code: .value(unit.code)).path + "?ok=name-requested") }
        return req.redirect(to: SiteURL.adminMail(code: .value(unit.code)).path + "?ok=domain-added")
    }

    /// A new mailbox; its first password is shown once on the answer page.
    @Sendable func addMailbox(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        do {
            let input = MailService.MailboxInput(
                localPart: (form["localPart"] ?? "").trimmingCharacters(in: .whitespaces), domain: form["domain"] ?? "", displayName: form["displayName"] ?? "",
                function: form["function"].flatMap(MailFunction.init(rawValue:)) ?? .staff, title: form["title"] ?? "", department: form["department"] ?? "")
            let (box, password) = try await MailService.createMailbox(input, password: nil, unit: unit, by: req.actor(admin), hasher: req.password.async, on: req.db)
            return try await page(req, admin: admin, unit: unit,
                                  message: "Đã tạo hộp thư \(box.address). Mật khẩu ban đầu: \(password ?? "") (chỉ hiện một lần).")
        } catch let errors as FormErrors {
            return try await page(req, admin: admin, unit: unit, errors: errors.messagesWithoutFields.map { ImportRowError(line: 0, message: $0) }, status: .unprocessableEntity)
        }
    }

    /// A group: static members (one address per line) and at most one rule from the form.
    @Sendable func addGroup(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        var rules: [MailDirectoryView.Rule] = []
        if let function = form["ruleFunction"].flatMap(MailFunction.init(rawValue:)) {
            let type = form["ruleUnitType"].flatMap { UnitType(rawValue: $0)?.rawValue }
            rules.append(.init(function: function, unitType: type, withinUnitID: form["ruleWithin"] != nil ? unit.id : nil))
        }
        let members = (form["members"] ?? "").split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == ";" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        do {
            _ = try await MailService.createGroup(
                .init(localPart: (form["localPart"] ?? "").trimmingCharacters(in: .whitespaces), domain: form["domain"] ?? "", name: form["name"] ?? "",
                      description: form["description"] ?? "", posting: form["posting"] ?? "members", owners: [admin.user.email], members: members, rules: rules),
                unit: unit, by: req.actor(admin), on: req.db)
        } catch let errors as FormErrors {
            return try await page(req, admin: admin, unit: unit, errors: errors.messagesWithoutFields.map { ImportRowError(line: 0, message: $0) }, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminMail(code: .value(unit.code)).path)
    }
}
