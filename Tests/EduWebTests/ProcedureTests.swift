import EduCore
import EduData
import EduImport
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// The administrative procedures catalogue (#16 point 1, A8.4): written in the admin with every
/// fault at its field, public only once an editorial head publishes it, searched with or without
/// diacritics and filtered, imported from a spreadsheet all or nothing, its forms checked by
/// content, the document that changed it linked, and scoped to its unit.
@Suite struct ProcedureTests {
    static func form(_ name: String, code: String, field: String = "Giáo dục trung học", level: String = "toan-trinh") -> [String: String] {
        ["name": name, "code": code, "field": field, "level": level, "applicants": "Cha mẹ hoặc người giám hộ học sinh.",
         "dossier": "1. Đơn xin chuyển trường.\n2. Học bạ.", "processingTime": "03 ngày làm việc", "fees": "",
         "place": "Bộ phận một cửa của Sở.", "handlerName": "Phòng Giáo dục trung học", "handlerContact": "0229 3871 066",
         "legalBasis": "Thông tư 50/2021/TT-BGDĐT.", "submitURL": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=\(code)"]
    }

    @Test func anEditorWritesAnEditorialHeadPublishesThePublicSearches() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("bientap@so.edu.vn", .bienTapVien, at: province.so, app: app)
            try await province.user("truongban@so.edu.vn", .truongBanBienTap, at: province.so, app: app)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let editor = Browser(app: app, host: "so.test")
            try await editor.login("bientap@so.edu.vn", Province.password)
            let base = "/quan-tri/don-vi/so-thu/thu-tuc-hanh-chinh"
            #expect(try await editor.get(base).body.contains("Thêm thủ tục"))
            _ = try await editor.get(base + "/moi")

            // Faults at their fields; what was typed is kept, escaped; nothing stored.
            var bad = Self.form("<script>alert(1)</script> Chuyển trường", code: "1.005 088")
            bad["submitURL"] = "javascript:alert(1)"
            bad["processingTime"] = ""
            let refused = try await editor.post(base + "/moi", bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("Mã thủ tục «1.005 088» không hợp lệ") && refused.body.contains("phải là địa chỉ https://")
                    && refused.body.contains("Nhập thời hạn giải quyết."))
            #expect(refused.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !refused.body.contains("<script>alert(1)"))
            var noLink = Self.form("Phúc khảo bài thi tốt nghiệp trung học phổ thông", code: "1.005095")
            noLink["submitURL"] = ""
            #expect(try await editor.post(base + "/moi", noLink).body.contains("cần đường dẫn nộp hồ sơ"))
            #expect(try await Procedure.query(on: app.db).count() == 0)

            let created = try await editor.post(base + "/moi", Self.form("Chuyển trường đối với học sinh trung học phổ thông", code: "1.005088"))
            #expect(created.status == .seeOther)
            var info = Self.form("Xét, cấp học bổng chính sách", code: "1.001622", field: "Giáo dục dân tộc", level: "thong-tin")
            info["submitURL"] = ""
            #expect(try await editor.post(base + "/moi", info).status == .seeOther)
            // The same code twice in one unit is refused.
            #expect(try await editor.post(base + "/moi", Self.form("Chuyển trường (bản trùng)", code: "1.005088")).body.contains("Mã 1.005088 đã dùng"))
            let transfer = try #require(try await Procedure.query(on: app.db).filter(\.$code == "1.005088").first())
            let transferID = try transfer.requireID().uuidString.lowercased()

            // A draft is not public; an editor may not publish.
            let visitor = Browser(app: app, host: "so.test")
            #expect(try await visitor.get("/thu-tuc-hanh-chinh/\(transferID)").status == .notFound)
            #expect(!(try await visitor.get("/thu-tuc-hanh-chinh").body.contains("Chuyển trường đối với học sinh")))
            #expect(try await editor.post(base + "/\(transferID)/dang", ["publish": "1"]).status == .forbidden)

            let head = Browser(app: app, host: "so.test")
            try await head.login("truongban@so.edu.vn", Province.password)
            _ = try await head.get(base)
            for procedure in try await Procedure.query(on: app.db).all() {
                #expect(try await head.post(base + "/\(try procedure.requireID().uuidString.lowercased())/dang", ["publish": "1"]).status == .seeOther)
            }
            let page = try await visitor.get("/thu-tuc-hanh-chinh/\(transferID)")
            #expect(page.status == .ok && page.body.contains("Thành phần, số lượng hồ sơ") && page.body.contains("1. Đơn xin chuyển trường."))
            #expect(page.body.contains("href=\"https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.005088\""))
            #expect(page.body.contains("Dịch vụ công trực tuyến toàn trình"))

            // Search without diacritics, and filters by field and level.
            let found = try await visitor.get("/thu-tuc-hanh-chinh?q=chuyen+truong")
            #expect(found.body.contains("Chuyển trường đối với học sinh") && !found.body.contains("Xét, cấp học bổng"))
            #expect(try await visitor.get("/thu-tuc-hanh-chinh?q=1.001622").body.contains("Xét, cấp học bổng"))
            let byLevel = try await visitor.get("/thu-tuc-hanh-chinh?muc-do=thong-tin")
            #expect(byLevel.body.contains("Xét, cấp học bổng") && !byLevel.body.contains("Chuyển trường đối với"))
            let byField = try await visitor.get("/thu-tuc-hanh-chinh?linh-vuc=Gi%C3%A1o+d%E1%BB%A5c+trung+h%E1%BB%8Dc")
            #expect(byField.body.contains("Chuyển trường đối với") && !byField.body.contains("Xét, cấp học bổng"))
            #expect(try await visitor.get("/thu-tuc-hanh-chinh?q=khong+co+thu+tuc+nao").body.contains("Không có thủ tục nào khớp"))
            #expect(try await visitor.get("/thu-tuc-hanh-chinh?trang=9").status == .notFound)

            // An editor's change to a published procedure waits for an editorial head again.
            _ = try await editor.get(base + "/\(transferID)")
            var changed = Self.form("Chuyển trường đối với học sinh trung học phổ thông", code: "1.005088")
            changed["processingTime"] = "02 ngày làm việc"
            #expect(try await editor.post(base + "/\(transferID)", changed).status == .seeOther)
            #expect(try await visitor.get("/thu-tuc-hanh-chinh/\(transferID)").status == .notFound)

            // Another unit: neither its admin nor its host reaches this catalogue.
            let school = Browser(app: app, host: "a.test")
            try await school.login("quantri@a.edu.vn", Province.password)
            #expect(try await school.get(base).status == .notFound)
            #expect(try await school.post(base + "/\(transferID)", changed).status == .notFound)
            let info1 = try #require(try await Procedure.query(on: app.db).filter(\.$code == "1.001622").first())
            #expect(try await Browser(app: app, host: "phong.test").get("/thu-tuc-hanh-chinh/\(try info1.requireID().uuidString.lowercased())").status == .notFound)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "procedure.publish").count() == 2)
        }
    }

    @Test func formsTheChangingDocumentAndAdmissionPlansAreLinked() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-procedure-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let province = try await Province.make(on: app.db)
            let admin = try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            let so = try await province.so.resolved(on: app.db)
            let document = try await UnitChangeTests.publishedDocument("25/2026/QĐ-SGDĐT", "Sửa đổi thủ tục tuyển sinh vào lớp 10", at: so, by: admin, on: app.db)
            let browser = Browser(app: app, host: "so.test")
            try await browser.login("quantri@so.edu.vn", Province.password)
            let base = "/quan-tri/don-vi/so-thu/thu-tuc-hanh-chinh"
            _ = try await browser.get(base + "/moi")
            var input = Self.form("Xét tuyển sinh vào lớp 10 trung học phổ thông", code: "1.005097", field: "Thi, tuyển sinh")
            input["amendedBy"] = UUID().uuidString.lowercased()  // not one of this unit's documents
            #expect(try await browser.post(base + "/moi", input).body.contains("Chọn một văn bản đã đăng của đơn vị."))
            input["amendedBy"] = try document.requireID().uuidString.lowercased()
            #expect(try await browser.post(base + "/moi", input).status == .seeOther)
            let procedure = try #require(try await Procedure.query(on: app.db).first())
            let id = try procedure.requireID().uuidString.lowercased()
            _ = try await browser.get(base + "/\(id)")
            let exe = try await browser.upload(base + "/\(id)/tep", fields: ["title": "Phiếu đăng ký"], filename: "phieu.exe", bytes: [0x4D, 0x5A, 0x90, 0x00] + Array(repeating: 0, count: 60))
            #expect(exe.status == .unprocessableEntity && exe.body.contains("Loại tệp không được nhận"))
            let pdf = Array("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8)
            #expect(try await browser.upload(base + "/\(id)/tep", fields: ["title": "Phiếu đăng ký dự tuyển"], filename: "phieu.pdf", bytes: pdf).status == .seeOther)
            #expect(try await browser.post(base + "/\(id)/dang", ["publish": "1"]).status == .seeOther)
            let page = try await Browser(app: app, host: "so.test").get("/thu-tuc-hanh-chinh/\(id)")
            #expect(page.body.contains("Phiếu đăng ký dự tuyển") && page.body.contains("Thủ tục đã được sửa đổi theo"))
            #expect(page.body.contains("href=\"/van-ban/\(try document.requireID().uuidString.lowercased())\"") && page.body.contains("Quyết định 25/2026/QĐ-SGDĐT"))
            // Withdrawn: gone from the public page again.
            #expect(try await browser.post(base + "/\(id)/dang", ["publish": "0"]).status == .seeOther)
            #expect(try await Browser(app: app, host: "so.test").get("/thu-tuc-hanh-chinh/\(id)").status == .notFound)
        }
    }

    @Test func aCatalogueImportsAllOrNothing() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@so.edu.vn", .truongBanBienTap, at: province.so, app: app)
            let browser = Browser(app: app, host: "so.test")
            try await browser.login("truongban@so.edu.vn", Province.password)
            let base = "/quan-tri/don-vi/so-thu/thu-tuc-hanh-chinh"
            let listing = try await browser.get(base)
            #expect(listing.body.contains("action=\"\(base)/nhap?_csrf="))
            let template = try await browser.get(base + "/mau.xlsx")
            var header: [String] = []
            try Spreadsheet.forEachRow(in: template.bytes) { _, cells in if cells.contains("Tên thủ tục") { header = cells } }
            #expect(header.first == "Mã thủ tục" && header.contains("Đường dẫn nộp hồ sơ"))

            func row(_ code: String, _ name: String, level: String, url: String) -> [XLSXWriter.Cell] {
                [.text(code), .text(name), "Văn bằng, chứng chỉ", .text(level), "Người được cấp văn bằng.", "Đơn đề nghị; giấy tờ tùy thân.",
                 "03 ngày làm việc", "", "Bộ phận một cửa.", "Phòng Quản lý chất lượng", "0229 3871 066", "Thông tư 21/2019/TT-BGDĐT.", .text(url)]
            }
            let link = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html"
            // Title rows (merged), the national catalogue's own headings («Mã TTHC», «Tên thủ tục hành chính»), levels as people write them.
            let aliases = ["Mã TTHC", "Tên thủ tục hành chính"] + header.dropFirst(2).map { $0 }
            let good: [[XLSXWriter.Cell]] = [
                ["SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH THỬ NGHIỆM"], ["DANH MỤC THỦ TỤC HÀNH CHÍNH"], aliases.map { .text($0) },
                row("1.005092", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", level: "Một phần", url: link),
                row("1.005093", "Chỉnh sửa nội dung văn bằng, chứng chỉ", level: "Mức độ 4", url: link),
                row("", "Xác nhận bảng điểm", level: "Cung cấp thông tin", url: ""),
            ]
            var bad = good
            bad[4] = row("1.005092", "Chỉnh sửa nội dung văn bằng, chứng chỉ", level: "Mức cao", url: "http://dichvucong.gov.vn")
            bad.append(row("", "", level: "Một phần", url: link))
            let refused = try await browser.upload(base + "/nhap", fields: ["publish": "on"], filename: "danh-muc.xlsx",
                                                   bytes: Array(try XLSXWriter.workbook(rows: bad, merges: ["A1:M1", "A2:M2"])))
            #expect(refused.status == .unprocessableEntity && refused.body.contains("Chưa lưu thủ tục nào"))
            #expect(refused.body.contains("Dòng 5, cột A: mã 1.005092 đã có ở dòng 4."))
            #expect(refused.body.contains("Dòng 5, cột D: mức độ «Mức cao» không có"))
            #expect(refused.body.contains("Dòng 5, cột M: đường dẫn nộp hồ sơ phải là địa chỉ https://"))
            #expect(refused.body.contains("Dòng 7, cột B: nhập tên thủ tục."))
            #expect(try await Procedure.query(on: app.db).count() == 0)
            // A word file or nonsense is named as such.
            let junk = try await browser.upload(base + "/nhap", fields: [:], filename: "danh-muc.xlsx", bytes: Array("Tên,Mã\nx,y\n".utf8) + [0xFF, 0xFE])
            #expect(junk.status == .unprocessableEntity)

            let stored = try await browser.upload(base + "/nhap", fields: ["publish": "on"], filename: "danh-muc.xlsx",
                                                  bytes: Array(try XLSXWriter.workbook(rows: good, merges: ["A1:M1", "A2:M2"])))
            #expect(stored.status == .seeOther && stored.location?.contains("them=3&sua=0") == true)
            let all = try await Procedure.query(on: app.db).all()
            #expect(all.count == 3 && all.allSatisfy { $0.publishedAt != nil })
            #expect(all.first { $0.code == "1.005093" }?.serviceLevel == "toan-trinh" && all.first { $0.code.isEmpty }?.serviceLevel == "thong-tin")
            // Again with a changed row: updated by its code, not added.
            var again = good
            again[3] = row("1.005092", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc (sửa đổi)", level: "Một phần", url: link)
            let updated = try await browser.upload(base + "/nhap", fields: ["publish": "on"], filename: "danh-muc.xlsx",
                                                   bytes: Array(try XLSXWriter.workbook(rows: Array(again.prefix(4)))))
            #expect(updated.location?.contains("them=0&sua=1") == true)
            #expect(try await Procedure.query(on: app.db).filter(\.$code == "1.005092").first()?.name == "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc (sửa đổi)")
            #expect(try await Browser(app: app, host: "so.test").get("/thu-tuc-hanh-chinh?q=ban+sao").body.contains("(sửa đổi)"))
        }
    }
}
