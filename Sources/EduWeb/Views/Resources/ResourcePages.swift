import EduCore
import EduData
import Fluent
import Vapor

/// `/tai-nguyen`: the unit's library (search, subject, grade, kind, pages) and, below it, the
/// matching items of the libraries above it (commune office, Sở) read through their API, each
/// saying where it lives; a library above that cannot be read is named, the page still answers.
struct ResourcesPage: PageView {
    static let template = "resources"
    static let pageSize = 20

    struct Row {
        let title: String
        let url: String
        let external: Bool
        let meta: String
        let place: String
    }

    struct Upstream {
        let heading: String
        let rows: [Row]
        let total: String
        let moreURL: String
        let failure: String
    }

    let layout: LayoutVM
    let unitName: String
    let action: String
    let queryField: FormField
    let subjectField: FormField
    let gradeField: FormField
    let kindField: FormField
    let rows: [Row]
    let pager: Pager
    let filtered: Bool
    let upstream: [Upstream]
    let ministryURL: String
}

extension ResourcesPage {
    static func meta(_ item: ResourceService.Item) -> String {
        [item.kindLabel, item.subject, item.gradeLabel, item.author].filter { !$0.isEmpty }.joined(separator: " · ")
    }

    static func query(_ req: Request, unit: ResolvedUnit) async throws -> ResourcesPage {
        let filter = ResourceService.Filter(QueryString.parse(req.url.query ?? ""))
        let total = try await ResourceService.published(in: unit, filter: filter, on: req.db).count()
        let requested = (try? req.query.get(Int.self, at: "trang")) ?? 1
        guard Paging.exists(requested, total: total, size: pageSize) else { throw AppError.notFound }
        let paging = Paging(total: total, size: pageSize, requested: requested)
        let own = try await ResourceService.listing(of: unit, filter: filter, range: paging.range.lowerBound..<(paging.range.lowerBound + paging.size), base: "", on: req.db)
        // The libraries above, nearest first, read through their API (never their database).
        var upstream: [Upstream] = []
        for ancestorID in unit.ancestorIDs.reversed() {
            guard let row = try await OrgUnit.find(ancestorID, on: req.db), row.state == .active else { continue }
            let ancestor = try await ResolvedUnit.resolve(row, on: req.db)
            let source = await req.application.resourceFederation.source(ancestor, filter: filter, origin: req.application.localOrigin,
                                                                       links: req.publicLinks, client: req.application.client)
            var components = URLComponents(string: source.libraryURL)
            components?.queryItems = filter.parameters.isEmpty ? nil : filter.parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
            upstream.append(Upstream(
                heading: "Từ thư viện của \(ancestor.name)",
                rows: (source.listing?.items ?? []).map { Row(title: $0.title, url: $0.url, external: true, meta: meta($0), place: "Tại thư viện của \(ancestor.name)") },
                total: source.listing.map { "\($0.total) tài nguyên khớp" } ?? "",
                moreURL: components?.string ?? source.libraryURL,
                failure: source.failure.map { "Không đọc được thư viện của \(ancestor.name) lúc này (\($0)); tài nguyên của \(unit.name) vẫn hiển thị ở trên." } ?? ""))
        }
        let options = { (values: [(String, String)], selected: String) -> [FormField.Option] in
            [.init(value: "", label: "Tất cả", selected: selected.isEmpty)] + values.map { .init(value: $0.0, label: $0.1, selected: $0.0 == selected) }
        }
        let grade = filter.grade.map(String.init) ?? ""
        func pageURL(_ number: Int) -> String {
            var components = URLComponents()
            components.path = SiteURL.resources.path
            components.queryItems = filter.parameters.map { URLQueryItem(name: $0.0, value: $0.1) } + [URLQueryItem(name: "trang", value: String(number))]
            return components.string ?? SiteURL.resources.path
        }
        return ResourcesPage(
            layout: LayoutVM.make(req, title: "Tài nguyên số", admin: false),
            unitName: unit.name, action: SiteURL.resources.path,
            queryField: FormField(name: "q", label: "Tìm tài nguyên (có dấu hoặc không dấu)", value: filter.query, type: "search", maxlength: 200),
            subjectField: FormField(name: "mon", label: "Môn học", value: filter.subject, type: "select", options: options(LearningResource.subjects.map { ($0, $0) }, filter.subject)),
            gradeField: FormField(name: "lop", label: "Lớp", value: grade, type: "select",
                                  options: options((0...12).map { (String($0), $0 == 0 ? "Không theo lớp" : "Lớp \($0)") }, grade)),
            kindField: FormField(name: "loai", label: "Loại", value: filter.kind, type: "select", options: options(LearningResource.Kind.allCases.map { ($0.rawValue, $0.label) }, filter.kind)),
            rows: own.items.map { Row(title: $0.title, url: $0.url, external: false, meta: meta($0), place: "") },
            pager: Pager(paging, url: pageURL), filtered: !filter.parameters.isEmpty, upstream: upstream,
            ministryURL: unit.parentID == nil ? req.config.ministryLibraryURL : "")
    }
}

