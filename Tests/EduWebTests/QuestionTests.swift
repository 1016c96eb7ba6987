import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Questions and answers (#14 point 2): anyone asks (proof of work, hourly limit), staff route,
/// answer (the asker is e-mailed) and publish only with consent; the FAQ and the site search show
/// published answers without the asker's contact details.
@Suite struct QuestionTests {
    static func ask(_ browser: Browser, _ fields: [String: String]) async throws -> Browser.Page {
        let proof = try await PollTests.proof(browser)
        var all = fields
        for (key, value) in proof { all[key] = value }
        return try await browser.post("/hoi-dap", all, csrf: "")
    }

    static let question = ["name": "Trần Văn Phụ Huynh", "email": "phuhuynh@example.vn", "phone": "", "topic": "Tuyển sinh",
                           "question": "Con tôi sinh tháng 12 năm 2020 có được vào lớp 1 năm học 2026–2027 không?"]

    @Test func askedRoutedAnsweredAndPublishedOnlyWithConsent() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let department = Department()
            department.unitID = try province.schoolA.requireID()
            department.name = "Tổ chuyên môn khối 1"
            department.functions = ""
            department.headName = ""
            department.phone = ""
            department.email = "to1@a.edu.vn"
            department.position = 1
            try await department.create(on: app.db)
            let parent = Browser(app: app, host: "a.test")
            #expect(try await parent.get("/hoi-dap").body.contains("Chưa có câu hỏi nào được công khai"))

            // Faults are named and the input stays; without the proof of work nothing is stored.
            var bad = Self.question
            bad["email"] = ""
            bad["topic"] = "Chính trị"
            let refused = try await Self.ask(parent, bad)
            #expect(refused.status == .unprocessableEntity && refused.body.contains("Nhập thư điện tử hoặc số điện thoại") && refused.body.contains("Chọn chủ đề."))
            #expect(refused.body.contains("Con tôi sinh tháng 12"))
            #expect(try await parent.post("/hoi-dap", Self.question, csrf: "").body.contains("cần bật JavaScript"))
            #expect(try await Question.query(on: app.db).count() == 0)

            var consenting = Self.question
            consenting["consent"] = "on"
            consenting["question"] = "<img src=x onerror=alert(1)> Học sinh lớp 1 có phải mua đủ bộ sách giáo khoa mới không?"
            let sent = try await Self.ask(parent, consenting)
            #expect(sent.status == .ok && sent.body.contains("Đã nhận câu hỏi của bạn"))
            #expect(try await Self.ask(parent, Self.question).status == .ok)
            let questions = try await Question.query(on: app.db).sort(\.$createdAt).all()
            #expect(questions.count == 2 && questions[0].consentPublish && !questions[1].consentPublish)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$subject == "Câu hỏi mới qua cổng thông tin: Tuyển sinh").count() == 2)

            // Staff of the school see the queue; a contributor may not; another school cannot open it.
            try await province.user("bientap@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
            let editor = Browser(app: app, host: "a.test")
            try await editor.login("bientap@a.edu.vn", Province.password)
            let queue = try await editor.get("/quan-tri/don-vi/th-a/hoi-dap")
            #expect(queue.status == .ok && queue.body.contains("2 câu chờ trả lời") && queue.body.contains("&lt;img src=x"))
            #expect(!queue.body.contains("<img src=x"))
            try await province.user("ctv@a.edu.vn", .congTacVien, at: province.schoolA, app: app)
            let contributor = Browser(app: app, host: "a.test")
            try await contributor.login("ctv@a.edu.vn", Province.password)
            #expect(try await contributor.get("/quan-tri/don-vi/th-a/hoi-dap").status == .forbidden)
            let withConsent = try questions[0].requireID().uuidString.lowercased(), without = try questions[1].requireID().uuidString.lowercased()
            try await province.user("bientap@b.edu.vn", .bienTapVien, at: province.schoolB, app: app)
            let otherSchool = Browser(app: app, host: "b.test")
            try await otherSchool.login("bientap@b.edu.vn", Province.password)
            #expect(try await otherSchool.get("/quan-tri/don-vi/thcs-b/hoi-dap/\(withConsent)").status == .notFound)

            // Routed to a department of the unit (told by mail); another unit's department is refused.
            let page = "/quan-tri/don-vi/th-a/hoi-dap/\(withConsent)"
            _ = try await editor.get(page)
            #expect(try await editor.post(page + "/chuyen", ["department": UUID().uuidString]).body.contains("Chọn một phòng, ban của đơn vị."))
            #expect(try await editor.post(page + "/chuyen", ["department": try department.requireID().uuidString]).status == .seeOther)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipients == "to1@a.edu.vn").count() == 1)

            // Without consent the answer goes to the asker only.
            _ = try await editor.get("/quan-tri/don-vi/th-a/hoi-dap/\(without)")
            let notPublic = try await editor.post("/quan-tri/don-vi/th-a/hoi-dap/\(without)/tra-loi",
                                                  ["answer": "Trẻ sinh năm 2020 vào lớp 1 năm học 2026–2027.", "publish": "on"])
            #expect(notPublic.status == .unprocessableEntity && notPublic.body.contains("Người hỏi không đồng ý công khai"))
            #expect(notPublic.body.contains("Trẻ sinh năm 2020 vào lớp 1"))
            #expect(try await editor.post("/quan-tri/don-vi/th-a/hoi-dap/\(without)/tra-loi", ["answer": "Trẻ sinh năm 2020 vào lớp 1 năm học 2026–2027."]).status == .seeOther)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$subject == "Trả lời câu hỏi của bạn: Tuyển sinh").count() == 1)

            // With consent: published in the FAQ and the site search, without the asker's contact details.
            #expect(try await editor.post(page + "/tra-loi", ["answer": "Nhà trường chỉ yêu cầu sách giáo khoa trong danh mục đã công bố.", "publish": "on"]).status == .seeOther)
            let faq = try await parent.get("/hoi-dap")
            #expect(faq.body.contains("Học sinh lớp 1 có phải mua đủ bộ sách") && !faq.body.contains("Trẻ sinh năm 2020"))
            #expect(!faq.body.contains("<img src=x"))
            let detail = try await parent.get("/hoi-dap/\(withConsent)")
            #expect(detail.status == .ok && detail.body.contains("danh mục đã công bố") && !detail.body.contains("phuhuynh@example.vn"))
            #expect(try await parent.get("/hoi-dap/\(without)").status == .notFound)
            #expect(try await Browser(app: app, host: "b.test").get("/hoi-dap/\(withConsent)").status == .notFound)
            let search = try await parent.get("/tim-kiem?q=sach+giao+khoa&loai=question")
            #expect(search.body.contains("/hoi-dap/\(withConsent)"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["question.route", "question.answer"]).count() == 3)
            let figures = try await editor.get("/quan-tri/don-vi/th-a/hoi-dap")
            #expect(figures.body.contains("0 câu chờ trả lời") && figures.body.contains("2 đã trả lời"))
        }
    }

    @Test func askingIsLimitedPerAddress() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            let visitor = Browser(app: app, host: "a.test")
            for _ in 0..<QuestionService.perHour { #expect(try await Self.ask(visitor, Self.question).status == .ok) }
            let over = try await Self.ask(visitor, Self.question)
            #expect(over.status == .tooManyRequests && over.body.contains("nhiều câu hỏi trong một giờ qua"))
            #expect(try await Question.query(on: app.db).count() == QuestionService.perHour)
        }
    }

    @Test func overdueQuestionsReachTheDashboardAndTheHeadsOnce() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            #expect(try await Self.ask(Browser(app: app, host: "a.test"), Self.question).status == .ok)
            let question = try #require(try await Question.query(on: app.db).first())
            let links = NoticeLinks(base: "http://portal.test")
            #expect(try await QuestionService.notifyOverdue(links: links, on: app.db) == 0)  // not yet due
            let later = question.dueAt.addingTimeInterval(3600)
            #expect(try await QuestionService.notifyOverdue(now: later, links: links, on: app.db) == 1)
            let notice = try #require(try await OutboxMessage.query(on: app.db).filter(\.$subject ~~ "quá hạn").first())
            #expect(notice.recipients.contains("truongban@a.edu.vn") && notice.body.contains("/quan-tri/don-vi/th-a/hoi-dap?trang-thai=qua-han"))
            #expect(try await QuestionService.notifyOverdue(now: later.addingTimeInterval(86_400), links: links, on: app.db) == 0)  // once
            // The dashboard lists it for the school's head once it is past due.
            question.dueAt = Date().addingTimeInterval(-60)
            try await question.save(on: app.db)
            let head = Browser(app: app, host: "a.test")
            try await head.login("truongban@a.edu.vn", Province.password)
            let dashboard = try await head.get(SiteURL.adminDeadlines.path)
            #expect(dashboard.body.contains("Câu hỏi của người dân quá hạn trả lời") && dashboard.body.contains(">1 câu hỏi</a>"))
        }
    }
}
