import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// A minimal valid PNG of the given size (signature, IHDR, IDAT, IEND; CRCs are not checked here).
/// A real PNG (RGB, a colour gradient, stored deflate blocks), `padding` bytes more in a private
/// ancillary chunk (decoders skip it) for size limits.
func pngBytes(width: UInt32, height: UInt32, padding: Int = 0) -> [UInt8] {
    func be(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be(UInt32(data.count)) + body + be(crc32(body))
    }
    var raw: [UInt8] = []
    raw.reserveCapacity(Int(height) * (Int(width) * 3 + 1))
    for y in 0..<Int(height) {
        raw.append(0)
        for x in 0..<Int(width) { raw += [UInt8(x * 255 / max(1, Int(width) - 1)), UInt8(y * 255 / max(1, Int(height) - 1)), 128] }
    }
    var zlib: [UInt8] = [0x78, 0x01]
    var offset = 0
    repeat {
        let count = min(65_535, raw.count - offset)
        let last: UInt8 = offset + count == raw.count ? 1 : 0
        zlib += [last, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
        zlib += raw[offset..<offset + count]
        offset += count
    } while offset < raw.count
    var (a, b): (UInt32, UInt32) = (1, 0)
    for byte in raw { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
    zlib += be(b << 16 | a)
    var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    bytes += chunk("IHDR", be(width) + be(height) + [8, 2, 0, 0, 0])
    if padding > 0 { bytes += chunk("ruNk", Array(repeating: 0, count: padding)) }
    bytes += chunk("IDAT", zlib) + chunk("IEND", [])
    return bytes
}

func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }
    return ~crc
}

