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
    /// The query that builds the page. Filtering, counting and paging happen in the database:
    /// a Sở keeps tens of thousands of documents over the years (reading them all to show twenty
    /// took seconds at 100,000). The filter's choices are the values the published documents
    /// carry: each column's distinct values, and the years found by stepping back from the newest
    /// document one year at a time (one indexed read per year that has documents).
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> DocumentsPage {
        let unitID = unit.id
        let now = Date()
        let published = LegalDocument.publicQuery(unitID: unitID, now: now, on: req.db)
        func param(_ name: String) -> String { req.textParameter(name) }
        let type = param("loai"), year = Int(param("nam"))
        let issuer = param("co-quan"), field = param("linh-vuc")
        let calendar = VietnameseDate.calendar
        func startOfYear(_ year: Int) -> Date { calendar.date(from: DateComponents(year: year, month: 1, day: 1)) ?? .distantPast }
        let filtered = published.copy()
        if !type.isEmpty { filtered.filter(\.$docType == type) }
        if let year {
            // Dates are read between 1900 and 2200: any other year has no document.
            if (1900...2200).contains(year) {
                filtered.filter(\.$issuedOn >= startOfYear(year)).filter(\.$issuedOn < startOfYear(year + 1))
            } else {
                filtered.filter(\.$issuedOn > Date.distantFuture)
            }
        }
        if !issuer.isEmpty { filtered.filter(\.$issuer == issuer) }
        if !field.isEmpty { filtered.filter(\.$field == field) }
        let total = try await filtered.copy().count()
        let requested = (try? req.query.get(Int.self, at: "trang")) ?? 1
        guard Paging.exists(requested, total: total, size: DocumentsController.pageSize) else { throw AppError.notFound }
        let paging = Paging(total: total, size: DocumentsController.pageSize, requested: requested)
        // Newest first; documents issued the same day by when they were entered, then by id, so
        // that pages never share or skip a document.
        let shown = try await filtered.sort(\.$issuedOn, .descending).sort(\.$createdAt, .descending).sort(\.$id, .descending)
            .range(paging.range).all()
        var years: [Int] = []
        var before = Date.distantFuture
        while years.count < 300, let newest = try await published.copy().filter(\.$issuedOn < before)
            .sort(\.$issuedOn, .descending).field(\.$id).field(\.$issuedOn).first()?.issuedOn
        {
            let found = calendar.component(.year, from: newest)
            years.append(found)
            before = startOfYear(found)
        }
        func distinct(_ column: KeyPath<LegalDocument, FieldProperty<LegalDocument, String>>) async throws -> [String] {
            Set(try await published.copy().unique().all(column)).filter { !$0.isEmpty }.sorted()
        }
        let types = try await distinct(\.$docType), issuers = try await distinct(\.$issuer), fields = try await distinct(\.$field)
        func options(_ values: [String], _ selected: String) -> [FormField.Option] {
            [.init(value: "", label: "Tất cả", selected: selected.isEmpty)] + values.map { .init(value: $0, label: $0, selected: $0 == selected) }
        }
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
            typeField: FormField(name: "loai", label: "Loại văn bản", value: type, type: "select", options: options(types, type)),
            yearField: FormField(name: "nam", label: "Năm ban hành", value: year.map(String.init) ?? "", type: "select", options: options(years.map(String.init), year.map(String.init) ?? "")),
            issuerField: FormField(name: "co-quan", label: "Cơ quan ban hành", value: issuer, type: "select", options: options(issuers, issuer)),
            fieldField: FormField(name: "linh-vuc", label: "Lĩnh vực", value: field, type: "select", options: options(fields, field)),
            pager: Pager(paging, url: pageURL),
            action: SiteURL.documents.path)
        return listPage
    }
}
