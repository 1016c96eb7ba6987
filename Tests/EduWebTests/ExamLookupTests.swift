import EduCore
import EduData
import EduImport
import EduTestSupport
import Fluent
import Foundation
import Testing
import SQLKit
import Vapor
@testable import EduWeb

@Suite struct ExamLookupTests {
    static func csv(_ rows: [(sbd: String, name: String, birth: String, math: String, lit: String)]) -> [UInt8] {
        Array(("SBD;Họ và tên;Ngày sinh;Giới tính;Hội đồng thi;Toán;Ngữ văn;Ghi chú\r\n"
            + rows.map { "\($0.sbd);\($0.name);\($0.birth);Nam;THPT Trần Phú;\($0.math);\($0.lit);" }.joined(separator: "\r\n")).utf8)
    }

    static let names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thu Dung", "Hoàng Minh Đức"]

    /// A clean file of `count` candidates, every score `score`.
    static func file(count: Int, score: String, extra: Bool = false) -> [UInt8] {
        var rows = (1...count).map { i in (String(format: "01%06d", i), names[i % names.count], String(format: "%02d/05/2008", i % 28 + 1), score, score) }
        if extra { rows.append(("02000001", "Đinh Thị Mới", "01/01/2008", score, score)) }
        return csv(rows)
    }

    struct Fixture {
        let app: Application
        let province: Province
        let session: ExamSession
    }

    static func session(_ app: Application, unit: OrgUnit, publishAt: Date? = Date().addingTimeInterval(-60), requireBirthDate: Bool = true,
                        name: String = "Tuyển sinh lớp 10 năm 2026") async throws -> ExamSession {
        var input = ExamService.SessionInput()
        input.name = name
        input.kind = ExamKind.tuyenSinhLop10.rawValue
        input.year = "2026"
        input.requireBirthDate = requireBirthDate
        let valid = try ExamService.validate(input).get()
        let session = try await ExamService.create(valid, unitID: unit.requireID(), by: .cli("test"), on: app.db)
        session.publishAt = publishAt
        try await session.save(on: app.db)
        return session
    }

    @discardableResult
    static func importFile(_ app: Application, _ session: ExamSession, _ bytes: [UInt8], publishNow: Bool = false) async throws -> ExamImport {
        let row = try await ExamService.begin(session: session, filename: "ket-qua.csv", byteCount: bytes.count, by: .cli("test"), on: app.db)
        return try await ExamService.run(row, bytes: bytes, publishNow: publishNow, by: .cli("test"), db: app.db,
                                         threadPool: app.threadPool, store: app.examStore, logger: app.logger)
    }

    struct ResultJSON: Decodable {
        struct Exam: Decodable { let id: String; let version: Int; let candidates: Int }
        struct Candidate: Decodable { let sbd: String; let fullName: String; let birthDate: String }
        struct Score: Decodable { let subject: String; let score: Double? }
        let exam: Exam
        let candidate: Candidate
        let scores: [Score]
    }

    static func id(_ session: ExamSession) throws -> String { try session.requireID().uuidString.lowercased() }

