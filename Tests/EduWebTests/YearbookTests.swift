import EduCore
import EduData
import EduImport
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// The statistics yearbook (#15 point 1, first part): periods set by the Sở, a school's entry
/// with every fault at its field and nothing stored while one remains, sums up the tree (an
/// office's figures are its schools', the Sở's everything's), five years side by side, CSV.
@Suite struct YearbookTests {
    static func figures(pupils: Int, classes: Int, teachers: Int, type: UnitType = .tieuHoc) -> [String: String] {
        var form: [String: String] = ["ownership": "cong-lap"]
        for key in YearbookCatalogue.keys(for: type) { form[YearbookService.fieldName(key)] = "0" }
        for level in YearbookLevel.levels(of: type) {
            form[YearbookService.fieldName("\(level.rawValue).hoc_sinh")] = String(pupils)
            form[YearbookService.fieldName("\(level.rawValue).lop")] = String(classes)
            form[YearbookService.fieldName("\(level.rawValue).hoc_sinh_nu")] = String(pupils / 2)
        }
        form["truong__giao_vien"] = String(teachers)
        form["truong__gv_dat_chuan"] = String(teachers)
        form["truong__phong_hoc"] = String(classes)
        return form
    }

    @Test func entryIsCheckedAndSumsGoUpTheTree() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let so = Browser(app: app, host: "so.test")
            try await so.login("quantri@so.edu.vn", Province.password)
            _ = try await so.get("/quan-tri/don-vi/so-thu/thong-ke")
            let badPeriod = try await so.post("/quan-tri/don-vi/so-thu/thong-ke", ["schoolYear": "2025", "kind": "dau-nam", "referenceDate": "30/09/2025 00:00", "dueAt": "01/09/2025 00:00"])
            #expect(badPeriod.status == .unprocessableEntity && badPeriod.body.contains("Năm học viết dạng 2025-2026") && badPeriod.body.contains("Hạn nộp phải sau ngày chốt số liệu"))
            for year in 2024...2025 {
                #expect(try await so.post("/quan-tri/don-vi/so-thu/thong-ke", ["schoolYear": "\(year)-\(year + 1)", "kind": "dau-nam",
                                                                               "referenceDate": "30/09/\(year) 00:00", "dueAt": "30/10/\(year) 17:00"]).status == .seeOther)
            }
            let periods = try await YearbookService.yearColumns(on: app.db)
            let latest = try #require(periods.last)
            let latestID = try latest.requireID().uuidString.lowercased()

            // A school's form: faults at their fields, input kept, nothing stored.
            let school = Browser(app: app, host: "a.test")
            try await school.login("quantri@a.edu.vn", Province.password)
            let path = "/quan-tri/don-vi/th-a/thong-ke/\(latestID)"
            #expect(try await school.get(path).body.contains("Tiểu học: số học sinh (trẻ)"))
            var bad = Self.figures(pupils: 400, classes: 2, teachers: 20)
            bad["tieu-hoc__hoc_sinh_nu"] = "500"
            bad["truong__gv_dat_chuan"] = "15"
            bad["truong__may_tinh"] = "-3"
            bad["truong__nhan_vien"] = ""
            let refused = try await school.post(path, bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("«-3» không phải số nguyên không âm") && refused.body.contains("Nhập số (0 nếu không có)."))
            #expect(try await YearbookReport.query(on: app.db).count() == 0)
            // A decimal is not a count; thousands written 1.200 are.
            #expect(YearbookService.read(["truong__may_tinh": "1.5"], type: .tieuHoc).errors["truong__may_tinh"] == "«1.5» không phải số nguyên không âm.")
            #expect(YearbookService.read(["truong__may_tinh": "1.200"], type: .tieuHoc).values["truong.may_tinh"] == 1200)
            bad["truong__may_tinh"] = "30"
            bad["truong__nhan_vien"] = "5"
            let implausible = try await school.post(path, bad)
            #expect(implausible.body.contains("lớn hơn tổng số học sinh") && implausible.body.contains("400 học sinh / 2 lớp"))
            #expect(implausible.body.contains("học sinh một lớp, ngoài khoảng hợp lý") && implausible.body.contains("phải bằng tổng số giáo viên"))
            #expect(implausible.body.contains("value=\"500\""))
            #expect(try await YearbookReport.query(on: app.db).count() == 0)
            #expect(try await school.post(path, Self.figures(pupils: 400, classes: 12, teachers: 20)).status == .seeOther)
            // The other school of the office, through the service (its own admin would do the same).
            let schoolB = try await province.schoolB.resolved(on: app.db)
            try await YearbookService.save(Self.figures(pupils: 600, classes: 15, teachers: 30, type: .thcs), unit: schoolB, period: latest, by: .cli("t"), who: "t", on: app.db)
            let thpt = try await province.thpt.resolved(on: app.db)
            var privateSchool = Self.figures(pupils: 900, classes: 20, teachers: 45, type: .thpt)
            privateSchool["ownership"] = "tu-thuc"  // it changed ownership this year: the sums by type follow each year's report
            try await YearbookService.save(privateSchool, unit: thpt, period: latest, by: .cli("t"), who: "t", on: app.db)
            try await YearbookService.save(Self.figures(pupils: 850, classes: 20, teachers: 44, type: .thpt), unit: thpt, period: periods[0], by: .cli("t"), who: "t", on: app.db)
            // A school's admin cannot file for another school, and an office files no figures of its own.
            _ = try await school.get("/quan-tri/don-vi/th-a/thong-ke")
            #expect(try await school.post("/quan-tri/don-vi/thcs-b/thong-ke/\(latestID)", Self.figures(pupils: 1, classes: 1, teachers: 1)).status == .notFound)
            await #expect(throws: FormErrors.self) {
                try await YearbookService.save(Self.figures(pupils: 1, classes: 1, teachers: 1), unit: try await province.phong.resolved(on: app.db),
                                               period: latest, by: .cli("t"), who: "t", on: app.db)
            }

            // Sums: the office's are its two schools', the Sở's are everything's.
            let office = try #require(try await YearbookService.figures(of: try await province.phong.resolved(on: app.db), periods: [latest], on: app.db)[latest.requireID()])
            #expect(office.total("hoc_sinh") == 400 + 600 && office.value("truong.giao_vien") == 20 + 30 && office.filed == 2)
            let all = try #require(try await YearbookService.figures(of: try await province.so.resolved(on: app.db), periods: [latest], on: app.db)[latest.requireID()])
            #expect(all.total("hoc_sinh") == 400 + 600 + 900 && all.value("thpt.lop") == 20 && all.filed == 3)
            #expect(all.schools["tieu-hoc|cong-lap"] == 1 && all.schools["thpt|tu-thuc"] == 1 && all.schools["thpt|cong-lap"] == nil)
            #expect(all.nonPublic("thpt.hoc_sinh") == 900 && all.nonPublic("tieu-hoc.hoc_sinh") == 0 && all.byOwnership["cong-lap"]?["thcs.hoc_sinh"] == 600)

            // The public page: years side by side, the Sở's rows summed, a row per unit below, the trend.
            let page = try await Browser(app: app, host: "so.test").get("/thong-ke")
            #expect(page.status == .ok && page.body.contains("2024–2025") && page.body.contains("2025–2026"))
            #expect(page.body.contains("1.900") && page.body.contains("Phòng Giáo dục và Đào tạo huyện Đồng Văn"))
            #expect(page.body.contains("Tăng 5,9 %"))  // upper-secondary pupils 850 → 900
            #expect(page.body.contains("<svg role=\"img\""))
            // A chart per indicator, its numbers and trend also in words; the rows by type.
            #expect(page.body.contains("Học sinh các năm học: 2024–2025: 850; 2025–2026: 1.900.") && page.body.contains("Học sinh: tăng 123,5 %"))
            #expect(page.body.contains("Giáo viên các năm học: 2024–2025: 44; 2025–2026: 95."))
            let privateRow = try #require(page.body.range(of: "Trung học phổ thông: số học sinh (trẻ)</th>"))
            #expect(page.body[privateRow.upperBound...].prefix(400).contains("class=\"part\">   trong đó ngoài công lập</th><td class=\"num\">0</td><td class=\"num\">900</td>"))
            let schoolPage = try await Browser(app: app, host: "b.test").get("/thong-ke")
            #expect(schoolPage.body.contains("Trung học cơ sở: số học sinh (trẻ)") && schoolPage.body.contains("600") && !schoolPage.body.contains("Tiểu học:"))
            let csv = try await Browser(app: app, host: "phong.test").get("/thong-ke.csv")
            #expect(csv.headers.first(name: .contentType)?.hasPrefix("text/csv") == true && csv.bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            #expect(csv.body.contains("\"Lớp và học sinh\",\"Số học sinh (trẻ) (tổng)\",\"–\",\"1000\""))
            let workbook = try await Browser(app: app, host: "phong.test").get("/thong-ke.xlsx")
            var sheet: [[String]] = []
            try Spreadsheet.forEachRow(in: workbook.bytes) { _, cells in sheet.append(cells) }
            #expect(sheet.contains { $0.count > 3 && $0[1] == "Số học sinh (trẻ) (tổng)" && $0[3] == "1000" })
            // Open data: the office's sums by period and key.
            let api = try await Browser(app: app, host: "so.test").get("/api/v1/units/phong-thu/yearbook")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any])
            let latestJSON = try #require((json["periods"] as? [[String: Any]])?.first { $0["schoolYear"] as? String == "2025-2026" })
            #expect((latestJSON["values"] as? [String: Int])?["tieu-hoc.hoc_sinh"] == 400 && latestJSON["schoolsFiled"] as? Int == 2)
            #expect(((latestJSON["valuesByOwnership"] as? [String: [String: Int]])?["cong-lap"])?["thcs.hoc_sinh"] == 600)
            #expect(try await Browser(app: app, host: "so.test").get("/api/v1/units/khong-co/yearbook").status == .notFound)
            // The status page names the school that has not filed.
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            let officeAdmin = Browser(app: app, host: "phong.test")
            try await officeAdmin.login("quantri@phong.edu.vn", Province.password)
            #expect(try await officeAdmin.get("/quan-tri/don-vi/phong-thu/thong-ke").body.contains("Các trường đã nộp đủ"))
            let soStatus = try await so.get("/quan-tri/don-vi/so-thu/thong-ke")
            #expect(soStatus.body.contains("Các trường đã nộp đủ") && soStatus.body.contains("2 trường chưa nộp (quá hạn)"))
            // The deadlines dashboard lists the schools late for a period already due (2024–2025), not the one that filed.
            let deadlines = try await so.get(SiteURL.adminDeadlines.path)
            let section = String(deadlines.body[try #require(deadlines.body.range(of: "Niên giám thống kê: trường chưa nộp")).lowerBound...].prefix(1500))
            #expect(section.contains("Trường Tiểu học Nguyễn Trãi</a>: Đầu năm học 2024–2025") && section.contains("Trường THCS Lê Quý Đôn"))
            #expect(!section.contains("Trường THPT Trần Phú"))
        }
    }

    /// An office imports its schools' figures from the template: title rows above the header are
    /// read past; a file with any fault stores nothing and names each cell; a clean one stores all.
    @Test func anOfficeImportsItsSchoolsFromTheTemplate() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            let so = try await province.so.resolved(on: app.db)
            var input = YearbookService.PeriodInput()
            input.schoolYear = "2025-2026"
            input.kind = "dau-nam"
            input.referenceDate = "30/09/2025 00:00"
            input.dueAt = "30/10/2025 17:00"
            let period = try await YearbookService.createPeriod(input, unit: so, by: .cli("t"), on: app.db)
            let periodID = try period.requireID().uuidString.lowercased()
            let office = Browser(app: app, host: "phong.test")
            try await office.login("quantri@phong.edu.vn", Province.password)
            let listing = try await office.get("/quan-tri/don-vi/phong-thu/thong-ke")
            #expect(listing.body.contains("/quan-tri/don-vi/phong-thu/thong-ke/\(periodID)/mau.xlsx"))
            // The upload form carries its token in its address (an upload is refused before its body is read otherwise).
            #expect(listing.body.contains("action=\"/quan-tri/don-vi/phong-thu/thong-ke/nhap?_csrf=") && listing.body.contains("enctype=\"multipart/form-data\""))
            let template = try await office.get("/quan-tri/don-vi/phong-thu/thong-ke/\(periodID)/mau.xlsx")
            #expect(template.status == .ok && template.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
            // The template's rows: title, note, header, then one row per school of the office.
            var rows: [[String]] = []
            try Spreadsheet.forEachRow(in: template.bytes) { _, cells in rows.append(cells) }
            let header = try #require(rows.first { $0.first == "Mã trường" })
            #expect(rows.contains { $0.first == "th-a" } && rows.contains { $0.first == "thcs-b" } && !rows.contains { $0.first == "thpt-c" })
            #expect(header.contains("Tiểu học: số học sinh (trẻ)") && header.contains("Trung học cơ sở: số lớp (nhóm lớp)") && header.contains("Giáo viên"))

            func cells(_ values: [String: String]) -> [XLSXWriter.Cell] {
                header.map { name in
                    if let value = values[name] { return Int(value).map { .number(Double($0)) } ?? .text(value) }
                    return .number(0)
                }
            }
            let good: [[XLSXWriter.Cell]] = [
                ["NIÊN GIÁM THỐNG KÊ NĂM HỌC 2025–2026"], ["Đơn vị: Phòng Giáo dục và Đào tạo huyện Đồng Văn"], [],
                header.map { .text($0) },
                cells(["Mã trường": "th-a", "Tên trường": "Trường Tiểu học Nguyễn Trãi", "Loại hình": "Công lập", "Tiểu học: số lớp (nhóm lớp)": "12",
                       "Tiểu học: số học sinh (trẻ)": "400", "Tiểu học: trong đó: nữ": "190", "Giáo viên": "20", "Giáo viên: đạt chuẩn": "20",
                       "Trung học cơ sở: số lớp (nhóm lớp)": "", "Trung học cơ sở: số học sinh (trẻ)": "", "Trung học cơ sở: trong đó: nữ": "",
                       "Trung học cơ sở: trong đó: dân tộc thiểu số": "", "Trung học cơ sở: trong đó: khuyết tật": ""]),
                cells(["Mã trường": "thcs-b", "Tên trường": "Trường THCS Lê Quý Đôn", "Loại hình": "Tư thục", "Trung học cơ sở: số lớp (nhóm lớp)": "15",
                       "Trung học cơ sở: số học sinh (trẻ)": "600", "Giáo viên": "30", "Giáo viên: đạt chuẩn": "30",
                       "Tiểu học: số lớp (nhóm lớp)": "", "Tiểu học: số học sinh (trẻ)": "", "Tiểu học: trong đó: nữ": "",
                       "Tiểu học: trong đó: dân tộc thiểu số": "", "Tiểu học: trong đó: khuyết tật": ""]),
            ]
            // The same file with faults: a school of another office, a word for a number, a part above its total, data under no header.
            var bad = good
            bad[4] = cells(["Mã trường": "thpt-c", "Tên trường": "Trường THPT Trần Phú"])
            bad[5][header.firstIndex(of: "Trung học cơ sở: số học sinh (trẻ)")!] = "sáu trăm"
            bad.append(cells(["Mã trường": "thcs-b"]) + [.text("ghi chú")])
            let refused = try await office.upload("/quan-tri/don-vi/phong-thu/thong-ke/nhap", fields: ["period": periodID],
                                                  files: [("file", "nien-giam.xlsx", Array(try XLSXWriter.workbook(rows: bad)))])
            #expect(refused.status == .unprocessableEntity)
            let codeColumn = Spreadsheet.columnName(header.firstIndex(of: "Mã trường")!)
            let pupilsColumn = Spreadsheet.columnName(header.firstIndex(of: "Trung học cơ sở: số học sinh (trẻ)")!)
            #expect(refused.body.contains("Dòng 5, cột \(codeColumn): mã trường «thpt-c» không phải trường thuộc"))
            #expect(refused.body.contains("Dòng 6, cột \(pupilsColumn): «sáu trăm» không phải số nguyên không âm."))
            #expect(refused.body.contains("Cột \(Spreadsheet.columnName(header.count)) có dữ liệu nhưng không có tiêu đề"))
            #expect(refused.body.contains("Chưa lưu số liệu nào") && refused.body.contains("<option value=\"\(periodID)\" selected>"))
            #expect(try await YearbookReport.query(on: app.db).count() == 0)
            // A school below another office is not this office's to import; the clean file stores both schools.
            let stored = try await office.upload("/quan-tri/don-vi/phong-thu/thong-ke/nhap", fields: ["period": periodID],
                                                 files: [("file", "nien-giam.xlsx", Array(try XLSXWriter.workbook(rows: good)))])
            #expect(stored.status == .seeOther)
            let reports = try await YearbookReport.query(on: app.db).all()
            #expect(reports.count == 2 && Set(reports.map(\.ownership)) == ["cong-lap", "tu-thuc"])
            let figures = try #require(try await YearbookService.figures(of: try await province.phong.resolved(on: app.db), periods: [period], on: app.db)[period.requireID()])
            #expect(figures.total("hoc_sinh") == 1000 && figures.value("truong.giao_vien") == 50)
            // A CSV with the same rows works too (thousands written 1.000 are whole numbers).
            // A count typed into a date-formatted cell arrives as a day number: named as the date it shows.
            #expect(YearbookService.dateSerial(45_905) == "05/09/2025" && YearbookService.dateSerial(412) == nil)
            #expect(YearbookService.wholeNumber("1.000") == 1000 && YearbookService.wholeNumber("12.0") == 12 && YearbookService.wholeNumber("1.5") == nil)
        }
    }

    /// A workbook laid out the way a clerk makes one: merged title rows, a report date as a date
    /// cell, a two-row header with each level merged over its columns and the first columns merged
    /// down both rows, short sub-headings («Số học sinh», «Nữ»), and «Tư thục» merged over two rows.
    @Test func aRealStyleWorkbookWithMergedCellsImports() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let so = try await province.so.resolved(on: app.db)
            var input = YearbookService.PeriodInput()
            input.schoolYear = "2025-2026"
            input.kind = "dau-nam"
            input.referenceDate = "30/09/2025 00:00"
            input.dueAt = "30/10/2025 17:00"
            let period = try await YearbookService.createPeriod(input, unit: so, by: .cli("t"), on: app.db)
            let schoolKeys = YearbookCatalogue.indicators.filter { $0.scope == .school }.map { "truong.\($0.key)" }
            let sub: [XLSXWriter.Cell] = ["Số lớp", "Số học sinh", "Nữ", "Dân tộc thiểu số", "Khuyết tật"]
            var upper: [XLSXWriter.Cell] = ["Mã trường", "Tên trường", "Loại hình", "Tiểu học", "", "", "", "", "Trung học cơ sở", "", "", "", ""]
            upper += schoolKeys.map { .text(YearbookCatalogue.label(forKey: $0)) }
            let lower: [XLSXWriter.Cell] = ["", "", ""] + sub + sub + schoolKeys.map { _ in "" }
            func school(_ code: String, _ ownership: String, primary: [Double], lower: [Double], teachers: Double) -> [XLSXWriter.Cell] {
                let blank: [XLSXWriter.Cell] = Array(repeating: "", count: 5)
                let own: [XLSXWriter.Cell] = schoolKeys.map { key in
                    switch key {
                    case "truong.giao_vien", "truong.gv_dat_chuan": .number(teachers)
                    case "truong.phong_hoc": .number(12)
                    default: .number(0)
                    }
                }
                return [.text(code), .text(code.uppercased()), .text(ownership)]
                    + (primary.isEmpty ? blank : primary.map { .number($0) }) + (lower.isEmpty ? blank : lower.map { .number($0) }) + own
            }
            let rows: [[XLSXWriter.Cell]] = [
                ["UBND XÃ ĐỒNG VĂN"], ["NIÊN GIÁM THỐNG KÊ GIÁO DỤC NĂM HỌC 2025–2026"], ["Ngày báo cáo:", .number(45_930)],
                upper, lower,
                school("th-a", "Tư thục", primary: [12, 400, 190, 5, 2], lower: [], teachers: 20),
                school("thcs-b", "", primary: [], lower: [15, 600, 300, 10, 3], teachers: 30),
            ]
            let lastColumn = Spreadsheet.columnName(upper.count - 1)
            var merges = ["A1:E1", "A2:\(lastColumn)2", "A4:A5", "B4:B5", "C4:C5", "D4:H4", "I4:M4", "C6:C7"]
            merges += schoolKeys.indices.map { let c = Spreadsheet.columnName(13 + $0); return "\(c)4:\(c)5" }
            let file = Array(try XLSXWriter.workbook(sheetName: "Niên giám", rows: rows, merges: merges))
            let count = try await YearbookService.importFile(file, unit: try await province.phong.resolved(on: app.db), period: period, by: .cli("t"), who: "t", on: app.db)
            #expect(count == 2)
            let reports = try await YearbookReport.query(on: app.db).all()
            // «Tư thục» merged over both rows is each school's.
            #expect(reports.count == 2 && reports.allSatisfy { $0.ownership == "tu-thuc" })
            let primary = try #require(reports.first { $0.unitID == province.schoolA.id })
            #expect(primary.values["tieu-hoc.hoc_sinh"] == 400 && primary.values["tieu-hoc.hoc_sinh_nu"] == 190 && primary.values["tieu-hoc.hoc_sinh_khuyet_tat"] == 2)
            let lowerSecondary = try #require(reports.first { $0.unitID == province.schoolB.id })
            #expect(lowerSecondary.values["thcs.lop"] == 15 && lowerSecondary.values["truong.giao_vien"] == 30)

            // A sub-heading that is no indicator is named where it stands; nothing is stored.
            var wrong = rows
            wrong[4][4] = "Số học viên"
            try await YearbookReport.query(on: app.db).delete()
            let refusal = await #expect(throws: FormErrors.self) {
                try await YearbookService.importFile(Array(try XLSXWriter.workbook(rows: wrong, merges: merges)), unit: try await province.phong.resolved(on: app.db),
                                                     period: period, by: .cli("t"), who: "t", on: app.db)
            }
            #expect(refusal?["file"]?.contains("Dòng 5, cột E: tiêu đề «Tiểu học: Số học viên» không phải chỉ tiêu của niên giám") == true)
            // Text where the school has no such level is a figure in the wrong place, not something to ignore.
            var misplaced = rows
            misplaced[5][9] = "mười lăm"
            let misplacedRefusal = await #expect(throws: FormErrors.self) {
                try await YearbookService.importFile(Array(try XLSXWriter.workbook(rows: misplaced, merges: merges)), unit: try await province.phong.resolved(on: app.db),
                                                     period: period, by: .cli("t"), who: "t", on: app.db)
            }
            #expect(misplacedRefusal?["file"]?.contains("Dòng 6, cột J: Trường Tiểu học Nguyễn Trãi không có số liệu «Trung học cơ sở: số học sinh (trẻ)»") == true)
            #expect(try await YearbookReport.query(on: app.db).count() == 0)
        }
    }
}
