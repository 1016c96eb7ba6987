import EduCore
import EduData
import Fluent
import Vapor

struct SearchPage: PageView {
    static let template = "search"

    let layout: LayoutVM
    let query: String
    let queryField: FormField
    let kindField: FormField
    let fromField: FormField
    let toField: FormField
    let scopeField: FormField
    let hasQuery: Bool
    /// More matches than the search reads (`SearchIndex.window`): the count is shown as «hơn …».
    let more: Bool
    let results: [SearchController.Result]
    let pager: Pager
    let action: String
}

extension SearchPage {
    /// The query that builds the page.
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> SearchPage {
        func param(_ name: String) -> String { req.textParameter(name) }
        let query = param("q"), kind = param("loai"), fromText = param("tu"), toText = param("den")
        let subtree = ["tat-ca", "on"].contains(param("pham-vi"))
        let from = fromText.isEmpty ? nil : VietnameseDate.parse(fromText)
        let to = toText.isEmpty ? nil : VietnameseDate.parse(toText).map { $0.addingTimeInterval(86_400) }
        let terms = SearchIndex.terms(query)

        // Other units' names and hosts are needed only when the search covers the subtree.
        let units = subtree ? try await OrgUnit.subtree(ofPath: unit.path, on: req.db) : []
        let scope: SearchIndex.Scope = subtree ? .subtree(root: unit.id, unitIDs: units.compactMap(\.id)) : .unit(unit.id)
        // Counted, ranked and cut to the page in the database; a page past the end shows the last.
        let size = SearchController.pageSize
        let requested = try? req.query.get(Int.self, at: "trang")
        var found = try await SearchIndex.search(
            terms: terms, scope: scope, kind: kind, from: from, to: to, offset: (max(1, min(requested ?? 1, 100_000)) - 1) * size, limit: size, on: req.db)
        let paging = Paging(total: found.total, size: size, requested: requested)
        if found.entries.isEmpty && found.total > 0 {
            found = try await SearchIndex.search(
                terms: terms, scope: scope, kind: kind, from: from, to: to, offset: paging.range.lowerBound, limit: size, on: req.db)
        }
        let shown = found.entries
        let names = Dictionary(uniqueKeysWithValues: units.compactMap { u in u.id.map { ($0, u) } })
        let otherUnits = Array(Set(shown.map(\.unitID)).subtracting([unit.id])).compactMap { names[$0] }
        let hosts = Dictionary(uniqueKeysWithValues: zip(otherUnits.compactMap(\.id), try await req.publicLinks.links(for: otherUnits, on: req.db)))
        let labels = Dictionary(uniqueKeysWithValues: SearchController.kinds)
        let results = shown.map { entry -> SearchController.Result in
            let base = entry.unitID == unit.id ? "" : String((hosts[entry.unitID]?.url ?? "/").dropLast())
            return SearchController.Result(
                title: entry.title, url: base + entry.path, kind: labels[entry.kind] ?? entry.kind,
                date: entry.publishedAt.map(VietnameseDate.day) ?? "", isoDate: entry.publishedAt.map { VietnameseDate.format($0, "yyyy-MM-dd") } ?? "",
                unit: entry.unitID == unit.id ? nil : names[entry.unitID]?.name,
                snippet: SearchSnippet.make(entry.text, terms: terms).map { .init(text: $0.text, highlight: $0.highlight) })
        }
        func pageURL(_ number: Int) -> String {
            var components = URLComponents()
            components.path = SiteURL.search.path
            components.queryItems = [("q", query), ("loai", kind), ("tu", fromText), ("den", toText), ("pham-vi", subtree ? "tat-ca" : "")]
                .filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) } + [URLQueryItem(name: "trang", value: String(number))]
            return components.string ?? SiteURL.search.path
        }
        let dateHint = "dd/mm/yyyy"
        let searchPage = SearchPage(
            layout: LayoutVM.make(req, title: query.isEmpty ? "Tìm kiếm" : "Tìm kiếm: \(query)", admin: false),
            query: query,
            queryField: FormField(name: "q", label: "Từ khóa (có dấu hoặc không dấu)", value: query, type: "search", maxlength: 200, idPrefix: "page-"),
            kindField: FormField(name: "loai", label: "Loại nội dung", value: kind, type: "select",
                                 options: SearchController.kinds.map { .init(value: $0.0, label: $0.1, selected: $0.0 == kind) }),
            fromField: FormField(name: "tu", label: "Từ ngày", value: fromText,
                                 error: !fromText.isEmpty && from == nil ? "Ngày không hợp lệ." : nil, hint: dateHint),
            toField: FormField(name: "den", label: "Đến ngày", value: toText,
                               error: !toText.isEmpty && to == nil ? "Ngày không hợp lệ." : nil, hint: dateHint),
            scopeField: FormField(name: "pham-vi", label: "Tìm cả ở các đơn vị trực thuộc", value: "tat-ca", type: "checkbox", checked: subtree),
            hasQuery: !terms.isEmpty, more: found.more, results: results, pager: Pager(paging, url: pageURL),
            action: SiteURL.search.path)
        return searchPage
    }
}