/// `/tai-nguyen/<id>`: one item, its file or link.
struct ResourcePage: PageView {
    static let template = "resource"

    let layout: LayoutVM
    let title: String
    let facts: [ProcedurePage.Fact]
    let resourceURL: String
    let isFile: Bool
}

extension ResourcePage {
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> ResourcePage {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let resource = try await LearningResource.publicQuery(unitID: unit.id, on: req.db).filter(\.$id == id).first()
        else { throw AppError.notFound }
        let media = try await resource.mediaID.asyncMap { try await Media.find($0, on: req.db) } ?? nil
        let item = ResourceService.item(resource, base: "", media: media)
        let crumbs = [LayoutVM.Crumb(label: "Tài nguyên số", url: SiteURL.resources.path), .init(label: resource.title, url: item.url)]
        return ResourcePage(
            layout: LayoutVM.make(req, title: resource.title, admin: false, breadcrumbs: crumbs), title: resource.title,
            facts: [
                .init(label: "Loại", value: item.kindLabel, multiline: false), .init(label: "Môn học", value: item.subject, multiline: false),
                .init(label: "Lớp", value: item.gradeLabel, multiline: false), .init(label: "Tác giả", value: item.author, multiline: false),
                .init(label: "Đơn vị", value: unit.name, multiline: false), .init(label: "Mô tả", value: item.description, multiline: true),
                .init(label: "Ngày đăng", value: resource.publishedAt.map(VietnameseDate.day) ?? "", multiline: false),
            ].filter { !$0.value.isEmpty },
            resourceURL: item.resourceURL, isFile: media != nil)
    }
}

/// The unit's items in the admin, and an item's form with its workflow.
struct ResourcesAdminPage: PageView {
    static let template = "admin/resources"

    struct Row {
        let title: String
        let url: String
        let state: String
        let meta: String
    }

    let layout: LayoutVM
    let unitName: String
    let newURL: String
    let rows: [Row]
}

extension ResourcesAdminPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit) async throws -> ResourcesAdminPage {
        let base = SiteURL.adminResources(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Tài nguyên số", url: base)])
        var query = LearningResource.query(in: unit, on: req.db)
        // Contributors see their own items; reviewers every item of the unit.
        if !admin.may(.reviewContent, on: unit), let userID = admin.user.id { query = query.filter(\.$createdBy == userID) }
        return ResourcesAdminPage(
            layout: LayoutVM.make(req, title: "Tài nguyên số – \(unit.name)", admin: true, breadcrumbs: crumbs), unitName: unit.name,
            newURL: SiteURL.adminResourceNew(code: .value(unit.code)).path,
            rows: try await query.sort(\.$updatedAt, .descending).all().map { r in
                Row(title: r.title, url: SiteURL.adminResource(code: .value(unit.code), id: .value(r.id?.uuidString.lowercased() ?? "")).path,
                    state: r.state.label, meta: [r.subject, r.gradeLabel, r.authorName].joined(separator: " · "))
            })
    }
}

struct ResourceEditPage: PageView {
    static let template = "admin/resource"