@Suite struct MediaLibraryTests {
    func editor(_ app: Application) async throws -> (Province, Browser) {
        let province = try await Province.make(on: app.db)
        try await province.user("bientap@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
        let browser = Browser(app: app, host: "a.test")
        try await browser.login("bientap@a.edu.vn", Province.password)
        try await browser.get("/quan-tri/don-vi/th-a/tep")
        return (province, browser)
    }

    @Test func uploadsAreRecognisedByContentAndServedFromTheirUnitOnly() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-media-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let (_, browser) = try await editor(app)
            let uploaded = pngBytes(width: 640, height: 480)
            let page = try await browser.upload("/quan-tri/don-vi/th-a/tep", fields: ["alt": "Học sinh chào cờ đầu tuần", "title": "Chào cờ"],
                                                filename: "chao-co.exe", bytes: uploaded)
            #expect(page.status == .seeOther)
            let media = try #require(try await Media.query(on: app.db).first())
            #expect(media.mimeType == "image/png")
            #expect(media.storedName.hasSuffix(".png"))
            #expect(!media.storedName.contains("chao-co"))
            #expect(media.width == 640 && media.height == 480)
            // Stored under the data directory, outside anything served as static files: a PNG remade
            // without metadata, the same size, and its copies.
            let onDisk = data.appendingPathComponent("media").appendingPathComponent(media.unitID.uuidString.lowercased()).appendingPathComponent(media.storedName)
            let stored = try #require(FileManager.default.contents(atPath: onDisk.path).map { [UInt8]($0) })
            #expect(FileSniffer.sniff(stored)?.mimeType == "image/png" && FileSniffer.imageSize(stored).map { [$0.width, $0.height] } == [640, 480])
            #expect(media.copyWidthList == [320, 640])
            let png = stored

            let served = try await Browser(app: app, host: "a.test").get("/tep/" + media.storedName)
            #expect(served.status == .ok)
            #expect(served.headers.first(name: .contentType) == "image/png")
            #expect(served.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(served.bytes == png)
            // Streamed with ranges: a phone resuming a download asks for the rest only.
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .host, value: "a.test")
            headers.replaceOrAdd(name: .range, value: "bytes=8-23")
            try await app.testing().test(.GET, "/tep/" + media.storedName, headers: headers) { response in
                #expect(response.status == .partialContent)
                #expect(response.headers.first(name: .contentRange) == "bytes 8-23/\(png.count)")
                #expect(Array(response.body.readableBytesView) == Array(png[8...23]))
                #expect(response.headers.first(name: .contentType) == "image/png")
            }
            #expect(try await Browser(app: app, host: "b.test").get("/tep/" + media.storedName).status == .notFound)
            #expect(try await Browser(app: app, host: "a.test").get("/tep/khong-co.png").status == .notFound)
            let library = try await browser.get("/quan-tri/don-vi/th-a/tep")
            #expect(library.body.contains("alt=\"Học sinh chào cờ đầu tuần\""))
        }
    }

    @Test func imagesNeedAltTextAndHostileFilesAreRefused() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-media-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let (_, browser) = try await editor(app)
            let noAlt = try await browser.upload("/quan-tri/don-vi/th-a/tep", fields: ["alt": "  ", "title": "Ảnh"], filename: "a.png",
                                                 bytes: pngBytes(width: 10, height: 10))
            #expect(noAlt.status == .unprocessableEntity)
            #expect(noAlt.body.contains("văn bản thay thế"))
            #expect(noAlt.body.contains("value=\"Ảnh\""))  // what was typed is kept

            let svg = Array("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(1)</script></svg>".utf8)
            let html = Array("<!DOCTYPE html><html><script>alert(1)</script></html>".utf8)
            let exe: [UInt8] = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]
            for (name, bytes) in [("logo.png", svg), ("bai.pdf", html), ("tai-lieu.docx", exe), ("rong.pdf", [UInt8]())] {
                let page = try await browser.upload("/quan-tri/don-vi/th-a/tep", fields: ["alt": "x"], filename: name, bytes: bytes)
                #expect(page.status == .unprocessableEntity, "\(name)")
            }
            let big = try await browser.upload("/quan-tri/don-vi/th-a/tep", fields: ["alt": "Ảnh lớn"], filename: "lon.png",
                                               bytes: pngBytes(width: 40, height: 30, padding: 11 << 20))
            #expect(big.status == .unprocessableEntity)
            #expect(big.body.contains("Ảnh quá lớn"))
            #expect(try await Media.query(on: app.db).count() == 0)
            let folder = data.appendingPathComponent("media")
            let leftovers = (try? FileManager.default.subpathsOfDirectory(atPath: folder.path))?.filter { $0.contains(".") } ?? []
            #expect(leftovers.isEmpty)
        }
    }

    @Test func sniffingNamesOfficeAndPDF() {
        #expect(FileSniffer.sniff(Array("%PDF-1.7\n".utf8))?.fileExtension == "pdf")
        #expect(FileSniffer.sniff([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0])?.fileExtension == "doc")
        #expect(FileSniffer.sniff(Array("Họ tên,Lớp\nAn,10A1\n".utf8))?.fileExtension == "txt")
        #expect(FileSniffer.sniff(Array("<?xml version=\"1.0\"?><svg/>".utf8)) == nil)
        #expect(FileSniffer.sniff([0xFF, 0xD8, 0xFF, 0xE0])?.isImage == true)
    }
}

@Suite struct DocumentRegistryTests {
    @Test func documentsGoThroughTheWorkflowAndAppearWithFilesAndFilters() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-docs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@so.edu.vn", .truongBanBienTap, at: province.so, app: app)
            let head = Browser(app: app, host: "so.test")
            try await head.login("truongban@so.edu.vn", Province.password)
            try await head.get("/quan-tri/don-vi/so-thu/van-ban/moi")
            let good: [String: String] = [
                "number": "1234/QĐ-SGDĐT", "docType": "Quyết định", "issuer": "Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm",
                "signer": "Nguyễn Văn Bình", "issuedOn": "15/08/2026", "effectiveOn": "01/09/2026", "field": "Giáo dục trung học",
                "summary": "Về việc ban hành Kế hoạch thời gian năm học 2026–2027",
            ]
            var bad = good
            bad["issuedOn"] = "31/02/2026"
            let refused = try await head.post("/quan-tri/don-vi/so-thu/van-ban/moi", bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("Ngày ban hành dạng dd/mm/yyyy"))
            #expect(refused.body.contains("value=\"1234/QĐ-SGDĐT\""))
            #expect(try await head.post("/quan-tri/don-vi/so-thu/van-ban/moi", good).status == .seeOther)
            let document = try #require(try await LegalDocument.query(on: app.db).first())
            let path = "/quan-tri/don-vi/so-thu/van-ban/\(try document.requireID().uuidString)"
            try await head.get(path)
            #expect(try await head.upload(path + "/tep", fields: ["title": "Quyết định 1234"], filename: "qd.pdf", bytes: Array("%PDF-1.4\n%âãÏÓ\n".utf8)).status == .seeOther)

