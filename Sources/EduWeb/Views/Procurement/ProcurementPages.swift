import EduCore
import EduData
import Fluent
import Vapor

/// `/dau-thau`: the unit's published projects, tenders and purchases, by year, status and kind.
struct ProcurementListPage: PageView {
    static let template = "procurement"
    static let pageSize = 20

    struct Row {
        let title: String
        let url: String
        let kind: String
        let value: String
        let status: String
        let start: String
        let isoStart: String
    }

    let layout: LayoutVM
    let action: String
    let yearField: FormField
    let statusField: FormField
    let kindField: FormField
    let rows: [Row]
    let pager: Pager
}

extension ProcurementListPage {
    static func money(_ value: Int64) -> String { VietnameseNumber.grouped(Int(value)) + " đồng" }

    static func query(_ req: Request, unit: ResolvedUnit) async throws -> ProcurementListPage {
        let filter = ProcurementService.Filter(year: Int(req.textParameter("nam")), status: req.textParameter("tinh-trang"), kind: req.textParameter("loai"))
        let total = try await ProcurementService.published(in: unit, filter: filter, on: req.db).count()
        let requested = (try? req.query.get(Int.self, at: "trang")) ?? 1
        guard Paging.exists(requested, total: total, size: pageSize) else { throw AppError.notFound }
        let paging = Paging(total: total, size: pageSize, requested: requested)
        let shown = try await ProcurementService.published(in: unit, filter: filter, on: req.db).sort(\.$startOn, .descending)
            .range(paging.range.lowerBound..<(paging.range.lowerBound + paging.size)).all()
        let years = Set(try await ProcurementItem.query(in: unit, on: req.db).filter(\.$publishedAt != nil).all()
            .map { VietnameseDate.calendar.component(.year, from: $0.startOn) }).sorted(by: >)
        func options(_ values: [(String, String)], _ selected: String) -> [FormField.Option] {
            [.init(value: "", label: "Tất cả", selected: selected.isEmpty)] + values.map { .init(value: $0.0, label: $0.1, selected: $0.0 == selected) }
        }
        let year = filter.year.map(String.init) ?? ""
        func pageURL(_ number: Int) -> String {
            var components = URLComponents()
            components.path = SiteURL.procurement.path
            components.queryItems = [("nam", year), ("tinh-trang", filter.status), ("loai", filter.kind)]
                .filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) } + [URLQueryItem(name: "trang", value: String(number))]
            return components.string ?? SiteURL.procurement.path
        }
        return ProcurementListPage(
            layout: LayoutVM.make(req, title: "Dự án, đấu thầu", admin: false),
            action: SiteURL.procurement.path,
            yearField: FormField(name: "nam", label: "Năm", value: year, type: "select", options: options(years.map { (String($0), String($0)) }, year)),
            statusField: FormField(name: "tinh-trang", label: "Tình trạng", value: filter.status, type: "select",
                                   options: options(ProcurementItem.Status.allCases.map { ($0.rawValue, $0.label) }, filter.status)),
            kindField: FormField(name: "loai", label: "Loại", value: filter.kind, type: "select",
                                 options: options(ProcurementItem.Kind.allCases.map { ($0.rawValue, $0.label) }, filter.kind)),
            rows: shown.map { item in
                Row(title: item.title, url: SiteURL.procurementItem(id: .value(item.id?.uuidString.lowercased() ?? "")).path,
                    kind: ProcurementItem.Kind(rawValue: item.kind)?.label ?? item.kind, value: money(item.value),
                    status: ProcurementItem.Status(rawValue: item.status)?.label ?? item.status,
                    start: VietnameseDate.day(item.startOn), isoStart: VietnameseDate.format(item.startOn, "yyyy-MM-dd"))
            },
            pager: Pager(paging, url: pageURL))
    }
}

/// `/dau-thau/<id>`: one item with its documents.
struct ProcurementItemPage: PageView {
    static let template = "procurement-item"

    let layout: LayoutVM
    let title: String
    let facts: [ProcedurePage.Fact]
    let noticeURL: String
    let files: [ProcedurePage.Link]
}

