import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Consultations (#14 point 1, web part): a draft in paragraphs, comments on the whole or one
/// paragraph, moderation (publish, hide with a reason, merge), answers, and the summary after
/// the deadline.
@Suite struct ConsultationTests {
    static func comment(_ browser: Browser, _ path: String, _ fields: [String: String]) async throws -> Browser.Page {
        var all = fields
        for (key, value) in try await PollTests.proof(browser) { all[key] = value }
        return try await browser.post(path, all, csrf: "")
    }

    @Test func commentsByParagraphAreModeratedAnsweredAndSummarised() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-consultation-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let head = Browser(app: app, host: "a.test")
            try await head.login("truongban@a.edu.vn", Province.password)
            _ = try await head.get("/quan-tri/don-vi/th-a/lay-y-kien")
            let created = try await head.post("/quan-tri/don-vi/th-a/lay-y-kien", [
                "title": "Dự thảo Nội quy học sinh năm học 2026–2027", "issue": "Nhà trường lấy ý kiến về nội quy mới.",
                "concerns": "Phụ huynh, học sinh, giáo viên",
                "draft": "Điều 1. Học sinh đến trường đúng giờ.\n\nĐiều 2. Học sinh không dùng điện thoại trong giờ học.\n\nĐiều 3. Học sinh mặc đồng phục.",
                "opensAt": AdmissionTests.moment(-3600), "closesAt": AdmissionTests.moment(86_400),
            ])
            #expect(created.status == .seeOther)
            let consultation = try #require(try await Consultation.query(on: app.db).first())
            #expect(consultation.paragraphs.count == 3 && consultation.receivingAddress == "vanphong@th-a.edu.vn")
            let path = "/lay-y-kien/\(try consultation.requireID().uuidString.lowercased())"
            let visitor = Browser(app: app, host: "a.test")
            let page = try await visitor.get(path)
            #expect(page.body.contains("Điều 2. Học sinh không dùng điện thoại") && page.body.contains("?doan=2#gop-y"))
            #expect(try await visitor.get(path + "?doan=2").body.contains("<option value=\"2\" selected>Đoạn 2</option>"))

            // Faults named, input kept; a paragraph that does not exist is refused.
            let bad = try await Self.comment(visitor, path, ["name": "", "email": "x", "body": "Ngắn", "paragraph": "9"])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("Nhập họ và tên.") && bad.body.contains("Chọn một đoạn của dự thảo"))
            let hostile = "<script>alert(1)</script> Nên cho phép dùng điện thoại trong giờ học khi giáo viên yêu cầu."
            #expect(try await Self.comment(visitor, path, ["name": "Lê Thị Lan", "organisation": "Hội cha mẹ học sinh", "email": "lan@example.vn",
                                                            "body": hostile, "paragraph": "2"]).status == .ok)
            // A file is checked by its content: a program named .pdf is refused (nothing stored); a real PDF is kept for staff.
            var withFile = ["name": "Trần Văn Bình", "email": "binh@example.vn", "body": "Đồng ý cho dùng điện thoại khi giáo viên yêu cầu.", "paragraph": "2"]
            for (key, value) in try await PollTests.proof(visitor) { withFile[key] = value }
            let disguised = try await visitor.upload(path, fields: withFile, files: [("attachments", "y-kien.pdf", [0x4D, 0x5A, 0x90, 0x00] + [UInt8](repeating: 0, count: 64))], csrf: "")
            #expect(disguised.status == .unprocessableEntity && disguised.body.contains("Tệp «y-kien.pdf» không phải PDF"))
            #expect(disguised.body.contains("Đồng ý cho dùng điện thoại"))
            for (key, value) in try await PollTests.proof(visitor) { withFile[key] = value }
            let pdf = Array("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n".utf8)
            #expect(try await visitor.upload(path, fields: withFile, files: [("attachments", "y-kien.pdf", pdf)], csrf: "").status == .ok)
            #expect(try await Self.comment(visitor, path, ["name": "Spam", "email": "spam@example.vn", "body": "Quảng cáo vay tiền nhanh, lãi thấp."]).status == .ok)
            // Nothing shows before moderation.
            #expect(!(try await visitor.get(path).body.contains("Lê Thị Lan")))

            let comments = try await ConsultationComment.query(on: app.db).sort(\.$createdAt).all()
            let ids = try comments.map { try $0.requireID().uuidString.lowercased() }
            let admin = "/quan-tri/don-vi/th-a/lay-y-kien/\(try consultation.requireID().uuidString.lowercased())"
            let queue = try await head.get(admin)
            #expect(queue.body.contains("&lt;script&gt;") && !queue.body.contains("<script>alert(1)"))
            let stored = try #require(try await ConsultationFile.query(on: app.db).filter(\.$commentID == comments[1].requireID()).first())
            let file = admin + "/gop-y/\(ids[1])/tep/\(try stored.requireID().uuidString.lowercased())"
            #expect(queue.body.contains(file) && stored.name == "y-kien.pdf" && stored.size == pdf.count)
            // Another comment's file is not reachable through this comment.
            #expect(try await head.get(admin + "/gop-y/\(ids[0])/tep/\(try stored.requireID().uuidString.lowercased())").status == .notFound)
            let download = try await head.get(file)
            #expect(download.status == .ok && download.bytes == pdf && download.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
            #expect(try await visitor.get(file).status != .ok)
            #expect(!(try await visitor.get(path).body.contains("/tep")))
            #expect(try await head.post(admin + "/gop-y/\(ids[0])/cong-khai", [:]).status == .seeOther)
            #expect(try await head.post(admin + "/gop-y/\(ids[2])/an", ["reason": ""]).body.contains("Ghi lý do ẩn góp ý."))
            #expect(try await head.post(admin + "/gop-y/\(ids[2])/an", ["reason": "Quảng cáo"]).status == .seeOther)
            #expect(try await head.post(admin + "/gop-y/\(ids[1])/gop", ["into": ids[0]]).status == .seeOther)
            #expect(try await head.post(admin + "/gop-y/\(ids[0])/tra-loi", ["accepted": "khong", "explanation": ""]).body.contains("Giải trình lý do không tiếp thu."))
            #expect(try await head.post(admin + "/gop-y/\(ids[0])/tra-loi", ["accepted": "co", "explanation": "Bổ sung vào Điều 2."]).status == .seeOther)
            let shown = try await visitor.get(path)
            #expect(shown.body.contains("Lê Thị Lan") && !shown.body.contains("Spam") && !shown.body.contains("Trần Văn Bình"))
            #expect(shown.body.contains("&lt;script&gt;") && !shown.body.contains("<script>alert(1)"))
            #expect(shown.body.contains("1 góp ý") && !shown.body.contains("lan@example.vn"))
            #expect(!shown.body.contains("Bổ sung vào Điều 2."))  // answers show with the summary

            // The summary waits for the deadline, then is published with each answer.
            #expect(try await head.post(admin + "/tong-hop", ["summary": "Tiếp thu ý kiến về Điều 2."]).body.contains("Chỉ công bố tổng hợp sau hạn góp ý"))
            consultation.closesAt = Date().addingTimeInterval(-60)
            try await consultation.save(on: app.db)
            #expect(try await Self.comment(visitor, path, ["name": "Muộn", "email": "muon@example.vn", "body": "Góp ý gửi sau hạn góp ý."]).body.contains("Đã hết hạn góp ý"))
            #expect(try await head.post(admin + "/tong-hop", ["summary": "Tiếp thu ý kiến về Điều 2; giữ nguyên Điều 1 và Điều 3."]).status == .seeOther)
            try await OrgUnit.touch(province.schoolA.requireID(), on: app.db)
            let summary = try await visitor.get(path)
            #expect(summary.body.contains("Tổng hợp, tiếp thu, giải trình") && summary.body.contains("Tiếp thu: Bổ sung vào Điều 2."))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action ~~ "consultation.").count() >= 6)
            // Another school's editorial head cannot moderate it.
            try await province.user("truongban@b.edu.vn", .truongBanBienTap, at: province.schoolB, app: app)
            let other = Browser(app: app, host: "b.test")
            try await other.login("truongban@b.edu.vn", Province.password)
            _ = try await other.get("/quan-tri/don-vi/thcs-b/lay-y-kien")
            #expect(try await other.post(admin.replacingOccurrences(of: "/th-a/", with: "/thcs-b/") + "/gop-y/\(ids[2])/cong-khai", [:]).status == .notFound)
            #expect(try await Browser(app: app, host: "b.test").get(path).status == .notFound)
        }
    }
}
