import EduCore
import EduData
import EduImport
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// The 2025 reform in the tree (#15 point 3): schools move from a district office to a commune's
/// office, the district office is merged away (its hostname redirects, its news and documents are
/// found at the successor with where they came from, its accounts are locked and told), a school
/// is dissolved into its parent; the tree rules and the rights at both places are enforced.
@Suite struct UnitChangeTests {
    static func commune(_ province: Province, app: Application) async throws -> OrgUnit {
        let xa = OrgUnit(code: "xa-dong-van", type: .xa, name: "Phòng Văn hóa - Xã hội xã Đồng Văn", parent: province.so)
        xa.email = "vhxh@dongvan.gov.vn"
        try await xa.create(on: app.db)
        try await UnitHostname(unitID: xa.requireID(), hostname: "xa.test").create(on: app.db)
        try await Category.createDefaults(for: xa, on: app.db)
        return xa
    }

    /// A published decision of `unit` (or another type, issuer, field, date, state, end of
    /// publication), written straight into the registry.
    static func publishedDocument(
        _ number: String, _ summary: String, at unit: ResolvedUnit, by author: User, type: String = "Quyết định", issuer: String? = nil,
        field: String = "Tổ chức", issuedOn: Date = Date().addingTimeInterval(-86_400 * 3), state: ContentState = .daDang, expiresAt: Date? = nil,
        on db: any Database
    ) async throws -> LegalDocument {
        let document = LegalDocument()
        document.unitID = unit.id
        document.number = number
        document.docType = type
        document.issuer = issuer ?? unit.name
        document.signer = "Nguyễn Văn Hiệu"
        document.issuedOn = issuedOn
        document.field = field
        document.summary = summary
        document.searchText = SearchFolding.foldWords(summary)
        document.state = state
        document.createdBy = try author.requireID()
        document.reviewComment = ""
        document.publishedAt = state == .daDang ? issuedOn : nil
        document.expiresAt = expiresAt
        try await document.create(on: db)
        return document
    }

    @Test func schoolsMoveToTheCommuneAndTheDistrictOfficeIsMergedAway() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let xa = try await Self.commune(province, app: app)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            let officeArticle = try await FeedAndMetadataTests().publish("Hội nghị tổng kết năm học của Phòng", slug: "tin-tuc-su-kien", at: province.phong, app: app)
            let communeArticle = try await FeedAndMetadataTests().publish("Hội nghị tổng kết năm học của Phòng", slug: "tin-tuc-su-kien", at: xa, app: app)
            #expect(officeArticle.slug == communeArticle.slug)  // the same address at both: the moved one must get another
            let searcher = SearchTests()
            for article in [officeArticle, communeArticle] { try await SearchService.refresh(article, on: app.db) }
            let schoolArticle = try await searcher.publish("Vườn rau thủy canh của trường", body: "<p>Học sinh trồng rau.</p>", at: province.schoolA, app: app)
            #expect(searcher.titles(try await searcher.search("thuy canh", host: "phong.test", extra: "&pham-vi=tat-ca", app: app)) == [schoolArticle.title])

            // The district office's admin cannot move its school to the commune (no rights there).
            let office = Browser(app: app, host: "phong.test")
            try await office.login("quantri@phong.edu.vn", Province.password)
            _ = try await office.get("/quan-tri/don-vi/th-a/thay-doi-to-chuc")
            let refused = try await office.post("/quan-tri/don-vi/th-a/thay-doi-to-chuc", ["change": "chuyen", "parent": "xa-dong-van"])
            #expect(refused.status == .unprocessableEntity && refused.body.contains("cần quyền quản trị"))

