import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/don-vi/:code/chuyen-muc`: a unit's categories and their update deadlines (A11.2c).
struct CategoryController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.adminCategories(code: "").routePath, use: index)
        routes.post(SiteURL.adminCategories(code: "").routePath, use: save)
    }

    struct Page {
        struct Row {
            let id: String
            let name: String
            let nameField: String
            let intervalField: String
            let interval: String
            let nameID: String
            let intervalID: String
        }

        let layout: LayoutVM
        let unitName: String
        let rows: [Row]
        let action: String
        let error: String?
    }

    func page(_ req: Request, admin: AdminContext, unit: OrgUnit, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let categories = try await Category.list(unitID: try unit.requireID(), on: req.db)
        let path = SiteURL.adminCategories(code: unit.code).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Chuyên mục", url: path)])
        let page = Page(
            layout: LayoutVM.make(req, title: "Chuyên mục – \(unit.name)", admin: true, breadcrumbs: crumbs),
            unitName: unit.name,
            rows: categories.map {
                let id = $0.id!.uuidString
                return .init(id: id, name: $0.name, nameField: "name-" + id, intervalField: "interval-" + id,
                             interval: $0.updateIntervalDays.map(String.init) ?? "", nameID: "f-name-" + id, intervalID: "f-interval-" + id)
            },
            action: path, error: error)
        return req.theme.render("admin/categories", page, status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (admin, unit) = try await AdminController.unit(req, for: .publishContent)
        return try await page(req, admin: admin, unit: unit)
    }

    @Sendable func save(req: Request) async throws -> Response {
        let (admin, unit) = try await AdminController.unit(req, for: .publishContent)
        let form = try req.content.decode([String: String].self)
        let categories = try await Category.list(unitID: try unit.requireID(), on: req.db)
        var changes: [String] = []
        for category in categories {
            let id = category.id!.uuidString
            let name = TextNormalizer.normalize(form["name-" + id] ?? category.name, maxLength: 200)
            let rawInterval = TextNormalizer.normalize(form["interval-" + id] ?? "", maxLength: 10)
            guard !name.isEmpty else { return try await page(req, admin: admin, unit: unit, error: "Tên chuyên mục không được để trống.", status: .unprocessableEntity) }
            var interval: Int?
            if !rawInterval.isEmpty {
                guard let days = Int(rawInterval), (1...3650).contains(days) else {
                    return try await page(req, admin: admin, unit: unit, error: "Chu kỳ cập nhật của «\(name)» phải là số ngày từ 1 đến 3650, hoặc để trống.", status: .unprocessableEntity)
                }
                interval = days
            }
            if name != category.name || interval != category.updateIntervalDays {
                changes.append("\(name): \(interval.map { "\($0) ngày" } ?? "không hạn")")
                category.name = name
                category.updateIntervalDays = interval
            }
        }
        let changed = changes
        try await req.db.transaction { db in
            for category in categories { try await category.save(on: db) }
            try await OrgUnit.touch(unit.requireID(), on: db)
            if !changed.isEmpty {
                try await AuditEntry.record(on: db, user: admin.user, unitID: unit.id, action: "category.update", target: unit.name,
                                            detail: changed.joined(separator: "; "), ip: req.clientAddress)
            }
        }
        return req.redirect(to: SiteURL.adminCategories(code: unit.code).path + "?ok=categories-saved")
    }
}
