import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// The circular's other information (#16 point 5: A8.14 and Article 10): each section's entries
/// are checked against its spec, public only once an editorial head publishes them, grouped the
/// way the section reads (upcoming and past, open and closed, people and releases), filtered by
/// kind and year, scoped to the unit, and present in every portal's navigation that carries it.
@Suite struct InfoSectionTests {
    static func day(_ days: Double, _ time: String? = nil) -> String {
        let date = Date().addingTimeInterval(days * 86_400)
        return time.map { VietnameseDate.day(date) + " " + $0 } ?? VietnameseDate.day(date)
    }

    @Test func conferencesAreCheckedPublishedAndGroupedByTime() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-sections-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("bientap@so.edu.vn", .bienTapVien, at: province.so, app: app)
            try await province.user("truongban@so.edu.vn", .truongBanBienTap, at: province.so, app: app)
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            let editor = Browser(app: app, host: "so.test")
            try await editor.login("bientap@so.edu.vn", Province.password)
            let base = "/quan-tri/don-vi/so-thu/truc-tuyen"
            let form = try await editor.get(base + "/moi")
            #expect(form.status == .ok && form.body.contains("Đơn vị chủ trì") && form.body.contains("Điểm cầu, nơi tham dự"))

            // Faults are named by field, in Vietnamese; nothing is stored.
            let bad = try await editor.post(base + "/moi", ["kind": "khong-co", "title": "Hội nghị", "organiser": "", "startsAt": "31/02/2026 08:00",
                                                            "link": "javascript:alert(1)"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("Chọn loại: Hội nghị truyền hình của Bộ GD&amp;ĐT") && bad.body.contains("Nhập «Đơn vị chủ trì»")
                    && bad.body.contains("không phải ngày hợp lệ") && bad.body.contains("phải là địa chỉ https:// đầy đủ"))
            let backwards = try await editor.post(base + "/moi", ["kind": "hoi-nghi", "title": "Hội nghị tập huấn", "organiser": "Sở",
                                                                  "startsAt": Self.day(3, "14:00"), "endsAt": Self.day(3, "08:00")])
            #expect(backwards.status == .unprocessableEntity && backwards.body.contains("trước khi bắt đầu"))
            #expect(try await SectionEntry.query(on: app.db).count() == 0)

            let upcoming = try await editor.post(base + "/moi", [
                "kind": "hoi-nghi-bo", "title": "Hội nghị truyền hình tổng kết năm học <script>alert(1)</script>", "organiser": "Bộ Giáo dục và Đào tạo",
                "startsAt": Self.day(6, "08:00"), "endsAt": Self.day(6, "11:30"), "place": "Điểm cầu Sở: phòng họp tầng 3",
                "link": "https://moet.gov.vn/truc-tuyen/tong-ket", "summary": "Bộ trưởng chủ trì.\nCác điểm cầu kết nối trước 07:30."])
            #expect(upcoming.status == .seeOther)
            #expect(try await editor.post(base + "/moi", ["kind": "hoc-truc-tuyen", "title": "Lớp ôn tập trực tuyến môn Toán", "organiser": "Sở",
                                                          "startsAt": "15/03/2025 19:30"]).status == .seeOther)
            let entries = try await SectionEntry.query(on: app.db).all()
            #expect(entries.count == 2 && entries.allSatisfy { $0.section == "truc-tuyen" && $0.publishedAt == nil })
            let first = try #require(entries.first { $0.kind == "hoi-nghi-bo" })
            let id = try first.requireID().uuidString.lowercased()

            // Not public until an editorial head publishes it; an editor may not publish.
            let visitor = Browser(app: app, host: "so.test")
            #expect(try await visitor.get("/truc-tuyen/\(id)").status == .notFound)
            #expect(try await visitor.get("/truc-tuyen").body.contains("Chưa có mục nào."))
            #expect(try await editor.post(base + "/\(id)/dang", ["publish": "1"]).status == .forbidden)
            let head = Browser(app: app, host: "so.test")
            try await head.login("truongban@so.edu.vn", Province.password)
            _ = try await head.get(base)
            for entry in entries { #expect(try await head.post(base + "/\(try entry.requireID().uuidString.lowercased())/dang", ["publish": "1"]).status == .seeOther) }
            _ = try await head.get(base + "/\(id)")
            let pdf = Array("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8)
            #expect(try await head.upload(base + "/\(id)/tep", fields: ["title": "Chương trình hội nghị"], filename: "ct.pdf", bytes: pdf).status == .seeOther)
            #expect(try await head.upload(base + "/\(id)/tep", fields: ["title": "x"], filename: "ct.pdf", bytes: [0x4D, 0x5A] + Array(repeating: 0, count: 60)).status
                    == .unprocessableEntity)

            let page = try await visitor.get("/truc-tuyen")
            #expect(page.status == .ok)
            // Upcoming first, under its heading, then the past; the title is escaped.
            let soon = try #require(page.body.range(of: "Sắp diễn ra, đang diễn ra")), past = try #require(page.body.range(of: "Đã diễn ra</h2>"))
            let upcomingTitle = try #require(page.body.range(of: "Hội nghị truyền hình tổng kết năm học")), pastTitle = try #require(page.body.range(of: "Lớp ôn tập trực tuyến"))
            #expect(soon.lowerBound < upcomingTitle.lowerBound && upcomingTitle.lowerBound < past.lowerBound && past.lowerBound < pastTitle.lowerBound)
            #expect(!page.body.contains("<script>alert(1)</script>") && page.body.contains("&lt;script&gt;"))
            #expect(page.body.contains("href=\"https://moet.gov.vn/truc-tuyen/tong-ket\""))
            let onlyLessons = try await visitor.get("/truc-tuyen?loai=hoc-truc-tuyen")
            #expect(onlyLessons.body.contains("Lớp ôn tập trực tuyến") && !onlyLessons.body.contains("tổng kết năm học"))
            let of2025 = try await visitor.get("/truc-tuyen?nam=2025")
            #expect(of2025.body.contains("Lớp ôn tập trực tuyến") && !of2025.body.contains("tổng kết năm học"))
            #expect(try await visitor.get("/truc-tuyen?nam=1999").body.contains("Không có mục nào khớp bộ lọc."))
            let detail = try await visitor.get("/truc-tuyen/\(id)")
            #expect(detail.status == .ok && detail.body.contains("Sắp diễn ra") && detail.body.contains("Chương trình hội nghị")
                    && detail.body.contains("Các điểm cầu kết nối trước 07:30"))

            // Another unit's admin does not reach the Sở's entries; its host does not show them.
            let office = Browser(app: app, host: "phong.test")
            try await office.login("quantri@phong.edu.vn", Province.password)
            #expect(try await office.get(base + "/\(id)").status == .notFound)
            #expect(try await office.post("/quan-tri/don-vi/phong-thu/truc-tuyen/\(id)/dang", ["publish": "0"]).status == .notFound)
            #expect(try await office.post("/quan-tri/don-vi/phong-thu/truc-tuyen/\(id)", ["kind": "hoi-nghi", "title": "Chiếm", "organiser": "x",
                                                                                           "startsAt": Self.day(1, "08:00")]).status == .notFound)
            #expect(try await Browser(app: app, host: "phong.test").get("/truc-tuyen/\(id)").status == .notFound)
            // An editor's change takes the entry down until it is published again.
            _ = try await editor.get(base + "/\(id)")
            #expect(try await editor.post(base + "/\(id)", ["kind": "hoi-nghi-bo", "title": "Hội nghị truyền hình tổng kết năm học (đổi giờ)",
                                                            "organiser": "Bộ Giáo dục và Đào tạo", "startsAt": Self.day(6, "14:00")]).status == .seeOther)
            #expect(try await visitor.get("/truc-tuyen/\(id)").status == .notFound)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "section.publish").count() == 2)
        }
    }

    @Test func spokespeopleReleasesAndScholarshipsFollowTheirSections() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@thpt.edu.vn", .quanTri, at: province.thpt, app: app)
            let admin = Browser(app: app, host: "thpt.test")
            try await admin.login("quantri@thpt.edu.vn", Province.password)
            let press = "/quan-tri/don-vi/thpt-c/phat-ngon"
            _ = try await admin.get(press + "/moi")
            // A spokesperson needs a position and a way to reach them; a release needs its date and text.
            let person = try await admin.post(press + "/moi", ["kind": "nguoi-phat-ngon", "title": "Nguyễn Văn An", "email": "a@@b"])
            #expect(person.status == .unprocessableEntity && person.body.contains("Nhập «Chức vụ (người phát ngôn)» (bắt buộc với «Người phát ngôn»)")
                    && person.body.contains("«a@@b» không phải địa chỉ thư điện tử"))
            let release = try await admin.post(press + "/moi", ["kind": "thong-cao", "title": "Thông cáo về kỳ thi", "startsAt": "02/06/2026 08:00"])
            #expect(release.status == .unprocessableEntity && release.body.contains("viết dạng dd/mm/yyyy.") && release.body.contains("Nhập «Nội dung»"))
            #expect(try await admin.post(press + "/moi", ["kind": "nguoi-phat-ngon", "title": "Nguyễn Văn An", "personTitle": "Hiệu trưởng",
                                                         "phone": "0229 3871 234", "email": "hieutruong@thpt.edu.vn"]).status == .seeOther)
            #expect(try await admin.post(press + "/moi", ["kind": "thong-cao", "title": "Thông cáo về kỳ thi học sinh giỏi", "startsAt": "02/06/2026",
                                                         "summary": "Kỳ thi diễn ra nghiêm túc."]).status == .seeOther)
            let support = "/quan-tri/don-vi/thpt-c/hoc-bong"
            _ = try await admin.get(support + "/moi")
            for (title, deadline) in [("Học bổng còn hạn", Self.day(10)), ("Học bổng đã hết hạn", Self.day(-3)), ("Học bổng hạn hôm nay", Self.day(0))] {
                #expect(try await admin.post(support + "/moi", ["kind": "hoc-bong", "title": title, "organiser": "Quỹ khuyến học", "audience": "Học sinh",
                                                               "endsAt": deadline, "summary": "Nộp đơn tại văn phòng."]).status == .seeOther)
            }
            let all = try await SectionEntry.query(on: app.db).all()
            for entry in all {
                let path = "/quan-tri/don-vi/thpt-c/\(entry.section)/\(try entry.requireID().uuidString.lowercased())/dang"
                #expect(try await admin.post(path, ["publish": "1"]).status == .seeOther)
            }
            let visitor = Browser(app: app, host: "thpt.test")
            let pressPage = try await visitor.get("/phat-ngon")
            let people = try #require(pressPage.body.range(of: "Người phát ngôn</h2>")), releases = try #require(pressPage.body.range(of: "Thông cáo về kỳ thi học sinh giỏi"))
            #expect(people.lowerBound < releases.lowerBound && pressPage.body.contains("href=\"tel:02293871234\"")
                    && pressPage.body.contains("href=\"mailto:hieutruong@thpt.edu.vn\""))
            let supportPage = try await visitor.get("/hoc-bong")
            let open = try #require(supportPage.body.range(of: "Đang nhận đăng ký")), closed = try #require(supportPage.body.range(of: "Đã hết hạn</h2>"))
            let stillOpen = try #require(supportPage.body.range(of: "Học bổng còn hạn")), today = try #require(supportPage.body.range(of: "Học bổng hạn hôm nay"))
            let expired = try #require(supportPage.body.range(of: "Học bổng đã hết hạn</a>"))
            // Open ones soonest deadline first (today's still open), then the expired.
            #expect(open.lowerBound < today.lowerBound && today.lowerBound < stillOpen.lowerBound && stillOpen.lowerBound < closed.lowerBound
                    && closed.lowerBound < expired.lowerBound)
            // The navigation carries every section the school's type has.
            for path in ["/truc-tuyen", "/doan-the", "/phat-ngon", "/hoc-bong"] { #expect(pressPage.body.contains("href=\"\(path)\"")) }
        }
    }

    @Test func aSectionExistsOnlyWhereItsTypeCarriesIt() async throws {
        #expect(InfoSection.forType(.mamNon).map(\.key) == [.online, .organisations, .press])
        #expect(InfoSection.forType(.so).map(\.key) == InfoSection.Key.allCases)
        #expect(PortalSections.forType(.so).contains { $0.path == "/truc-tuyen" && $0.clause.contains("A8.14") })
        #expect(!PortalSections.forType(.trungTam).contains { $0.path == "/thong-ke" } && PortalSections.forType(.thpt).contains { $0.path == "/thong-ke" })
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let preschool = OrgUnit(code: "mn-d", type: .mamNon, name: "Trường Mầm non Hoa Mai", parent: province.phong)
            try await preschool.create(on: app.db)
            try await UnitHostname(unitID: preschool.requireID(), hostname: "d.test").create(on: app.db)
            try await province.user("quantri@d.edu.vn", .quanTri, at: preschool, app: app)
            let visitor = Browser(app: app, host: "d.test")
            #expect(try await visitor.get("/hoc-bong").status == .notFound)
            #expect(try await visitor.get("/doan-the").status == .ok)
            let admin = Browser(app: app, host: "d.test")
            try await admin.login("quantri@d.edu.vn", Province.password)
            #expect(try await admin.get("/quan-tri/don-vi/mn-d/hoc-bong/moi").status == .notFound)
            #expect(try await admin.get("/quan-tri/don-vi/mn-d/doan-the/moi").status == .ok)
        }
    }

    @Test func aMergedUnitsRecordMovesButItsSpokespersonDoesNot() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let schoolA = try await province.schoolA.resolved(on: app.db)
            let press = InfoSection.section(.press)
            for form in [["kind": "nguoi-phat-ngon", "title": "Trần Văn Bình", "personTitle": "Hiệu trưởng", "phone": "0229 3862 219", "email": "ht@a.edu.vn"],
                         ["kind": "thong-cao", "title": "Thông cáo về ngày hội đọc sách", "startsAt": "12/05/2025", "summary": "Ngày hội đọc sách của trường."]] {
                let entry = try await SectionEntryService.save(.init(form: form, section: press), section: press, existing: nil, unit: schoolA, mayPublish: true,
                                                               by: .cli("test"), who: "test", on: app.db)
                try await Publishing.set(entry, true, unit: schoolA, by: .cli("test"), on: app.db)
            }
            try await UnitChangeService.merge(province.schoolA, into: province.schoolB, authority: .operator, by: .cli("test"), on: app.db)
            let atB = try await SectionEntry.query(in: try province.schoolB.requireID(), on: app.db).all()
            #expect(atB.map(\.title) == ["Thông cáo về ngày hội đọc sách"])
            let page = try await Browser(app: app, host: "b.test").get("/phat-ngon")
            #expect(page.body.contains("Thông cáo về ngày hội đọc sách") && !page.body.contains("Trần Văn Bình"))
        }
    }
}
