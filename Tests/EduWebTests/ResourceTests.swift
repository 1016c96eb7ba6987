import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// The digital resource library (#16 point 2, A8.9, A9.10): a teacher contributes, the board
/// publishes through the workflow; files checked by content, links https only; the API; a school's
/// page lists the matching items of the libraries above it through their API, and answers, saying
/// so, when one of them cannot be reached.
@Suite struct ResourceTests {
    static func published(_ title: String, subject: String, grade: Int, at unit: OrgUnit, app: Application) async throws -> LearningResource {
        let author = try #require(try await User.query(on: app.db).first())
        let resource = LearningResource()
        resource.unitID = try unit.requireID()
        resource.title = title
        resource.kind = LearningResource.Kind.material.rawValue
        resource.subject = subject
        resource.grade = grade
        resource.description = "Tài liệu ôn tập."
        resource.authorName = "Tổ chuyên môn"
        resource.linkURL = "https://hoclieu.example.vn/\(grade)"
        resource.searchText = SearchFolding.foldWords(title + " " + subject)
        resource.state = .daDang
        resource.createdBy = try author.requireID()
        resource.publishedAt = Date().addingTimeInterval(-3_600)
        resource.reviewComment = ""
        resource.createdAt = Date()
        resource.updatedAt = Date()
        try await resource.create(on: app.db)
        try await OrgUnit.touch(try unit.requireID(), on: app.db)
        return resource
    }

    @Test func aTeacherContributesTheBoardPublishes() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-resource-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("giaovien@a.edu.vn", .congTacVien, at: province.schoolA, app: app)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let teacher = Browser(app: app, host: "a.test")
            try await teacher.login("giaovien@a.edu.vn", Province.password)
            let base = "/quan-tri/don-vi/th-a/tai-nguyen"
            let form = try await teacher.get(base + "/moi")
            #expect(form.body.contains("action=\"\(base)/moi?_csrf=") && form.body.contains("enctype=\"multipart/form-data\""))
            let fields = ["title": "Phiếu bài tập Toán lớp 2: phép cộng có nhớ", "kind": "hoc-lieu", "subject": "Toán", "grade": "2", "description": "Hai mươi bài tập.\nCó đáp án."]
            let nothing = try await teacher.upload(base + "/moi", fields: fields, files: [])
            #expect(nothing.status == .unprocessableEntity && nothing.body.contains("Tải lên tệp hoặc ghi đường dẫn"))
            var unsafe = fields
            unsafe["linkURL"] = "javascript:alert(1)"
            #expect(try await teacher.upload(base + "/moi", fields: unsafe, files: []).body.contains("Đường dẫn phải là địa chỉ https://"))
            let program = try await teacher.upload(base + "/moi", fields: fields, files: [("file", "bai-tap.pdf", [0x4D, 0x5A, 0x90, 0x00] + Array(repeating: 0, count: 60))])
            #expect(program.status == .unprocessableEntity && program.body.contains("Loại tệp không được nhận"))
            #expect(try await LearningResource.query(on: app.db).count() == 0)