    @Test func lookupNeedsTheRightBirthDateAndRevealsNothingOtherwise() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let session = try await Self.session(app, unit: province.thpt)
            let row = try await Self.importFile(app, session, Self.file(count: 30, score: "8,25"))
            #expect(row.status == "ready")
            #expect(row.version == 1)
            let visitor = Browser(app: app, host: "thpt.test")
            let id = try Self.id(session)
            let list = try await visitor.get("/api/v1/exams")
            #expect(list.body.contains(id))
            let found = try await visitor.get("/api/v1/exams/\(id)/results?sbd=01000003&ngay-sinh=2008-05-04")
            #expect(found.status == .ok)
            let result = try JSONDecoder().decode(ResultJSON.self, from: Data(found.body.utf8))
            #expect(result.candidate.fullName == Self.names[3])
            #expect(result.scores.map(\.score) == [8.25, 8.25])
            #expect(result.exam.version == 1)
            // dd/mm/yyyy works too.
            #expect(try await visitor.get("/api/v1/exams/\(id)/results?sbd=01000003&ngay-sinh=04/05/2008").status == .ok)
            // Wrong date and unknown SBD: same status, same bytes.
            let wrongDate = try await visitor.get("/api/v1/exams/\(id)/results?sbd=01000003&ngay-sinh=2008-05-05")
            let unknown = try await visitor.get("/api/v1/exams/\(id)/results?sbd=01999999&ngay-sinh=2008-05-04")
            #expect(wrongDate.status == .notFound)
            #expect(wrongDate.status == unknown.status)
            #expect(wrongDate.body == unknown.body)
            #expect(wrongDate.headers.first(name: .contentLength) == unknown.headers.first(name: .contentLength))
            #expect(!wrongDate.body.contains(Self.names[3]))
            // The page gives the same message for both, and never the candidate's name.
            let pageWrong = try await visitor.get("/tra-cuu-diem-thi/ket-qua?ky=\(id)&sbd=01000003&ngay-sinh=05/05/2008")
            let pageUnknown = try await visitor.get("/tra-cuu-diem-thi/ket-qua?ky=\(id)&sbd=01999999&ngay-sinh=04/05/2008")
            #expect(pageWrong.status == pageUnknown.status)
            #expect(pageWrong.body.contains(ExamLookup.notFoundMessage) && pageUnknown.body.contains(ExamLookup.notFoundMessage))
            #expect(!pageWrong.body.contains(Self.names[3]))
            // Without a date: asked for, not guessed.
            let noDate = try await visitor.get("/api/v1/exams/\(id)/results?sbd=01000003")
            #expect(noDate.status == .badRequest)
            #expect(noDate.body.contains("ngày sinh"))
            // The result page shows the scores and the version, and is never cached.
            let page = try await visitor.get("/tra-cuu-diem-thi/ket-qua?ky=\(id)&sbd=01000003&ngay-sinh=04/05/2008")
            #expect(page.status == .ok)
            #expect(page.body.contains(Self.names[3]) && page.body.contains("8,25") && page.body.contains("phiên bản 1"))
            #expect(page.headers.first(name: .cacheControl) == "no-store")
            // Another unit's host does not know the session.
            let elsewhere = Browser(app: app, host: "so.test")
            #expect(try await elsewhere.get("/api/v1/exams/\(id)/results?sbd=01000003&ngay-sinh=2008-05-04").status == .notFound)
            #expect(!(try await elsewhere.get("/api/v1/exams").body.contains(id)))
        }
    }

    @Test func aBadFileImportsNothingAndNamesItsLines() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let session = try await Self.session(app, unit: province.thpt)
            try await Self.importFile(app, session, Self.file(count: 10, score: "6"))
            var bad = String(decoding: Self.file(count: 10, score: "9"), as: UTF8.self)
            bad += "\r\n01000002;Trùng Số Báo Danh;01/01/2008;Nam;X;5;5;\r\n01000099;Điểm Sai;01/01/2008;Nam;X;11;5;\r\n01000100;Ngày Sai;31/02/2008;Nam;X;5;5;"
            let failed = try await Self.importFile(app, session, Array(bad.utf8))
            #expect(failed.status == "failed")
            #expect(failed.errorCount == 3)
            let lines = ExamService.errorList(failed).map(\.line)
            #expect(lines == [12, 13, 14])
            // The published version is still the first one, with its scores.
            let fresh = try #require(try await ExamSession.find(session.requireID(), on: app.db))
            #expect(fresh.currentImportID != failed.id)
            let visitor = Browser(app: app, host: "thpt.test")
            let result = try await visitor.get("/api/v1/exams/\(Self.id(session))/results?sbd=01000002&ngay-sinh=2008-05-03")
            #expect(try JSONDecoder().decode(ResultJSON.self, from: Data(result.body.utf8)).scores.first?.score == 6)
            #expect(try await ExamChunk.query(on: app.db).filter(\.$importID == failed.requireID()).count() == 0)

            // The admin sees the same list, by line.
            try await province.user("quantri@thpt.edu.vn", .quanTri, at: province.thpt, app: app)
            let admin = Browser(app: app, host: "thpt.test")
            try await admin.login("quantri@thpt.edu.vn", Province.password)
            let status = try await admin.get("/quan-tri/don-vi/thpt-c/ky-thi/\(Self.id(session))/nhap/\(failed.requireID().uuidString.lowercased())")
            #expect(status.body.contains("tệp có 3 lỗi"))
            #expect(status.body.contains("số báo danh 01000002 trùng với dòng 3"))
            // Where Excel shows it: row 14, column C (the date of birth).
            #expect(status.body.contains("<td>14, cột C</td>"))
            #expect(ExamService.errorList(failed).map(\.location) == ["Dòng 12, cột A", "Dòng 13, cột F", "Dòng 14, cột C"])
        }
    }

    @Test func reimportSwitchesAtomicallyWhileLookupsRun() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let session = try await Self.session(app, unit: province.thpt)
            try await Self.importFile(app, session, Self.file(count: 2000, score: "5"))
            let id = try Self.id(session)
            let visitor = Browser(app: app, host: "thpt.test")
            // Lookups keep running while version 2 is imported; each answer must be one version, whole.
            let lookups = Task { () -> (v1: Int, v2: Int, mixed: Int) in
                var v1 = 0, v2 = 0, mixed = 0
                for i in 0..<400 {
                    let n = i % 2000 + 1
                    let sbd = i % 3 == 0 ? "02000001" : String(format: "01%06d", n)
                    let birth = i % 3 == 0 ? "2008-01-01" : String(format: "2008-05-%02d", n % 28 + 1)
                    let page = try await visitor.get("/api/v1/exams/\(id)/results?sbd=\(sbd)&ngay-sinh=\(birth)")
                    if page.status == .notFound {
                        // Only the new candidate may be missing, and only before the switch.
                        if sbd != "02000001" || v2 > 0 { mixed += 1 }
                        continue
                    }
                    let result = try JSONDecoder().decode(ResultJSON.self, from: Data(page.body.utf8))
                    let scores = Set(result.scores.compactMap(\.score))
                    if result.exam.version == 1 && scores == [5] && result.exam.candidates == 2000 && sbd != "02000001" { v1 += 1 }
                    else if result.exam.version == 2 && scores == [7] && result.exam.candidates == 2001 { v2 += 1 }
                    else { mixed += 1 }
                }
                return (v1, v2, mixed)
            }
            try await Task.sleep(for: .milliseconds(20))
            let second = try await Self.importFile(app, session, Self.file(count: 2000, score: "7", extra: true))
            #expect(second.version == 2)
            let counts = try await lookups.value
            #expect(counts.mixed == 0)
            #expect(counts.v1 + counts.v2 > 0)
            // After the import returned, every lookup answers from version 2.
            let after = try await visitor.get("/api/v1/exams/\(id)/results?sbd=02000001&ngay-sinh=2008-01-01")
            #expect(try JSONDecoder().decode(ResultJSON.self, from: Data(after.body.utf8)).exam.version == 2)
            // Only the current and the previous snapshot are kept.
            #expect(Set(try await ExamChunk.query(on: app.db).all().map(\.importID)).count == 2)
        }
    }

    @Test func anotherNodeSeesACommittedImportFromTheDatabase() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let session = try await Self.session(app, unit: province.thpt)
            // Imported as the CLI does: without telling this node's store.
            let row = try await ExamService.begin(session: session, filename: "cli.csv", byteCount: 0, by: .cli("cli"), on: app.db)
            _ = try await ExamService.run(row, bytes: Self.file(count: 5, score: "4,5"), publishNow: false, by: .cli("cli"),
                                          db: app.db, threadPool: app.threadPool, store: nil, logger: app.logger)
            let other = ExamStore()
            #expect(other.published(unitID: try province.thpt.requireID()).isEmpty)
            await other.refresh(on: app.db, logger: app.logger)
            let entry = try #require(other.published(unitID: try province.thpt.requireID()).first)
            #expect(entry.version == 1)
            #expect(entry.snapshot?.candidate(sbd: "01000001")?.scores == [450, 450])
        }
    }

    @Test func nothingIsVisibleBeforeThePublicationTime() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let session = try await Self.session(app, unit: province.thpt, publishAt: Date().addingTimeInterval(3600))
            try await Self.importFile(app, session, Self.file(count: 5, score: "9"))
            let visitor = Browser(app: app, host: "thpt.test")
            let id = try Self.id(session)
            #expect(!(try await visitor.get("/api/v1/exams").body.contains(id)))
            #expect(try await visitor.get("/api/v1/exams/\(id)/results?sbd=01000001&ngay-sinh=2008-05-02").status == .notFound)
            #expect(try await visitor.get("/tra-cuu-diem-thi/pho-diem/\(id)").status == .notFound)
            #expect(try await visitor.get("/tra-cuu-diem-thi").body.contains("chưa có kỳ thi nào"))
            session.publishAt = Date().addingTimeInterval(-1)
            try await session.save(on: app.db)
            await app.examStore.refresh(on: app.db, logger: app.logger)
            #expect(try await visitor.get("/api/v1/exams/\(id)/results?sbd=01000001&ngay-sinh=2008-05-02").status == .ok)
            let chart = try await visitor.get("/tra-cuu-diem-thi/pho-diem/\(id)")
            #expect(chart.status == .ok)
            #expect(chart.body.contains("<svg") && chart.body.contains("Phổ điểm môn Toán"))
            #expect(chart.body.contains("Trung vị: <strong>9</strong>"))
        }
    }

    @Test func theRateLimitTriggersPerAddressAndCanBeSwitchedOff() async throws {
        let fixed = Date()  // the limit counts per clock minute: none may end mid-test
        try await TestApp.run({ $0.lookupRateLimit = 3; $0.lookupClock = { fixed } }) { app in
            let province = try await Province.make(on: app.db)
            let session = try await Self.session(app, unit: province.thpt)
            try await Self.importFile(app, session, Self.file(count: 5, score: "9"))
            let visitor = Browser(app: app, host: "thpt.test")
            let id = try Self.id(session)
            for _ in 0..<3 {
                #expect(try await visitor.get("/api/v1/exams/\(id)/results?sbd=01000001&ngay-sinh=2008-05-02").status == .ok)
            }
            let limited = try await visitor.get("/api/v1/exams/\(id)/results?sbd=01000001&ngay-sinh=2008-05-02")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.body.contains("quá nhiều lần"))
            #expect(Int(limited.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
            let page = try await visitor.get("/tra-cuu-diem-thi/ket-qua?ky=\(id)&sbd=01000001&ngay-sinh=02/05/2008")
            #expect(page.status == .tooManyRequests)
            #expect(page.body.contains("Vui lòng chờ"))
        }
        let limiter = LookupRateLimiter(perMinute: 0)
        for _ in 0..<1000 { #expect(limiter.check("1.2.3.4") == nil) }
        let two = LookupRateLimiter(perMinute: 2)
        let now = Date()
        #expect(two.check("a", now: now) == nil && two.check("a", now: now) == nil)
        #expect(two.check("a", now: now) != nil)
        #expect(two.check("b", now: now) == nil)
        #expect(two.check("a", now: now.addingTimeInterval(61)) == nil)
    }

    @Test func adminUploadShowsProgressAndOnlyTheUnitsOwnAdminsManageIt() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@thpt.edu.vn", .quanTri, at: province.thpt, app: app)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            try await province.user("ctv@thpt.edu.vn", .congTacVien, at: province.thpt, app: app)
            let admin = Browser(app: app, host: "thpt.test")
            try await admin.login("quantri@thpt.edu.vn", Province.password)
            let form = try await admin.get("/quan-tri/don-vi/thpt-c/ky-thi")
            #expect(form.status == .ok)
            let created = try await admin.post("/quan-tri/don-vi/thpt-c/ky-thi", [
                "name": "Thi học sinh giỏi cấp trường 2026", "kind": "hoc-sinh-gioi", "year": "2026", "maxScore": "20",
                "publishAt": "2026-01-01T08:00", "requireBirthDate": "on",
            ])
            #expect(created.status == .seeOther)
            let sessionURL = try #require(created.location?.split(separator: "?").first.map(String.init))
            let page = try await admin.get(sessionURL)
            #expect(page.body.contains("Thi học sinh giỏi cấp trường 2026"))
            // Without the CSRF token: refused, nothing started.
            let forged = try await admin.upload(sessionURL + "/nhap", fields: [:], filename: "kq.csv", bytes: Self.file(count: 3, score: "15"), csrf: "")
            #expect(forged.status == .forbidden)
            #expect(try await ExamImport.query(on: app.db).count() == 0)
            let uploaded = try await admin.upload(sessionURL + "/nhap", fields: ["publishNow": "on"], filename: "kq.csv", bytes: Self.file(count: 3, score: "15,5"))
            #expect(uploaded.status == .seeOther)
            let statusURL = try #require(uploaded.location)
            var status = try await admin.get(statusURL)
            for _ in 0..<100 where status.body.contains("Đang đọc") {
                try await Task.sleep(for: .milliseconds(50))
                status = try await admin.get(statusURL)
            }
            #expect(status.body.contains("Đã nhập xong: phiên bản 1"))
            let visitor = Browser(app: app, host: "thpt.test")
            #expect(try await visitor.get("/tra-cuu-diem-thi").body.contains("Thi học sinh giỏi cấp trường 2026"))

            // A school's admin and a contributor of this school cannot reach it.
            let other = Browser(app: app, host: "a.test")
            try await other.login("quantri@a.edu.vn", Province.password)
            #expect(try await other.get(sessionURL).status == .notFound)
            #expect(try await other.get("/quan-tri/don-vi/thpt-c/ky-thi").status == .notFound)
            let contributor = Browser(app: app, host: "thpt.test")
            try await contributor.login("ctv@thpt.edu.vn", Province.password)
            #expect(try await contributor.get("/quan-tri/don-vi/thpt-c/ky-thi").status == .forbidden)
        }
    }

    @Test func diplomasConfirmOnlyWithSerialNameAndBirthDate() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            let admin = Browser(app: app, host: "so.test")
            try await admin.login("quantri@so.edu.vn", Province.password)
            _ = try await admin.get("/quan-tri/don-vi/so-thu/van-bang")
            let register = """
            STT,Số hiệu,Số vào sổ,Họ và tên,Ngày sinh,Dân tộc,Số CCCD,Năm tốt nghiệp,Xếp loại,Ngày cấp
            1,B0123456,12/2024,Nguyễn Văn An,01/05/2006,Kinh,036206000001,2024,Khá,15/07/2024
            2,B0123457,13/2024,Trần Thị Bình,02/06/2006,Tày,036206000002,2024,Giỏi,15/07/2024
            """
            let bad = try await admin.upload("/quan-tri/don-vi/so-thu/van-bang", fields: ["kind": "Bằng tốt nghiệp THPT"], filename: "so.csv",
                                             bytes: Array((register + "\n3,B0123456,14/2024,Lê Văn Cường,31/02/2006,Kinh,0,2024,Khá,15/07/2024").utf8))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("trùng với dòng 2"))
            #expect(try await Diploma.query(on: app.db).count() == 0)
            let good = try await admin.upload("/quan-tri/don-vi/so-thu/van-bang", fields: ["kind": "Bằng tốt nghiệp THPT"], filename: "so.csv",
                                              bytes: Array(register.utf8))
            #expect(good.status == .ok)
            #expect(good.body.contains("thêm 2"))

            let visitor = Browser(app: app, host: "so.test")
            // Case and spacing do not matter; the marks do (a name on a legal document).
            let found = try await visitor.get("/tra-cuu-van-bang?so-hieu=b0123456&ho-ten=NGUY%E1%BB%84N%20v%C4%83n%20%20an&ngay-sinh=01%2F05%2F2006")
            #expect(try await visitor.get("/tra-cuu-van-bang?so-hieu=b0123456&ho-ten=nguyen%20van%20an&ngay-sinh=01%2F05%2F2006").status == .notFound)
            #expect(found.status == .ok)
            #expect(found.body.contains("Văn bằng, chứng chỉ hợp lệ") && found.body.contains("Bằng tốt nghiệp THPT") && found.body.contains("Khá"))
            #expect(!found.body.contains("036206000001") && !found.body.contains("Kinh"))
            let wrongName = try await visitor.get("/tra-cuu-van-bang?so-hieu=B0123456&ho-ten=Tr%E1%BA%A7n%20Th%E1%BB%8B%20B%C3%ACnh&ngay-sinh=01%2F05%2F2006")
            #expect(wrongName.status == .notFound)
            #expect(!wrongName.body.contains("Nguyễn Văn An"))
            let api = try await visitor.get("/api/v1/diplomas?so-hieu=B0123457&ho-ten=Tr%E1%BA%A7n%20Th%E1%BB%8B%20B%C3%ACnh&ngay-sinh=2006-06-02")
            #expect(api.status == .ok)
            #expect(api.body.contains("\"classification\":\"Giỏi\"") && !api.body.contains("036206000002"))
            // Another unit's portal does not answer for this register.
            #expect(try await Browser(app: app, host: "a.test").get("/api/v1/diplomas?so-hieu=B0123457&ho-ten=Tr%E1%BA%A7n%20Th%E1%BB%8B%20B%C3%ACnh&ngay-sinh=2006-06-02").status == .notFound)
        }
    }

    @Test func theDedicatedListenerGivesTheSameAnswersAsTheMainServer() async throws {
        let port = freeLoopbackPort()
        let fixed = Date()  // the limit counts per clock minute: none may end mid-test (a loaded machine takes minutes)
        try await TestApp.run({ $0.lookupPort = port; $0.lookupHost = "127.0.0.1"; $0.lookupRateLimit = 25; $0.lookupClock = { fixed } }) { app in
            let province = try await Province.make(on: app.db)
            let session = try await Self.session(app, unit: province.thpt)
            try await Self.importFile(app, session, Self.file(count: 30, score: "7,75"))
            try await app.asyncBoot()
            let id = try Self.id(session)
            let visitor = Browser(app: app, host: "thpt.test")
            func direct(_ path: String, host: String = "thpt.test") async throws -> (HTTPStatus, String, HTTPHeaders) {
                let response = try await app.client.get(URI(string: "http://127.0.0.1:\(port)\(path)"), headers: ["Host": host])
                return (response.status, response.body.map { String(buffer: $0) } ?? "", response.headers)
            }
            for path in [
                "/api/v1/exams/\(id)/results?sbd=01000003&ngay-sinh=2008-05-04",
                "/api/v1/exams/\(id)/results?sbd=01000003&ngay-sinh=04%2F05%2F2008",
                "/api/v1/exams/\(id)/results?sbd=01000003&ngay-sinh=2008-05-05",
                "/api/v1/exams/\(id)/results?sbd=01999999&ngay-sinh=2008-05-04",
                "/api/v1/exams/\(id)/results?sbd=01000003",
            ] {
                let viaMain = try await visitor.get(path)
                let (status, body, headers) = try await direct(path)
                #expect(status == viaMain.status, "\(path)")
                #expect(body == viaMain.body, "\(path)")
                #expect(headers.first(name: .cacheControl) == "no-store")
            }
            #expect(try await direct("/healthz").0 == .ok)
            #expect(try await direct("/api/v1/exams/\(id)/results?sbd=01000003&ngay-sinh=2008-05-04", host: "khong-co.example.vn").0 == .notFound)
            #expect(try await direct("/tin-tuc").0 == .notFound)
            // The two doors share one rate limit per address (an IPv4 address may look up four
            // times the base limit: carriers share addresses), so the main server's lookups above
            // count too and the refusal comes before 4 × 25 more tries.
            var limited: (HTTPStatus, String, HTTPHeaders)? = nil
            for _ in 0..<(4 * 25) {
                let answer = try await direct("/api/v1/exams/\(id)/results?sbd=01000003&ngay-sinh=2008-05-04")
                if answer.0 == .tooManyRequests { limited = answer; break }
            }
            let refusal = try #require(limited)
            #expect(refusal.1.contains("quá nhiều lần"))
            #expect(Int(refusal.2.first(name: "Retry-After") ?? "") ?? 0 > 0)
        }
    }

    @Test func aForgedForwardedForDoesNotEscapeTheLimit() async throws {
        let port = freeLoopbackPort()
        let fixed = Date()  // the limit counts per clock minute: none may end mid-test (a loaded machine takes minutes)
        try await TestApp.run({ $0.lookupPort = port; $0.lookupHost = "127.0.0.1"; $0.lookupRateLimit = 10; $0.trustedProxies = .loopback; $0.lookupClock = { fixed } }) { app in
            let province = try await Province.make(on: app.db)
            let session = try await Self.session(app, unit: province.thpt)
            try await Self.importFile(app, session, Self.file(count: 3, score: "7,75"))
            try await app.asyncBoot()
            let path = "/api/v1/exams/\(try Self.id(session))/results?sbd=01000002&ngay-sinh=2008-05-03"
            func ask(forwardedFor: String) async throws -> HTTPStatus {
                try await app.client.get(URI(string: "http://127.0.0.1:\(port)\(path)"),
                                         headers: ["Host": "thpt.test", "X-Forwarded-For": forwardedFor]).status
            }
            // The client writes a new address on the left of every request; the proxy (loopback,
            // trusted) appends the one it saw. Only the appended one counts.
            // 4 × 10 tries pass (an IPv4 address has four times the base limit), the next is refused.
            var answers: [HTTPStatus] = []
            for i in 0..<(4 * 10 + 1) {
                answers.append(try await ask(forwardedFor: "198.18.\(i).\(i + 1), 203.0.113.5"))
            }
            #expect(answers.prefix(40).allSatisfy { $0 == .ok })
            #expect(answers.last == .tooManyRequests)
            // Another client behind the same proxy is not refused for it.
            #expect(try await ask(forwardedFor: "203.0.113.6") == .ok)
        }
    }

    @Test func aSessionLookedUpBySBDAloneNeverShowsWhoTheCandidateIs() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let session = try await Self.session(app, unit: province.thpt, requireBirthDate: false)
            try await Self.importFile(app, session, Self.file(count: 5, score: "7,75"))
            let id = try Self.id(session)
            let visitor = Browser(app: app, host: "thpt.test")
            let api = try await visitor.get("/api/v1/exams/\(id)/results?sbd=01000003")
            #expect(api.status == .ok)
            #expect(api.body.contains("\"fullName\":null") && api.body.contains("\"birthDate\":null") && api.body.contains("7.75"))
            #expect(!api.body.contains("Nguyễn") && !api.body.contains("2008-05"))
            let page = try await visitor.get("/tra-cuu-diem-thi/ket-qua?ky=\(id)&sbd=01000003")
            #expect(page.status == .ok && page.body.contains("01000003"))
            #expect(!page.body.contains("Họ và tên") && !page.body.contains("Ngày sinh</dt>"))
        }
    }
}