            // A second document related to the first.
            try await head.get("/quan-tri/don-vi/so-thu/van-ban/moi")
            var second = good
            second["number"] = "567/SGDĐT-GDTrH"
            second["docType"] = "Công văn"
            second["issuedOn"] = "20/08/2025"
            second["effectiveOn"] = ""
            second["summary"] = "Hướng dẫn thực hiện nhiệm vụ giáo dục trung học"
            second["related"] = "1234/QĐ-SGDĐT"
            #expect(try await head.post("/quan-tri/don-vi/so-thu/van-ban/moi", second).status == .seeOther)
            let other = try #require(try await LegalDocument.query(on: app.db).filter(\.$number == "567/SGDĐT-GDTrH").first())

            let visitor = Browser(app: app, host: "so.test")
            #expect(try await visitor.get("/van-ban/\(try document.requireID().uuidString)").status == .notFound)  // draft
            for doc in [document, other] {
                let docPath = "/quan-tri/don-vi/so-thu/van-ban/\(try doc.requireID().uuidString)"
                for step in ["gui-duyet", "duyet", "dang"] {
                    try await head.get(docPath)
                    #expect(try await head.post(docPath + "/chuyen-trang-thai", ["transition": step]).status == .seeOther)
                }
            }
            let list = try await visitor.get("/van-ban")
            #expect(list.body.contains("1234/QĐ-SGDĐT"))
            #expect(list.body.contains("567/SGDĐT-GDTrH"))
            let filtered = try await visitor.get("/van-ban?loai=C%C3%B4ng%20v%C4%83n&nam=2025")
            #expect(filtered.body.contains("567/SGDĐT-GDTrH"))
            #expect(!filtered.body.contains("1234/QĐ-SGDĐT"))
            let page = try await visitor.get("/van-ban/\(try document.requireID().uuidString.lowercased())")
            #expect(page.status == .ok)
            #expect(page.body.contains("Nguyễn Văn Bình"))
            #expect(page.body.contains("01/09/2026"))
            #expect(page.body.contains("Quyết định 1234"))
            #expect(page.body.contains("567/SGDĐT-GDTrH"))  // related, both ways
            #expect(try await Browser(app: app, host: "a.test").get("/van-ban/\(try document.requireID().uuidString)").status == .notFound)
        }
    }
}