            let pdf = Array("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8)
            let saved = try await teacher.upload(base + "/moi", fields: fields, files: [("file", "bai-tap.pdf", pdf)])
            #expect(saved.status == .seeOther)
            let resource = try #require(try await LearningResource.query(on: app.db).first())
            let id = try resource.requireID().uuidString.lowercased()
            #expect(resource.state == .nhap && resource.authorName.isEmpty == false)
            let visitor = Browser(app: app, host: "a.test")
            #expect(try await visitor.get("/tai-nguyen/\(id)").status == .notFound)
            _ = try await teacher.get(base + "/\(id)")
            #expect(try await teacher.post(base + "/\(id)/quy-trinh", ["transition": "gui-duyet"]).status == .seeOther)
            #expect(try await teacher.post(base + "/\(id)/quy-trinh", ["transition": "dang"]).status == .forbidden)

            let head = Browser(app: app, host: "a.test")
            try await head.login("truongban@a.edu.vn", Province.password)
            _ = try await head.get(base + "/\(id)")
            #expect(try await head.post(base + "/\(id)/quy-trinh", ["transition": "duyet"]).status == .seeOther)
            #expect(try await head.post(base + "/\(id)/quy-trinh", ["transition": "dang"]).status == .seeOther)
            let page = try await visitor.get("/tai-nguyen/\(id)")
            #expect(page.status == .ok && page.body.contains("Phiếu bài tập Toán lớp 2") && page.body.contains("Lớp 2") && page.body.contains("Tải tài nguyên"))
            let list = try await visitor.get("/tai-nguyen?q=phep+cong&mon=To%C3%A1n&lop=2")
            #expect(list.body.contains("Phiếu bài tập Toán lớp 2"))
            #expect(!(try await visitor.get("/tai-nguyen?lop=3").body.contains("Phiếu bài tập Toán lớp 2")))
            // The API: absolute addresses, the file itself, where it lives.
            let api = try await visitor.get("/api/v1/resources?mon=To%C3%A1n")
            let listing = try ResourceFederation.decoder.decode(ResourceService.Listing.self, from: Data(api.body.utf8))
            #expect(listing.unit == "th-a" && listing.total == 1 && listing.items.first?.url == "http://a.test/tai-nguyen/\(id)")
            #expect(listing.items.first?.resourceURL.hasPrefix("http://a.test/tep/") == true)
            // The API refuses what it cannot read as documented (the pages are lenient), naming the parameter.
            for (query, name) in [("so=0", "so"), ("so=51", "so"), ("trang=0", "trang"), ("trang=abc", "trang"), ("lop=13", "lop"), ("lop=1&lop=2", "lop")] {
                let refused = try await visitor.get("/api/v1/resources?" + query)
                #expect(refused.status == .badRequest && refused.body.contains("«\(name)»"), "\(query): \(refused.status)")
            }
            #expect(try await visitor.get("/api/v1/resources?so=50&trang=10000&lop=0").status == .ok)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "resource.dang").count() == 1)
        }
    }

    @Test func aSchoolsLibraryShowsTheLevelsAboveAndSurvivesOneBeingDown() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            _ = try await Self.published("Bộ đề ôn thi tốt nghiệp môn Toán", subject: "Toán", grade: 12, at: province.so, app: app)
            _ = try await Self.published("Mô phỏng thí nghiệm Vật lí", subject: "Vật lí", grade: 10, at: province.so, app: app)
            _ = try await Self.published("Thẻ học vần lớp 1", subject: "Ngữ văn", grade: 1, at: province.phong, app: app)
            _ = try await Self.published("Phiếu bài tập của trường", subject: "Toán", grade: 2, at: province.schoolA, app: app)

            // The levels above cannot be reached: the school's own library still answers, saying so.
            let closed = freeLoopbackPort()
            app.localOrigin = "http://127.0.0.1:\(closed)"
            let down = try await Browser(app: app, host: "a.test").get("/tai-nguyen")
            #expect(down.status == .ok && down.body.contains("Phiếu bài tập của trường"))
            #expect(down.body.contains("Không đọc được thư viện của Phòng Giáo dục và Đào tạo huyện Đồng Văn lúc này (không kết nối được)"))
            #expect(down.body.contains("Không đọc được thư viện của Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm lúc này"))

            // With them up (this server on a real port), their matching items are listed, each saying where it lives.
            let port = freeLoopbackPort()
            app.http.server.configuration.hostname = "127.0.0.1"
            app.http.server.configuration.port = port
            try await app.asyncBoot()
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            app.localOrigin = "http://127.0.0.1:\(port)"
            // The whole suite runs at once on two cores: the limit here is generous, the behaviour the same.
            app.storage[ResourceFederationKey.self] = ResourceFederation(timeout: .seconds(30))
            let up = try await Browser(app: app, host: "a.test").get("/tai-nguyen")
            #expect(up.body.contains("Từ thư viện của Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm") && up.body.contains("Bộ đề ôn thi tốt nghiệp môn Toán"))
            #expect(up.body.contains("Thẻ học vần lớp 1") && up.body.contains("Tại thư viện của Phòng Giáo dục và Đào tạo huyện Đồng Văn"))
            #expect(up.body.contains("href=\"http://so.test/tai-nguyen/"))
            // The filter travels to the levels above.
            let maths = try await Browser(app: app, host: "a.test").get("/tai-nguyen?mon=To%C3%A1n")
            #expect(maths.body.contains("Bộ đề ôn thi tốt nghiệp môn Toán") && !maths.body.contains("Mô phỏng thí nghiệm Vật lí") && !maths.body.contains("Thẻ học vần"))
            // The Sở has no level above: nothing to read, no failure.
            let so = try await Browser(app: app, host: "so.test").get("/tai-nguyen")
            #expect(so.body.contains("Bộ đề ôn thi") && !so.body.contains("Không đọc được thư viện"))
            await app.server.shutdown()
        }
    }
}
