import EduCore
import EduData
import EduImport
import Vapor

/// `/api/v1/exams…` and `/api/v1/diplomas`: the lookups as JSON, sharing `ExamLookup` with the
/// pages. The results route is normally answered before the router (`ExamLookupFastPath`); this
/// registration serves what the fast path does not recognise.
struct ExamAPIController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(.apiExams, use: list)
        routes.get(.apiExamResults(id: .key), use: results)
        routes.get(.apiExamStatistics(id: .key), use: statistics)
        routes.get(.apiDiplomas, use: diploma)
    }

    /// `GET /api/v1/exams`: the unit's published sessions.
    @Sendable func list(req: Request) throws -> Response {
        let unit = try req.requireUnit()
        let list = req.application.examStore.published(unitID: unit.id)
        return .json(.ok, "{\"exams\":[" + list.map(\.json).joined(separator: ",") + "]}", cache: "public, max-age=10")
    }

    /// `GET /api/v1/exams/{id}/results?sbd=…&ngay-sinh=YYYY-MM-DD`
    @Sendable func results(req: Request) throws -> Response {
        _ = try req.requireUnit()
        return Self.results(req, sessionKey: req.parameters.get("id"))
    }

    /// The answer for the route and the fast path alike.
    static func results(_ req: Request, sessionKey: String?) -> Response {
        guard let unit = req.unit else { return .json(.notFound, ExamLookup.noSessionJSON) }
        let answer = ExamLookup.answer(
            store: req.application.examStore, limiter: req.application.lookupLimiter, unitID: unit.id, sessionKey: sessionKey,
            query: (req.url.query ?? "")[...], clientAddress: req.clientAddress)
        let response = Response.json(HTTPResponseStatus(statusCode: answer.status), answer.body)
        if let wait = answer.retryAfter { response.headers.replaceOrAdd(name: "Retry-After", value: String(wait)) }
        return response
    }

    /// `GET /api/v1/exams/{id}/statistics`: the distribution per subject.
    @Sendable func statistics(req: Request) throws -> Response {
        let unit = try req.requireUnit()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let entry = req.application.examStore.entry(id),
            entry.unitID == unit.id, entry.isPublic(), let statistics = entry.statistics
        else { return .json(.notFound, ExamLookup.noSessionJSON) }
        let body = String(decoding: try JSONEncoder().encode(statistics), as: UTF8.self)
        return .json(.ok, "{\"exam\":\(entry.json),\"statistics\":\(body)}", cache: "public, max-age=60")
    }

    /// `GET /api/v1/diplomas?so-hieu=…&ho-ten=…&ngay-sinh=…`
    @Sendable func diploma(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        if let wait = req.application.lookupLimiter.refusal(for: req.clientAddress) {
            let response = Response.json(.tooManyRequests, ExamLookup.error(ExamLookup.rateLimitMessage(wait)))
            response.headers.replaceOrAdd(name: "Retry-After", value: String(wait))
            return response
        }
        if let problem = QueryString.problem(req.url.query ?? "") { return .json(.badRequest, ExamLookup.error(problem)) }
        switch try await ExamService.lookupDiploma(DiplomaQuery(QueryString.parse(req.url.query ?? "")), in: unit, on: req.db) {
        case .badRequest(let message): return .json(.badRequest, ExamLookup.error(message))
        case .notFound: return .json(.notFound, ExamLookup.error(ExamService.diplomaNotFound))
        case .found(let diploma, let origin):
            let body = String(decoding: try JSONEncoder().encode(DiplomaAnswer(diploma: .init(diploma, origin: origin))), as: UTF8.self)
            return .json(.ok, body)
        }
    }
}

/// The diploma API's answer.
struct DiplomaAnswer: Encodable {
    /// Unknown values are `null`, not left out: clients see every field.
    struct Diploma: Encodable {
        let fullName: String
        /// ISO 8601 date.
        let birthDate: String
        let kind: String
        let serial: String
        let registerNumber: String
        @NullEncoded var graduationYear: Int?
        let classification: String
        @NullEncoded var issuedOn: String?
        let issuer: String
        /// Where the register is from when a unit merged into this one kept it; null for the unit's own.
        @NullEncoded var origin: String?

        init(_ d: EduData.Diploma, origin: String) {
            fullName = d.fullName
            birthDate = ExamDate.iso(Int32(d.birthDate))
            kind = d.kind
            serial = d.serial
            registerNumber = d.registerNumber
            graduationYear = d.graduationYear > 0 ? d.graduationYear : nil
            classification = d.classification
            issuedOn = d.issuedOn > 0 ? ExamDate.iso(Int32(d.issuedOn)) : nil
            issuer = d.issuer
            self.origin = origin.isEmpty ? nil : origin
        }
    }

    let diploma: Diploma
}