extension DocumentRegistryTests {
    /// The public list filters, counts and pages in the database: every published document once,
    /// newest first, across pages; the filter's choices are those of published documents only;
    /// a year is Vietnam's calendar year (23:30 on 31/12 is still that year); odd years find nothing.
    @Test func theListFiltersAndPagesEveryPublishedDocumentOnce() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let author = try await province.user("vanthu@so.edu.vn", .bienTapVien, at: province.so, app: app)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
            func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 8, _ minute: Int = 0) -> Date {
                calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
            }
            struct Made { let number: String; let type: String; let issuer: String; let field: String; let issued: Date }
            var published: [Made] = []
            let so = try await province.so.resolved(on: app.db)
            func make(_ made: Made, state: ContentState = .daDang, expiresAt: Date? = nil) async throws {
                _ = try await UnitChangeTests.publishedDocument(
                    made.number, "Văn bản thử nghiệm danh sách", at: so, by: author, type: made.type, issuer: made.issuer, field: made.field,
                    issuedOn: made.issued, state: state, expiresAt: expiresAt, on: app.db)
            }
            let types = ["Quyết định", "Công văn", "Kế hoạch"]
            let issuers = ["Sở GD&ĐT Ninh Bình", "UBND tỉnh Ninh Bình"]
            let fields = ["Tổ chức", "Khảo thí", ""]
            for i in 0..<45 {
                let year = [2019, 2021, 2025][i % 3]
                let made = Made(number: String(format: "VB%03d/TEST", i), type: types[i % 3], issuer: issuers[i % 2], field: fields[i % 3],
                                issued: at(year, 1 + i % 12, 1 + i % 28))
                try await make(made)
                published.append(made)
            }
            // Both sides of New Year's midnight in Vietnam (16:30 and 17:30 UTC on 31/12/2025).
            for made in [Made(number: "VB901/CUOINAM", type: "Thông báo", issuer: issuers[0], field: "Tổ chức", issued: at(2025, 12, 31, 23, 30)),
                         Made(number: "VB902/DAUNAM", type: "Thông báo", issuer: issuers[0], field: "Tổ chức", issued: at(2026, 1, 1, 0, 30))] {
                try await make(made)
                published.append(made)
            }
            // Not public: a draft and an expired one; their values must not be offered.
            try await make(Made(number: "VB990/NHAP", type: "Chỉ thị", issuer: "Bộ GD&ĐT", field: "Nháp riêng", issued: at(2010, 5, 5)), state: .nhap)
            try await make(Made(number: "VB991/HETHAN", type: "Thông tư", issuer: "Bộ GD&ĐT", field: "Hết hạn riêng", issued: at(2011, 5, 5)),
                           expiresAt: Date().addingTimeInterval(-60))

            let visitor = Browser(app: app, host: "so.test")
            func numbers(_ body: String) -> [String] {
                body.matches(of: /VB\d{3}\/[A-Z]+/).map { String($0.output) }
            }
            func options(_ body: String, _ name: String) throws -> [String] {
                let select = try #require(body.firstRange(of: "name=\"\(name)\"").map { body[$0.upperBound...] })
                let end = try #require(select.firstRange(of: "</select>"))
                return select[..<end.lowerBound].matches(of: /<option value="([^"]*)"/).map { String($0.output.1).replacingOccurrences(of: "&amp;", with: "&") }.filter { !$0.isEmpty }
            }
            // Every page, in order: each published document once, newest first.
            let newestFirst = published.sorted { $0.issued > $1.issued }.map(\.number)
            var seen: [String] = []
            var page = 1
            while true {
                let response = try await visitor.get("/van-ban?trang=\(page)")
                guard response.status == .ok else { break }
                seen += numbers(response.body)
                page += 1
            }
            #expect(page - 1 == (published.count + 19) / 20)
            #expect(seen == newestFirst)
            #expect(try await visitor.get("/van-ban?trang=\(page)").status == .notFound)

            let first = try await visitor.get("/van-ban")
            #expect(first.body.contains("role=\"status\">\(published.count) văn bản"))
            #expect(try options(first.body, "loai") == Set(published.map(\.type)).sorted())
            #expect(try options(first.body, "nam") == Set(published.map { calendar.component(.year, from: $0.issued) }).sorted(by: >).map(String.init))
            #expect(try options(first.body, "co-quan") == Set(published.map(\.issuer)).sorted())
            #expect(try options(first.body, "linh-vuc") == Set(published.map(\.field)).filter { !$0.isEmpty }.sorted())

            // Each filter, and two together, against the documents as made.
            func expectFiltered(_ query: String, _ keep: (Made) -> Bool) async throws {
                let body = try await visitor.get("/van-ban?" + query).body
                let expected = published.filter(keep).sorted { $0.issued > $1.issued }.map(\.number)
                #expect(numbers(body) == Array(expected.prefix(20)), "\(query)")
                #expect(body.contains("role=\"status\">\(expected.count) văn bản"), "\(query)")
            }
            let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text }
            try await expectFiltered("nam=2025") { calendar.component(.year, from: $0.issued) == 2025 }
            try await expectFiltered("nam=2026") { $0.number == "VB902/DAUNAM" }
            try await expectFiltered("loai=" + encode("Công văn")) { $0.type == "Công văn" }
            try await expectFiltered("loai=" + encode("Kế hoạch") + "&co-quan=" + encode(issuers[1])) { $0.type == "Kế hoạch" && $0.issuer == issuers[1] }
            try await expectFiltered("linh-vuc=" + encode("Khảo thí") + "&nam=2019") {
                $0.field == "Khảo thí" && calendar.component(.year, from: $0.issued) == 2019
            }
            // Years nobody wrote, however large, and words: nothing found or no filter, never an error.
            try await expectFiltered("nam=1800") { _ in false }
            try await expectFiltered("nam=9223372036854775807") { _ in false }
            try await expectFiltered("nam=abc") { _ in true }
            // The draft and the expired document are nowhere.
            #expect(try await visitor.get("/van-ban?loai=" + encode("Chỉ thị")).body.contains("role=\"status\">0 văn bản"))
            #expect(!first.body.contains("Nháp riêng") && !first.body.contains("Hết hạn riêng"))
        }
    }
}