extension ProcurementItemPage {
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> ProcurementItemPage {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let item = try await ProcurementItem.query(in: unit, on: req.db).filter(\.$id == id).filter(\.$publishedAt != nil).first()
        else { throw AppError.notFound }
        let facts: [ProcedurePage.Fact] = [
            .init(label: "Loại", value: ProcurementItem.Kind(rawValue: item.kind)?.label ?? "", multiline: false),
            .init(label: "Số hiệu, quyết định", value: item.reference, multiline: false),
            .init(label: "Giá trị", value: ProcurementListPage.money(item.value), multiline: false),
            .init(label: "Nguồn vốn", value: item.funding, multiline: false),
            .init(label: "Hình thức lựa chọn nhà thầu", value: item.method, multiline: false),
            .init(label: "Tình trạng", value: ProcurementItem.Status(rawValue: item.status)?.label ?? "", multiline: false),
            .init(label: "Ngày bắt đầu", value: VietnameseDate.day(item.startOn), multiline: false),
            .init(label: "Ngày kết thúc", value: item.endOn.map(VietnameseDate.day) ?? "", multiline: false),
            .init(label: "Nhà thầu", value: item.contractor, multiline: false),
            .init(label: "Nội dung", value: item.description, multiline: true),
        ].filter { !$0.value.isEmpty }
        let files = try await AttachedFiles.links(ProcurementFile.self, owner: id, on: req.db)
        let crumbs = [LayoutVM.Crumb(label: "Dự án, đấu thầu", url: SiteURL.procurement.path), .init(label: item.title, url: SiteURL.procurementItem(id: .value(id.uuidString.lowercased())).path)]
        return ProcurementItemPage(layout: LayoutVM.make(req, title: item.title, admin: false, breadcrumbs: crumbs), title: item.title, facts: facts,
                                   noticeURL: item.noticeURL, files: files)
    }
}

/// `/quan-tri/don-vi/<code>/dau-thau`: every item (drafts too), publish and withdraw.
enum ProcurementAdminPage {}

extension ProcurementAdminPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit) async throws -> CatalogueAdminPage {
        let items = try await ProcurementItem.query(in: unit, on: req.db).sort(\.$startOn, .descending).all()
        let base = SiteURL.adminProcurement(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Dự án, đấu thầu", url: base)])
        let notices = ["procurement-saved": "Đã lưu.", "procurement-published": "Đã đăng.", "procurement-withdrawn": "Đã gỡ khỏi trang công khai."]
        return CatalogueAdminPage(
            layout: LayoutVM.make(req, title: "Dự án, đấu thầu – \(unit.name)", admin: true, breadcrumbs: crumbs), heading: "Dự án, đấu thầu – \(unit.name)",
            newURL: SiteURL.adminProcurementNew(code: .value(unit.code)).path, newLabel: "Thêm dự án, gói thầu, mua sắm",
            tableLabel: "Dự án, gói thầu, mua sắm", firstColumn: "Bắt đầu",
            rows: items.map { item in
                let id = item.id?.uuidString.lowercased() ?? ""
                return .init(code: VietnameseDate.day(item.startOn), name: item.title, editURL: SiteURL.adminProcurementItem(code: .value(unit.code), id: .value(id)).path,
                             publicURL: item.publishedAt == nil ? "" : SiteURL.procurementItem(id: .value(id)).path,
                             status: (ProcurementItem.Status(rawValue: item.status)?.label ?? "") + " · " + (item.publishedAt.map { "đã đăng \(VietnameseDate.day($0))" } ?? "chưa đăng"),
                             publishAction: SiteURL.adminProcurementPublish(code: .value(unit.code), id: .value(id)).path, isPublished: item.publishedAt != nil)
            },
            mayPublish: admin.may(.publishContent, on: unit), notice: notices[req.textParameter("ok")] ?? "")
    }

