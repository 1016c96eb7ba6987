import EduCore
import EduData
import Fluent
import Vapor

/// `/thu-tuc-hanh-chinh`: the unit's published procedures, searched with or without diacritics
/// and filtered by field and level of online service, 20 a page.
struct ProceduresPage: PageView {
    static let template = "procedures"
    static let pageSize = 20

    struct Row {
        let code: String
        let name: String
        let url: String
        let field: String
        let level: String
    }

    let layout: LayoutVM
    let action: String
    let queryField: FormField
    let fieldField: FormField
    let levelField: FormField
    let rows: [Row]
    let pager: Pager
    let filtered: Bool
}

extension ProceduresPage {
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> ProceduresPage {
        let filter = ProcedureService.Filter(query: TextNormalizer.normalize(req.textParameter("q"), maxLength: 200),
                                             field: req.textParameter("linh-vuc"), level: req.textParameter("muc-do"))
        let total = try await ProcedureService.published(in: unit, filter: filter, on: req.db).count()
        let requested = (try? req.query.get(Int.self, at: "trang")) ?? 1
        guard Paging.exists(requested, total: total, size: pageSize) else { throw AppError.notFound }
        let paging = Paging(total: total, size: pageSize, requested: requested)
        let shown = try await ProcedureService.published(in: unit, filter: filter, on: req.db).sort(\.$field).sort(\.$name)
            .range(paging.range.lowerBound..<(paging.range.lowerBound + paging.size)).all()
        let fields = Set(try await Procedure.query(in: unit, on: req.db).filter(\.$publishedAt != nil).all().map(\.field)).sorted()
        func options(_ values: [(String, String)], _ selected: String) -> [FormField.Option] {
            [.init(value: "", label: "Tất cả", selected: selected.isEmpty)] + values.map { .init(value: $0.0, label: $0.1, selected: $0.0 == selected) }
        }
        func pageURL(_ number: Int) -> String {
            var components = URLComponents()
            components.path = SiteURL.procedures.path
            components.queryItems = [("q", filter.query), ("linh-vuc", filter.field), ("muc-do", filter.level)]
                .filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) } + [URLQueryItem(name: "trang", value: String(number))]
            return components.string ?? SiteURL.procedures.path
        }
        return ProceduresPage(
            layout: LayoutVM.make(req, title: "Thủ tục hành chính", admin: false),
            action: SiteURL.procedures.path,
            queryField: FormField(name: "q", label: "Tìm thủ tục (tên, mã, lĩnh vực; có dấu hoặc không dấu)", value: filter.query, type: "search", maxlength: 200),
            fieldField: FormField(name: "linh-vuc", label: "Lĩnh vực", value: filter.field, type: "select", options: options(fields.map { ($0, $0) }, filter.field)),
            levelField: FormField(name: "muc-do", label: "Mức độ dịch vụ công", value: filter.level, type: "select",
                                  options: options(ProcedureLevel.allCases.map { ($0.rawValue, $0.label) }, filter.level)),
            rows: shown.map { p in
                Row(code: p.code, name: p.name, url: SiteURL.procedure(id: .value(p.id?.uuidString.lowercased() ?? "")).path, field: p.field,
                    level: ProcedureLevel(rawValue: p.serviceLevel)?.label ?? p.serviceLevel)
            },
            pager: Pager(paging, url: pageURL),
            filtered: !filter.query.isEmpty || !filter.field.isEmpty || !filter.level.isEmpty)
    }
}

/// `/thu-tuc-hanh-chinh/<id>`: one procedure, every field the decree asks for, its forms, the
/// link to submit it online, the document that changed it, and for admissions the unit's plans.
struct ProcedurePage: PageView {
    static let template = "procedure"

    struct Fact {
        let label: String
        let value: String
        let multiline: Bool
    }

    struct Link {
        let label: String
        let url: String
        let detail: String
    }

    let layout: LayoutVM
    let name: String
    let code: String
    let level: String
    let facts: [Fact]
    let submitURL: String
    let files: [Link]
    let amendedBy: Link?
    let admissionPlans: [Link]
    let admissionsURL: String
}

