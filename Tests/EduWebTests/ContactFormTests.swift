import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

@Suite struct ContactFormTests {
    struct Challenge: Decodable {
        let token: String
        let bits: Int
    }

    func challenge(_ browser: Browser) async throws -> (String, String) {
        let page = try await browser.get("/lien-he/thu-thach")
        let challenge = try JSONDecoder().decode(Challenge.self, from: Data(page.body.utf8))
        #expect(challenge.bits >= 12)
        return (challenge.token, ProofOfWork.solve(token: challenge.token, bits: challenge.bits))
    }

    let message = ["name": "Nguyễn Thị Phụ Huynh", "email": "phuhuynh@example.vn", "phone": "0912 345 678",
                   "subject": "Hỏi về lịch học thêm", "body": "Xin hỏi nhà trường lịch học bồi dưỡng học sinh giỏi năm nay."]

    @Test func aSolvedMessageIsStoredListedAndForwarded() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("bientap@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
            let visitor = Browser(app: app, host: "a.test")
            #expect(try await visitor.get("/lien-he").body.contains("vanphong@th-a.edu.vn"))
            let (token, nonce) = try await challenge(visitor)
            var fields = message
            fields["pow-token"] = token
            fields["pow-nonce"] = nonce
            let sent = try await visitor.post("/lien-he", fields, csrf: "")
            #expect(sent.status == .ok)
            #expect(sent.body.contains("Đã nhận ý kiến"))
            #expect(try await ContactMessage.query(on: app.db).count() == 1)
            let notice = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(notice.recipients == "vanphong@th-a.edu.vn")
            #expect(notice.body.contains("bồi dưỡng học sinh giỏi"))
            // The same answer cannot be sent twice.
            #expect(try await visitor.post("/lien-he", fields, csrf: "").status == .unprocessableEntity)
            #expect(try await ContactMessage.query(on: app.db).count() == 1)

            let editor = Browser(app: app, host: "a.test")
            try await editor.login("bientap@a.edu.vn", Province.password)
            #expect(try await editor.get("/quan-tri/don-vi/th-a/y-kien").body.contains("Hỏi về lịch học thêm"))
        }
    }

    @Test func challengesAreSignedNotStoredAndExpire() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            let visitor = Browser(app: app, host: "a.test")
            for _ in 0..<50 { _ = try await visitor.get("/lien-he/thu-thach") }
            #expect(try await ContactChallenge.query(on: app.db).count() == 0)
            let key = try #require(app.eduConfig.serverKey)
            // A token with a changed difficulty, another server's, or an old one: not accepted.
            let (token, _) = try await challenge(visitor)
            var parts = token.split(separator: ".").map(String.init)
            parts[2] = "1"
            let easier = parts.joined(separator: ".")
            let foreign = ContactService.issueChallenge(bits: 12, key: .random()).token
            let old = ContactService.issueChallenge(bits: 12, key: key, now: Date().addingTimeInterval(-2 * 3600)).token
            for bad in [easier, foreign, old] {
                var fields = message
                fields["pow-token"] = bad
                fields["pow-nonce"] = ProofOfWork.solve(token: bad, bits: 1)
                let refused = try await visitor.post("/lien-he", fields, csrf: "")
                #expect(refused.status == .unprocessableEntity)
            }
            #expect(try await ContactMessage.query(on: app.db).count() == 0)
        }
    }

    @Test func robotsAndUnsolvedFormsGetNothingIn() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            let visitor = Browser(app: app, host: "a.test")
            // No proof of work: refused, what was typed is kept.
            let unsolved = try await visitor.post("/lien-he", message, csrf: "")
            #expect(unsolved.status == .unprocessableEntity)
            #expect(unsolved.body.contains("value=\"Hỏi về lịch học thêm\""))
            // A wrong nonce is refused too.
            let (token, _) = try await challenge(visitor)
            var wrong = message
            wrong["pow-token"] = token
            wrong["pow-nonce"] = "sai"
            #expect(try await visitor.post("/lien-he", wrong, csrf: "").status == .unprocessableEntity)
            // The honeypot: the robot is thanked and nothing is kept.
            var robot = message
            robot["website"] = "http://spam.example"
            #expect(try await visitor.post("/lien-he", robot, csrf: "").body.contains("Đã nhận ý kiến"))
            // Hostile text is escaped when shown back.
            var hostile = message
            hostile["subject"] = "<script>alert(1)</script>"
            let page = try await visitor.post("/lien-he", hostile, csrf: "")
            #expect(!page.body.contains("<script>alert(1)"))
            #expect(try await ContactMessage.query(on: app.db).count() == 0)
        }
    }

    @Test func oneAddressIsRateLimited() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            let visitor = Browser(app: app, host: "a.test")
            for _ in 0..<ContactController.perHour {
                let (token, nonce) = try await challenge(visitor)
                var fields = message
                fields["pow-token"] = token
                fields["pow-nonce"] = nonce
                #expect(try await visitor.post("/lien-he", fields, csrf: "").status == .ok)
            }
            let (token, nonce) = try await challenge(visitor)
            var fields = message
            fields["pow-token"] = token
            fields["pow-nonce"] = nonce
            let limited = try await visitor.post("/lien-he", fields, csrf: "")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.body.contains("nhiều ý kiến"))
        }
    }

    @Test func proofOfWorkCountsLeadingZeroBits() {
        #expect(ProofOfWork.leadingZeroBits([0, 0x0F, 0xFF]) == 12)
        #expect(ProofOfWork.leadingZeroBits([0x80]) == 0)
        let nonce = ProofOfWork.solve(token: "thu", bits: 10)
        #expect(ProofOfWork.verify(token: "thu", nonce: nonce, bits: 10))
        #expect(!ProofOfWork.verify(token: "khac", nonce: nonce, bits: 20))
    }
}
