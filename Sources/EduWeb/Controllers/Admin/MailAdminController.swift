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

    struct Page {
        struct Box {
            let address: String
            let name: String
            let function: String
            let state: String
            let active: Bool
            let forward: String
            let aliases: String
            let quotaMB: Int
            let action: String
            let options: [FormField.Option]
        }

        struct Group {
            let address: String
            let name: String
            let recipients: Int
            let rules: String
        }


        let layout: LayoutVM
        let unitName: String
        let domains: [String]
        let boxes: [Box]
        let groups: [Group]
        struct Option {
            let value: String
            let label: String
        }

        struct Pending {
            let group: String
            let address: String
            let note: String
            let by: String
            let at: String
            let action: String
        }

        let importAction: String
        let errors: [ImportErrorRow]
        let message: String?
        let registerAction: String
        let domainAction: String
        let mailboxAction: String
        let groupAction: String
        let functionOptions: [Option]
        let typeOptions: [Option]
        let domainOptions: [Option]
        let groupsAbove: [Option]
        let ownAddresses: [Option]
        let pending: [Pending]
    }

    func page(_ req: Request, admin: AdminContext, unit: ResolvedUnit, errors: [ImportRowError] = [], message: String? = nil,
              status: HTTPResponseStatus = .ok) async throws -> Response {
        let unitID = unit.id
        let domains = try await MailDomainRecord.query(on: req.db).filter(\.$unitID == unitID).sort(\.$domain).all()
        let boxes = try await Mailbox.query(on: req.db).filter(\.$unitID == unitID).sort(\.$address).all()
        let groups = try await MailGroup.query(on: req.db).filter(\.$unitID == unitID).sort(\.$address).all()
        let rules = try await MailGroupRule.query(on: req.db).filter(\.$groupID ~~ groups.compactMap(\.id)).all()
        let above = try await MailService.groupsAbove(unit, on: req.db)
        let pending = try await MailService.pendingRequests(for: unit, on: req.db)
        let counts = Dictionary(grouping: try await MailAliasRow.query(on: req.db).filter(\.$source ~~ groups.map(\.address)).all(), by: \.source).mapValues(\.count)
        let base = SiteURL.adminMail(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Thư điện tử", url: base)])
        let view = Page(
            layout: LayoutVM.make(req, title: "Thư điện tử – \(unit.name)", admin: true, breadcrumbs: crumbs), unitName: unit.name,
            domains: domains.map(\.domain),
            boxes: try boxes.map { box in
                let function = MailFunction(rawValue: box.function) ?? .staff
                return Page.Box(
                    address: box.address, name: box.displayName, function: function.label,
                    state: box.active ? "Đang dùng" : "Đã khóa" + (box.deleteAfter.map { ", xóa sau \(VietnameseDate.day($0))" } ?? ""),
                    active: box.active, forward: box.forwardTo, aliases: box.aliasList.joined(separator: ", "), quotaMB: box.quotaMB,
                    action: SiteURL.adminMailbox(code: .value(unit.code), id: .value(try box.requireID().uuidString.lowercased())).path,
                    options: MailFunction.allCases.map { FormField.Option(value: $0.rawValue, label: $0.label, selected: $0 == function) })
            },
            groups: groups.map { group in
                let own = rules.filter { $0.groupID == group.id }
                return Page.Group(
                    address: group.address, name: group.name, recipients: counts[group.address] ?? 0,
                    rules: own.map { rule in
                        (MailFunction(rawValue: rule.function)?.label ?? rule.function) + (rule.unitType.isEmpty ? "" : " · " + (UnitType(rawValue: rule.unitType)?.label ?? rule.unitType))
                    }.joined(separator: "; "))
            },
            importAction: SiteURL.adminMailImport(code: .value(unit.code)).path,
            errors: errors.map(ImportErrorRow.init), message: message,
            registerAction: SiteURL.adminMailRegistration(code: .value(unit.code)).path,
            domainAction: SiteURL.adminMailDomains(code: .value(unit.code)).path, mailboxAction: SiteURL.adminMailboxes(code: .value(unit.code)).path,
            groupAction: SiteURL.adminMailGroups(code: .value(unit.code)).path,
            functionOptions: MailFunction.allCases.map { Page.Option(value: $0.rawValue, label: $0.label) },
            typeOptions: [Page.Option(value: "", label: "Mọi loại đơn vị")] + UnitType.allCases.map { Page.Option(value: $0.rawValue, label: $0.label) },
            domainOptions: domains.map { Page.Option(value: $0.domain, label: $0.domain) },
            groupsAbove: try above.map { Page.Option(value: try $0.requireID().uuidString.lowercased(), label: "\($0.address) – \($0.name)") },
            ownAddresses: boxes.filter(\.active).map { Page.Option(value: $0.address, label: "\($0.address) – \($0.displayName)") },
            pending: try pending.map { request, group in
                Page.Pending(group: group.address, address: request.address, note: request.note, by: request.requestedBy,
                             at: VietnameseDate.dateTime(request.createdAt),
                             action: SiteURL.adminMailDecision(code: .value(unit.code), id: .value(try request.requireID().uuidString.lowercased())).path)
            })
        return req.theme.render("admin/mail", view, status: status)
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
        let sheet = try MailService.passwordSheet(result)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"mat-khau-ban-dau-\(unit.code).xlsx\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: sheet))
    }

    @Sendable func updateMailbox(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let box = try await Mailbox.find(id, on: req.db), box.unitID == unit.id else {
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
        } catch let failure as MailService.Failure {
            return try await page(req, admin: admin, unit: unit, errors: [ImportRowError(line: 0, message: failure.message)], status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminMail(code: .value(unit.code)).path)
    }

    @Sendable func register(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        do {
            guard let groupID = form["group"].flatMap(UUID.init(uuidString:)) else {
                throw MailService.Failure(field: "group", message: "Chọn nhóm thư của cấp trên.")
            }
            _ = try await MailService.requestRegistration(unit: unit, groupID: groupID, address: form["address"] ?? "", note: form["note"] ?? "",
                                                          by: req.actor(admin), on: req.db)
        } catch let failure as MailService.Failure {
            return try await page(req, admin: admin, unit: unit, errors: [ImportRowError(line: 0, message: failure.message)], status: .unprocessableEntity)
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
        } catch let failure as MailService.Failure {
            return try await page(req, admin: admin, unit: unit, errors: [ImportRowError(line: 0, message: failure.message)], status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminMail(code: .value(unit.code)).path)
    }

    @Sendable func addDomain(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        do {
            _ = try await MailService.addDomain(form["domain"] ?? "", unit: unit, by: req.actor(admin), on: req.db)
        } catch let failure as MailService.Failure {
            return try await page(req, admin: admin, unit: unit, errors: [ImportRowError(line: 0, message: failure.message)], status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminMail(code: .value(unit.code)).path)
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
        } catch let failure as MailService.Failure {
            return try await page(req, admin: admin, unit: unit, errors: [ImportRowError(line: 0, message: failure.message)], status: .unprocessableEntity)
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
        } catch let failure as MailService.Failure {
            return try await page(req, admin: admin, unit: unit, errors: [ImportRowError(line: 0, message: failure.message)], status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminMail(code: .value(unit.code)).path)
    }
}
