import EduCore
import EduData
import EduImport
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Foreign-language and IT centres (#16 point 4, A8.16): the Sở's list, kept by its editorial
/// heads, each status change with its decision, imported all or nothing, filtered in public; no
/// other unit keeps one.
@Suite struct CentreTests {
    static func form(_ name: String, licence: String, status: String = "hoat-dong", decision: String = "", on statusOn: String = "") -> [String: String] {
        ["name": name, "kind": "ngoai-ngu", "licence": licence, "licensedOn": "12/03/2022", "address": "Số 18 đường Lê Thái Tổ",
         "commune": "Phường Hoa Lư", "phone": "0229 3871 555", "programmes": "Tiếng Anh thiếu nhi.\nTiếng Anh giao tiếp.",
         "status": status, "statusDecision": decision, "statusOn": statusOn]
    }

    @Test func theSoKeepsItsListAndThePublicFiltersIt() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@so.edu.vn", .truongBanBienTap, at: province.so, app: app)
            try await province.user("bientap@so.edu.vn", .bienTapVien, at: province.so, app: app)
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            let head = Browser(app: app, host: "so.test")
            try await head.login("truongban@so.edu.vn", Province.password)
            let base = "/quan-tri/don-vi/so-thu/trung-tam"
            _ = try await head.get(base + "/moi")
            // A suspension needs its decision and a date not before the licence, not in the future.
            let bad = try await head.post(base + "/moi", Self.form("Trung tâm Anh ngữ Sao Mai", licence: "77/QĐ-SGDĐT", status: "dinh-chi", on: "01/01/2020"))
            #expect(bad.status == .unprocessableEntity && bad.body.contains("Ghi quyết định đình chỉ hoạt động.")
                    && bad.body.contains("Ngày quyết định 01/01/2020 trước ngày cấp phép 12/03/2022."))
            let future = try await head.post(base + "/moi", Self.form("Trung tâm Anh ngữ Sao Mai", licence: "77/QĐ-SGDĐT", status: "cham-dut", decision: "9/QĐ", on: "01/01/2099"))
            #expect(future.body.contains("Ngày quyết định 01/01/2099 ở tương lai."))
            #expect(try await Centre.query(on: app.db).count() == 0)
            #expect(try await head.post(base + "/moi", Self.form("Trung tâm Ngoại ngữ Tràng An", licence: "215/QĐ-SGDĐT")).status == .seeOther)
            #expect(try await head.post(base + "/moi", Self.form("Trung tâm Anh ngữ Sao Mai", licence: "77/QĐ-SGDĐT", status: "dinh-chi",
                                                                 decision: "521/QĐ-SGDĐT", on: "03/09/2025")).status == .seeOther)
            #expect(try await head.post(base + "/moi", Self.form("Trung tâm trùng quyết định", licence: "215/QĐ-SGDĐT")).body.contains("đã ghi cho «Trung tâm Ngoại ngữ Tràng An»"))

            let visitor = Browser(app: app, host: "so.test")
            let all = try await visitor.get("/trung-tam")
            #expect(all.body.contains("Trung tâm Ngoại ngữ Tràng An") && all.body.contains("Đình chỉ hoạt động") && all.body.contains("521/QĐ-SGDĐT, ngày 03/09/2025"))
            let suspended = try await visitor.get("/trung-tam?tinh-trang=dinh-chi")
            #expect(suspended.body.contains("Sao Mai") && !suspended.body.contains("Tràng An"))
            #expect(try await visitor.get("/trung-tam?q=trang+an").body.contains("Trung tâm Ngoại ngữ Tràng An"))
            #expect(!(try await visitor.get("/trung-tam?q=trang+an").body.contains("Sao Mai")))
            // A centre's status changes with its decision, audited.
            let centre = try #require(try await Centre.query(on: app.db).filter(\.$licence == "215/QĐ-SGDĐT").first())
            _ = try await head.get(base + "/\(try centre.requireID().uuidString.lowercased())")
            #expect(try await head.post(base + "/\(try centre.requireID().uuidString.lowercased())",
                                        Self.form("Trung tâm Ngoại ngữ Tràng An", licence: "215/QĐ-SGDĐT", status: "cham-dut", decision: "600/QĐ-SGDĐT", on: "01/10/2025")).status == .seeOther)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "centre.update").first()?.detail.contains("Chấm dứt hoạt động (600/QĐ-SGDĐT)") == true)

            // An editor without the right to publish, an office's admin, another unit's portal: none of them.
            let editor = Browser(app: app, host: "so.test")
            try await editor.login("bientap@so.edu.vn", Province.password)
            #expect(try await editor.get(base).status == .forbidden)
            let office = Browser(app: app, host: "phong.test")
            try await office.login("quantri@phong.edu.vn", Province.password)
            #expect(try await office.get(base).status == .notFound)
            #expect(try await office.get("/quan-tri/don-vi/phong-thu/trung-tam").status == .notFound)
            #expect(try await Browser(app: app, host: "phong.test").get("/trung-tam").status == .notFound)
        }
    }

    @Test func aListImportsAllOrNothing() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            let browser = Browser(app: app, host: "so.test")
            try await browser.login("quantri@so.edu.vn", Province.password)
            let base = "/quan-tri/don-vi/so-thu/trung-tam"
            _ = try await browser.get(base)
            var header: [String] = []
            try Spreadsheet.forEachRow(in: try await browser.get(base + "/mau.xlsx").bytes) { _, cells in if cells.contains("Tên trung tâm") { header = cells } }
            #expect(header.first == "Tên trung tâm" && header.contains("Tình trạng"))
            func row(_ name: String, _ kind: String, _ licence: String, _ on: XLSXWriter.Cell, _ status: String, _ decision: String = "", _ statusOn: XLSXWriter.Cell = "") -> [XLSXWriter.Cell] {
                [.text(name), .text(kind), .text(licence), on, "Số 45 đường Trần Hưng Đạo", "Phường Đông Thành", "0229 3871 388", "Tin học ứng dụng.", .text(status), .text(decision), statusOn]
            }
            let good: [[XLSXWriter.Cell]] = [
                ["DANH SÁCH TRUNG TÂM NGOẠI NGỮ, TIN HỌC"], header.map { .text($0) },
                row("Trung tâm Tin học Ninh Bình", "Tin học", "388/QĐ-SGDĐT", .number(44_717), "Đang hoạt động"),  // a date cell: 05/06/2022
                row("Trung tâm Ngoại ngữ - Tin học Kim Sơn", "Ngoại ngữ - Tin học", "102/QĐ-SGDĐT", "20/02/2021", "Đình chỉ hoạt động", "700/QĐ-SGDĐT", "01/09/2025"),
            ]
            var bad = good
            bad[2] = row("Trung tâm Tin học Ninh Bình", "Âm nhạc", "388/QĐ-SGDĐT", "31/02/2022", "Tạm nghỉ")
            bad.append(row("Trung tâm Ngoại ngữ - Tin học Kim Sơn (bản trùng)", "Ngoại ngữ", "102/QĐ-SGDĐT", "20/02/2021", "Chấm dứt"))
            let refused = try await browser.upload(base + "/nhap", fields: [:], filename: "trung-tam.xlsx", bytes: Array(try XLSXWriter.workbook(rows: bad, merges: ["A1:K1"])))
            #expect(refused.status == .unprocessableEntity && refused.body.contains("Chưa lưu trung tâm nào"))
            #expect(refused.body.contains("Dòng 3, cột B: loại «Âm nhạc» không có") && refused.body.contains("Dòng 3, cột D: ngày cấp phép viết dạng dd/mm/yyyy.")
                    && refused.body.contains("Dòng 3, cột I: tình trạng «Tạm nghỉ» không có"))
            #expect(refused.body.contains("Dòng 5, cột C: quyết định 102/QĐ-SGDĐT đã có ở dòng 4.") && refused.body.contains("Dòng 5, cột J: ghi quyết định chấm dứt hoạt động."))
            #expect(try await Centre.query(on: app.db).count() == 0)

            let stored = try await browser.upload(base + "/nhap", fields: [:], filename: "trung-tam.xlsx", bytes: Array(try XLSXWriter.workbook(rows: good, merges: ["A1:K1"])))
            #expect(stored.status == .seeOther && stored.location?.contains("them=2&sua=0") == true)
            let centres = try await Centre.query(on: app.db).all()
            let computing = try #require(centres.first { $0.licence == "388/QĐ-SGDĐT" })
            #expect(VietnameseDate.day(computing.licensedOn) == "05/06/2022" && computing.kind == "tin-hoc" && computing.status == "hoat-dong")
            let both = try #require(centres.first { $0.licence == "102/QĐ-SGDĐT" })
            #expect(both.kind == "ngoai-ngu-tin-hoc" && both.status == "dinh-chi" && both.statusDecision == "700/QĐ-SGDĐT")
        }
    }
}