            let so = Browser(app: app, host: "so.test")
            try await so.login("quantri@so.edu.vn", Province.password)
            let form = try await so.get("/quan-tri/don-vi/th-a/thay-doi-to-chuc")
            #expect(form.body.contains("<option value=\"xa-dong-van\">") && !form.body.contains("<option value=\"th-a\">"))
            // The tree rules hold: a commune office does not manage an upper-secondary school.
            let wrongType = try await so.post("/quan-tri/don-vi/thpt-c/thay-doi-to-chuc", ["change": "chuyen", "parent": "xa-dong-van"])
            #expect(wrongType.status == .unprocessableEntity && wrongType.body.contains("không quản lý"))
            // Merging the office while schools are still under it is refused, naming them.
            let early = try await so.post("/quan-tri/don-vi/phong-thu/thay-doi-to-chuc", ["change": "sap-nhap", "successor": "xa-dong-van", "confirmMerge": "on"])
            #expect(early.status == .unprocessableEntity && early.body.contains("Còn 2 đơn vị trực thuộc"))
            for code in ["th-a", "thcs-b"] {
                #expect(try await so.post("/quan-tri/don-vi/\(code)/thay-doi-to-chuc", ["change": "chuyen", "parent": "xa-dong-van"]).status == .seeOther)
            }
            let moved = try #require(try await OrgUnit.find(code: "th-a", on: app.db))
            let movedID = try moved.requireID().uuidString.lowercased()
            #expect(moved.parentID == xa.id && moved.path == xa.path + movedID + "/" && moved.depth == xa.depth + 1)
            // The office's admin no longer reaches the school; the commune's subtree now holds it.
            #expect(try await office.get("/quan-tri/don-vi/th-a").status == .notFound)
            #expect(try await OrgUnit.subtree(of: xa, on: app.db).map(\.code).sorted() == ["th-a", "thcs-b", "xa-dong-van"])
            // The province-wide search of the commune finds the moved school's news; the office's no longer does.
            #expect(searcher.titles(try await searcher.search("thuy canh", host: "xa.test", extra: "&pham-vi=tat-ca", app: app)) == [schoolArticle.title])
            #expect(searcher.titles(try await searcher.search("thuy canh", host: "phong.test", extra: "&pham-vi=tat-ca", app: app)).isEmpty)
            #expect(searcher.titles(try await searcher.search("thuy canh", host: "so.test", extra: "&pham-vi=tat-ca", app: app)) == [schoolArticle.title])

            // A merger needs the box ticked, then the office ends.
            let unticked = try await so.post("/quan-tri/don-vi/phong-thu/thay-doi-to-chuc", ["change": "sap-nhap", "successor": "xa-dong-van"])
            #expect(unticked.status == .unprocessableEntity && unticked.body.contains("Đánh dấu ô xác nhận"))
            let merged = try await so.post("/quan-tri/don-vi/phong-thu/thay-doi-to-chuc", ["change": "sap-nhap", "successor": "xa-dong-van", "confirmMerge": "on"])
            #expect(merged.status == .seeOther && merged.location?.hasPrefix("/quan-tri/don-vi/xa-dong-van") == true)
            let ended = try #require(try await OrgUnit.find(code: "phong-thu", on: app.db))
            #expect(ended.state == .merged && ended.successorID == xa.id && ended.endedAt != nil)