@Suite struct HarvestLimitTests {
    @Test func anIPv6ClientIsCountedByItsSlash64Slash56AndSlash48() {
        let keys = ClientAddress.limitKeys("2001:db8:abcd:12ff:1:2:3:4").map { "\($0.key)×\($0.factor)" }
        #expect(keys == ["2001:db8:abcd:12ff::/64×1", "2001:db8:abcd:1200::/56×4", "2001:db8:abcd::/48×16"])
        #expect(ClientAddress.limitKeys("203.0.113.7").map(\.key) == ["4:203.0.113.7"])
        #expect(ClientAddress.limitKeys("::ffff:203.0.113.7").map(\.key) == ["4:203.0.113.7"])
    }

    @Test func walkingThroughSlash64sOfOneSlash48MeetsTheSlash48Limit() {
        let limiter = LookupRateLimiter(perMinute: 10)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        // One /64 after another, each in its own /56 and under its own 10: the /48 stops the walk at 160.
        var allowed = 0
        for n in 0..<400 {
            let address = "2001:db8:1:\(String((n / 10) << 8, radix: 16)):\(n % 10)::1"
            if limiter.check(ClientAddress.limitKeys(address), now: now) == nil { allowed += 1 }
        }
        #expect(allowed == 160)
        // Another /48 is not affected.
        #expect(limiter.check(ClientAddress.limitKeys("2001:db8:2::1"), now: now) == nil)
        // An IPv4 address gets four times the base limit.
        let v4 = (0..<60).filter { _ in limiter.check(ClientAddress.limitKeys("198.51.100.9"), now: now) == nil }.count
        #expect(v4 == 40)
    }