extension ProcedurePage {
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> ProcedurePage {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let procedure = try await Procedure.query(in: unit, on: req.db).filter(\.$id == id).filter(\.$publishedAt != nil).first()
        else { throw AppError.notFound }
        let facts: [Fact] = [
            .init(label: "Mã thủ tục", value: procedure.code, multiline: false),
            .init(label: "Lĩnh vực", value: procedure.field, multiline: false),
            .init(label: "Mức độ dịch vụ công", value: ProcedureLevel(rawValue: procedure.serviceLevel)?.label ?? "", multiline: false),
            .init(label: "Đối tượng thực hiện", value: procedure.applicants, multiline: true),
            .init(label: "Thành phần, số lượng hồ sơ", value: procedure.dossier, multiline: true),
            .init(label: "Thời hạn giải quyết", value: procedure.processingTime, multiline: false),
            .init(label: "Phí, lệ phí", value: procedure.fees.isEmpty ? "Không" : procedure.fees, multiline: true),
            .init(label: "Cách thức, địa điểm thực hiện", value: procedure.place, multiline: true),
            .init(label: "Người xử lý", value: procedure.handlerName, multiline: false),
            .init(label: "Liên hệ", value: procedure.handlerContact, multiline: false),
            .init(label: "Căn cứ pháp lý", value: procedure.legalBasis, multiline: true),
        ].filter { !$0.value.isEmpty }
        let files = try await AttachedFiles.links(ProcedureFile.self, owner: id, on: req.db)
        var amendedBy: Link?
        if let documentID = procedure.amendedByID,
           let document = try await LegalDocument.publicQuery(unitID: unit.id, on: req.db).filter(\.$id == documentID).first() {
            amendedBy = Link(label: "\(document.docType) \(document.number)", url: SiteURL.document(id: .value(documentID.uuidString.lowercased())).path,
                             detail: document.summary)
        }
        // Admission procedures lead to the unit's admission plans (A8.4 with A9.4).
        var plans: [Link] = []
        if SearchFolding.foldWords(procedure.field + " " + procedure.name).contains("tuyen sinh") {
            plans = try await AdmissionService.plans(covering: unit.id, on: req.db).prefix(5)
                .map { Link(label: $0.title, url: SiteURL.admissionPlan(id: .value($0.id?.uuidString.lowercased() ?? "")).path, detail: "") }
        }
        let crumbs = [LayoutVM.Crumb(label: "Thủ tục hành chính", url: SiteURL.procedures.path), .init(label: procedure.name, url: SiteURL.procedure(id: .value(id.uuidString.lowercased())).path)]
        return ProcedurePage(
            layout: LayoutVM.make(req, title: procedure.name, admin: false, breadcrumbs: crumbs),
            name: procedure.name, code: procedure.code, level: ProcedureLevel(rawValue: procedure.serviceLevel)?.label ?? "",
            facts: facts, submitURL: procedure.submitURL, files: files, amendedBy: amendedBy, admissionPlans: plans,
            admissionsURL: plans.isEmpty ? "" : SiteURL.admissions.path)
    }
}

/// `/quan-tri/don-vi/<code>/thu-tuc-hanh-chinh`: every procedure (drafts too), publish and
/// withdraw, the import with its template, the link to add one.
struct ProceduresAdminPage: PageView {
    static let template = "admin/procedures"

    struct Row {
        let code: String
        let name: String
        let editURL: String
        let publicURL: String
        let status: String
        let publishAction: String
        let isPublished: Bool
    }

    let layout: LayoutVM
    let unitName: String
    let newURL: String
    let templateURL: String
    let rows: [Row]
    let mayPublish: Bool
    let importForm: FormPage
    let notice: String
}

