import EduCore
import EduData
import EduImport
import Vapor

/// The exam-score lookup pages (A8.11) and the diploma lookup page (A8.12). Scores come from the
/// in-memory `ExamStore` through `ExamLookup`, the rule the API shares.
struct ExamPagesController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(.examLookup, use: lookupPage)
        routes.get(.examResult, use: resultPage)
        routes.get(.examStatistics(id: .key), use: statisticsPage)
        routes.get(.diplomaLookup, use: diplomaPage)
    }

    func layout(_ req: Request, _ title: String, crumbs: [LayoutVM.Crumb] = []) -> LayoutVM {
        LayoutVM.make(req, title: title, admin: false, breadcrumbs: crumbs)
    }

    func published(_ req: Request) throws -> [ExamStore.Entry] {
        req.application.examStore.published(unitID: try req.requireUnit().id)
    }

    /// The form again, with what was typed and the problem; never cached.
    func lookupForm(_ req: Request, selected: UUID?, sbd: String = "", birth: String = "", error: String, status: HTTPResponseStatus) throws -> Response {
        let page = ExamLookupPage(layout: layout(req, "Tra cứu điểm thi"), sessions: try published(req), selected: selected, sbd: sbd, birth: birth, error: error)
        return req.render(page, status: status).noStore()
    }

    /// The rate limit per address, as a page with `Retry-After`.
    func limited(_ req: Request) throws -> Response? {
        guard let wait = req.application.lookupLimiter.refusal(for: req.clientAddress) else { return nil }
        let response = try lookupForm(req, selected: nil, error: ExamLookup.rateLimitMessage(wait), status: .tooManyRequests)
        response.headers.replaceOrAdd(name: "Retry-After", value: String(wait))
        return response
    }

    @Sendable func lookupPage(req: Request) throws -> Response {
        let response = req.render(ExamLookupPage(layout: layout(req, "Tra cứu điểm thi"), sessions: try published(req), selected: nil))
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=10")
        return response
    }

    /// `GET /tra-cuu-diem-thi/ket-qua?ky=…&sbd=…&ngay-sinh=…`
    @Sendable func resultPage(req: Request) throws -> Response {
        let unit = try req.requireUnit()
        if let response = try limited(req) { return response }
        let query = QueryString.parse(req.url.query ?? "")
        let selected = query["ky"].flatMap(UUID.init(uuidString:))
        let sbd = String((query["sbd"] ?? "").prefix(20)), birth = String((query["ngay-sinh"] ?? "").prefix(20))
        switch ExamLookup.lookup(store: req.application.examStore, unitID: unit.id, sessionKey: query["ky"], sbd: query["sbd"], birth: query["ngay-sinh"]) {
        case .noSession:
            return try lookupForm(req, selected: selected, sbd: sbd, birth: birth, error: "Chọn kỳ thi đã công bố kết quả.", status: .notFound)
        case .badRequest(let message):
            return try lookupForm(req, selected: selected, sbd: sbd, birth: birth, error: message, status: .badRequest)
        case .notFound(let entry):
            let message = entry.requireBirthDate ? ExamLookup.notFoundMessage : ExamLookup.notFoundMessageNoBirth
            return try lookupForm(req, selected: selected, sbd: sbd, birth: birth, error: message, status: .notFound)
        case .found(let entry, let candidate):
            return req.render(ExamResultPage(layout: layout(req, "Kết quả thi – \(entry.name)"), entry: entry, candidate: candidate)).noStore()
        }
    }

    /// `GET /tra-cuu-diem-thi/pho-diem/{id}`
    @Sendable func statisticsPage(req: Request) throws -> Response {
        let unit = try req.requireUnit()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let entry = req.application.examStore.entry(id),
            entry.unitID == unit.id, entry.isPublic(), let statistics = entry.statistics
        else { throw AppError(.notFound, ExamLookup.noSessionMessage) }
        let crumbs = [LayoutVM.Crumb(label: "Tra cứu điểm thi", url: SiteURL.examLookup.path)]
        let page = ExamStatisticsPage(layout: layout(req, "Phổ điểm – \(entry.name)", crumbs: crumbs), entry: entry, statistics: statistics)
        let response = req.render(page)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        return response
    }

    /// `GET /tra-cuu-van-bang` (with `so-hieu`, `ho-ten`, `ngay-sinh` once the form is sent).
    @Sendable func diplomaPage(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let query = DiplomaQuery(QueryString.parse(req.url.query ?? ""))
        let count = try await ExamService.diplomaCount(in: unit, on: req.db)
        func page(_ error: String?, _ found: Diploma?, _ status: HTTPResponseStatus, origin: String = "") -> Response {
            let model = DiplomaLookupPage(layout: layout(req, "Tra cứu văn bằng, chứng chỉ"), query: query, error: error, found: found, origin: origin, count: count)
            return req.render(model, status: status).noStore()
        }
        guard query.sent else { return page(nil, nil, .ok) }
        if let response = try limited(req) { return response }
        switch try await ExamService.lookupDiploma(query, in: unit, on: req.db) {
        case .badRequest(let message): return page(message, nil, .badRequest)
        case .notFound: return page(ExamService.diplomaNotFound, nil, .notFound)
        case .found(let diploma, let origin): return page(nil, diploma, .ok, origin: origin)
        }
    }
}
