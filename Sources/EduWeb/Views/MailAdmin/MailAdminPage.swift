import EduCore
import EduData
import EduImport
import EduMail
import Fluent
import Vapor

struct MailAdminPage: PageView {
    static let template = "admin/mail"

    struct Box {
        let address: String
        let name: String
        let function: String
        /// "0912 345 678"-style as stored ("0912345678"), and the tel: link (E.164).
        let phone: String
        let phoneLink: String
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

extension MailAdminPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, errors: [ImportRowError] = [], message: String? = nil) async throws -> MailAdminPage {
        let unitID = unit.id
        let domains = try await MailDomainRecord.query(in: unitID, on: req.db).sort(\.$domain).all()
        let boxes = try await Mailbox.query(in: unitID, on: req.db).sort(\.$address).all()
        let groups = try await MailGroup.query(in: unitID, on: req.db).sort(\.$address).all()
        let rules = try await MailGroupRule.query(on: req.db).filter(\.$groupID ~~ groups.compactMap(\.id)).all()
        let above = try await MailService.groupsAbove(unit, on: req.db)
        let pending = try await MailService.pendingRequests(for: unit, on: req.db)
        let counts = Dictionary(grouping: try await MailAliasRow.query(on: req.db).filter(\.$source ~~ groups.map(\.address)).all(), by: \.source).mapValues(\.count)
        let base = SiteURL.adminMail(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Thư điện tử", url: base)])
        let view = MailAdminPage(
            layout: LayoutVM.make(req, title: "Thư điện tử – \(unit.name)", admin: true, breadcrumbs: crumbs), unitName: unit.name,
            domains: domains.map(\.domain),
            boxes: try boxes.map { box in
                let function = MailFunction(rawValue: box.function) ?? .staff
                return MailAdminPage.Box(
                    address: box.address, name: box.displayName, function: function.label,
                    phone: box.phone, phoneLink: box.phone.isEmpty ? "" : "tel:" + PhoneNumber.e164(box.phone),
                    state: box.active ? "Đang dùng" : "Đã khóa" + (box.deleteAfter.map { ", xóa sau \(VietnameseDate.day($0))" } ?? ""),
                    active: box.active, forward: box.forwardTo, aliases: box.aliasList.joined(separator: ", "), quotaMB: box.quotaMB,
                    action: SiteURL.adminMailbox(code: .value(unit.code), id: .value(try box.requireID().uuidString.lowercased())).path,
                    options: MailFunction.allCases.map { FormField.Option(value: $0.rawValue, label: $0.label, selected: $0 == function) })
            },
            groups: groups.map { group in
                let own = rules.filter { $0.groupID == group.id }
                return MailAdminPage.Group(
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
            functionOptions: MailFunction.allCases.map { MailAdminPage.Option(value: $0.rawValue, label: $0.label) },
            typeOptions: [MailAdminPage.Option(value: "", label: "Mọi loại đơn vị")] + UnitType.allCases.map { MailAdminPage.Option(value: $0.rawValue, label: $0.label) },
            domainOptions: domains.map { MailAdminPage.Option(value: $0.domain, label: $0.domain) },
            groupsAbove: try above.map { MailAdminPage.Option(value: try $0.requireID().uuidString.lowercased(), label: "\($0.address) – \($0.name)") },
            ownAddresses: boxes.filter(\.active).map { MailAdminPage.Option(value: $0.address, label: "\($0.address) – \($0.displayName)") },
            pending: try pending.map { request, group in
                MailAdminPage.Pending(group: group.address, address: request.address, note: request.note, by: request.requestedBy,
                             at: VietnameseDate.dateTime(request.createdAt),
                             action: SiteURL.adminMailDecision(code: .value(unit.code), id: .value(try request.requireID().uuidString.lowercased())).path)
            })
        return view
    }
}