@Suite struct IntroductionTests {
    @Test func headWritesIntroLeadersAndDepartmentsThePublicReadsThem() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            try await province.user("ctv@a.edu.vn", .congTacVien, at: province.schoolA, app: app)
            let head = Browser(app: app, host: "a.test")
            try await head.login("truongban@a.edu.vn", Province.password)
            let overview = try await head.get("/quan-tri/don-vi/th-a/gioi-thieu")
            #expect(overview.status == .ok)
            #expect(overview.body.contains("Lịch sử"))  // schools keep their history
            try await head.get("/quan-tri/don-vi/th-a/gioi-thieu/tong-quan")
            #expect(try await head.post("/quan-tri/don-vi/th-a/gioi-thieu/tong-quan",
                                        ["title": "Giới thiệu chung", "body": "<p>Trường thành lập năm 1962.</p><script>x</script>", "published": "on"]).status == .seeOther)
            try await head.get("/quan-tri/don-vi/th-a/gioi-thieu")
            #expect(try await head.post("/quan-tri/don-vi/th-a/lanh-dao",
                                        ["intent": "save", "fullName": "Trần Thị Mai", "title": "Hiệu trưởng", "phone": "0215 3852 100",
                                         "email": "hieutruong@a.edu.vn", "duties": "Phụ trách chung"]).status == .seeOther)
            #expect(try await head.post("/quan-tri/don-vi/th-a/lanh-dao",
                                        ["intent": "save", "fullName": "", "title": "Phó Hiệu trưởng"]).status == .unprocessableEntity)
            #expect(try await head.post("/quan-tri/don-vi/th-a/co-cau-to-chuc",
                                        ["intent": "save", "name": "Tổ Toán - Tin", "functions": "Giảng dạy Toán và Tin học", "headName": "Lê Văn Hùng"]).status == .seeOther)

            let added = try await head.post("/quan-tri/don-vi/th-a/gioi-thieu", ["title": "Thành tích nổi bật"])
            #expect(added.location == "/quan-tri/don-vi/th-a/gioi-thieu/thanh-tich-noi-bat")
            try await head.get("/quan-tri/don-vi/th-a/gioi-thieu/thanh-tich-noi-bat")
            #expect(try await head.post("/quan-tri/don-vi/th-a/gioi-thieu/thanh-tich-noi-bat",
                                        ["title": "Thành tích nổi bật", "body": "<p>Ba năm liền đạt danh hiệu tập thể lao động xuất sắc.</p>", "published": "on"]).status == .seeOther)

            let visitor = Browser(app: app, host: "a.test")
            #expect(try await visitor.get("/gioi-thieu/thanh-tich-noi-bat").body.contains("tập thể lao động xuất sắc"))
            let intro = try await visitor.get("/gioi-thieu")
            #expect(intro.body.contains("/gioi-thieu/thanh-tich-noi-bat"))
            #expect(intro.body.contains("Trường thành lập năm 1962."))
            #expect(!intro.body.contains("<script>x"))
            let leaders = try await visitor.get("/gioi-thieu/lanh-dao")
            #expect(leaders.body.contains("Trần Thị Mai"))
            #expect(leaders.body.contains("mailto:hieutruong@a.edu.vn"))
            #expect(leaders.body.contains("tel:02153852100"))
            #expect(try await visitor.get("/gioi-thieu/co-cau-to-chuc").body.contains("Tổ Toán - Tin"))
            #expect(try await visitor.get("/gioi-thieu/lich-su").status == .notFound)  // not yet published

            let contributor = Browser(app: app, host: "a.test")
            try await contributor.login("ctv@a.edu.vn", Province.password)
            #expect(try await contributor.get("/quan-tri/don-vi/th-a/gioi-thieu").status == .forbidden)
            let actions = try await AuditEntry.query(on: app.db).all().map(\.action)
            #expect(actions.contains("page.update") && actions.contains("leader.update") && actions.contains("department.update"))
        }
    }
}