    /// An item's form (new or existing) and, for an existing one, its documents.
    static func edit(_ req: Request, admin: AdminContext, unit: ResolvedUnit, item: ProcurementItem?, input: ProcurementService.Input,
                     errors: FormErrors = [:], uploadErrors: FormErrors = [:]) async throws -> ProcedureEditPage {
        let base = SiteURL.adminProcurement(code: .value(unit.code)).path
        let id = item?.id?.uuidString.lowercased()
        let action = id.map { SiteURL.adminProcurementItem(code: .value(unit.code), id: .value($0)).path } ?? SiteURL.adminProcurementNew(code: .value(unit.code)).path
        let heading = item.map { "Sửa: \($0.title)" } ?? "Thêm dự án, gói thầu, mua sắm"
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Dự án, đấu thầu", url: base), .init(label: item?.title ?? "Thêm", url: action),
        ])
        let layout = LayoutVM.make(req, title: heading, admin: true, breadcrumbs: crumbs)
        let fields: [FormField] = [
            FormField(name: "kind", label: "Loại", value: input.kind, error: errors["kind"], type: "select", required: true,
                      options: ProcurementItem.Kind.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.kind) }),
            FormField(name: "title", label: "Tên dự án, gói thầu, nội dung mua sắm", value: input.title, error: errors["title"], required: true, maxlength: 500),
            FormField(name: "reference", label: "Số hiệu, quyết định phê duyệt", value: input.reference, error: errors["reference"], maxlength: 300),
            FormField(name: "value", label: "Giá trị (đồng)", value: input.value, error: errors["value"], hint: "Ví dụ 1.250.000.000", required: true,
                      inputmode: "numeric", maxlength: 40),
            FormField(name: "funding", label: "Nguồn vốn", value: input.funding, error: errors["funding"], maxlength: 300),
            FormField(name: "method", label: "Hình thức lựa chọn nhà thầu", value: input.method, error: errors["method"],
                      hint: "Ví dụ: Đấu thầu rộng rãi qua mạng, Chào hàng cạnh tranh, Chỉ định thầu rút gọn.", maxlength: 300),
            FormField(name: "status", label: "Tình trạng", value: input.status, error: errors["status"], type: "select", required: true,
                      options: ProcurementItem.Status.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.status) }),
            FormField(name: "startOn", label: "Ngày bắt đầu", value: input.startOn, error: errors["startOn"], hint: "dd/mm/yyyy", required: true, maxlength: 20),
            FormField(name: "endOn", label: "Ngày kết thúc (nếu có)", value: input.endOn, error: errors["endOn"], hint: "dd/mm/yyyy", maxlength: 20),
            FormField(name: "contractor", label: "Nhà thầu được chọn", value: input.contractor, error: errors["contractor"], maxlength: 300),
            FormField(name: "description", label: "Nội dung", value: input.description, error: errors["description"], type: "textarea", maxlength: 10_000),
            FormField(name: "noticeURL", label: "Thông báo trên Hệ thống mạng đấu thầu quốc gia", value: input.noticeURL, error: errors["noticeURL"],
                      hint: "https://muasamcong.mpi.gov.vn/…", type: "url", maxlength: 1000),
        ]
        var files: [ProcedurePage.Link] = []
        var uploadForm: FormPage?
        if let id, let itemID = item?.id {
            files = try await AttachedFiles.links(ProcurementFile.self, owner: itemID, on: req.db)
            uploadForm = AttachedFiles.uploadForm(layout: layout, heading: "Thêm tài liệu", titleLabel: "Tên tài liệu", action: SiteURL.adminProcurementFiles(code: .value(unit.code), id: .value(id)).path,
                                                  token: req.csrfToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "", errors: uploadErrors, cancelURL: base)
        }
        return ProcedureEditPage(
            layout: layout, heading: heading,
            form: FormPage(layout: layout, heading: heading, intro: errors.form ?? (errors.isEmpty ? nil : "Chưa lưu: sửa các ô được chỉ ra."),
                           action: action, submitLabel: "Lưu", fields: fields, cancelURL: base),
            isExisting: item != nil, filesHeading: "Tài liệu", noFilesText: "Chưa có tài liệu.", files: files, uploadForm: uploadForm,
            publicURL: item?.publishedAt == nil ? "" : SiteURL.procurementItem(id: .value(id ?? "")).path,
            notice: ["procurement-saved": "Đã lưu" + (item?.publishedAt == nil ? "; chưa đăng." : "."), "file-attached": "Đã thêm tài liệu."][req.textParameter("ok")] ?? "")
    }
}
