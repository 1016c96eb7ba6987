import EduCore
import EduData
import Fluent
import Vapor

/// `/trung-tam` (a Sở's portal): the foreign-language and IT centres it has licensed, each with
/// its licence, address, programmes and status with its decision; by status, kind, commune, name.
struct CentresPage: PageView {
    static let template = "centres"
    static let pageSize = 20

    struct Card {
        let name: String
        let kind: String
        let status: String
        let statusCode: String
        let facts: [ProcedurePage.Fact]
    }

    let layout: LayoutVM
    let action: String
    let queryField: FormField
    let statusField: FormField
    let kindField: FormField
    let communeField: FormField
    let cards: [Card]
    let pager: Pager
    let filtered: Bool
}

extension CentresPage {
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> CentresPage {
        guard unit.type == .so else { throw AppError.notFound }
        let q = TextNormalizer.normalize(req.textParameter("q"), maxLength: 200)
        let status = req.textParameter("tinh-trang"), kind = req.textParameter("loai"), commune = req.textParameter("xa")
        func filtered() -> QueryBuilder<Centre> {
            let query = Centre.query(in: unit, on: req.db)
            for word in SearchFolding.foldWords(q).split(separator: " ").prefix(8) { query.filter(\.$searchText, .contains(inverse: false, .anywhere), String(word)) }
            if !status.isEmpty { query.filter(\.$status == status) }
            if !kind.isEmpty { query.filter(\.$kind == kind) }
            if !commune.isEmpty { query.filter(\.$commune == commune) }
            return query
        }
        let total = try await filtered().count()
        let requested = (try? req.query.get(Int.self, at: "trang")) ?? 1
        guard Paging.exists(requested, total: total, size: pageSize) else { throw AppError.notFound }
        let paging = Paging(total: total, size: pageSize, requested: requested)
        let shown = try await filtered().sort(\.$name).range(paging.range.lowerBound..<(paging.range.lowerBound + paging.size)).all()
        let communes = Set(try await Centre.query(in: unit, on: req.db).all().map(\.commune)).sorted()
        func options(_ values: [(String, String)], _ selected: String) -> [FormField.Option] {
            [.init(value: "", label: "Tất cả", selected: selected.isEmpty)] + values.map { .init(value: $0.0, label: $0.1, selected: $0.0 == selected) }
        }
        func pageURL(_ number: Int) -> String {
            var components = URLComponents()
            components.path = SiteURL.centres.path
            components.queryItems = [("q", q), ("tinh-trang", status), ("loai", kind), ("xa", commune)]
                .filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) } + [URLQueryItem(name: "trang", value: String(number))]
            return components.string ?? SiteURL.centres.path
        }
        return CentresPage(
            layout: LayoutVM.make(req, title: "Trung tâm ngoại ngữ, tin học", admin: false),
            action: SiteURL.centres.path,
            queryField: FormField(name: "q", label: "Tên trung tâm, quyết định, địa chỉ", value: q, type: "search", maxlength: 200),
            statusField: FormField(name: "tinh-trang", label: "Tình trạng", value: status, type: "select", options: options(Centre.Status.allCases.map { ($0.rawValue, $0.label) }, status)),
            kindField: FormField(name: "loai", label: "Loại", value: kind, type: "select", options: options(Centre.Kind.allCases.map { ($0.rawValue, $0.label) }, kind)),
            communeField: FormField(name: "xa", label: "Xã, phường", value: commune, type: "select", options: options(communes.map { ($0, $0) }, commune)),
            cards: shown.map { centre in
                let status = Centre.Status(rawValue: centre.status)
                return Card(name: centre.name, kind: Centre.Kind(rawValue: centre.kind)?.label ?? centre.kind, status: status?.label ?? centre.status,
                            statusCode: centre.status, facts: [
                                .init(label: "Quyết định cho phép hoạt động", value: "\(centre.licence), ngày \(VietnameseDate.day(centre.licensedOn))", multiline: false),
                                .init(label: "Địa chỉ", value: [centre.address, centre.commune].filter { !$0.isEmpty }.joined(separator: ", "), multiline: false),
                                .init(label: "Điện thoại", value: centre.phone, multiline: false),
                                .init(label: "Chương trình đào tạo", value: centre.programmes, multiline: true),
                                .init(label: status == .suspended ? "Quyết định đình chỉ" : "Quyết định chấm dứt",
                                      value: centre.statusDecision + (centre.statusOn.map { ", ngày \(VietnameseDate.day($0))" } ?? ""), multiline: false),
                            ].filter { !$0.value.isEmpty })
            },
            pager: Pager(paging, url: pageURL), filtered: !q.isEmpty || !status.isEmpty || !kind.isEmpty || !commune.isEmpty)
    }
}

/// The Sở's admin list of centres with the import, and a centre's form.
struct CentresAdminPage: PageView {
    static let template = "admin/centres"

    struct Row {
        let name: String
        let editURL: String
        let licence: String
        let status: String
    }

    let layout: LayoutVM
    let unitName: String
    let newURL: String
    let templateURL: String
    let rows: [Row]
    let importForm: FormPage
    let notice: String
}