extension ProceduresAdminPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, importErrors: FormErrors = [:]) async throws -> ProceduresAdminPage {
        let procedures = try await Procedure.query(in: unit, on: req.db).sort(\.$field).sort(\.$name).all()
        let base = SiteURL.adminProcedures(code: .value(unit.code)).path
        let mayPublish = admin.may(.publishContent, on: unit)
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Thủ tục hành chính", url: base)])
        let layout = LayoutVM.make(req, title: "Thủ tục hành chính – \(unit.name)", admin: true, breadcrumbs: crumbs)
        var fields = [FormField(name: "file", label: "Tệp danh mục (XLSX hoặc CSV theo mẫu)", error: importErrors["file"],
                                hint: "Mỗi thủ tục một dòng; thủ tục có mã đã có thì được cập nhật. Tệp còn lỗi thì không thủ tục nào được lưu.",
                                type: "file", required: true, accept: ".xlsx,.csv")]
        if mayPublish { fields.append(FormField(name: "publish", label: "Đăng ngay các thủ tục trong tệp", type: "checkbox")) }
        let token = req.csrfToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let ok: [String: String] = ["procedure-saved": "Đã lưu thủ tục.", "procedure-published": "Đã đăng thủ tục.", "procedure-withdrawn": "Đã gỡ thủ tục khỏi trang công khai.",
                                    "procedure-imported": "Đã nhập danh mục thủ tục."]
        var notice = ok[req.textParameter("ok")] ?? ""
        if req.textParameter("ok") == "procedure-imported" {
            notice += " Thêm \(Int(req.textParameter("them")) ?? 0), cập nhật \(Int(req.textParameter("sua")) ?? 0)."
        }
        return ProceduresAdminPage(
            layout: layout, unitName: unit.name, newURL: SiteURL.adminProcedureNew(code: .value(unit.code)).path,
            templateURL: SiteURL.adminProcedureTemplate(code: .value(unit.code)).path,
            rows: procedures.map { p in
                let id = p.id?.uuidString.lowercased() ?? ""
                return Row(code: p.code, name: p.name, editURL: SiteURL.adminProcedure(code: .value(unit.code), id: .value(id)).path,
                           publicURL: p.publishedAt == nil ? "" : SiteURL.procedure(id: .value(id)).path,
                           status: p.publishedAt.map { "Đã đăng \(VietnameseDate.day($0))" } ?? "Chưa đăng",
                           publishAction: SiteURL.adminProcedurePublish(code: .value(unit.code), id: .value(id)).path, isPublished: p.publishedAt != nil)
            },
            mayPublish: mayPublish,
            importForm: FormPage(layout: layout, heading: "Nhập danh mục từ tệp", intro: importErrors.form,
                                 action: SiteURL.adminProcedureImport(code: .value(unit.code)).path + "?_csrf=" + token,
                                 submitLabel: "Nhập danh mục", fields: fields, cancelURL: base),
            notice: notice)
    }
}

/// A procedure's form (new or existing) and, for an existing one, its forms to download.
struct ProcedureEditPage: PageView {
    static let template = "admin/procedure"

    let layout: LayoutVM
    let heading: String
    let form: FormPage
    let isExisting: Bool
    let filesHeading: String
    let noFilesText: String
    let files: [ProcedurePage.Link]
    let uploadForm: FormPage?
    let publicURL: String
    let notice: String
}

