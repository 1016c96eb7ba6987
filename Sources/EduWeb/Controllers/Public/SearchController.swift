import EduCore
import EduData
import Fluent
import Vapor

/// `/tim-kiem?q=`: Vietnamese search over the unit's public content, with or without diacritics,
/// optionally over the units below it; ranked, highlighted, filtered by kind and date, paged.
struct SearchController {
    static let pageSize = 10

    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.search.routePath, use: search)
    }

    struct Result {
        struct Part {
            let text: String
            let highlight: Bool
        }

        let title: String
        let url: String
        let kind: String
        let date: String
        let isoDate: String
        let unit: String?
        let snippet: [Part]
    }

    static let kinds = [("", "Tất cả"), ("article", "Bài viết"), ("document", "Văn bản"), ("page", "Trang giới thiệu")]

    @Sendable func search(req: Request) async throws -> Response {
        req.render(try await SearchPage.query(req, unit: try req.requireUnit()))
    }
}