    let layout: LayoutVM
    let heading: String
    let notice: String
    let form: FormPage?
    let state: String
    let fileName: String
    let workflow: WorkflowVM?
}

extension ResourceEditPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, resource: LearningResource?, input: ResourceService.Input,
                      errors: FormErrors = [:], transitionError: String? = nil) async throws -> ResourceEditPage {
        let base = SiteURL.adminResources(code: .value(unit.code)).path
        let id = resource?.id?.uuidString.lowercased()
        let token = req.csrfToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let action = (id.map { SiteURL.adminResource(code: .value(unit.code), id: .value($0)).path } ?? SiteURL.adminResourceNew(code: .value(unit.code)).path) + "?_csrf=" + token
        let heading = resource.map { "Tài nguyên: \($0.title)" } ?? "Thêm tài nguyên số"
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Tài nguyên số", url: base), .init(label: resource?.title ?? "Thêm", url: action),
        ])
        let layout = LayoutVM.make(req, title: heading, admin: true, breadcrumbs: crumbs)
        let mayEdit = admin.mayEdit(resource, in: unit)
        func options(_ values: [(String, String)], _ selected: String) -> [FormField.Option] {
            values.map { .init(value: $0.0, label: $0.1, selected: $0.0 == selected) }
        }
        let fields: [FormField] = [
            FormField(name: "title", label: "Tên tài nguyên", value: input.title, error: errors["title"], required: true),
            FormField(name: "kind", label: "Loại", value: input.kind, error: errors["kind"], type: "select", required: true,
                      options: options(LearningResource.Kind.allCases.map { ($0.rawValue, $0.label) }, input.kind)),
            FormField(name: "subject", label: "Môn học", value: input.subject, error: errors["subject"], type: "select", required: true,
                      options: options(LearningResource.subjects.map { ($0, $0) }, input.subject)),
            FormField(name: "grade", label: "Lớp", value: input.grade, error: errors["grade"], type: "select", required: true,
                      options: options((0...12).map { (String($0), $0 == 0 ? "Không theo lớp" : "Lớp \($0)") }, input.grade)),
            FormField(name: "description", label: "Mô tả", value: input.description, error: errors["description"], type: "textarea", maxlength: 5_000),
            FormField(name: "authorName", label: "Tác giả", value: input.authorName, error: errors["authorName"], hint: "Để trống: tên người gửi.", maxlength: 200),
            FormField(name: "linkURL", label: "Đường dẫn (nếu tài nguyên ở nơi khác)", value: input.linkURL, error: errors["linkURL"], hint: "https://…", type: "url", maxlength: 1000),
            FormField(name: "file", label: resource?.mediaID == nil ? "Tệp" : "Thay tệp", error: errors["file"],
                      hint: "PDF, Word, PowerPoint, Excel, ảnh; kiểm tra theo nội dung tệp.", type: "file", accept: ".pdf,.doc,.docx,.ppt,.pptx,.xls,.xlsx,.odt,.odp,.jpg,.png"),
        ]
        var fileName = ""
        if let mediaID = resource?.mediaID, let media = try await Media.find(mediaID, on: req.db) { fileName = media.originalName }
        let workflow = try await resource.asyncMap { item in
            try await WorkflowVM.make(item, admin: admin, unit: unit,
                                      transitionURL: SiteURL.adminResourceTransition(code: .value(unit.code), id: .value(try item.requireID().uuidString.lowercased())).path,
                                      error: transitionError, on: req.db)
        }
        return ResourceEditPage(
            layout: layout, heading: heading,
            notice: ["resource-saved": "Đã lưu; gửi duyệt để ban biên tập xem xét.", "resource-moved": "Đã chuyển bước trong quy trình duyệt."][req.textParameter("ok")] ?? "",
            form: mayEdit ? FormPage(layout: layout, heading: heading, intro: errors.form ?? (errors.isEmpty ? nil : "Chưa lưu: sửa các ô được chỉ ra."),
                                     action: action, submitLabel: "Lưu", fields: fields, cancelURL: base) : nil,
            state: resource?.state.label ?? ContentState.nhap.label, fileName: fileName, workflow: workflow)
    }
}