    @Test func twoNodesShareOneLimitThroughTheDatabase() async throws {
        try await TestApp.run { app in
            // Two nodes' limiters on one database; a client alternates between them.
            let first = LookupRateLimiter(perMinute: 10), second = LookupRateLimiter(perMinute: 10)
            let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 + 5)
            let keys = ClientAddress.limitKeys("2001:db8:7:1::9")
            var allowed = 0
            for round in 0..<12 {
                for node in [first, second] where node.check(keys, now: now) == nil { allowed += 1 }
                if round % 2 == 1 {
                    try await first.exchange(on: app.db, now: now)
                    try await second.exchange(on: app.db, now: now)
                }
            }
            // Without sharing each node would allow 10 (20 in all); shared, the overshoot is what
            // the nodes count between two exchanges.
            #expect(allowed <= 10 + 4, "\(allowed)")
            #expect(allowed >= 10)
            struct Row: Decodable { let count: Int }
            let stored = try await (app.db as! any SQLDatabase).raw("SELECT count FROM lookup_counts WHERE key = \(bind: keys[0].key)")
                .first(decoding: Row.self)
            #expect(stored?.count == 24)  // every lookup of both nodes reached the shared table
        }
    }
}

extension ExamLookupTests {
    /// #12.4: the command line creates a session for a new name; if that first file is refused,
    /// the session goes too, so no empty "Chưa có dữ liệu" session is left in the admin list.
    @Test func aRefusedFirstImportLeavesNoEmptySession() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).csv").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try Data("SBD,Họ và tên,Ngày sinh,Toán\n01000001,Nguyễn Văn An,31/02/2008,5\n".utf8).write(to: URL(fileURLWithPath: path))
            let report = try await ExamOperations.importResults(
                app: app, unitCode: "thpt-c", sessionName: "Thi thử lần 1", kind: nil, year: 2026, publishNow: false, path: path) { _ in }
            #expect(report.errorCount == 1)
            #expect(report.errors == ["Dòng 2, cột C: ngày sinh «31/02/2008» không hợp lệ (viết dd/mm/yyyy hoặc yyyy-mm-dd)."])
            #expect(try await ExamSession.query(on: app.db).count() == 0)
            #expect(try await ExamImport.query(on: app.db).count() == 0)
            // A refused file for a session that already exists leaves that session alone.
            try Data("SBD,Họ và tên,Ngày sinh,Toán\n01000001,Nguyễn Văn An,01/02/2008,5\n".utf8).write(to: URL(fileURLWithPath: path))
            _ = try await ExamOperations.importResults(
                app: app, unitCode: "thpt-c", sessionName: "Thi thử lần 1", kind: nil, year: 2026, publishNow: false, path: path) { _ in }
            try Data("SBD,Họ và tên,Ngày sinh,Toán\n01000001,Nguyễn Văn An,01/02/2008,-5\n".utf8).write(to: URL(fileURLWithPath: path))
            let again = try await ExamOperations.importResults(
                app: app, unitCode: "thpt-c", sessionName: "Thi thử lần 1", kind: nil, year: 2026, publishNow: false, path: path) { _ in }
            #expect(again.errorCount == 1)
            #expect(try await ExamSession.query(on: app.db).count() == 1)
        }
    }
}
