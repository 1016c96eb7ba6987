import EduCore
import EduImport
import Foundation

/// The exam-results lookup rule (A8.11) and its JSON answer, shared by the results page, the API
/// route, the fast path before the router and the dedicated listener. No framework here: the
/// answer is a status code and a body. A wrong date of birth and an unknown SBD get the same
/// answer (same status, same body), so walking through SBDs reveals nothing.
enum ExamLookup {
    static let notFoundMessage = "Không tìm thấy kết quả với số báo danh và ngày sinh đã nhập. Vui lòng kiểm tra lại."
    static let notFoundMessageNoBirth = "Không tìm thấy kết quả với số báo danh đã nhập. Vui lòng kiểm tra lại."
    static let noSessionMessage = "Không có kỳ thi này hoặc kết quả chưa được công bố."
    static let notFoundJSON = error(notFoundMessage)
    static let notFoundNoBirthJSON = error(notFoundMessageNoBirth)
    static let noSessionJSON = error(noSessionMessage)

    static func error(_ message: String) -> String { "{\"error\":\(Escape.json(message))}" }

    static func rateLimitMessage(_ wait: Int) -> String {
        "Bạn tra cứu quá nhiều lần trong một phút. Vui lòng chờ \(wait) giây rồi thử lại."
    }

    enum Outcome {
        case found(ExamStore.Entry, ExamCandidate)
        case notFound(ExamStore.Entry)
        case badRequest(String)
        case noSession
    }

    /// The one rule: a published session of this unit, an SBD, and the birth date when the
    /// session asks for it.
    static func lookup(store: ExamStore, unitID: UUID, sessionKey: String?, sbd rawSBD: String?, birth rawBirth: String?) -> Outcome {
        let outcome = decide(store: store, unitID: unitID, sessionKey: sessionKey, sbd: rawSBD, birth: rawBirth)
        switch outcome {
        case .found: EduMetrics.lookup("found")
        case .notFound: EduMetrics.lookup("not_found")
        case .badRequest: EduMetrics.lookup("bad_request")
        case .noSession: EduMetrics.lookup("no_session")
        }
        return outcome
    }

    private static func decide(store: ExamStore, unitID: UUID, sessionKey: String?, sbd rawSBD: String?, birth rawBirth: String?) -> Outcome {
        guard let sessionKey, let entry = store.entry(key: sessionKey), entry.unitID == unitID, entry.isPublic(), let snapshot = entry.snapshot
        else { return .noSession }
        let sbd = QueryString.trimmed(rawSBD ?? "").uppercased()
        guard !sbd.isEmpty else { return .badRequest("Nhập số báo danh.") }
        guard sbd.utf8.count <= 20 else { return .notFound(entry) }
        var birth: Int32? = nil
        if entry.requireBirthDate {
            let text = String(QueryString.trimmed(rawBirth ?? ""))
            guard !text.isEmpty else { return .badRequest("Nhập ngày sinh (dd/mm/yyyy).") }
            guard let parsed = ExamDate.parse(text) else { return .badRequest("Ngày sinh không hợp lệ (viết dd/mm/yyyy).") }
            birth = parsed
        }
        guard let candidate = snapshot.candidate(sbd: sbd), birth == nil || candidate.birthDate == birth else { return .notFound(entry) }
        return .found(entry, candidate)
    }

    /// The results API's answer.
    struct Answer: Equatable {
        let status: Int
        let body: String
        var retryAfter: Int? = nil
    }

    /// `GET /api/v1/exams/{id}/results?sbd=…&ngay-sinh=…`, rate limit included.
    static func answer(
        store: ExamStore, limiter: LookupRateLimiter, unitID: UUID, sessionKey: String?, query: Substring,
        clientAddress: @autoclosure () -> String
    ) -> Answer {
        if let wait = limiter.refusal(for: clientAddress()) {
            return Answer(status: 429, body: error(rateLimitMessage(wait)), retryAfter: wait)
        }
        let items = QueryString.parse(query)
        switch lookup(store: store, unitID: unitID, sessionKey: sessionKey, sbd: items["sbd"], birth: items["ngay-sinh"]) {
        case .noSession: return Answer(status: 404, body: noSessionJSON)
        case .badRequest(let message): return Answer(status: 400, body: error(message))
        case .notFound(let entry): return Answer(status: 404, body: entry.requireBirthDate ? notFoundJSON : notFoundNoBirthJSON)
        case .found(let entry, let candidate): return Answer(status: 200, body: resultJSON(entry, candidate))
        }
    }

    /// Built by hand, not by an encoder: this is nearly every request on result day.
    static func resultJSON(_ entry: ExamStore.Entry, _ candidate: ExamCandidate) -> String {
        let subjects = entry.snapshot?.subjects ?? []
        var out = "{\"exam\":"
        out.reserveCapacity(entry.json.utf8.count + 160 + subjects.count * 48)
        out += entry.json
        // A session looked up by SBD alone shows scores and SBD, never who the candidate is:
        // otherwise walking the SBDs would list every pupil's name and birth date.
        if entry.requireBirthDate {
            out += ",\"candidate\":{\"sbd\":\(Escape.json(candidate.sbd)),\"fullName\":\(Escape.json(candidate.fullName))"
            out += ",\"birthDate\":\"\(ExamDate.iso(candidate.birthDate))\",\"gender\":\(Escape.json(candidate.genderText))"
        } else {
            out += ",\"candidate\":{\"sbd\":\(Escape.json(candidate.sbd)),\"fullName\":null,\"birthDate\":null,\"gender\":null"
        }
        out += ",\"council\":\(Escape.json(candidate.council)),\"note\":\(Escape.json(candidate.note))}"
        out += ",\"scores\":["
        for (i, subject) in subjects.enumerated() {
            if i > 0 { out += "," }
            let score = candidate.scores[i]
            out += "{\"subject\":\(Escape.json(subject)),\"score\":\(score == ExamScore.absent ? "null" : ExamScore.decimal(score))}"
        }
        out += "],\"total\":" + (candidate.total == ExamScore.absent ? "null" : ExamScore.decimal(candidate.total)) + "}"
        return out
    }

    /// `/api/v1/exams/<36-character id>/results`: the session key, or nil for any other path.
    static let resultsPrefix = "/api/v1/exams/"
    static let resultsSuffix = "/results"

    static func resultsSessionKey(path: Substring) -> String? {
        guard path.utf8.count == resultsPrefix.utf8.count + 36 + resultsSuffix.utf8.count, path.hasPrefix(resultsPrefix),
            path.hasSuffix(resultsSuffix)
        else { return nil }
        return String(path.dropFirst(resultsPrefix.count).dropLast(resultsSuffix.count))
    }
}

extension LookupRateLimiter {
    /// nil when this address may look up now, else the seconds to wait.
    func refusal(for address: String) -> Int? {
        guard perMinute > 0 else { return nil }
        let wait = check(ClientAddress.limitKeys(address))
        if wait != nil { EduMetrics.refused("lookup") }
        return wait
    }
}
