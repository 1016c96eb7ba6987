import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Projects, tenders and purchases (#16 point 3, A8.13): values in đồng read as clerks type them,
/// dates checked, public only once published, filtered by year, status and kind, documents checked
/// by content, scoped to the unit.
@Suite struct ProcurementTests {
    static func form(_ title: String, value: String = "24.860.000.000", status: String = "dang-thuc-hien", start: String = "02/06/2025",
                     end: String = "30/11/2026", contractor: String = "Công ty Cổ phần Xây dựng Hoa Lư", kind: String = "goi-thau") -> [String: String] {
        ["kind": kind, "title": title, "reference": "TBMT IB2500012345", "value": value, "funding": "Ngân sách tỉnh", "method": "Đấu thầu rộng rãi qua mạng",
         "status": status, "startOn": start, "endOn": end, "contractor": contractor, "description": "Thi công xây lắp.\nTheo hồ sơ thiết kế.",
         "noticeURL": "https://muasamcong.mpi.gov.vn/thong-bao/IB2500012345"]
    }

    @Test func itemsAreCheckedPublishedAndFiltered() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-procurement-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("bientap@so.edu.vn", .bienTapVien, at: province.so, app: app)
            try await province.user("truongban@so.edu.vn", .truongBanBienTap, at: province.so, app: app)
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            let editor = Browser(app: app, host: "so.test")
            try await editor.login("bientap@so.edu.vn", Province.password)
            let base = "/quan-tri/don-vi/so-thu/dau-thau"
            _ = try await editor.get(base + "/moi")
            let bad = try await editor.post(base + "/moi", Self.form("Gói thầu số 03: Xây lắp", value: "24,5 tỷ", start: "31/02/2025", end: "01/01/2025",
                                                                     contractor: ""))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("«24,5 tỷ» không phải số tiền") && bad.body.contains("Ngày viết dạng dd/mm/yyyy.")
                    && bad.body.contains("Ghi nhà thầu được chọn"))
            let backwards = try await editor.post(base + "/moi", Self.form("Gói thầu số 03: Xây lắp", start: "02/06/2025", end: "01/01/2025"))
            #expect(backwards.body.contains("Ngày kết thúc 01/01/2025 trước ngày bắt đầu 02/06/2025."))
            var unsafe = Self.form("Gói thầu số 03: Xây lắp")
            unsafe["noticeURL"] = "javascript:alert(1)"
            #expect(try await editor.post(base + "/moi", unsafe).body.contains("phải là địa chỉ https://"))
            #expect(try await ProcurementItem.query(on: app.db).count() == 0)

            #expect(try await editor.post(base + "/moi", Self.form("Gói thầu số 03: Xây lắp khối phòng học bộ môn", value: "24 860 000 000 đ")).status == .seeOther)
            #expect(try await editor.post(base + "/moi", Self.form("Mua sắm bàn ghế học sinh", value: "1.280.000.000", status: "huy", start: "05/05/2024", end: "",
                                                                   contractor: "", kind: "mua-sam")).status == .seeOther)
            let items = try await ProcurementItem.query(on: app.db).all()
            #expect(items.count == 2 && items.contains { $0.value == 24_860_000_000 })
            let first = try #require(items.first { $0.kind == "goi-thau" })
            let id = try first.requireID().uuidString.lowercased()
            let visitor = Browser(app: app, host: "so.test")
            #expect(try await visitor.get("/dau-thau/\(id)").status == .notFound)
            #expect(try await editor.post(base + "/\(id)/dang", ["publish": "1"]).status == .forbidden)

            let head = Browser(app: app, host: "so.test")
            try await head.login("truongban@so.edu.vn", Province.password)
            _ = try await head.get(base)
            for item in items { #expect(try await head.post(base + "/\(try item.requireID().uuidString.lowercased())/dang", ["publish": "1"]).status == .seeOther) }
            _ = try await head.get(base + "/\(id)")
            let pdf = Array("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8)
            #expect(try await head.upload(base + "/\(id)/tep", fields: ["title": "Quyết định phê duyệt kết quả lựa chọn nhà thầu"], filename: "kq.pdf", bytes: pdf).status == .seeOther)
            #expect(try await head.upload(base + "/\(id)/tep", fields: ["title": "x"], filename: "kq.pdf", bytes: [0x4D, 0x5A] + Array(repeating: 0, count: 60)).status == .unprocessableEntity)

            let page = try await visitor.get("/dau-thau/\(id)")
            #expect(page.status == .ok && page.body.contains("24.860.000.000 đồng") && page.body.contains("Công ty Cổ phần Xây dựng Hoa Lư"))
            #expect(page.body.contains("Quyết định phê duyệt kết quả lựa chọn nhà thầu") && page.body.contains("href=\"https://muasamcong.mpi.gov.vn/thong-bao/IB2500012345\""))
            let all = try await visitor.get("/dau-thau")
            #expect(all.body.contains("Gói thầu số 03") && all.body.contains("Mua sắm bàn ghế"))
            let cancelled = try await visitor.get("/dau-thau?tinh-trang=huy")
            #expect(cancelled.body.contains("Mua sắm bàn ghế") && !cancelled.body.contains("Gói thầu số 03"))
            let ofYear = try await visitor.get("/dau-thau?nam=2025")
            #expect(ofYear.body.contains("Gói thầu số 03") && !ofYear.body.contains("Mua sắm bàn ghế"))
            let purchases = try await visitor.get("/dau-thau?loai=mua-sam")
            #expect(purchases.body.contains("Mua sắm bàn ghế") && !purchases.body.contains("Gói thầu số 03"))

            // Another unit's admin does not reach the Sở's items; its host does not show them.
            let office = Browser(app: app, host: "phong.test")
            try await office.login("quantri@phong.edu.vn", Province.password)
            #expect(try await office.get(base + "/\(id)").status == .notFound)
            #expect(try await office.post("/quan-tri/don-vi/phong-thu/dau-thau/\(id)/dang", ["publish": "0"]).status == .notFound)
            #expect(try await Browser(app: app, host: "phong.test").get("/dau-thau/\(id)").status == .notFound)
            // An editor's change takes the item down until it is published again.
            _ = try await editor.get(base + "/\(id)")
            #expect(try await editor.post(base + "/\(id)", Self.form("Gói thầu số 03: Xây lắp khối phòng học bộ môn (điều chỉnh)")).status == .seeOther)
            #expect(try await visitor.get("/dau-thau/\(id)").status == .notFound)
        }
    }

    @Test func moneyIsReadAsPeopleWriteIt() {
        #expect(VietnameseNumber.readWhole("1.250.000.000", limit: .max) == 1_250_000_000)
        #expect(VietnameseNumber.readWhole("1 250 000 000 VNĐ", limit: .max) == 1_250_000_000)
        #expect(VietnameseNumber.readWhole("2400000 đồng", limit: .max) == 2_400_000)
        #expect(VietnameseNumber.readWhole("1,5", limit: .max) == nil && VietnameseNumber.readWhole("-5", limit: .max) == nil)
        #expect(VietnameseNumber.readWhole("12.34.567", limit: .max) == nil && VietnameseNumber.readWhole("١٢٣", limit: .max) == nil)
        #expect(VietnameseNumber.readWhole("99", limit: 10) == nil && VietnameseNumber.readWhole("", limit: 10) == nil)
    }
}
