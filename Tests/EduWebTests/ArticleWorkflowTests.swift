import EduCore
import EduData
import EduMail
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// The editorial workflow driven through the admin, as each role, with the public site checked
/// at every step.
@Suite struct ArticleWorkflowTests {
    struct Board {
        let province: Province
        let contributor: Browser
        let editor: Browser
        let head: Browser
        let categoryID: String
    }

    func board(_ app: Application) async throws -> Board {
        let province = try await Province.make(on: app.db)
        try await province.user("ctv@a.edu.vn", .congTacVien, at: province.schoolA, app: app)
        try await province.user("bientap@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
        try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
        var browsers: [Browser] = []
        for email in ["ctv@a.edu.vn", "bientap@a.edu.vn", "truongban@a.edu.vn"] {
            let browser = Browser(app: app, host: "a.test")
            try await browser.login(email, Province.password)
            browsers.append(browser)
        }
        let category = try #require(try await Category.find(unitID: province.schoolA.requireID(), slug: "tin-tuc-su-kien", on: app.db))
        return Board(province: province, contributor: browsers[0], editor: browsers[1], head: browsers[2],
                     categoryID: try category.requireID().uuidString)
    }

    func create(_ browser: Browser, board: Board, title: String, body: String = "<p>Nội dung bài viết về lễ khai giảng.</p>") async throws -> Article {
        try await browser.get("/quan-tri/don-vi/th-a/bai-viet/moi")
        let page = try await browser.post(
            "/quan-tri/don-vi/th-a/bai-viet/moi",
            ["title": title, "category": board.categoryID, "summary": "Tóm tắt ngắn.", "body": body,
             "authorName": "Nguyễn Thị Hoa", "source": "Báo Giáo dục và Thời đại"])
        #expect(page.status == .seeOther, "\(page.body)")
        return try #require(try await Article.query(on: browser.app.db).filter(\.$title == title).first())
    }

    func move(_ browser: Browser, _ article: Article, _ transition: String, _ extra: [String: String] = [:]) async throws -> Browser.Page {
        let path = "/quan-tri/don-vi/th-a/bai-viet/\(try article.requireID().uuidString)"
        try await browser.get(path)
        var fields = extra
        fields["transition"] = transition
        return try await browser.post(path + "/chuyen-trang-thai", fields)
    }

    func state(_ article: Article, _ app: Application) async throws -> ContentState? {
        try await Article.find(article.requireID(), on: app.db)?.state
    }

    @Test func wholeWorkflowAsEachRoleWithRefusals() async throws {
        try await TestApp.run { app in
            let board = try await board(app)
            let article = try await create(board.contributor, board: board,
                                           title: "Lễ khai giảng năm học 2026–2027",
                                           body: "<p>Buổi lễ <strong>trang trọng</strong>.</p><script>alert(1)</script><img src=x onerror=alert(1)>")
            #expect(article.state == .nhap)
            #expect(!article.bodyHTML.contains("script"))
            #expect(!article.bodyHTML.contains("onerror"))
            let publicPath = "/bai-viet/" + article.slug
            let visitor = Browser(app: app, host: "a.test")
            #expect(try await visitor.get(publicPath).status == .notFound)  // draft
            // Empty fields show nothing: no return comment box on a fresh draft.
            let fresh = try await board.contributor.get("/quan-tri/don-vi/th-a/bai-viet/\(try article.requireID().uuidString)")
            #expect(!fresh.body.contains("Ý kiến khi trả lại"))

            // A contributor cannot approve or publish.
            #expect(try await move(board.contributor, article, "duyet").status == .forbidden)
            #expect(try await move(board.contributor, article, "dang").status == .forbidden)
            #expect(try await state(article, app) == .nhap)

            #expect(try await move(board.contributor, article, "gui-duyet").status == .seeOther)
            #expect(try await state(article, app) == .choDuyet)
            #expect(try await visitor.get(publicPath).status == .notFound)
            let submitted = try await OutboxMessage.query(on: app.db).all()
            #expect(submitted.contains { $0.recipients.contains("bientap@a.edu.vn") && $0.recipients.contains("truongban@a.edu.vn") })

            // An editor returns it, and must say why.
            let silent = try await move(board.editor, article, "tra-lai")
            #expect(silent.status == .unprocessableEntity)
            #expect(silent.body.contains("Nhập ý kiến"))
            #expect(try await move(board.editor, article, "tra-lai", ["comment": "Bổ sung ảnh và tên người phát biểu."]).status == .seeOther)
            #expect(try await state(article, app) == .traLai)
            #expect(try await visitor.get(publicPath).status == .notFound)
            #expect(try await OutboxMessage.query(on: app.db).all().contains { $0.recipients == "ctv@a.edu.vn" && $0.body.contains("Bổ sung ảnh") })
            let returned = try await board.contributor.get("/quan-tri/don-vi/th-a/bai-viet/\(try article.requireID().uuidString)")
            #expect(returned.body.contains("Bổ sung ảnh và tên người phát biểu."))

            // The author fixes it and submits again; an editor cannot approve.
            try await board.contributor.get("/quan-tri/don-vi/th-a/bai-viet/\(try article.requireID().uuidString)")
            let fixed = try await board.contributor.post(
                "/quan-tri/don-vi/th-a/bai-viet/\(try article.requireID().uuidString)",
                ["title": "Lễ khai giảng năm học 2026–2027", "category": board.categoryID, "body": "<p>Buổi lễ trang trọng, có ảnh.</p>",
                 "authorName": "Nguyễn Thị Hoa", "source": "Báo Giáo dục và Thời đại", "revision": "1"])
            #expect(fixed.status == .seeOther)
            #expect(try await move(board.contributor, article, "gui-duyet").status == .seeOther)
            #expect(try await move(board.editor, article, "duyet").status == .forbidden)

            // The head of the board approves and publishes.
            #expect(try await move(board.head, article, "duyet").status == .seeOther)
            #expect(try await visitor.get(publicPath).status == .notFound)  // approved is not yet public
            #expect(try await move(board.head, article, "dang").status == .seeOther)
            let published = try await visitor.get(publicPath)
            #expect(published.status == .ok)
            #expect(published.body.contains("Lễ khai giảng năm học 2026–2027"))
            #expect(published.body.contains("Nguyễn Thị Hoa"))
            #expect(published.body.contains("Báo Giáo dục và Thời đại"))
            #expect(published.body.contains("có ảnh"))
            #expect(try await visitor.get("/tin-tuc").body.contains(publicPath))
            #expect(try await visitor.get("/tin-tuc/tin-tuc-su-kien").body.contains(publicPath))
            // Not on another unit's site.
            #expect(try await Browser(app: app, host: "b.test").get(publicPath).status == .notFound)

            // Taken down, it is gone again.
            #expect(try await move(board.editor, article, "go-xuong").status == .forbidden)
            #expect(try await move(board.head, article, "go-xuong").status == .seeOther)
            #expect(try await visitor.get(publicPath).status == .notFound)

            let actions = Set(try await AuditEntry.query(on: app.db).all().map(\.action))
            for action in ["article.create", "article.update", "article.gui-duyet", "article.tra-lai", "article.duyet", "article.dang", "article.go-xuong"] {
                #expect(actions.contains(action), "\(action) missing from the audit log")
            }
            let events = try await WorkflowEvent.history(of: article, on: app.db).count
            #expect(events == 6)
        }
    }

    @Test func otherUnitsStaffSeeNothing() async throws {
        try await TestApp.run { app in
            let board = try await board(app)
            let article = try await create(board.contributor, board: board, title: "Bản nháp của trường A")
            try await board.province.user("bientap@b.edu.vn", .bienTapVien, at: board.province.schoolB, app: app)
            let other = Browser(app: app, host: "b.test")
            try await other.login("bientap@b.edu.vn", Province.password)
            #expect(try await other.get("/quan-tri/don-vi/th-a/bai-viet").status == .notFound)
            #expect(try await other.get("/quan-tri/don-vi/th-a/bai-viet/\(try article.requireID().uuidString)").status == .notFound)
            // Nor through its own unit's path with A's article id.
            #expect(try await other.get("/quan-tri/don-vi/thcs-b/bai-viet/\(try article.requireID().uuidString)").status == .notFound)
            // A contributor does not see a colleague's drafts either.
            try await board.province.user("ctv2@a.edu.vn", .congTacVien, at: board.province.schoolA, app: app)
            let colleague = Browser(app: app, host: "a.test")
            try await colleague.login("ctv2@a.edu.vn", Province.password)
            #expect(try await colleague.get("/quan-tri/don-vi/th-a/bai-viet/\(try article.requireID().uuidString)").status == .notFound)
            #expect(!(try await colleague.get("/quan-tri/don-vi/th-a/bai-viet").body.contains("Bản nháp của trường A")))
        }
    }

    @Test func scheduledExpiredAndDraftArticlesAreNotPublic() async throws {
        try await TestApp.run { app in
            let board = try await board(app)
            let scheduled = try await create(board.head, board: board, title: "Thông báo hẹn giờ")
            for step in ["gui-duyet", "duyet"] { #expect(try await move(board.head, scheduled, step).status == .seeOther) }
            let tomorrow = VietnameseDate.inputValue(Date().addingTimeInterval(86_400))
            #expect(try await move(board.head, scheduled, "dang", ["publishAt": tomorrow]).status == .seeOther)
            let visitor = Browser(app: app, host: "a.test")
            #expect(try await state(scheduled, app) == .daDang)
            #expect(try await visitor.get("/bai-viet/" + scheduled.slug).status == .notFound)
            #expect(!(try await visitor.get("/tin-tuc").body.contains(scheduled.slug)))

            // When its time comes it appears; when it expires it goes.
            let stored = try #require(try await Article.find(scheduled.requireID(), on: app.db))
            // A window of 20 s: under the whole suite on two cores one request has taken over 6 s
            // (PostgreSQL, 2026-12-01); the test sleeps until it closes, beside the others.
            let expiry = Date().addingTimeInterval(20)
            stored.publishAt = Date().addingTimeInterval(-60)
            stored.expiresAt = expiry
            try await stored.save(on: app.db)
            let shown = try await visitor.get("/bai-viet/" + scheduled.slug).status
            if Date() < expiry { #expect(shown == .ok) } else { Issue.record("the 20 s window passed before the page answered; nothing was checked") }
            // The page is cached, but not past the article's expiry.
            try await Task.sleep(for: .milliseconds(max(0, Int(expiry.timeIntervalSinceNow * 1000)) + 500))
            #expect(try await visitor.get("/bai-viet/" + scheduled.slug).status == .notFound)

            let bad = try await move(board.head, try await create(board.head, board: board, title: "Lịch sai"), "gui-duyet")
            #expect(bad.status == .seeOther)
            let draft = try await create(board.contributor, board: board, title: "Bản nháp chưa gửi")
            #expect(try await visitor.get("/bai-viet/" + draft.slug).status == .notFound)
        }
    }

    @Test func revisionsShowADiffAndRestore() async throws {
        try await TestApp.run { app in
            let board = try await board(app)
            let article = try await create(board.editor, board: board, title: "Kế hoạch thi học kỳ I",
                                           body: "<p>Thi từ ngày 15 tháng 12.</p>")
            let path = "/quan-tri/don-vi/th-a/bai-viet/\(try article.requireID().uuidString)"
            try await board.editor.get(path)
            let save = try await board.editor.post(path, ["title": "Kế hoạch thi học kỳ I", "category": board.categoryID,
                                                          "body": "<p>Thi từ ngày 18 tháng 12.</p>", "revision": "1"])
            #expect(save.status == .seeOther)
            let list = try await board.editor.get(path + "/phien-ban")
            #expect(list.body.contains("Phiên bản 2"))
            #expect(list.body.contains("Phiên bản 1"))
            let diff = try await board.editor.get(path + "/phien-ban/2")
            #expect(diff.body.contains("<del>15 </del>"))
            #expect(diff.body.contains("<ins>18 </ins>"))
            #expect(try await board.editor.post(path + "/phien-ban/1/khoi-phuc", [:]).status == .seeOther)
            let restored = try #require(try await Article.find(article.requireID(), on: app.db))
            #expect(restored.revision == 3)
            #expect(restored.bodyHTML.contains("15 tháng 12"))
        }
    }

    @Test func editLockAndStaleFormsProtectOthersWork() async throws {
        try await TestApp.run { app in
            let board = try await board(app)
            let article = try await create(board.editor, board: board, title: "Bài đang sửa")
            let path = "/quan-tri/don-vi/th-a/bai-viet/\(try article.requireID().uuidString)"
            try await board.editor.get(path)  // the editor holds the lock
            let seen = try await board.head.get(path)
            #expect(seen.body.contains("đang sửa bài này"))
            let blocked = try await board.head.post(path, ["title": "Sửa đè", "category": board.categoryID, "body": "<p>Đè</p>", "revision": "1"])
            #expect(blocked.status == .conflict)
            #expect(try await Article.find(article.requireID(), on: app.db)?.title == "Bài đang sửa")

            // The head takes over; the editor's pending form is now refused, and the editor is told.
            #expect(try await board.head.post(path + "/tiep-quan", [:]).status == .seeOther)
            let late = try await board.editor.post(path, ["title": "Bản của biên tập viên", "category": board.categoryID, "body": "<p>BTV</p>", "revision": "1"])
            #expect(late.status == .conflict)
            #expect(try await OutboxMessage.query(on: app.db).all().contains { $0.recipients == "bientap@a.edu.vn" && $0.subject.contains("tiếp quản") })
            try await board.head.get(path)
            #expect(try await board.head.post(path, ["title": "Bản của trưởng ban", "category": board.categoryID, "body": "<p>TB</p>", "revision": "1"]).status == .seeOther)
            // A form started from revision 1 cannot overwrite revision 2.
            #expect(try await board.head.post(path, ["title": "Bản cũ", "category": board.categoryID, "body": "<p>Cũ</p>", "revision": "1"]).status == .conflict)
            #expect(try await Article.find(article.requireID(), on: app.db)?.title == "Bản của trưởng ban")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "article.takeover").count() == 1)
        }
    }

    @Test func noticesWaitInTheOutboxWithoutAnMTA() async throws {
        try await TestApp.run { app in
            let board = try await board(app)
            let article = try await create(board.contributor, board: board, title: "Bài gửi duyệt")
            #expect(try await move(board.contributor, article, "gui-duyet").status == .seeOther)
            let delivery = OutboxDelivery(sendmailPath: "/khong/co/sendmail", from: "EduPortal <no-reply@a.test>")
            #expect(try await delivery.deliverDue(on: app.db) == 0)
            let message = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(message.status == OutboxDelivery.pending)
            #expect(message.attempts == 1)
            #expect(message.lastError.contains("Không có máy chủ thư"))
            #expect(message.nextAttemptAt > Date().addingTimeInterval(50))
            // Not due yet: nothing is retried early.
            #expect(try await delivery.deliverDue(on: app.db) == 0)
            #expect(try await OutboxMessage.find(message.requireID(), on: app.db)?.attempts == 1)

            let admin = Browser(app: app, host: "a.test")
            try await board.province.user("admin@a.edu.vn", .quanTri, at: board.province.schoolA, app: app)
            try await admin.login("admin@a.edu.vn", Province.password)
            let page = try await admin.get("/quan-tri/hop-thu-di")
            #expect(page.status == .ok)
            #expect(page.body.contains("Bài chờ duyệt: Bài gửi duyệt"))
            #expect(page.body.contains("Chờ gửi"))
        }
    }

    @Test func aSendmailThatExitsEarlyIsRetriedNotFatal() async throws {
        signal(SIGPIPE, SIG_IGN)
        try await TestApp.run { app in
            // /bin/false exits at once without reading: the pipe closes under a large message.
            try await OutboxMessage(unitID: nil, recipients: ["a@b.edu.vn"], subject: "Lớn",
                                    body: String(repeating: "Nội dung rất dài. ", count: 20_000)).create(on: app.db)
            let delivery = OutboxDelivery(sendmailPath: "/bin/false", from: "EduPortal <no-reply@a.test>")
            #expect(try await delivery.deliverDue(on: app.db) == 0)
            let message = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(message.status == OutboxDelivery.pending)
            #expect(message.attempts == 1)
            #expect(message.lastError.contains("sendmail"))
        }
    }

    @Test func overdueSectionsShowAndNotifyOnce() async throws {
        try await TestApp.run { app in
            let board = try await board(app)
            try await board.province.user("admin@phong.edu.vn", .quanTri, at: board.province.phong, app: app)
            // Make every category old enough to be overdue.
            for category in try await Category.query(on: app.db).all() {
                category.createdAt = Date().addingTimeInterval(-400 * 86_400)
                try await category.save(on: app.db)
            }
            let sent = try await DeadlineService.notifyOverdue(links: NoticeLinks(base: "http://a.test"), on: app.db)
            #expect(sent > 0)
            #expect(try await OutboxMessage.query(on: app.db).all().contains { $0.recipients.contains("truongban@a.edu.vn") && $0.subject.contains("Quá hạn") })
            #expect(try await DeadlineService.notifyOverdue(links: NoticeLinks(base: "http://a.test"), on: app.db) == 0)  // once per overdue period

            let phong = Browser(app: app, host: "phong.test")
            try await phong.login("admin@phong.edu.vn", Province.password)
            let page = try await phong.get("/quan-tri/han-cap-nhat")
            #expect(page.status == .ok)
            #expect(page.body.contains("Trường Tiểu học Nguyễn Trãi"))
            #expect(page.body.contains("Tin tức - Sự kiện"))
            #expect(!page.body.contains("Trường THPT Trần Phú"))  // not in the Phòng's subtree
        }
    }
}
