import EduCore
import EduData
import Fluent
import Vapor

struct DocumentsPage: PageView {
    static let template = "documents"

    let layout: LayoutVM
    let rows: [DocumentsController.Row]
    let typeField: FormField
    let yearField: FormField
    let issuerField: FormField
    let fieldField: FormField
    let pager: Pager
    let action: String
}

extension DocumentsPage {
    /// The query that builds the page.
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> DocumentsPage {
        let unitID = unit.id
        let all = try await LegalDocument.publicQuery(unitID: unitID, on: req.db).all()
        func param(_ name: String) -> String { req.textParameter(name) }
        let type = param("loai"), year = Int(param("nam")), issuer = param("co-quan"), field = param("linh-vuc")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = VietnameseDate.timeZone
        let filtered = all.filter { document in
            (type.isEmpty || document.docType == type) && (year == nil || calendar.component(.year, from: document.issuedOn) == year)
                && (issuer.isEmpty || document.issuer == issuer) && (field.isEmpty || document.field == field)
        }.sorted { $0.issuedOn > $1.issuedOn }
        let requested = (try? req.query.get(Int.self, at: "trang")) ?? 1
        guard Paging.exists(requested, total: filtered.count, size: DocumentsController.pageSize) else { throw AppError.notFound }
        let paging = Paging(total: filtered.count, size: DocumentsController.pageSize, requested: requested)
        let shown = filtered.dropFirst(paging.range.lowerBound).prefix(paging.size)
        func options(_ values: [String], _ selected: String) -> [FormField.Option] {
            [.init(value: "", label: "Tất cả", selected: selected.isEmpty)] + values.map { .init(value: $0, label: $0, selected: $0 == selected) }
        }
        let years = Set(all.map { calendar.component(.year, from: $0.issuedOn) }).sorted(by: >).map(String.init)
        func pageURL(_ number: Int) -> String {
            var components = URLComponents()
            components.path = SiteURL.documents.path
            components.queryItems = [("loai", type), ("nam", year.map(String.init) ?? ""), ("co-quan", issuer), ("linh-vuc", field)]
                .filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) } + [URLQueryItem(name: "trang", value: String(number))]
            return components.string ?? SiteURL.documents.path
        }
        let listPage = DocumentsPage(
            layout: LayoutVM.make(req, title: "Văn bản", admin: false),
            rows: shown.map(DocumentsController.row),
            typeField: FormField(name: "loai", label: "Loại văn bản", value: type, type: "select", options: options(Set(all.map(\.docType)).sorted(), type)),
            yearField: FormField(name: "nam", label: "Năm ban hành", value: year.map(String.init) ?? "", type: "select", options: options(years, year.map(String.init) ?? "")),
            issuerField: FormField(name: "co-quan", label: "Cơ quan ban hành", value: issuer, type: "select", options: options(Set(all.map(\.issuer)).sorted(), issuer)),
            fieldField: FormField(name: "linh-vuc", label: "Lĩnh vực", value: field, type: "select", options: options(Set(all.map(\.field)).filter { !$0.isEmpty }.sorted(), field)),
            pager: Pager(paging, url: pageURL),
            action: SiteURL.documents.path)
        return listPage
    }
}
