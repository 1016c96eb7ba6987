import EduCore
import EduData
import EduImport
import Fluent
import Foundation
import Vapor

/// Exam-score lookup (A8.11) and diploma lookup (A8.12), as pages and JSON. Scores come from
/// the in-memory `ExamStore`: a lookup costs no query, so result day is served from memory.
/// A wrong date of birth and an unknown SBD get the same answer (same status, same body), so
/// walking through SBDs reveals nothing.
struct ExamLookupController {
    static let notFoundMessage = "Không tìm thấy kết quả với số báo danh và ngày sinh đã nhập. Vui lòng kiểm tra lại."
    static let notFoundMessageNoBirth = "Không tìm thấy kết quả với số báo danh đã nhập. Vui lòng kiểm tra lại."
    static let notFoundJSON = "{\"error\":\(Escape.json(notFoundMessage))}"
    static let notFoundNoBirthJSON = "{\"error\":\(Escape.json(notFoundMessageNoBirth))}"
    static let noSessionJSON = "{\"error\":\(Escape.json("Không có kỳ thi này hoặc kết quả chưa được công bố."))}"

    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.apiExams.routePath, use: apiList)
        routes.get(SiteURL.apiExamResults(id: .key).routePath, use: apiResults)
        routes.get(SiteURL.apiExamStatistics(id: .key).routePath, use: apiStatistics)
        routes.get(SiteURL.examLookup.routePath, use: lookupPage)
        routes.get(SiteURL.examResult.routePath, use: resultPage)
        routes.get(SiteURL.examStatistics(id: .key).routePath, use: statisticsPage)
        routes.get(SiteURL.diplomaLookup.routePath, use: diplomaPage)
        routes.get(SiteURL.apiDiplomas.routePath, use: apiDiploma)
    }

    // MARK: - JSON

    static func json(_ status: HTTPResponseStatus, _ body: String, cache: String = "no-store") -> Response {
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: "application/json; charset=utf-8")
        headers.add(name: .cacheControl, value: cache)
        return Response(status: status, headers: headers, body: .init(string: body))
    }

    static func jsonError(_ status: HTTPResponseStatus, _ message: String) -> Response {
        json(status, "{\"error\":\(Escape.json(message))}")
    }

    static func rateLimitMessage(_ wait: Int) -> String {
        "Bạn tra cứu quá nhiều lần trong một phút. Vui lòng chờ \(wait) giây rồi thử lại."
    }

    /// Rate limit per address; a Vietnamese message with `Retry-After` when exceeded.
    static func limited(_ req: Request, json: Bool) -> Response? {
        let limiter = req.application.lookupLimiter
        guard limiter.perMinute > 0, let wait = limiter.check(ClientAddress.rateLimitKey(req.clientAddress)) else { return nil }
        let message = Self.rateLimitMessage(wait)
        let response: Response
        if json {
            response = jsonError(.tooManyRequests, message)
        } else {
            response = req.theme.render("exam-lookup", LookupPage.make(req, sessions: req.application.examStore.published(unitID: req.unit?.id ?? UUID()), selected: nil, error: message), status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        response.headers.replaceOrAdd(name: "Retry-After", value: String(wait))
        return response
    }

    /// `GET /api/v1/exams`: the unit's published sessions.
    @Sendable func apiList(req: Request) throws -> Response {
        let unit = try req.requireUnit()
        let list = req.application.examStore.published(unitID: unit.id)
        return Self.json(.ok, "{\"exams\":[" + list.map(\.json).joined(separator: ",") + "]}", cache: "public, max-age=10")
    }

    enum Lookup {
        case found(ExamStore.Entry, ExamCandidate)
        case notFound(ExamStore.Entry)
        case badRequest(String)
        case noSession
    }

    /// The one lookup rule both the page and the API follow.
    static func lookup(_ req: Request, sessionID: String?, sbd rawSBD: String?, birth rawBirth: String?) -> Lookup {
        guard let unitID = req.unit?.id else { return .noSession }
        return lookup(store: req.application.examStore, unitID: unitID, sessionID: sessionID, sbd: rawSBD, birth: rawBirth)
    }

    static func lookup(store: ExamStore, unitID: UUID, sessionID: String?, sbd rawSBD: String?, birth rawBirth: String?) -> Lookup {
        guard let sessionID, let entry = store.entry(key: sessionID),
              entry.unitID == unitID, entry.isPublic(), let snapshot = entry.snapshot
        else { return .noSession }
        let sbd = trimmed(rawSBD ?? "").uppercased()
        guard !sbd.isEmpty else { return .badRequest("Nhập số báo danh.") }
        guard sbd.utf8.count <= 20 else { return .notFound(entry) }
        var birth: Int32? = nil
        if entry.requireBirthDate {
            let text = String(trimmed(rawBirth ?? ""))
            guard !text.isEmpty else { return .badRequest("Nhập ngày sinh (dd/mm/yyyy).") }
            guard let parsed = ExamDate.parse(text) else { return .badRequest("Ngày sinh không hợp lệ (viết dd/mm/yyyy).") }
            birth = parsed
        }
        guard let candidate = snapshot.candidate(sbd: sbd), birth == nil || candidate.birthDate == birth else { return .notFound(entry) }
        return .found(entry, candidate)
    }

    /// `GET /api/v1/exams/{id}/results?sbd=…&ngay-sinh=YYYY-MM-DD`
    @Sendable func apiResults(req: Request) throws -> Response {
        _ = try req.requireUnit()
        return Self.results(req, sessionKey: req.parameters.get("id"))
    }

    static func results(_ req: Request, sessionKey: String?) -> Response {
        guard let unitID = req.unit?.id else { return Self.json(.notFound, Self.noSessionJSON) }
        let answer = Self.answer(store: req.application.examStore, limiter: req.application.lookupLimiter, unitID: unitID, sessionKey: sessionKey,
                                 query: req.url.query ?? "", clientAddress: req.clientAddress)
        let response = Self.json(answer.status, answer.body)
        if let wait = answer.retryAfter { response.headers.replaceOrAdd(name: "Retry-After", value: String(wait)) }
        return response
    }

    /// The results API's answer, for the Vapor route and the dedicated lookup listener alike.
    struct Answer {
        let status: HTTPResponseStatus
        let body: String
        var retryAfter: Int? = nil
    }

    static func answer(store: ExamStore, limiter: LookupRateLimiter, unitID: UUID, sessionKey: String?, query rawQuery: String,
                       clientAddress: @autoclosure () -> String) -> Answer {
        if limiter.perMinute > 0, let wait = limiter.check(ClientAddress.rateLimitKey(clientAddress())) {
            return Answer(status: .tooManyRequests, body: "{\"error\":\(Escape.json(Self.rateLimitMessage(wait)))}", retryAfter: wait)
        }
        let query = Self.queryItems(rawQuery)
        switch Self.lookup(store: store, unitID: unitID, sessionID: sessionKey, sbd: query["sbd"], birth: query["ngay-sinh"]) {
        case .noSession:
            return Answer(status: .notFound, body: Self.noSessionJSON)
        case .badRequest(let message):
            return Answer(status: .badRequest, body: "{\"error\":\(Escape.json(message))}")
        case .notFound(let entry):
            return Answer(status: .notFound, body: entry.requireBirthDate ? Self.notFoundJSON : Self.notFoundNoBirthJSON)
        case .found(let entry, let candidate):
            let subjects = entry.snapshot?.subjects ?? []
            var out = "{\"exam\":"
            out.reserveCapacity(entry.json.utf8.count + 160 + subjects.count * 48)
            out += entry.json
            out += ",\"candidate\":{\"sbd\":\(Escape.json(candidate.sbd)),\"fullName\":\(Escape.json(candidate.fullName))"
            out += ",\"birthDate\":\"\(ExamDate.iso(candidate.birthDate))\",\"gender\":\(Escape.json(candidate.genderText))"
            out += ",\"council\":\(Escape.json(candidate.council)),\"note\":\(Escape.json(candidate.note))}"
            out += ",\"scores\":["
            for (i, subject) in subjects.enumerated() {
                if i > 0 { out += "," }
                let score = candidate.scores[i]
                out += "{\"subject\":\(Escape.json(subject)),\"score\":\(score == ExamScore.absent ? "null" : ExamScore.decimal(score))}"
            }
            out += "],\"total\":" + (candidate.total == ExamScore.absent ? "null" : ExamScore.decimal(candidate.total)) + "}"
            return Answer(status: .ok, body: out)
        }
    }

    /// Query parameters without Vapor's decoder or Foundation (this is the hot path on result
    /// day): `+` is a space, `%XX` a byte, invalid UTF-8 is repaired.
    static func queryItems(_ req: Request) -> [String: String] {
        queryItems(req.url.query ?? "")
    }

    static func queryItems(_ query: String) -> [String: String] {
        guard !query.isEmpty, query.utf8.count <= 2000 else { return [:] }
        var items: [String: String] = [:]
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), maxSplits: 20) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first, !key.isEmpty else { continue }
            items[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return items
    }

    static func decode(_ bytes: Substring.UTF8View.SubSequence) -> String {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            case 0x61...0x66: b - 0x61 + 10
            default: nil
            }
        }
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(0x20)
            } else if b == UInt8(ascii: "%"), let j = bytes.index(i, offsetBy: 2, limitedBy: bytes.index(before: bytes.endIndex)),
                      let hi = hex(bytes[bytes.index(after: i)]), let lo = hex(bytes[j]) {
                out.append(hi << 4 | lo)
                i = j
            } else {
                out.append(b)
            }
            i = bytes.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Spaces and tabs off both ends, without Foundation.
    static func trimmed(_ text: String) -> Substring {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        return text[first...last]
    }

    /// `GET /api/v1/exams/{id}/statistics`: the distribution per subject.
    @Sendable func apiStatistics(req: Request) throws -> Response {
        let unit = try req.requireUnit()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let entry = req.application.examStore.entry(id),
              entry.unitID == unit.id, entry.isPublic(), let statistics = entry.statistics
        else { return Self.jsonError(.notFound, "Không có kỳ thi này hoặc kết quả chưa được công bố.") }
        let body = String(decoding: try JSONEncoder().encode(statistics), as: UTF8.self)
        return Self.json(.ok, "{\"exam\":\(entry.json),\"statistics\":\(body)}", cache: "public, max-age=60")
    }

    // MARK: - Pages

    struct LookupPage {
        struct SessionRow {
            let id: String
            let label: String
            let name: String
            let kind: String
            let year: Int
            let candidates: String
            let version: Int
            let updated: String
            let statisticsURL: String
            let selected: Bool
        }

        let layout: LayoutVM
        let sessions: [SessionRow]
        let action: String
        let sbd: String
        let birth: String
        let error: String?
        let needsBirth: Bool

        static func make(_ req: Request, sessions: [ExamStore.Entry], selected: UUID?, sbd: String = "", birth: String = "", error: String? = nil) -> LookupPage {
            let chosen = selected ?? sessions.first?.sessionID
            return LookupPage(
                layout: LayoutVM.make(req, title: "Tra cứu điểm thi", admin: false),
                sessions: sessions.map { entry in
                    SessionRow(
                        id: entry.sessionID.uuidString.lowercased(), label: "\(entry.name) (\(entry.kind.label) \(entry.year))", name: entry.name,
                        kind: entry.kind.label, year: entry.year, candidates: VietnameseNumber.grouped(entry.candidateCount), version: entry.version,
                        updated: entry.importedAt.map(VietnameseDate.dateTime) ?? "", statisticsURL: SiteURL.examStatistics(id: .value(entry.sessionID.uuidString.lowercased())).path,
                        selected: entry.sessionID == chosen)
                },
                action: SiteURL.examResult.path, sbd: sbd, birth: birth, error: error,
                needsBirth: sessions.contains { $0.requireBirthDate } || sessions.isEmpty)
        }
    }

    @Sendable func lookupPage(req: Request) throws -> Response {
        let unit = try req.requireUnit()
        let sessions = req.application.examStore.published(unitID: unit.id)
        let response = req.theme.render("exam-lookup", LookupPage.make(req, sessions: sessions, selected: nil))
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=10")
        return response
    }

    struct ResultPage {
        struct Score {
            let subject: String
            let score: String
            let absent: Bool
        }

        let layout: LayoutVM
        let examName: String
        let examKind: String
        let version: Int
        let updated: String
        let sbd: String
        let fullName: String
        let birthDate: String
        let gender: String
        let council: String
        let note: String
        let scores: [Score]
        let total: String
        let lookupURL: String
        let statisticsURL: String
    }

    /// `GET /tra-cuu-diem-thi/ket-qua?ky=…&sbd=…&ngay-sinh=…`
    @Sendable func resultPage(req: Request) throws -> Response {
        let unit = try req.requireUnit()
        if let response = Self.limited(req, json: false) { return response }
        let query = Self.queryItems(req)
        let sessions = req.application.examStore.published(unitID: unit.id)
        let selected = query["ky"].flatMap(UUID.init(uuidString:))
        let sbd = String((query["sbd"] ?? "").prefix(20)), birth = String((query["ngay-sinh"] ?? "").prefix(20))
        func form(_ message: String, _ status: HTTPResponseStatus) -> Response {
            let response = req.theme.render("exam-lookup", LookupPage.make(req, sessions: sessions, selected: selected, sbd: sbd, birth: birth, error: message), status: status)
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }
        switch Self.lookup(req, sessionID: query["ky"], sbd: query["sbd"], birth: query["ngay-sinh"]) {
        case .noSession:
            return form("Chọn kỳ thi đã công bố kết quả.", .notFound)
        case .badRequest(let message):
            return form(message, .badRequest)
        case .notFound(let entry):
            return form(entry.requireBirthDate ? Self.notFoundMessage : Self.notFoundMessageNoBirth, .notFound)
        case .found(let entry, let candidate):
            let subjects = entry.snapshot?.subjects ?? []
            let page = ResultPage(
                layout: LayoutVM.make(req, title: "Kết quả thi – \(entry.name)", admin: false),
                examName: entry.name, examKind: "\(entry.kind.label) \(entry.year)", version: entry.version,
                updated: entry.importedAt.map(VietnameseDate.dateTime) ?? "", sbd: candidate.sbd, fullName: candidate.fullName,
                birthDate: ExamDate.vietnamese(candidate.birthDate), gender: candidate.genderText, council: candidate.council, note: candidate.note,
                // Subjects the candidate has no score in (electives not taken) are left out; the note says why when it matters.
                scores: subjects.enumerated().compactMap { i, subject in
                    let score = candidate.scores[i]
                    return score == ExamScore.absent ? nil : ResultPage.Score(subject: subject, score: ExamScore.text(score), absent: false)
                },
                total: candidate.total == ExamScore.absent ? "" : ExamScore.text(candidate.total), lookupURL: SiteURL.examLookup.path,
                statisticsURL: SiteURL.examStatistics(id: .value(entry.sessionID.uuidString.lowercased())).path)
            let response = req.theme.render("exam-result", page)
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }
    }

    struct StatisticsPage {
        struct SubjectRow {
            let name: String
            let count: String
            let mean: String
            let median: String
            let belowOne: String
            let atLeastHalf: String
            let chart: String
            let bins: [Bin]
            let tableID: String
        }

        struct Bin {
            let range: String
            let count: String
        }

        let layout: LayoutVM
        let examName: String
        let version: Int
        let candidates: String
        let subjects: [SubjectRow]
        let lookupURL: String
        let half: String
    }

    /// `GET /tra-cuu-diem-thi/pho-diem/{id}`: score distribution charts with counts, mean and median.
    @Sendable func statisticsPage(req: Request) throws -> Response {
        let unit = try req.requireUnit()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let entry = req.application.examStore.entry(id),
              entry.unitID == unit.id, entry.isPublic(), let statistics = entry.statistics
        else { throw AppError(.notFound, "Không có kỳ thi này hoặc kết quả chưa được công bố.") }
        let page = StatisticsPage(
            layout: LayoutVM.make(req, title: "Phổ điểm – \(entry.name)", admin: false,
                                  breadcrumbs: [.init(label: "Tra cứu điểm thi", url: SiteURL.examLookup.path)]),
            examName: entry.name, version: entry.version, candidates: VietnameseNumber.grouped(entry.candidateCount),
            subjects: statistics.subjects.enumerated().map { i, subject in
                StatisticsPage.SubjectRow(
                    name: subject.name, count: VietnameseNumber.grouped(subject.count), mean: ExamScore.text(points: subject.mean), median: ExamScore.text(points: subject.median),
                    belowOne: VietnameseNumber.grouped(subject.belowOne), atLeastHalf: VietnameseNumber.grouped(subject.atLeastHalf),
                    chart: i < entry.charts.count ? entry.charts[i] : "",
                    bins: ScoreChart.bins(subject, maxScore: statistics.maxScore).map {
                        StatisticsPage.Bin(range: "\(ExamScore.text(points: Double($0.from) / 100)) – \(ExamScore.text(points: Double($0.to) / 100))", count: VietnameseNumber.grouped($0.count))
                    },
                    tableID: "bang-pho-diem-\(i + 1)")
            },
            lookupURL: SiteURL.examLookup.path, half: ExamScore.text(points: statistics.maxScore / 2))
        let response = req.theme.render("exam-statistics", page)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        return response
    }

    // MARK: - Diplomas

    struct DiplomaPage {
        struct Found {
            let fullName: String
            let birthDate: String
            let kind: String
            let serial: String
            let registerNumber: String
            let graduationYear: String
            let classification: String
            let issuedOn: String
            let issuer: String
        }

        let layout: LayoutVM
        let action: String
        let serial: String
        let name: String
        let birth: String
        let error: String?
        let found: Found?
        let count: String
    }

    enum DiplomaLookup {
        case found(Diploma)
        case notFound
        case badRequest(String)
    }

    static let diplomaNotFound = "Không tìm thấy văn bằng, chứng chỉ khớp với số hiệu, họ tên và ngày sinh đã nhập. Vui lòng kiểm tra lại."

    static func lookupDiploma(_ req: Request, serial: String, name: String, birth: String) async throws -> DiplomaLookup {
        let unitID = try req.requireUnit().id
        guard !serial.isEmpty else { return .badRequest("Nhập số hiệu văn bằng, chứng chỉ.") }
        guard !name.isEmpty else { return .badRequest("Nhập họ và tên.") }
        guard let birthDate = ExamDate.parse(birth) else { return .badRequest("Nhập ngày sinh hợp lệ (dd/mm/yyyy).") }
        guard let diploma = try await ExamService.findDiploma(unitID: unitID, serial: serial, name: name, birthDate: birthDate, on: req.db) else {
            return .notFound
        }
        return .found(diploma)
    }

    static func found(_ d: Diploma) -> DiplomaPage.Found {
        DiplomaPage.Found(
            fullName: d.fullName, birthDate: ExamDate.vietnamese(Int32(d.birthDate)), kind: d.kind, serial: d.serial, registerNumber: d.registerNumber,
            graduationYear: d.graduationYear > 0 ? String(d.graduationYear) : "", classification: d.classification,
            issuedOn: d.issuedOn > 0 ? ExamDate.vietnamese(Int32(d.issuedOn)) : "", issuer: d.issuer)
    }

    /// `GET /tra-cuu-van-bang` (with `so-hieu`, `ho-ten`, `ngay-sinh` once the form is sent).
    @Sendable func diplomaPage(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let query = Self.queryItems(req)
        let serial = TextNormalizer.normalize(query["so-hieu"] ?? "", maxLength: 40)
        let name = TextNormalizer.normalize(query["ho-ten"] ?? "", maxLength: 100)
        let birth = TextNormalizer.normalize(query["ngay-sinh"] ?? "", maxLength: 20)
        let count = try await Diploma.query(on: req.db).filter(\.$unitID == unit.id).count()
        func page(_ error: String?, _ found: DiplomaPage.Found?, _ status: HTTPResponseStatus) -> Response {
            let response = req.theme.render("diploma-lookup", DiplomaPage(
                layout: LayoutVM.make(req, title: "Tra cứu văn bằng, chứng chỉ", admin: false), action: SiteURL.diplomaLookup.path,
                serial: serial, name: name, birth: birth, error: error, found: found, count: VietnameseNumber.grouped(count)), status: status)
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }
        guard query["so-hieu"] != nil || query["ho-ten"] != nil else { return page(nil, nil, .ok) }
        if let response = Self.limited(req, json: false) { return response }
        switch try await Self.lookupDiploma(req, serial: serial, name: name, birth: birth) {
        case .badRequest(let message): return page(message, nil, .badRequest)
        case .notFound: return page(Self.diplomaNotFound, nil, .notFound)
        case .found(let diploma): return page(nil, Self.found(diploma), .ok)
        }
    }

    /// `GET /api/v1/diplomas?so-hieu=…&ho-ten=…&ngay-sinh=…`
    @Sendable func apiDiploma(req: Request) async throws -> Response {
        _ = try req.requireUnit()
        if let response = Self.limited(req, json: true) { return response }
        let query = Self.queryItems(req)
        let result = try await Self.lookupDiploma(
            req, serial: TextNormalizer.normalize(query["so-hieu"] ?? "", maxLength: 40), name: TextNormalizer.normalize(query["ho-ten"] ?? "", maxLength: 100),
            birth: TextNormalizer.normalize(query["ngay-sinh"] ?? "", maxLength: 20))
        switch result {
        case .badRequest(let message): return Self.jsonError(.badRequest, message)
        case .notFound: return Self.jsonError(.notFound, Self.diplomaNotFound)
        case .found(let d):
            let f = Self.found(d)
            return Self.json(.ok, "{\"diploma\":{\"fullName\":\(Escape.json(f.fullName)),\"birthDate\":\"\(ExamDate.iso(Int32(d.birthDate)))\",\"kind\":\(Escape.json(f.kind)),\"serial\":\(Escape.json(f.serial)),\"registerNumber\":\(Escape.json(f.registerNumber)),\"graduationYear\":\(d.graduationYear > 0 ? String(d.graduationYear) : "null"),\"classification\":\(Escape.json(f.classification)),\"issuedOn\":\(d.issuedOn > 0 ? "\"" + ExamDate.iso(Int32(d.issuedOn)) + "\"" : "null"),\"issuer\":\(Escape.json(f.issuer))}}")
        }
    }
}

/// Answers `GET /api/v1/exams/{id}/results` before Vapor's router: on result day this is nearly
/// every request, and the router percent-decodes each path component through Foundation. The
/// route stays registered (same handler) for anything this shortcut does not recognise.
struct ExamLookupFastPath: Middleware {
    static let prefix = "/api/v1/exams/"
    static let suffix = "/results"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method == .GET, request.unit != nil else { return next.respond(to: request) }
        let path = request.path
        guard path.utf8.count == Self.prefix.utf8.count + 36 + Self.suffix.utf8.count, path.hasPrefix(Self.prefix), path.hasSuffix(Self.suffix) else {
            return next.respond(to: request)
        }
        let key = String(path.dropFirst(Self.prefix.count).dropLast(Self.suffix.count))
        return request.eventLoop.makeSucceededFuture(ExamLookupController.results(request, sessionKey: key))
    }
}
