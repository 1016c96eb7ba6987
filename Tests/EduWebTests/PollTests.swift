import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Polls (#14 point 3): created by a unit's editorial head, one vote per person (signed cookie,
/// proof of work, per-address limit), results as a chart and table during or after the poll.
@Suite struct PollTests {
    struct Challenge: Decodable {
        let token: String
        let bits: Int
    }

    static func proof(_ browser: Browser) async throws -> [(String, String)] {
        let page = try await browser.get("/lien-he/thu-thach")
        let challenge = try JSONDecoder().decode(Challenge.self, from: Data(page.body.utf8))
        return [("pow-token", challenge.token), ("pow-nonce", ProofOfWork.solve(token: challenge.token, bits: challenge.bits))]
    }

    /// School A's editorial head, logged in, creates a poll; returns the head's browser and the poll.
    static func poll(_ app: Application, _ province: Province, multiple: Bool = false, resultsWhileOpen: Bool = true,
                     opens: TimeInterval = -3600, closes: TimeInterval = 86_400) async throws -> (Browser, Poll, [PollOption]) {
        try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
        let head = Browser(app: app, host: "a.test")
        try await head.login("truongban@a.edu.vn", Province.password)
        _ = try await head.get("/quan-tri/don-vi/th-a/binh-chon")
        var form = ["question": "Chọn giờ bắt đầu buổi học chiều", "details": "Ý kiến phụ huynh về giờ học buổi chiều năm học mới.",
                    "options": "13 giờ 30\n14 giờ\n14 giờ 30", "opensAt": AdmissionTests.moment(opens), "closesAt": AdmissionTests.moment(closes)]
        if multiple { form["multiple"] = "on" }
        if resultsWhileOpen { form["resultsWhileOpen"] = "on" }
        let created = try await head.post("/quan-tri/don-vi/th-a/binh-chon", form)
        #expect(created.status == .seeOther, "\(created.body.prefix(1500))")
        let poll = try #require(try await Poll.query(on: app.db).first())
        return (head, poll, try await PollService.options(of: poll, on: app.db))
    }

    @Test func onePersonVotesOnceAndSeesTheResults() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let (_, poll, options) = try await Self.poll(app, province)
            let path = "/binh-chon/\(try poll.requireID().uuidString.lowercased())"
            let parent = Browser(app: app, host: "a.test")
            let page = try await parent.get(path)
            #expect(page.status == .ok && page.body.contains("type=\"radio\"") && page.body.contains("14 giờ 30"))
            #expect(page.headers.first(name: .cacheControl) == "no-store")
            #expect(try await parent.get("/binh-chon").body.contains("Chọn giờ bắt đầu buổi học chiều"))

            // Without the proof of work (no JavaScript): refused, explained, nothing stored; the choice kept.
            let second = try options[1].requireID().uuidString.lowercased()
            let unsolved = try await parent.post(path, pairs: [("choice[]", second)])
            #expect(unsolved.status == .unprocessableEntity && unsolved.body.contains("cần bật JavaScript"))
            #expect(unsolved.body.contains("value=\"\(second)\" checked"))
            // Nothing chosen; two options in a single-choice poll; an option of no poll: refused.
            #expect(try await parent.post(path, pairs: try await Self.proof(parent)).body.contains("Chọn một phương án."))
            let first = try options[0].requireID().uuidString.lowercased()
            #expect(try await parent.post(path, pairs: [("choice[]", first), ("choice[]", second)] + (try await Self.proof(parent))).body.contains("Chỉ chọn một phương án."))
            #expect(try await parent.post(path, pairs: [("choice[]", UUID().uuidString)] + (try await Self.proof(parent))).body.contains("Phương án không có trong cuộc bình chọn này."))
            #expect(try await PollVote.query(on: app.db).count() == 0)

            let voted = try await parent.post(path, pairs: [("choice[]", second)] + (try await Self.proof(parent)))
            #expect(voted.status == .ok && voted.body.contains("Bạn đã bình chọn") && !voted.body.contains("Gửi bình chọn"))
            // The results: a chart with a text alternative and the table.
            #expect(voted.body.contains("<svg role=\"img\"") && voted.body.contains("<td>14 giờ</td><td>1</td><td>100,0%</td>"))
            #expect(try await PollVote.query(on: app.db).first()?.voterKey.count == 64)  // a hash, not the cookie
            #expect(!(try await PollVote.query(on: app.db).first()?.voterKey ?? "").contains("."))
            // The same person again (same cookie): refused; the proof is spent once.
            let again = try await parent.post(path, pairs: [("choice[]", first)] + (try await Self.proof(parent)))
            #expect(again.status == .unprocessableEntity && again.body.contains("Bạn đã bình chọn trong cuộc bình chọn này."))
            // A forged cookie is a new voter, not the signed one; its signature fails, so it cannot pose as someone else.
            let forger = Browser(app: app, host: "a.test")
            forger.cookies[PollController.cookieName] = (parent.cookies[PollController.cookieName] ?? "x.y").split(separator: ".")[0] + ".forged"
            #expect(try await forger.post(path, pairs: [("choice[]", first)] + (try await Self.proof(forger))).status == .ok)
            // A challenge used once does not count twice.
            let replayer = Browser(app: app, host: "a.test")
            let used = try await Self.proof(replayer)
            #expect(try await replayer.post(path, pairs: [("choice[]", first)] + used).status == .ok)
            let replay = Browser(app: app, host: "a.test")
            #expect(try await replay.post(path, pairs: [("choice[]", first)] + used).status == .conflict)
            #expect(try await PollVote.query(on: app.db).count() == 3)
            let results = try await Browser(app: app, host: "a.test").get(path)
            #expect(results.body.contains("<td>13 giờ 30</td><td>2</td><td>66,7%</td>") && results.body.contains("3 người đã bình chọn"))
            // Another unit's portal does not show the poll.
            #expect(try await Browser(app: app, host: "b.test").get(path).status == .notFound)
        }
    }

    @Test func resultsAfterTheEndAndTheAddressLimit() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let (head, poll, options) = try await Self.poll(app, province, multiple: true, resultsWhileOpen: false)
            let id = try poll.requireID().uuidString.lowercased()
            let path = "/binh-chon/\(id)"
            let a = try options[0].requireID().uuidString.lowercased(), c = try options[2].requireID().uuidString.lowercased()
            let voter = Browser(app: app, host: "a.test")
            let page = try await voter.get(path)
            #expect(page.body.contains("type=\"checkbox\"") && !page.body.contains("<svg") && page.body.contains("Kết quả được công bố khi cuộc bình chọn kết thúc"))
            let voted = try await voter.post(path, pairs: [("choice[]", a), ("choice[]", c)] + (try await Self.proof(voter)))
            #expect(voted.status == .ok && !voted.body.contains("<table"))
            #expect(try await PollBallot.query(on: app.db).count() == 2)
            // Past the per-address limit (all these visitors share one address): 429.
            for _ in 1..<PollService.perAddressPerHour {
                let other = Browser(app: app, host: "a.test")
                #expect(try await other.post(path, pairs: [("choice[]", a)] + (try await Self.proof(other))).status == .ok)
            }
            let over = Browser(app: app, host: "a.test")
            let refused = try await over.post(path, pairs: [("choice[]", a)] + (try await Self.proof(over)))
            #expect(refused.status == .tooManyRequests && refused.body.contains("quá nhiều lượt bình chọn"))

            // Only the unit's editorial heads manage it; a school editor cannot, another school's head cannot.
            try await province.user("bientap@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
            let editor = Browser(app: app, host: "a.test")
            try await editor.login("bientap@a.edu.vn", Province.password)
            #expect(try await editor.get("/quan-tri/don-vi/th-a/binh-chon").status == .forbidden)
            try await province.user("truongban@b.edu.vn", .truongBanBienTap, at: province.schoolB, app: app)
            let other = Browser(app: app, host: "b.test")
            try await other.login("truongban@b.edu.vn", Province.password)
            _ = try await other.get("/quan-tri/don-vi/thcs-b/binh-chon")
            #expect(try await other.post("/quan-tri/don-vi/thcs-b/binh-chon/\(id)/dong", [:]).status == .notFound)
            #expect(try await other.post("/quan-tri/don-vi/th-a/binh-chon/\(id)/dong", [:]).status == .notFound)

            // Closed early by its head: results for everyone, no more votes; audited.
            _ = try await head.get("/quan-tri/don-vi/th-a/binh-chon")
            #expect(try await head.post("/quan-tri/don-vi/th-a/binh-chon/\(id)/dong", [:]).status == .seeOther)
            let closed = try await Browser(app: app, host: "a.test").get(path)
            #expect(closed.body.contains("Đã kết thúc") && closed.body.contains("<td>13 giờ 30</td><td>30</td>") && !closed.body.contains("Gửi bình chọn"))
            let late = Browser(app: app, host: "a.test")
            #expect(try await late.post(path, pairs: [("choice[]", a)] + (try await Self.proof(late))).body.contains("Cuộc bình chọn đã kết thúc"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["poll.create", "poll.close"]).count() == 2)
        }
    }

    @Test func aPollNeedsAQuestionTwoDistinctOptionsAndAWindow() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let head = Browser(app: app, host: "a.test")
            try await head.login("truongban@a.edu.vn", Province.password)
            _ = try await head.get("/quan-tri/don-vi/th-a/binh-chon")
            let bad = try await head.post("/quan-tri/don-vi/th-a/binh-chon", [
                "question": "<script>alert(1)</script>Giờ học?", "options": "Sáng\nsáng", "opensAt": AdmissionTests.moment(0), "closesAt": AdmissionTests.moment(-60),
            ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("Có phương án trùng nhau.") && bad.body.contains("Thời điểm kết thúc phải sau thời điểm bắt đầu."))
            #expect(!bad.body.contains("<script>alert(1)</script>") && bad.body.contains("&lt;script&gt;"))
            #expect(try await Poll.query(on: app.db).count() == 0)
        }
    }
}
