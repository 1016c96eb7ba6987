import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/don-vi/:code/gioi-thieu…`: the unit's introduction pages, leaders and departments.
/// The official introduction is the editorial head's to change (publishContent).
struct IntroController {
    func register(_ units: UnitRoutes) {
        units.get(.adminIntro(code: .key), requires: .publishContent, use: overview)
        units.post(.adminIntro(code: .key), requires: .publishContent, use: addPage)
        units.get(.adminIntroPage(code: .key, slug: .key), requires: .publishContent, use: editPage)
        units.post(.adminIntroPage(code: .key, slug: .key), requires: .publishContent, use: savePage)
        units.post(.adminLeaders(code: .key), requires: .publishContent, use: saveLeader)
        units.post(.adminDepartments(code: .key), requires: .publishContent, use: saveDepartment)
    }

    static func leaderFields(_ leader: Leader?, images: [Media], errors: FormErrors = [:], prefix: String) -> [FormField] {
        let photo = FormField(
            name: prefix + "photo", label: "Ảnh chân dung", value: leader?.photoMediaID?.uuidString ?? "", type: "select",
            options: [.init(value: "", label: "— Không có ảnh —", selected: leader?.photoMediaID == nil)]
                + images.map { .init(value: $0.id!.uuidString, label: $0.title, selected: $0.id == leader?.photoMediaID) })
        let fields: [FormField] = [
            FormField(name: prefix + "fullName", label: "Họ và tên", value: leader?.fullName ?? "", error: errors["fullName"], required: true),
            FormField(name: prefix + "title", label: "Chức vụ", value: leader?.title ?? "", error: errors["title"], required: true),
            FormField(name: prefix + "phone", label: "Điện thoại", value: leader?.phone ?? "", error: errors["phone"], type: "tel"),
            FormField(name: prefix + "email", label: "Thư điện tử", value: leader?.email ?? "", error: errors["email"], type: "email"),
            FormField(name: prefix + "duties", label: "Nhiệm vụ được phân công", value: leader?.duties ?? "", type: "textarea", maxlength: 3000),
            FormField(name: prefix + "position", label: "Thứ tự hiển thị", value: String(leader?.position ?? 0), type: "number"),
            photo,
        ]
        return fields.map { FormField(name: $0.name, label: $0.label, value: $0.value, error: $0.error, type: $0.type, required: $0.required,
                                      options: $0.options, maxlength: $0.maxlength, idPrefix: "leader-") }
    }

    static func departmentFields(_ department: Department?, errors: FormErrors = [:], prefix: String) -> [FormField] {
        let fields: [FormField] = [
            FormField(name: prefix + "name", label: "Tên phòng, ban, tổ", value: department?.name ?? "", error: errors["name"], required: true),
            FormField(name: prefix + "functions", label: "Chức năng, nhiệm vụ", value: department?.functions ?? "", type: "textarea", maxlength: 5000),
            FormField(name: prefix + "headName", label: "Người phụ trách", value: department?.headName ?? ""),
            FormField(name: prefix + "phone", label: "Điện thoại", value: department?.phone ?? "", error: errors["phone"], type: "tel"),
            FormField(name: prefix + "email", label: "Thư điện tử", value: department?.email ?? "", error: errors["email"], type: "email"),
            FormField(name: prefix + "position", label: "Thứ tự hiển thị", value: String(department?.position ?? 0), type: "number"),
        ]
        return fields.map { FormField(name: $0.name, label: $0.label, value: $0.value, error: $0.error, type: $0.type, required: $0.required,
                                      maxlength: $0.maxlength, idPrefix: "department-") }
    }

    @Sendable func overview(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await IntroAdminPage.query(req, admin: admin, unit: unit))
    }

    /// Adds an introduction page (e.g. "Thành tích", "Cơ sở vật chất") under the introduction.
    @Sendable func addPage(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let title = (try? req.content.get(String.self, at: "title")) ?? ""
        let slug = try await IntroService.addPage(title: title, unit: unit, by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminIntroPage(code: .value(unit.code), slug: .value(slug)).path)
    }

    struct PageForm {
        let layout: LayoutVM
        let form: FormPage
    }

    func pageForm(_ req: Request, admin: AdminContext, unit: ResolvedUnit, page: IntroPage, title: String, body: String, published: Bool,
                  errors: FormErrors = [:], status: HTTPResponseStatus = .ok) async throws -> Response {
        let path = SiteURL.adminIntroPage(code: .value(unit.code), slug: .value(page.slug)).path
        let crumbs = try await AdminController.breadcrumbs(
            req, admin: admin, unit: unit,
            extra: [.init(label: "Giới thiệu", url: SiteURL.adminIntro(code: .value(unit.code)).path), .init(label: page.title, url: path)])
        let layout = LayoutVM.make(req, title: "\(page.title) – \(unit.name)", admin: true, breadcrumbs: crumbs)
        let form = FormPage(
            layout: layout, heading: page.title, intro: nil, action: path, submitLabel: "Lưu",
            fields: [
                FormField(name: "title", label: "Tiêu đề", value: title, error: errors["title"], required: true),
                FormField(name: "body", label: "Nội dung", value: body, error: errors["body"], type: "richtext", maxlength: 500_000),
                FormField(name: "published", label: "Hiển thị trên cổng thông tin", type: "checkbox", checked: published),
            ],
            cancelURL: SiteURL.adminIntro(code: .value(unit.code)).path)
        return req.render(form, status: status)
    }

    static func page(_ req: Request, unit: ResolvedUnit) async throws -> IntroPage {
        _ = try await IntroService.ensurePages(for: unit, on: req.db)
        guard let slug = req.parameters.get("slug"), let page = try await IntroService.page(unitID: unit.id, slug: slug, on: req.db) else {
            throw AppError.notFound
        }
        return page
    }

    @Sendable func editPage(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let page = try await Self.page(req, unit: unit)
        return try await pageForm(req, admin: admin, unit: unit, page: page, title: page.title, body: page.bodyHTML, published: page.published)
    }

    @Sendable func savePage(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let page = try await Self.page(req, unit: unit)
        let input = IntroService.PageInput(form: try req.content.decode([String: String].self))
        do {
            try await IntroService.savePage(page, input, by: req.actor(admin), on: req.db)
        } catch let errors as FormErrors {
            return try await pageForm(req, admin: admin, unit: unit, page: page, title: input.title, body: input.bodyHTML,
                                      published: input.published, errors: errors, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminIntro(code: .value(unit.code)).path + "?ok=page-saved")
    }

    /// Adds, updates or deletes a leader (`intent` = `save` or `delete`).
    @Sendable func saveLeader(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = try req.content.decode([String: String].self)
        try await IntroService.saveLeader(
            id: form["id"].flatMap(UUID.init(uuidString:)), form: form, delete: form["intent"] == "delete", unit: unit,
            by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminIntro(code: .value(unit.code)).path + "?ok=leaders-saved")
    }

    /// Adds, updates or deletes a department (`intent` = `save` or `delete`).
    @Sendable func saveDepartment(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = try req.content.decode([String: String].self)
        try await IntroService.saveDepartment(
            id: form["id"].flatMap(UUID.init(uuidString:)), form: form, delete: form["intent"] == "delete", unit: unit,
            by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminIntro(code: .value(unit.code)).path + "?ok=departments-saved")
    }
}
