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
            let fake = try await school.upload(base + "/tai-chinh?nam=\(year)", fields: ["text": "Học phí <b>miễn</b> cho học sinh tiểu học công lập."],
                                               files: [("file", "thu-chi.pdf", [0x4D, 0x5A, 0x90, 0x00] + [UInt8](repeating: 0, count: 64))])
            #expect(fake.status == .unprocessableEntity && fake.body.contains("không phải PDF") && fake.body.contains("Học phí &lt;b&gt;miễn&lt;/b&gt;"))
            let pdf = Array("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8)
            #expect(try await school.upload(base + "/tai-chinh?nam=\(year)", fields: ["text": "Học phí: miễn cho học sinh tiểu học công lập."],
                                            files: [("file", "Thu chi 2025.pdf", pdf)]).status == .seeOther)
            #expect(try await school.upload(base + "/thong-tin-chung?nam=\(year)", fields: ["text": "<script>alert(1)</script> Trường Tiểu học Nguyễn Trãi, công lập."],
                                            files: []).status == .seeOther)
            // An update says which change it reflects (the window counts from it).
            let noDate = try await school.upload(base + "/thong-tin-chung?nam=\(year)", fields: ["text": "Trường Tiểu học Nguyễn Trãi, công lập, hai điểm trường."], files: [])
            #expect(noDate.status == .unprocessableEntity && noDate.body.contains("Ghi ngày có thay đổi"))
            // An item the school type does not have, a year outside the kept five, another school's page: refused.
            #expect(try await school.upload(base + "/cham-soc-nuoi-duong?nam=\(year)", fields: ["text": "Không áp dụng cho tiểu học."], files: []).status == .unprocessableEntity)
            #expect(try await school.upload(base + "/thong-tin-chung?nam=\(year - 9)", fields: ["text": "Năm quá xa đã hết thời gian lưu."], files: []).status == .unprocessableEntity)
            #expect(try await school.upload("/quan-tri/don-vi/thcs-b/cong-khai/thong-tin-chung?nam=\(year)", fields: ["text": "Trường khác, không có quyền."], files: []).status == .notFound)

            // Late and update-late, decided on dates (through the service, with the moment given).
            let schoolB = try await province.schoolB.resolved(on: app.db)
            let root = DisclosureService.filesRoot(app.eduConfig)
            try await DisclosureService.save(itemKey: "thong-tin-chung", year: year - 1, text: "Trường THCS Lê Quý Đôn, công lập.", changedOn: "", file: nil,
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
}