extension ProcedureEditPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, procedure: Procedure?, input: ProcedureService.Input,
                      errors: FormErrors = [:], uploadErrors: FormErrors = [:]) async throws -> ProcedureEditPage {
        let base = SiteURL.adminProcedures(code: .value(unit.code)).path
        let id = procedure?.id?.uuidString.lowercased()
        let action = id.map { SiteURL.adminProcedure(code: .value(unit.code), id: .value($0)).path } ?? SiteURL.adminProcedureNew(code: .value(unit.code)).path
        let heading = procedure.map { "Sửa thủ tục: \($0.name)" } ?? "Thêm thủ tục hành chính"
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Thủ tục hành chính", url: base), .init(label: procedure?.name ?? "Thêm thủ tục", url: action),
        ])
        let layout = LayoutVM.make(req, title: heading, admin: true, breadcrumbs: crumbs)
        let documents = try await LegalDocument.publicQuery(unitID: unit.id, on: req.db).sort(\.$issuedOn, .descending).limit(300).all()
        let fields: [FormField] = [
            FormField(name: "name", label: "Tên thủ tục", value: input.name, error: errors["name"], required: true, maxlength: 500),
            FormField(name: "code", label: "Mã thủ tục (Cơ sở dữ liệu quốc gia về thủ tục hành chính)", value: input.code, error: errors["code"],
                      hint: "Ví dụ 1.005092; để trống nếu thủ tục chưa có mã.", maxlength: 40),
            FormField(name: "field", label: "Lĩnh vực", value: input.field, error: errors["field"], required: true, maxlength: 200),
            FormField(name: "level", label: "Mức độ dịch vụ công", value: input.level, error: errors["level"], type: "select", required: true,
                      options: ProcedureLevel.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.level) }),
            FormField(name: "applicants", label: "Đối tượng thực hiện", value: input.applicants, error: errors["applicants"], type: "textarea", required: true, maxlength: 10_000),
            FormField(name: "dossier", label: "Thành phần, số lượng hồ sơ", value: input.dossier, error: errors["dossier"], type: "textarea", required: true, maxlength: 10_000),
            FormField(name: "processingTime", label: "Thời hạn giải quyết", value: input.processingTime, error: errors["processingTime"], required: true, maxlength: 300),
            FormField(name: "fees", label: "Phí, lệ phí", value: input.fees, error: errors["fees"], hint: "Để trống nếu không thu.", type: "textarea", maxlength: 10_000),
            FormField(name: "place", label: "Cách thức, địa điểm thực hiện", value: input.place, error: errors["place"], type: "textarea", required: true, maxlength: 10_000),
            FormField(name: "handlerName", label: "Người xử lý", value: input.handlerName, error: errors["handlerName"], maxlength: 200),
            FormField(name: "handlerContact", label: "Liên hệ (điện thoại, thư điện tử)", value: input.handlerContact, error: errors["handlerContact"], maxlength: 300),
            FormField(name: "legalBasis", label: "Căn cứ pháp lý", value: input.legalBasis, error: errors["legalBasis"], type: "textarea", maxlength: 10_000),
            FormField(name: "submitURL", label: "Đường dẫn nộp hồ sơ trực tuyến", value: input.submitURL, error: errors["submitURL"],
                      hint: "Trang của thủ tục trên Cổng dịch vụ công quốc gia (https://dichvucong.gov.vn/…) hoặc của tỉnh.", type: "url", maxlength: 1000),
            FormField(name: "amendedBy", label: "Văn bản sửa đổi thủ tục (nếu có)", value: input.amendedBy, error: errors["amendedBy"], type: "select",
                      options: [.init(value: "", label: "Không có", selected: input.amendedBy.isEmpty)]
                        + documents.map { d in
                            let value = d.id?.uuidString.lowercased() ?? ""
                            return .init(value: value, label: "\(d.number) – \(d.summary.prefix(80))", selected: value == input.amendedBy)
                        }),
        ]
        var files: [ProcedurePage.Link] = []
        var uploadForm: FormPage?
        if let procedure, let id {
            files = try await AttachedFiles.links(ProcedureFile.self, owner: try procedure.requireID(), on: req.db)
            uploadForm = AttachedFiles.uploadForm(layout: layout, heading: "Thêm mẫu đơn, tờ khai", titleLabel: "Tên mẫu", action: SiteURL.adminProcedureFiles(code: .value(unit.code), id: .value(id)).path,
                                                  token: req.csrfToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "", errors: uploadErrors, cancelURL: base)
        }
        return ProcedureEditPage(
            layout: layout, heading: heading,
            form: FormPage(layout: layout, heading: heading, intro: errors.form ?? (errors.isEmpty ? nil : "Chưa lưu: sửa các ô được chỉ ra."),
                           action: action, submitLabel: "Lưu thủ tục", fields: fields, cancelURL: base),
            isExisting: procedure != nil, filesHeading: "Mẫu đơn, tờ khai", noFilesText: "Chưa có mẫu nào.", files: files, uploadForm: uploadForm,
            publicURL: procedure?.publishedAt == nil ? "" : SiteURL.procedure(id: .value(id ?? "")).path,
            notice: ["procedure-saved": "Đã lưu thủ tục" + (procedure?.publishedAt == nil ? "; thủ tục chưa đăng." : "."),
                     "file-attached": "Đã thêm mẫu."][req.textParameter("ok")] ?? "")
    }
}
