import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Public disclosure (#15 point 2, first part): items by school type, text or PDF checked by
/// content, update windows in working days across holidays, on time / late / missing per school
/// for the office, the public page by school year, and who may publish.
@Suite struct DisclosureTests {
    static func date(_ text: String) -> Date { VietnameseDate.parse(text)! }

    @Test func updateWindowsCountWorkingDaysAndSkipHolidays() {
        // A change on Thursday 23/04/2026; 30/4 and 1/5 are holidays: the tenth working day is Monday 11/05.
        let calendar = WorkingCalendar(holidays: ["2026-04-30", "2026-05-01"])
        #expect(VietnameseDate.day(calendar.addingWorkingDays(10, to: Self.date("23/04/2026 15:00"))) == "11/05/2026")
        #expect(VietnameseDate.day(WorkingCalendar(holidays: []).addingWorkingDays(10, to: Self.date("23/04/2026 15:00"))) == "07/05/2026")
        // Tết 2026 (the first day is 17/02) and the Hùng Kings' day are in the statutory set.
        let days = VietnameseHolidays.days()
        #expect(days.isSuperset(of: ["2026-02-16", "2026-02-17", "2026-02-20", "2026-04-26", "2026-09-02", "2026-01-01"]))
        #expect(!days.contains("2026-02-23"))
        #expect(DisclosurePolicy.standard.yearlyDue(schoolYear: 2025) > Self.date("30/06/2026 12:00"))
        #expect(DisclosureCatalogue.items(for: .mamNon).contains { $0.key == "cham-soc-nuoi-duong" })
        #expect(!DisclosureCatalogue.items(for: .thpt).contains { $0.key == "cham-soc-nuoi-duong" } && DisclosureCatalogue.items(for: .phong).isEmpty)
    }

    @Test func aSchoolPublishesTheOfficeSeesEverySchool() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-disclosure-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            let school = Browser(app: app, host: "a.test")
            try await school.login("truongban@a.edu.vn", Province.password)
            let page = try await school.get("/quan-tri/don-vi/th-a/cong-khai")
            #expect(page.body.contains("Kết quả đánh giá, xếp loại học sinh") && !page.body.contains("chăm sóc, nuôi dưỡng trẻ"))
            #expect(page.body.contains("/quan-tri/don-vi/th-a/cong-khai/tai-chinh?nam="))
            let year = DisclosureService.schoolYear(of: Date())
            let base = "/quan-tri/don-vi/th-a/cong-khai"
            // A document item needs a PDF, recognised by content; the text is kept on errors.
            let fake = try await school.upload(base + "/tai-chinh?nam=\(year)", fields: ["text": "Học phí <b>miễn</b> cho học sinh tiểu học công lập.", "f_hoc_phi_thang": "0", "f_tong_thu": "2.450.000.000", "f_tong_chi": "2 400 000 000 đ", "f_mien_giam": "35"],
                                               files: [("file", "thu-chi.pdf", [0x4D, 0x5A, 0x90, 0x00] + [UInt8](repeating: 0, count: 64))])
            #expect(fake.status == .unprocessableEntity && fake.body.contains("không phải PDF") && fake.body.contains("Học phí &lt;b&gt;miễn&lt;/b&gt;"))
            let pdf = Array("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8)
            #expect(try await school.upload(base + "/tai-chinh?nam=\(year)", fields: ["text": "Học phí: miễn cho học sinh tiểu học công lập.", "f_hoc_phi_thang": "0", "f_tong_thu": "2.450.000.000", "f_tong_chi": "2 400 000 000 đ", "f_mien_giam": "35"],
                                            files: [("file", "Thu chi 2025.pdf", pdf)]).status == .seeOther)
            #expect(try await school.upload(base + "/thong-tin-chung?nam=\(year)", fields: ["text": "<script>alert(1)</script> Trường Tiểu học Nguyễn Trãi, công lập.", "f_dia_chi": "Số 12 đường Trần Hưng Đạo", "f_nguoi_dung_dau": "Nguyễn Thị Hoa, Hiệu trưởng", "f_dau_moi": "0229 3871 234"],
                                            files: []).status == .seeOther)
            // An update says which change it reflects (the window counts from it).
            let noDate = try await school.upload(base + "/thong-tin-chung?nam=\(year)", fields: ["text": "Trường Tiểu học Nguyễn Trãi, công lập, hai điểm trường.", "f_dia_chi": "Số 12 đường Trần Hưng Đạo", "f_nguoi_dung_dau": "Nguyễn Thị Hoa, Hiệu trưởng", "f_dau_moi": "0229 3871 234"], files: [])
            #expect(noDate.status == .unprocessableEntity && noDate.body.contains("Ghi ngày có thay đổi"))
            // An item the school type does not have, a year outside the kept five, another school's page: refused.
            #expect(try await school.upload(base + "/cham-soc-nuoi-duong?nam=\(year)", fields: ["text": "Không áp dụng cho tiểu học."], files: []).status == .unprocessableEntity)
            #expect(try await school.upload(base + "/thong-tin-chung?nam=\(year - 9)", fields: ["text": "Năm quá xa đã hết thời gian lưu."], files: []).status == .unprocessableEntity)
            #expect(try await school.upload("/quan-tri/don-vi/thcs-b/cong-khai/thong-tin-chung?nam=\(year)", fields: ["text": "Trường khác, không có quyền."], files: []).status == .notFound)

            // Late and update-late, decided on dates (through the service, with the moment given).
            let schoolB = try await province.schoolB.resolved(on: app.db)
            let root = DisclosureService.filesRoot(app.eduConfig)
            try await DisclosureService.save(itemKey: "thong-tin-chung", year: year - 1, text: "Trường THCS Lê Quý Đôn, công lập.",
                                             fields: ["dia_chi": "Xã Đồng Văn", "nguoi_dung_dau": "Lê Văn Nam, Hiệu trưởng", "dau_moi": "0229 3871 111"], changedOn: "", file: nil,
                                             unit: schoolB, by: .cli("t"), who: "t", root: root, now: DisclosurePolicy.standard.yearlyDue(schoolYear: year - 1).addingTimeInterval(86_400), on: app.db)
            let publishedLate = try #require(try await DisclosureEntry.query(on: app.db).filter(\.$schoolYear == year - 1).first())
            #expect(DisclosureService.status(of: publishedLate, year: year - 1, now: Date(), calendar: DisclosureService.calendar(app.eduConfig)).code == "muon")
            let changed = Self.date("23/04/2026 09:00")
            let entry = DisclosureEntry()
            entry.publishedAt = Self.date("01/10/2025 09:00")
            entry.changedOn = changed
            entry.updatedAt = Self.date("08/05/2026 09:00")  // the 10th working day is 11/05 with 30/4 and 1/5 off
            #expect(DisclosureService.status(of: entry, year: 2025, now: Self.date("01/06/2026 00:00"), calendar: WorkingCalendar(holidays: ["2026-04-30", "2026-05-01"])).code == "dung-han")
            entry.updatedAt = Self.date("12/05/2026 09:00")
            #expect(DisclosureService.status(of: entry, year: 2025, now: Self.date("01/06/2026 00:00"), calendar: WorkingCalendar(holidays: ["2026-04-30", "2026-05-01"])) == .updateLate(WorkingCalendar(holidays: ["2026-04-30", "2026-05-01"]).addingWorkingDays(10, to: changed)))
            #expect(DisclosureService.status(of: nil, year: 2020, now: Date(), calendar: DisclosureService.calendar(app.eduConfig)).code == "thieu")

            // The public page: the year's items, escaped text, the PDF to download; the office lists its schools.
            let visitor = Browser(app: app, host: "a.test")
            let shown = try await visitor.get("/cong-khai?nam=\(year)")
            #expect(shown.body.contains("&lt;script&gt;alert(1)") && !shown.body.contains("<script>alert(1)"))
            let link = try #require(shown.body.range(of: #"/cong-khai/tep/[0-9a-f-]{36}"#, options: .regularExpression).map { String(shown.body[$0]) })
            let download = try await visitor.get(link)
            #expect(download.status == .ok && download.bytes == pdf)
            #expect(try await Browser(app: app, host: "b.test").get(link).status == .notFound)
            let office = try await Browser(app: app, host: "phong.test").get("/cong-khai?nam=\(year)")
            #expect(office.body.contains("Trường Tiểu học Nguyễn Trãi") && office.body.contains("Trường THCS Lê Quý Đôn"))
            let officeAdmin = Browser(app: app, host: "phong.test")
            try await officeAdmin.login("quantri@phong.edu.vn", Province.password)
            let board = try await officeAdmin.get("/quan-tri/don-vi/phong-thu/cong-khai?nam=\(year - 1)")
            #expect(board.body.contains("Muộn (") && board.body.contains("Chưa công khai, quá hạn") && board.body.contains("Không áp dụng"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "disclosure.publish").count() == 3)

            // Reminders: once before the due date with the items still missing, once after it; never twice.
            try await province.user("quantri@b.edu.vn", .quanTri, at: province.schoolB, app: app)
            let links = NoticeLinks(base: "http://so.test")
            let due = DisclosurePolicy.standard.yearlyDue(schoolYear: year)
            #expect(try await DisclosureService.remind(now: due.addingTimeInterval(-5 * 86_400), links: links, on: app.db) >= 2)
            #expect(try await DisclosureService.remind(now: due.addingTimeInterval(-4 * 86_400), links: links, on: app.db) == 0)
            let before = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipients == "quantri@b.edu.vn").first())
            #expect(before.subject.hasPrefix("Sắp đến hạn công khai") && before.body.contains("Thu, chi tài chính") && before.body.contains("/quan-tri/don-vi/thcs-b/cong-khai"))
            // School A published two items: its notice lists the others, not those.
            let schoolANotice = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipients == "truongban@a.edu.vn").first())
            #expect(!schoolANotice.body.contains("Thu, chi tài chính") && schoolANotice.body.contains("Báo cáo thường niên"))
            #expect(try await DisclosureService.remind(now: due.addingTimeInterval(3 * 86_400), links: links, on: app.db) >= 2)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$subject =~ "Quá hạn công khai").count() >= 2)
        }
    }

    /// Figures as structured fields: each read the way a clerk types it and shown the same way;
    /// required ones named when empty; the annual report's figures must run to 31 December; the
    /// staff and rooms filled in from the school's yearbook for that year.
    @Test func itemsCarryCheckedFiguresFilledInFromTheYearbook() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-disclosure-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let year = DisclosureService.schoolYear(of: Date())
            let period = YearbookPeriod()
            period.schoolYear = "\(year)-\(year + 1)"
            period.kind = YearbookPeriod.Kind.startOfYear.rawValue
            period.referenceDate = Date()
            period.dueAt = Date().addingTimeInterval(86_400)
            period.createdAt = Date()
            try await period.create(on: app.db)
            var figures = YearbookTests.figures(pupils: 400, classes: 12, teachers: 20)
            figures["truong__gv_dat_chuan"] = "14"
            figures["truong__gv_tren_chuan"] = "6"
            figures["truong__can_bo_quan_ly"] = "3"
            try await YearbookService.save(figures, unit: try await province.schoolA.resolved(on: app.db), period: period, by: .cli("t"), who: "t", on: app.db)

            let school = Browser(app: app, host: "a.test")
            try await school.login("truongban@a.edu.vn", Province.password)
            let base = "/quan-tri/don-vi/th-a/cong-khai"
            let form = try await school.get(base + "?nam=\(year)")
            // The staff counts come from the yearbook (qualified = at standard + above it), said so.
            let start = try #require(form.body.range(of: "id=\"i-doi-ngu\""))
            let staff = String(form.body[start.lowerBound...].prefix(3000))
            #expect(staff.contains("name=\"f_giao_vien\"") && staff.contains("value=\"20\"") && staff.contains("Điền sẵn từ niên giám thống kê"))
            #expect(staff.contains("name=\"f_gv_dat_chuan\"") && staff.range(of: #"name="f_gv_dat_chuan"[^>]*value="20""#, options: .regularExpression) != nil)

            // Bad figures: each named at its field; nothing stored.
            let bad = try await school.upload(base + "/doi-ngu?nam=\(year)", fields: [
                "f_can_bo_quan_ly": "", "f_giao_vien": "20", "f_gv_dat_chuan": "25", "f_nhan_vien": "-4"], files: [])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("Nhập cán bộ quản lý.") && bad.body.contains("Giáo viên đạt chuẩn trở lên (25) nhiều hơn tổng số giáo viên (20).")
                    && bad.body.contains("«-4» không phải số nguyên không âm."))
            #expect(bad.body.contains("value=\"25\""))  // what was typed is kept
            let money = try await school.upload(base + "/tai-chinh?nam=\(year)", fields: [
                "f_hoc_phi_thang": "1,5 triệu", "f_tong_thu": "2.450.000.000", "f_tong_chi": "2.400.000.000", "f_mien_giam": "12"],
                files: [("file", "thu-chi.pdf", Array("%PDF-1.4\n%%EOF\n".utf8))])
            #expect(money.status == .unprocessableEntity && money.body.contains("«1,5 triệu» không phải số tiền"))
            let rates = try await school.upload(base + "/ket-qua-hoc-tap?nam=\(year)", fields: ["f_ti_le_len_lop": "101"], files: [])
            #expect(rates.status == .unprocessableEntity && rates.body.contains("«101» không phải tỉ lệ phần trăm từ 0 đến 100"))
            // The annual report's figures run to 31/12 of the school year's first calendar year.
            let pdf = Array("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n".utf8)
            let wrongCutoff = try await school.upload(base + "/bao-cao-thuong-nien?nam=\(year)", fields: ["f_so_lieu_den_ngay": "30/06/\(year + 1)"],
                                                      files: [("file", "bao-cao.pdf", pdf)])
            #expect(wrongCutoff.status == .unprocessableEntity && wrongCutoff.body.contains("có số liệu đến ngày 31/12/\(year), không phải 30/06/\(year + 1)"))
            #expect(try await DisclosureEntry.query(on: app.db).count() == 0)

            #expect(try await school.upload(base + "/doi-ngu?nam=\(year)", fields: [
                "f_can_bo_quan_ly": "3", "f_giao_vien": "1.020", "f_gv_dat_chuan": "1 000", "f_nhan_vien": "5"], files: []).status == .seeOther)
            #expect(try await school.upload(base + "/ket-qua-hoc-tap?nam=\(year)", fields: ["f_ti_le_len_lop": "99,25 %", "f_ti_le_tot_nghiep": ""], files: []).status == .seeOther)
            #expect(try await school.upload(base + "/bao-cao-thuong-nien?nam=\(year)", fields: ["f_so_lieu_den_ngay": "31/12/\(year)"],
                                            files: [("file", "bao-cao.pdf", pdf)]).status == .seeOther)
            let staffEntry = try #require(try await DisclosureEntry.query(on: app.db).filter(\.$itemKey == "doi-ngu").first())
            #expect(staffEntry.fields == ["can_bo_quan_ly": "3", "giao_vien": "1020", "gv_dat_chuan": "1000", "nhan_vien": "5"])
            let page = try await Browser(app: app, host: "a.test").get("/cong-khai?nam=\(year)")
            #expect(page.body.contains("<dt>Giáo viên</dt><dd>1.020</dd>") && page.body.contains("<dd>99,25 %</dd>"))
            #expect(page.body.contains("<dt>Số liệu tính đến ngày</dt><dd>31/12/\(year)</dd>"))
            #expect(!page.body.contains("Tỉ lệ tốt nghiệp (%), lớp cuối cấp"))  // left empty: not shown
            // Once published, the form shows what was published, not the yearbook's figures.
            let again = try await school.get(base + "?nam=\(year)")
            #expect(again.body.range(of: #"name="f_giao_vien"[^>]*value="1.020""#, options: .regularExpression) != nil)
        }
    }

    /// Over HTTP: an update whose window runs across 30/4 and 1/5 is judged with the statutory
    /// holidays the server knows, on the office's board and the school's public page.
    @Test func theBoardCountsTheUpdateWindowAcrossTheHolidays() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            func entry(_ unit: OrgUnit, updated: String) async throws {
                let row = DisclosureEntry()
                row.unitID = try unit.requireID()
                row.itemKey = "ket-qua-hoc-tap"
                row.schoolYear = 2025
                row.text = "Tỉ lệ lên lớp 99,2%."
                row.publishedAt = Self.date("01/10/2025 09:00")
                row.changedOn = Self.date("23/04/2026 09:00")  // Thursday; 30/4 and 1/5 are holidays
                row.updatedAt = Self.date(updated)
                row.updatedBy = "t"
                try await row.create(on: app.db)
            }
            try await entry(province.schoolA, updated: "11/05/2026 16:00")  // the 10th working day: on time
            try await entry(province.schoolB, updated: "12/05/2026 08:00")  // one working day late
            let office = Browser(app: app, host: "phong.test")
            try await office.login("quantri@phong.edu.vn", Province.password)
            let board = try await office.get("/quan-tri/don-vi/phong-thu/cong-khai?nam=2025")
            func row(_ name: String) throws -> Substring {
                let start = try #require(board.body.range(of: name))
                let end = try #require(board.body[start.upperBound...].range(of: "</tr>"))
                return board.body[start.lowerBound..<end.lowerBound]
            }
            #expect(try row("Trường THCS Lê Quý Đôn").contains("Cập nhật muộn (hạn 11/05/2026)"))
            #expect(try !row("Trường Tiểu học Nguyễn Trãi").contains("Cập nhật muộn") && row("Trường Tiểu học Nguyễn Trãi").contains("Đúng hạn (01/10/2025)"))
        }
    }
}