extension CentresAdminPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, importErrors: FormErrors = [:]) async throws -> CentresAdminPage {
        guard unit.type == .so else { throw AppError.notFound }
        let base = SiteURL.adminCentres(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Trung tâm ngoại ngữ, tin học", url: base)])
        let layout = LayoutVM.make(req, title: "Trung tâm ngoại ngữ, tin học – \(unit.name)", admin: true, breadcrumbs: crumbs)
        let token = req.csrfToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        var notice = ["centre-saved": "Đã lưu trung tâm.", "centre-imported": "Đã nhập danh sách."][req.textParameter("ok")] ?? ""
        if req.textParameter("ok") == "centre-imported" { notice += " Thêm \(Int(req.textParameter("them")) ?? 0), cập nhật \(Int(req.textParameter("sua")) ?? 0)." }
        return CentresAdminPage(
            layout: layout, unitName: unit.name, newURL: SiteURL.adminCentreNew(code: .value(unit.code)).path,
            templateURL: SiteURL.adminCentreTemplate(code: .value(unit.code)).path,
            rows: try await Centre.query(in: unit, on: req.db).sort(\.$name).all().map { c in
                Row(name: c.name, editURL: SiteURL.adminCentre(code: .value(unit.code), id: .value(c.id?.uuidString.lowercased() ?? "")).path,
                    licence: c.licence, status: Centre.Status(rawValue: c.status)?.label ?? c.status)
            },
            importForm: FormPage(layout: layout, heading: "Nhập danh sách từ tệp", intro: importErrors.form,
                                 action: SiteURL.adminCentreImport(code: .value(unit.code)).path + "?_csrf=" + token, submitLabel: "Nhập danh sách",
                                 fields: [FormField(name: "file", label: "Tệp danh sách (XLSX hoặc CSV theo mẫu)", error: importErrors["file"],
                                                    hint: "Mỗi trung tâm một dòng; trung tâm có số quyết định đã có thì được cập nhật. Tệp còn lỗi thì không trung tâm nào được lưu.",
                                                    type: "file", required: true, accept: ".xlsx,.csv")], cancelURL: base),
            notice: notice)
    }

    static func form(_ req: Request, admin: AdminContext, unit: ResolvedUnit, centre: Centre?, input: CentreService.Input, errors: FormErrors = [:]) async throws -> FormPage {
        let base = SiteURL.adminCentres(code: .value(unit.code)).path
        let id = centre?.id?.uuidString.lowercased()
        let action = id.map { SiteURL.adminCentre(code: .value(unit.code), id: .value($0)).path } ?? SiteURL.adminCentreNew(code: .value(unit.code)).path
        let heading = centre.map { "Sửa: \($0.name)" } ?? "Thêm trung tâm ngoại ngữ, tin học"
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Trung tâm ngoại ngữ, tin học", url: base), .init(label: centre?.name ?? "Thêm", url: action),
        ])
        return FormPage(
            layout: LayoutVM.make(req, title: heading, admin: true, breadcrumbs: crumbs), heading: heading,
            intro: errors.form ?? (errors.isEmpty ? nil : "Chưa lưu: sửa các ô được chỉ ra."), action: action, submitLabel: "Lưu", fields: [
                FormField(name: "name", label: "Tên trung tâm", value: input.name, error: errors["name"], required: true),
                FormField(name: "kind", label: "Loại", value: input.kind, error: errors["kind"], type: "select", required: true,
                          options: Centre.Kind.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.kind) }),
                FormField(name: "licence", label: "Quyết định cho phép hoạt động giáo dục (số)", value: input.licence, error: errors["licence"], required: true, maxlength: 100),
                FormField(name: "licensedOn", label: "Ngày cấp phép", value: input.licensedOn, error: errors["licensedOn"], hint: "dd/mm/yyyy", required: true, maxlength: 20),
                FormField(name: "address", label: "Địa chỉ", value: input.address, error: errors["address"], required: true, maxlength: 500),
                FormField(name: "commune", label: "Xã, phường", value: input.commune, error: errors["commune"], required: true, maxlength: 200),
                FormField(name: "phone", label: "Điện thoại", value: input.phone, error: errors["phone"], type: "tel", maxlength: 100),
                FormField(name: "programmes", label: "Chương trình đào tạo", value: input.programmes, error: errors["programmes"], type: "textarea", maxlength: 5_000),
                FormField(name: "status", label: "Tình trạng", value: input.status, error: errors["status"], type: "select", required: true,
                          options: Centre.Status.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.status) }),
                FormField(name: "statusDecision", label: "Quyết định đình chỉ, chấm dứt (số)", value: input.statusDecision, error: errors["statusDecision"],
                          hint: "Khi tình trạng không phải «Đang hoạt động».", maxlength: 200),
                FormField(name: "statusOn", label: "Ngày quyết định đình chỉ, chấm dứt", value: input.statusOn, error: errors["statusOn"], hint: "dd/mm/yyyy", maxlength: 20),
            ], cancelURL: base)
    }
}
