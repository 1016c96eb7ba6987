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

    @Sendable func index(req: Request) async throws -> Response {
        req.render(try await DocumentsPage.query(req, unit: try req.requireUnit()))
    }

    static func row(_ document: LegalDocument) -> Row {
        Row(number: document.number, summary: document.summary, type: document.docType, issued: VietnameseDate.day(document.issuedOn),
            isoIssued: VietnameseDate.format(document.issuedOn, "yyyy-MM-dd"), url: SiteURL.document(id: .value(document.id!.uuidString.lowercased())).path)
    }

    @Sendable func show(req: Request) async throws -> Response {
        req.render(try await DocumentPage.query(req, unit: try req.requireUnit()))
    }
}
