import EduCore
import EduData
import Fluent
import Vapor

struct DocumentPage: PageView {
    static let template = "document"

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
    let replaces: DocumentsController.Row?
    let replacedBy: [DocumentsController.Row]
    let related: [DocumentsController.Row]
    let expired: Bool
}

extension DocumentPage {
    /// The query that builds the page.
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> DocumentPage {
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
            .init(label: "Chuyển từ đơn vị khác", value: try await UnitChangeService.originNote(document.originUnitID, keptBy: unit, on: req.db)),
        ].filter { !$0.value.isEmpty }
        let page = DocumentPage(
            layout: LayoutVM.make(req, title: "\(document.docType) \(document.number)", admin: false),
            number: document.number, summary: document.summary, facts: facts,
            files: files.map { .init(name: $0.title, url: MediaService.publicPath($0), size: MediaController.size($0.size), type: $0.mimeType) },
            replaces: replaces.map(DocumentsController.row), replacedBy: replacedBy.map(DocumentsController.row), related: related.map(DocumentsController.row),
            expired: document.expiresOn.map { $0 <= Date() } ?? false || !replacedBy.isEmpty)
        return page
    }
}