@Suite struct CategoryAndCoverTests {
    @Test func headSetsUpdateIntervalsAndBadValuesAreRefused() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let head = Browser(app: app, host: "a.test")
            try await head.login("truongban@a.edu.vn", Province.password)
            let page = try await head.get("/quan-tri/don-vi/th-a/chuyen-muc")
            #expect(page.status == .ok)
            let notice = try #require(try await Category.find(unitID: province.schoolA.requireID(), slug: "thong-bao", on: app.db))
            let id = try notice.requireID().uuidString
            #expect(try await head.post("/quan-tri/don-vi/th-a/chuyen-muc", ["name-\(id)": "Thông báo", "interval-\(id)": "abc"]).status == .unprocessableEntity)
            #expect(try await head.post("/quan-tri/don-vi/th-a/chuyen-muc", ["name-\(id)": "Thông báo của trường", "interval-\(id)": "3"]).status == .seeOther)
            let saved = try #require(try await Category.find(notice.requireID(), on: app.db))
            #expect(saved.updateIntervalDays == 3)
            #expect(saved.name == "Thông báo của trường")
        }
    }

    @Test func articleCoverComesFromTheUnitsLibraryWithItsAltText() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-cover-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let head = Browser(app: app, host: "a.test")
            try await head.login("truongban@a.edu.vn", Province.password)
            try await head.get("/quan-tri/don-vi/th-a/tep")
            try await head.upload("/quan-tri/don-vi/th-a/tep", fields: ["alt": "Sân trường ngày khai giảng"], filename: "san.png",
                                  bytes: pngBytes(width: 800, height: 600))
            let media = try #require(try await Media.query(on: app.db).first())
            let category = try #require(try await Category.find(unitID: province.schoolA.requireID(), slug: "tin-tuc-su-kien", on: app.db))
            try await head.get("/quan-tri/don-vi/th-a/bai-viet/moi")
            #expect(try await head.post("/quan-tri/don-vi/th-a/bai-viet/moi",
                                        ["title": "Khai giảng", "category": try category.requireID().uuidString, "body": "<p>Vui.</p>",
                                         "cover": UUID().uuidString]).status == .unprocessableEntity)
            #expect(try await head.post("/quan-tri/don-vi/th-a/bai-viet/moi",
                                        ["title": "Khai giảng", "category": try category.requireID().uuidString, "body": "<p>Vui.</p>",
                                         "cover": try media.requireID().uuidString]).status == .seeOther)
            let article = try #require(try await Article.query(on: app.db).first())
            let path = "/quan-tri/don-vi/th-a/bai-viet/\(try article.requireID().uuidString)"
            for step in ["gui-duyet", "duyet", "dang"] {
                try await head.get(path)
                try await head.post(path + "/chuyen-trang-thai", ["transition": step])
            }
            let page = try await Browser(app: app, host: "a.test").get("/bai-viet/" + article.slug)
            let copy = MediaService.copyPath(media, width: 640, ext: "jpg")
            #expect(page.body.contains("<img src=\"\(copy)\" srcset=\"") && page.body.contains("alt=\"Sân trường ngày khai giảng\" width=\"800\" height=\"600\" decoding=\"async\">"))
            #expect(page.body.contains("<source type=\"image/webp\" srcset=\"\(MediaService.copyPath(media, width: 320, ext: "webp")) 320w, "))
        }
    }
}
