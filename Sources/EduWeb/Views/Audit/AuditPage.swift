import EduCore
import EduData
import Fluent
import Vapor

struct AuditPage: PageView {
    static let template = "admin/audit"

    struct Row {
        let at: String
        let actor: String
        let unit: String
        let action: String
        let target: String
        let detail: String
        let ip: String
    }

    let layout: LayoutVM
    let rows: [Row]
    let unitField: FormField
    let actionField: FormField
    let actorField: FormField
    let fromField: FormField
    let toField: FormField
    let pager: Pager
}

extension AuditPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext) async throws -> AuditPage {
        let roots = Permissions.roots(for: .viewAudit, in: admin.grants)
        guard !roots.isEmpty else { throw AppError.forbidden }
        let filters = (try? req.query.decode(AuditController.Filters.self)) ?? AuditController.Filters()

        // The units whose log this person may read: the subtrees of their audit roots.
        var visible: [OrgUnit] = []
        for root in roots {
            if let id = UUID(uuidString: root.id), let unit = try await OrgUnit.find(id, on: req.db) {
                visible += try await OrgUnit.subtree(of: unit, on: req.db)
            }
        }
        let names = Dictionary(visible.compactMap { u in u.id.map { ($0, u.name) } }, uniquingKeysWith: { a, _ in a })
        var unitIDs = Array(names.keys)
        let unitCode = TextNormalizer.normalize(filters.donVi ?? "", maxLength: 63).lowercased()
        if !unitCode.isEmpty {
            unitIDs = visible.filter { $0.code == unitCode }.compactMap(\.id)
        }

        // Entries tied to no unit (failed logins for addresses no account has, the operator's
        // CLI work) are the top unit's admins' to read.
        let seesUnplaced = unitCode.isEmpty && roots.contains { $0.ancestorIDs.isEmpty }
        let query = AuditEntry.query(on: req.db).group(.or) { group in
            group.filter(\.$unitID ~~ unitIDs.map { Optional($0) })
            if seesUnplaced { group.filter(\.$unitID == nil) }
        }
        let action = filters.hanhDong ?? ""
        if !action.isEmpty { query.filter(\.$action == action) }
        let actor = TextNormalizer.normalize(filters.nguoi ?? "", maxLength: 254).lowercased()
        if !actor.isEmpty { query.filter(\.$actor ~~ actor) }
        let from = AuditController.parseDate(filters.tu)
        let to = AuditController.parseDate(filters.den).map { $0.addingTimeInterval(24 * 3600) }
        if let from { query.filter(\.$at >= from) }
        if let to { query.filter(\.$at < to) }

        let total = try await query.copy().count()
        let paging = Paging(total: total, size: AuditController.pageSize, requested: filters.trang)
        let entries = try await query.sort(\.$at, .descending).range(paging.range).all()

        let labels = Dictionary(uniqueKeysWithValues: AuditController.actionLabels)
        let rows = entries.map { entry in
            AuditPage.Row(
                at: VietnameseDate.format(entry.at, "dd/MM/yyyy HH:mm:ss"), actor: entry.actor, unit: entry.unitID.map { names[$0] ?? "" } ?? "Toàn hệ thống",
                action: labels[entry.action] ?? entry.action, target: entry.target, detail: entry.detail, ip: entry.ip)
        }
        func pageURL(_ number: Int) -> String {
            var items: [URLQueryItem] = []
            if !unitCode.isEmpty { items.append(.init(name: "don-vi", value: unitCode)) }
            if !action.isEmpty { items.append(.init(name: "hanh-dong", value: action)) }
            if !actor.isEmpty { items.append(.init(name: "nguoi", value: actor)) }
            if let tu = filters.tu, from != nil { items.append(.init(name: "tu", value: tu)) }
            if let den = filters.den, to != nil { items.append(.init(name: "den", value: den)) }
            items.append(.init(name: "trang", value: String(number)))
            var components = URLComponents()
            components.path = SiteURL.adminAudit.path
            components.queryItems = items
            return components.string ?? SiteURL.adminAudit.path
        }
        let dateHint = "Ngày dạng dd/mm/yyyy."
        let page_ = AuditPage(
            layout: LayoutVM.make(req, title: "Nhật ký hệ thống", admin: true,
                                  breadcrumbs: [.init(label: "Quản trị", url: SiteURL.adminHome.path), .init(label: "Nhật ký", url: SiteURL.adminAudit.path)]),
            rows: rows,
            unitField: FormField(
                name: "don-vi", label: "Đơn vị", value: unitCode, type: "select",
                options: [.init(value: "", label: "Tất cả đơn vị được xem", selected: unitCode.isEmpty)]
                    + visible.prefix(2000).map { .init(value: $0.code, label: $0.name, selected: $0.code == unitCode) }),
            actionField: FormField(
                name: "hanh-dong", label: "Hành động", value: action, type: "select",
                options: [.init(value: "", label: "Tất cả", selected: action.isEmpty)]
                    + AuditController.actionLabels.map { .init(value: $0.0, label: $0.1, selected: $0.0 == action) }),
            actorField: FormField(name: "nguoi", label: "Người thực hiện (thư điện tử)", value: actor, type: "search"),
            fromField: FormField(
                name: "tu", label: "Từ ngày", value: filters.tu ?? "",
                error: (filters.tu ?? "").isEmpty || from != nil ? nil : "Ngày không hợp lệ.", hint: dateHint),
            toField: FormField(
                name: "den", label: "Đến ngày", value: filters.den ?? "",
                error: (filters.den ?? "").isEmpty || to != nil ? nil : "Ngày không hợp lệ.", hint: dateHint),
            pager: Pager(paging, url: pageURL))
        return page_
    }
}
