import EduCore
import EduData
import Fluent
import Vapor

/// `/van-ban` (the public registry, filterable by type, year, issuer and field) and `/van-ban/<id>`.
struct DocumentsController {
    static let pageSize = 20

    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.documents.routePath, use: index)
        routes.get(SiteURL.document(id: .key).routePath, use: show)
    }

    struct Row {
        let number: String
        let summary: String
        let type: String
        let issued: String
        let isoIssued: String
        let url: String
    }

    struct ListPage {
        let layout: LayoutVM
        let rows: [Row]
        let typeField: FormField
        let yearField: FormField
        let issuerField: FormField
        let fieldField: FormField
        let total: Int
        let page: Int
        let pages: Int
        let previousURL: String?
        let nextURL: String?
        let action: String
    }

    @Sendable func index(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let unitID = unit.id
        let all = try await LegalDocument.publicQuery(unitID: unitID, on: req.db).all()
        func param(_ name: String) -> String { TextNormalizer.normalize((try? req.query.get(String.self, at: name)) ?? "", maxLength: 300) }
        let type = param("loai"), year = Int(param("nam")), issuer = param("co-quan"), field = param("linh-vuc")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = VietnameseDate.timeZone
        let filtered = all.filter { document in
            (type.isEmpty || document.docType == type) && (year == nil || calendar.component(.year, from: document.issuedOn) == year)
                && (issuer.isEmpty || document.issuer == issuer) && (field.isEmpty || document.field == field)
        }.sorted { $0.issuedOn > $1.issuedOn }
        let pages = max(1, (filtered.count + Self.pageSize - 1) / Self.pageSize)
        let page = (try? req.query.get(Int.self, at: "trang")) ?? 1
        guard page >= 1, page <= pages else { throw AppError.notFound }
        let shown = filtered.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize)
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
        let listPage = ListPage(
            layout: LayoutVM.make(req, title: "Văn bản", admin: false),
            rows: shown.map(Self.row),
            typeField: FormField(name: "loai", label: "Loại văn bản", value: type, type: "select", options: options(Set(all.map(\.docType)).sorted(), type)),
            yearField: FormField(name: "nam", label: "Năm ban hành", value: year.map(String.init) ?? "", type: "select", options: options(years, year.map(String.init) ?? "")),
            issuerField: FormField(name: "co-quan", label: "Cơ quan ban hành", value: issuer, type: "select", options: options(Set(all.map(\.issuer)).sorted(), issuer)),
            fieldField: FormField(name: "linh-vuc", label: "Lĩnh vực", value: field, type: "select", options: options(Set(all.map(\.field)).filter { !$0.isEmpty }.sorted(), field)),
            total: filtered.count, page: page, pages: pages,
            previousURL: page > 1 ? pageURL(page - 1) : nil, nextURL: page < pages ? pageURL(page + 1) : nil,
            action: SiteURL.documents.path)
        return req.theme.render("documents", listPage)
    }

    static func row(_ document: LegalDocument) -> Row {
        Row(number: document.number, summary: document.summary, type: document.docType, issued: VietnameseDate.day(document.issuedOn),
            isoIssued: VietnameseDate.format(document.issuedOn, "yyyy-MM-dd"), url: SiteURL.document(id: .value(document.id!.uuidString.lowercased())).path)
    }

    struct DocumentPage {
        struct Fact {
            let label: String
            let value: String
        }

        struct FileLink {
            let name: String
            let url: String
            let size: String
            let type: String
        }

        let layout: LayoutVM
        let number: String
        let summary: String
        let facts: [Fact]
        let files: [FileLink]
        let replaces: Row?
        let replacedBy: [Row]
        let related: [Row]
        let expired: Bool
    }

    @Sendable func show(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let document = try await LegalDocument.publicQuery(unitID: unit.id, on: req.db).filter(\.$id == id).first()
        else { throw AppError.notFound }
        let visible = { (ids: [UUID]) async throws -> [LegalDocument] in
            ids.isEmpty ? [] : try await LegalDocument.publicQuery(unitID: unit.id, on: req.db).filter(\.$id ~~ ids).all()
        }
        let replaces = try await visible(document.replacesID.map { [$0] } ?? []).first
        let replacedBy = try await LegalDocument.publicQuery(unitID: unit.id, on: req.db).filter(\.$replacesID == id).all()
        let related = try await visible(try await DocumentService.related(to: document, on: req.db).compactMap(\.id))
        let files = try await DocumentService.files(of: document, on: req.db)
        let facts: [DocumentPage.Fact] = [
            .init(label: "Số ký hiệu", value: document.number), .init(label: "Loại văn bản", value: document.docType),
            .init(label: "Cơ quan ban hành", value: document.issuer), .init(label: "Người ký", value: document.signer),
            .init(label: "Ngày ban hành", value: VietnameseDate.day(document.issuedOn)),
            .init(label: "Ngày có hiệu lực", value: document.effectiveOn.map(VietnameseDate.day) ?? ""),
            .init(label: "Ngày hết hiệu lực", value: document.expiresOn.map(VietnameseDate.day) ?? ""),
            .init(label: "Lĩnh vực", value: document.field),
        ].filter { !$0.value.isEmpty }
        let page = DocumentPage(
            layout: LayoutVM.make(req, title: "\(document.docType) \(document.number)", admin: false),
            number: document.number, summary: document.summary, facts: facts,
            files: files.map { .init(name: $0.title, url: MediaService.publicPath($0), size: MediaController.size($0.size), type: $0.mimeType) },
            replaces: replaces.map(Self.row), replacedBy: replacedBy.map(Self.row), related: related.map(Self.row),
            expired: document.expiresOn.map { $0 <= Date() } ?? false || !replacedBy.isEmpty)
        return req.theme.render("document", page)
    }
}
