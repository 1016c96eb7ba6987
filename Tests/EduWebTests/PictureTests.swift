import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Photos through the media library (#19 point 2): libvips turns them upright by their EXIF
/// orientation, drops every metadata block (the GPS position with it), and makes WebP and JPEG
/// copies at a few widths; a damaged or hostile picture is refused with a clear message and
/// leaves nothing behind; pages show the copies with srcset, the gallery and the home page's lead.
@Suite struct PictureTests {
    /// An EXIF APP1 segment (little-endian TIFF) with an orientation and a GPS position in Ninh Bình.
    static func exif(orientation: UInt16) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
        func entry(_ tag: UInt16, _ type: UInt16, _ count: UInt32, _ value: [UInt8]) -> [UInt8] {
            u16(tag) + u16(type) + u32(count) + value + Array(repeating: 0, count: 4 - value.count)
        }
        // IFD0 at 8 (2 entries: 30 bytes), the GPS IFD at 38 (4 entries: 54 bytes), rationals at 92 and 116.
        var tiff: [UInt8] = Array("II".utf8) + u16(42) + u32(8)
        tiff += u16(2) + entry(0x0112, 3, 1, u16(orientation)) + entry(0x8825, 4, 1, u32(38)) + u32(0)
        tiff += u16(4) + entry(0x0001, 2, 2, Array("N".utf8) + [0]) + entry(0x0002, 5, 3, u32(92))
            + entry(0x0003, 2, 2, Array("E".utf8) + [0]) + entry(0x0004, 5, 3, u32(116)) + u32(0)
        for (degrees, minutes, hundredths) in [(20, 15, 3_000), (105, 58, 1_200)] as [(UInt32, UInt32, UInt32)] {
            tiff += u32(degrees) + u32(1) + u32(minutes) + u32(1) + u32(hundredths) + u32(100)
        }
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    /// A JPEG as a phone writes it: EXIF right after the start-of-image marker.
    static func phonePhoto(width: Int, height: Int, orientation: UInt16) throws -> [UInt8] {
        let plain = try #require(PictureMaker.testPattern(width: width, height: height))
        return Array(plain.prefix(2)) + exif(orientation: orientation) + Array(plain.dropFirst(2))
    }

    static func editor(_ app: Application) async throws -> (Province, Browser) {
        let province = try await Province.make(on: app.db)
        try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
        let browser = Browser(app: app, host: "a.test")
        try await browser.login("truongban@a.edu.vn", Province.password)
        try await browser.get("/quan-tri/don-vi/th-a/tep")
        return (province, browser)
    }

    static func folder(_ data: URL, _ unit: OrgUnit) throws -> URL {
        data.appendingPathComponent("media").appendingPathComponent(try unit.requireID().uuidString.lowercased())
    }

    @Test func aPhonePhotoIsTurnedUprightAndLosesItsPosition() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-pictures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let (province, browser) = try await Self.editor(app)
            // Taken holding the phone upright: stored 1200 x 900 with «rotate 90° clockwise to show».
            let photo = try Self.phonePhoto(width: 1200, height: 900, orientation: 6)
            let before = try #require(PictureMaker.inspect(photo, format: 1, x: 10, y: 450))
            #expect(before.hasGPS && before.hasMetadata && before.red > 150, "the fixture carries its position")
            let page = try await browser.upload("/quan-tri/don-vi/th-a/tep", fields: ["alt": "Học sinh lớp 10A1 trồng cây", "title": "Trồng cây"],
                                                filename: "IMG_20261120.jpg", bytes: photo)
            #expect(page.status == .seeOther)
            let media = try #require(try await Media.query(on: app.db).first())
            #expect(media.width == 900 && media.height == 1200, "upright: \(media.width ?? 0) x \(media.height ?? 0)")
            #expect(media.copyWidthList == [320, 640, 900])
            let folder = try Self.folder(data, province.schoolA)
            var files = [(media.storedName, Int32(1), 900)]
            for width in media.copyWidthList {
                files += [(MediaService.copyName(media, width: width, ext: "jpg"), 1, width), (MediaService.copyName(media, width: width, ext: "webp"), 3, width)]
            }
            for (name, format, width) in files {
                let bytes = try #require(FileManager.default.contents(atPath: folder.appendingPathComponent(name).path).map { [UInt8]($0) }, "\(name)")
                let height = Int((Double(width) * 4 / 3).rounded())
                // The red left half of the stored picture is now its top.
                let top = try #require(PictureMaker.inspect(bytes, format: format, x: width / 2, y: height / 10), "\(name)")
                let bottom = try #require(PictureMaker.inspect(bytes, format: format, x: width / 2, y: height * 9 / 10), "\(name)")
                #expect(top.red > 150 && top.blue < 100 && bottom.blue > 150 && bottom.red < 100, "\(name): top \(top), bottom \(bottom)")
                #expect(!top.hasMetadata && !top.hasGPS, "\(name) keeps metadata")
                #expect(!String(decoding: bytes, as: UTF8.self).contains("Exif"), "\(name)")
                if format == 1 { #expect(FileSniffer.imageSize(bytes).map { [$0.width, $0.height] } == [width, height], "\(name)") }
            }
            // Copies are served by their unit only, with their own type.
            let webp = MediaService.copyName(media, width: 640, ext: "webp")
            let served = try await Browser(app: app, host: "a.test").get("/tep/" + webp)
            #expect(served.status == .ok && served.headers.first(name: .contentType) == "image/webp")
            #expect(try await Browser(app: app, host: "b.test").get("/tep/" + webp).status == .notFound)
            #expect(try await Browser(app: app, host: "a.test").get("/tep/" + MediaService.copyName(media, width: 641, ext: "webp")).status == .notFound)
        }
    }

    @Test func damagedAndHostilePicturesAreRefusedAndLeaveNothing() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-pictures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let (province, browser) = try await Self.editor(app)
            let whole = try #require(PictureMaker.testPattern(width: 800, height: 600))
            // A PNG whose header claims 30,000 x 30,000 pixels (a decompression bomb), correctly checksummed.
            var bomb = pngBytes(width: 2, height: 2)
            bomb.replaceSubrange(16..<24, with: [0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30])
            let crc = crc32(Array(bomb[12..<29]))
            bomb.replaceSubrange(29..<33, with: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
            let cases: [(String, [UInt8], String)] = [
                ("cut.jpg", Array(whole.prefix(whole.count / 2)), "Không đọc được ảnh"),
                ("noise.jpg", [0xFF, 0xD8, 0xFF, 0xE0] + (0..<4_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }, "Không đọc được ảnh"),
                ("bomb.png", bomb, "Ảnh quá lớn: 30000 × 30000 điểm ảnh"),
                ("damaged.png", Array(pngBytes(width: 50, height: 50).prefix(60)), "Không đọc được ảnh"),
            ]
            for (name, bytes, message) in cases {
                let page = try await browser.upload("/quan-tri/don-vi/th-a/tep", fields: ["alt": "Ảnh thử", "title": name], filename: name, bytes: bytes)
                #expect(page.status == .unprocessableEntity, "\(name): \(page.status)")
                #expect(page.body.contains(message), "\(name)")
                #expect(page.body.contains("value=\"Ảnh thử\""), "\(name): what was typed is kept")
                try await browser.get("/quan-tri/don-vi/th-a/tep")
            }
            #expect(try await Media.query(on: app.db).count() == 0)
            let left = (try? FileManager.default.contentsOfDirectory(atPath: try Self.folder(data, province.schoolA).path)) ?? []
            #expect(left.isEmpty, "left behind: \(left)")

            // A script hidden after the picture's end is not kept: the stored picture is remade.
            let smuggled = whole + Array("<script>alert(document.cookie)</script>".utf8)
            let page = try await browser.upload("/quan-tri/don-vi/th-a/tep", fields: ["alt": "Ảnh có đuôi lạ"], filename: "a.jpg", bytes: smuggled)
            if page.status == .seeOther {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: try Self.folder(data, province.schoolA).path)) ?? [] {
                    let bytes = try #require(FileManager.default.contents(atPath: try Self.folder(data, province.schoolA).appendingPathComponent(name).path))
                    #expect(!String(decoding: bytes, as: UTF8.self).contains("<script"), "\(name)")
                }
            } else {
                #expect(page.status == .unprocessableEntity && page.body.contains("Không đọc được ảnh"))
            }
            // A GIF (it may be animated) is kept as it came, without copies.
            try await browser.get("/quan-tri/don-vi/th-a/tep")
            let gif: [UInt8] = Array("GIF89a".utf8) + [1, 0, 1, 0, 0x80, 0, 0, 255, 255, 255, 0, 0, 0, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B]
            #expect(try await browser.upload("/quan-tri/don-vi/th-a/tep", fields: ["alt": "Biểu tượng"], filename: "a.gif", bytes: gif).status == .seeOther)
            let stored = try #require(try await Media.query(on: app.db).filter(\.$mimeType == "image/gif").first())
            #expect(stored.copyWidths.isEmpty)
        }
    }

    @Test func pagesShowCopiesTheGalleryAndTheLead() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-pictures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let (province, head) = try await Self.editor(app)
            for (number, alt) in ["Sân trường ngày khai giảng", "Học sinh dâng hoa", "Thầy hiệu trưởng đánh trống"].enumerated() {
                try await head.get("/quan-tri/don-vi/th-a/tep")
                let photo = try #require(PictureMaker.demoPhoto(width: 1000 + number * 100, height: 700, seed: UInt32(number)))
                #expect(try await head.upload("/quan-tri/don-vi/th-a/tep", fields: ["alt": alt, "title": "Ảnh \(number + 1)"],
                                              filename: "anh\(number).jpg", bytes: photo).status == .seeOther)
            }
            // Another school's picture may not be borrowed into this school's gallery.
            try await province.user("truongban@b.edu.vn", .truongBanBienTap, at: province.schoolB, app: app)
            let other = Browser(app: app, host: "b.test")
            try await other.login("truongban@b.edu.vn", Province.password)
            try await other.get("/quan-tri/don-vi/thcs-b/tep")
            try await other.upload("/quan-tri/don-vi/thcs-b/tep", fields: ["alt": "Ảnh trường khác"], filename: "b.png", bytes: pngBytes(width: 400, height: 300))
            let pictures = try await Media.query(on: app.db).filter(\.$unitID == province.schoolA.requireID()).sort(\.$createdAt).all()
            let foreign = try #require(try await Media.query(on: app.db).filter(\.$unitID == province.schoolB.requireID()).first())
            let category = try #require(try await Category.find(unitID: province.schoolA.requireID(), slug: "tin-tuc-su-kien", on: app.db))
            let form = try await head.get("/quan-tri/don-vi/th-a/bai-viet/moi")
            let secondID = try pictures[1].requireID().uuidString.lowercased()
            #expect(form.body.contains("<legend>Bộ ảnh dưới bài</legend>") && form.body.contains("name=\"gallery-\(secondID)\""))
            #expect(!form.body.contains(try foreign.requireID().uuidString.lowercased()))
            var fields = ["title": "Khai giảng năm học mới", "category": try category.requireID().uuidString, "body": "<p>Vui.</p>",
                          "cover": try pictures[0].requireID().uuidString,
                          "gallery-\(try pictures[1].requireID().uuidString.lowercased())": "on", "gallery-\(try pictures[2].requireID().uuidString.lowercased())": "on"]
            fields["gallery-\(try foreign.requireID().uuidString.lowercased())"] = "on"
            let refused = try await head.post("/quan-tri/don-vi/th-a/bai-viet/moi", fields)
            #expect(refused.status == .unprocessableEntity && refused.body.contains("Bộ ảnh chỉ gồm ảnh trong thư viện tệp của đơn vị"))
            fields["gallery-\(try foreign.requireID().uuidString.lowercased())"] = nil
            #expect(try await head.post("/quan-tri/don-vi/th-a/bai-viet/moi", fields).status == .seeOther)
            let article = try #require(try await Article.query(on: app.db).filter(\.$title == "Khai giảng năm học mới").first())
            #expect(Set(article.galleryIDs) == Set(try pictures[1...2].map { try $0.requireID() }))
            let path = "/quan-tri/don-vi/th-a/bai-viet/\(try article.requireID().uuidString)"
            for step in ["gui-duyet", "duyet", "dang"] {
                try await head.get(path)
                try await head.post(path + "/chuyen-trang-thai", ["transition": step])
            }
            let visitor = Browser(app: app, host: "a.test")
            let page = try await visitor.get("/bai-viet/" + article.slug)
            // The cover loads at once (it is the largest thing on the first screen); the gallery when scrolled to.
            let cover = try #require(page.body.range(of: #"<figure class="cover">[\s\S]*?</figure>"#, options: .regularExpression).map { String(page.body[$0]) })
            #expect(cover.contains("<source type=\"image/webp\" srcset=\"\(MediaService.copyPath(pictures[0], width: 320, ext: "webp")) 320w") && !cover.contains("loading=\"lazy\""))
            #expect(cover.contains("\(MediaService.copyPath(pictures[0], width: 1000, ext: "jpg")) 1000w\"") && cover.contains("width=\"1000\" height=\"700\""))
            #expect(page.body.contains("<h2 id=\"bo-anh\">Bộ ảnh</h2>"))
            for picture in pictures[1...2] {
                #expect(page.body.contains("<a href=\"\(MediaService.copyPath(picture, width: picture.width ?? 0, ext: "jpg"))\">"))
                #expect(page.body.contains("alt=\"\(picture.altText)\" width=\"\(picture.width ?? 0)\" height=\"700\" loading=\"lazy\""))
            }
            // The home page leads with the newest article that has a picture; the news list shows it as a thumbnail.
            let home = try await visitor.get("/")
            let lead = try #require(home.body.range(of: #"<article class="lead-story"[\s\S]*?</article>"#, options: [.regularExpression]).map { String(home.body[$0]) })
            #expect(lead.contains("Khai giảng năm học mới") && lead.contains(MediaService.copyPath(pictures[0], width: 640, ext: "jpg")) && !lead.contains("lazy"))
            let news = try await visitor.get("/tin-tuc")
            #expect(news.body.contains("<li class=\"has-picture\">") && news.body.contains("sizes=\"\(Picture.thumbnailSizes)\""))
        }
    }
}
