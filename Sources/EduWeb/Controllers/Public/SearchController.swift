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

    static let kinds = [("", "Tất cả"), ("article", "Bài viết"), ("document", "Văn bản"), ("page", "Trang giới thiệu"), ("question", "Hỏi đáp")]

    @Sendable func search(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let gate = req.application.searchGate
        do {
            try await gate.acquire(on: req.eventLoop).get()
        } catch is RenderGate.Busy {
            var busy = AppError(.serviceUnavailable, "Máy chủ đang xử lý nhiều lượt tìm kiếm cùng lúc. Vui lòng thử lại sau ít giây.")
            busy.headers = ["Retry-After": "5"]
            throw busy
        }
        defer { gate.release() }
        return req.render(try await SearchPage.query(req, unit: unit))
    }
}