            // Its hostname answers with a permanent redirect to the successor, same path and query.
            let redirect = try await Browser(app: app, host: "phong.test").get("/tin-tuc?trang=2")
            #expect(redirect.status == .movedPermanently && redirect.location == "http://xa.test/tin-tuc?trang=2")
            // Its news is found at the successor, in a category that says where it came from, at a new address.
            let rehomed = try #require(try await Article.find(officeArticle.requireID(), on: app.db))
            #expect(rehomed.unitID == xa.id && rehomed.slug == officeArticle.slug + "-phong-thu")
            let category = try #require(try await Category.find(rehomed.categoryID, on: app.db))
            #expect(category.unitID == xa.id && category.name.contains("(Phòng Giáo dục và Đào tạo huyện Đồng Văn)"))
            #expect(try await Browser(app: app, host: "xa.test").get("/bai-viet/\(rehomed.slug)").body.contains("Hội nghị tổng kết năm học của Phòng"))
            #expect(try await Browser(app: app, host: "xa.test").get("/bai-viet/\(communeArticle.slug)").status == .ok)
            // The commune's own search finds the office's news (both articles share the title).
            #expect(searcher.titles(try await searcher.search("hoi nghi tong ket", host: "xa.test", app: app)).count == 2)
            // Its accounts are locked and told; nothing more is done in its name; it leaves the open directory.
            let locked = try #require(try await User.query(on: app.db).filter(\.$email == "quantri@phong.edu.vn").first())
            #expect(locked.disabled)
            let notice = try await OutboxMessage.query(on: app.db).filter(\.$recipients == "quantri@phong.edu.vn").first()
            #expect(notice?.body.contains("đã được khóa") == true && notice?.body.contains("(http://xa.test/)") == true)
            #expect(try await office.get("/quan-tri").status != .ok)
            let gone = try await so.get("/quan-tri/don-vi/phong-thu/bai-viet")
            #expect(gone.status == .gone && gone.body.contains("xa-dong-van"))
            let directory = try await Browser(app: app, host: "so.test").get("/api/v1/units")
            #expect(!directory.body.contains("\"phong-thu\"") && directory.body.contains("\"xa-dong-van\""))
            // Audited at both units.
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "unit.merge").count() >= 2)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "unit.move").count() >= 6)
            // An ended unit cannot take part in anything else.
            await #expect(throws: FormErrors.self) {
                try await UnitChangeService.merge(try #require(try await OrgUnit.find(code: "th-a", on: app.db)), into: ended, authority: .operator, by: .cli("test"), on: app.db)
            }
        }
    }

    @Test func aDissolvedSchoolsContentGoesToItsParentAndItsHostRedirects() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@b.edu.vn", .quanTri, at: province.schoolB, app: app)
            let article = try await FeedAndMetadataTests().publish("Lễ khai giảng của trường B", slug: "tin-tuc-su-kien", at: province.schoolB, app: app)
            // A school's own admin cannot dissolve the school.
            let own = Browser(app: app, host: "b.test")
            try await own.login("quantri@b.edu.vn", Province.password)
            _ = try await own.get("/quan-tri/don-vi/thcs-b/thay-doi-to-chuc")
            #expect(try await own.post("/quan-tri/don-vi/thcs-b/thay-doi-to-chuc", ["change": "giai-the", "confirmDissolve": "on"]).status == .unprocessableEntity)
            try await UnitOperations.dissolve(app: app, unitCode: "thcs-b")
            let school = try #require(try await OrgUnit.find(code: "thcs-b", on: app.db))
            #expect(school.state == .dissolved && school.successorID == province.phong.id)
            #expect(try await Article.find(article.requireID(), on: app.db)?.unitID == province.phong.id)
            let redirect = try await Browser(app: app, host: "b.test").get("/")
            #expect(redirect.status == .movedPermanently && redirect.location == "http://phong.test/")
            // The school's own hostname is not free for another unit to claim while it redirects.
            #expect(try await UnitHostname.query(on: app.db).filter(\.$hostname == "b.test").first()?.unitID == school.id)
            await #expect(throws: OperationFailure.self) { try await UnitOperations.dissolve(app: app, unitCode: "thcs-b") }
        }
    }

    /// A school merged into another: its documents and news say where they came from, its diploma
    /// register answers at the successor's lookup, and its yearbook history counts in the
    /// successor's figures (and still once, not twice, in the office's above both).
    @Test func aMergedSchoolsRegisterDocumentsAndYearbookStayFindableAtTheSuccessor() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let a = try await province.schoolA.resolved(on: app.db), b = try await province.schoolB.resolved(on: app.db)
            let period = YearbookPeriod()
            period.schoolYear = "2024-2025"
            period.kind = YearbookPeriod.Kind.startOfYear.rawValue
            period.referenceDate = Date(timeIntervalSince1970: 1_727_654_400)
            period.dueAt = Date(timeIntervalSince1970: 1_730_246_400)
            period.createdAt = Date()
            try await period.create(on: app.db)
            try await YearbookService.save(YearbookTests.figures(pupils: 400, classes: 12, teachers: 20), unit: a, period: period, by: .cli("t"), who: "t", on: app.db)
            try await YearbookService.save(YearbookTests.figures(pupils: 600, classes: 15, teachers: 30, type: .thcs), unit: b, period: period, by: .cli("t"), who: "t", on: app.db)
            let diploma = Diploma()
            diploma.unitID = a.id
            diploma.serial = "A0012345"
            diploma.registerNumber = "12/2019"
            diploma.fullName = "Lò Thị Mai"
            diploma.nameKey = DiplomaImporter.nameKey("Lò Thị Mai")
            diploma.birthDate = 20_080_315
            diploma.kind = "Giấy chứng nhận hoàn thành chương trình tiểu học"
            diploma.graduationYear = 2019
            diploma.classification = ""
            diploma.issuedOn = 0
            diploma.issuer = a.name
            diploma.importedAt = Date()
            try await diploma.create(on: app.db)
            let admin = try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let document = try await Self.publishedDocument("15/QĐ-THA", "Quyết định thành lập tổ chuyên môn năm học 2024–2025", at: a, by: admin, on: app.db)
            let article = try await FeedAndMetadataTests().publish("Ngày hội đọc sách của trường A", slug: "tin-tuc-su-kien", at: province.schoolA, app: app)

            try await UnitChangeService.merge(province.schoolA, into: province.schoolB, authority: .operator, by: .cli("test"), on: app.db)

            let site = Browser(app: app, host: "b.test")
            let docPage = try await site.get("/van-ban/\(try document.requireID().uuidString.lowercased())")
            #expect(docPage.status == .ok && docPage.body.contains("Đăng tại \(a.name) (đã sáp nhập ngày") && docPage.body.contains("nay do \(b.name) lưu giữ"))
            let articlePage = try await site.get("/bai-viet/\(article.slug)")
            #expect(articlePage.status == .ok && articlePage.body.contains("Đăng tại \(a.name)"))
            // The successor's own content says nothing of the kind.
            let own = try await FeedAndMetadataTests().publish("Tin của trường B", slug: "tin-tuc-su-kien", at: province.schoolB, app: app)
            #expect(!(try await site.get("/bai-viet/\(own.slug)").body.contains("Đăng tại")))

            let lookup = try await site.get("/tra-cuu-van-bang?so-hieu=a0012345&ho-ten=L%C3%B2+th%E1%BB%8B+MAI&ngay-sinh=15%2F03%2F2008")
            #expect(lookup.status == .ok && lookup.body.contains("Sổ gốc của \(a.name)"))
            let api = try await site.get("/api/v1/diplomas?so-hieu=A0012345&ho-ten=L%C3%B2+Th%E1%BB%8B+Mai&ngay-sinh=15%2F03%2F2008")
            #expect(api.status == .ok && api.body.contains("\"origin\":\"Sổ gốc của"))
            // Another unit's lookup does not reach it.
            #expect(try await Browser(app: app, host: "thpt.test").get("/tra-cuu-van-bang?so-hieu=A0012345&ho-ten=L%C3%B2+Th%E1%BB%8B+Mai&ngay-sinh=15%2F03%2F2008").status == .notFound)

            let bFigures = try #require(try await YearbookService.figures(of: b, periods: [period], on: app.db)[period.requireID()])
            #expect(bFigures.total("hoc_sinh") == 1000 && bFigures.filed == 2)
            let office = try #require(try await YearbookService.figures(of: try await province.phong.resolved(on: app.db), periods: [period], on: app.db)[period.requireID()])
            #expect(office.total("hoc_sinh") == 1000 && office.filed == 2)
            let yearbook = try await site.get("/thong-ke")
            #expect(yearbook.body.contains("Số liệu gồm cả \(a.name) (đã sáp nhập ngày") && yearbook.body.contains("1.000"))
        }
    }
}
