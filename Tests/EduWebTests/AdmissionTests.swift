import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Online admission (#13), so far: a joint plan with zones, registration with consent and a
/// receipt only after the commit, the status page, versioned choices, what each school sees.
@Suite struct AdmissionTests {
    static func moment(_ offset: TimeInterval) -> String { VietnameseDate.dateTime(Date().addingTimeInterval(offset)) }

    static func planForm(quotas: String, opens: TimeInterval = -86_400, closes: TimeInterval = 86_400, changes: TimeInterval = 2 * 86_400) -> [String: String] {
        [
            "title": "Tuyển sinh vào lớp 6 năm học 2026–2027", "grade": "6", "schoolYear": "2026–2027", "method": "xet-tuyen",
            "opensAt": moment(opens), "closesAt": moment(closes), "changesCloseAt": moment(changes), "maxChoices": "2",
            "zones": "Tuyến 1\nTuyến 2", "sameZoneChoices": "1", "quotas": quotas, "priorities": "Con thương binh, liệt sĩ\nDân tộc thiểu số",
            "eligibility": "Học sinh hoàn thành chương trình tiểu học.", "dossier": "Đơn đăng ký; bản sao giấy khai sinh.", "place": "Các trường THCS",
            "retentionDays": "90",
        ]
    }

    /// The phòng's admin, logged in, and its plan's id.
    static func plan(_ app: Application, _ province: Province, _ form: [String: String]? = nil) async throws -> (Browser, String) {
        try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
        let admin = Browser(app: app, host: "phong.test")
        try await admin.login("quantri@phong.edu.vn", Province.password)
        _ = try await admin.get("/quan-tri/don-vi/phong-thu/tuyen-sinh")
        let created = try await admin.post("/quan-tri/don-vi/phong-thu/tuyen-sinh",
                                           form ?? planForm(quotas: "th-a; 40; Tuyến 1\nthcs-b; 35; Tuyến 2"))
        #expect(created.status == .seeOther, "\(created.body.prefix(2000))")
        let plan = try #require(try await AdmissionPlan.query(on: app.db).first())
        return (admin, try plan.requireID().uuidString.lowercased())
    }

    static func registration(_ choices: [UUID], zone: String = "Tuyến 1", consent: Bool = true, email: String = "me.an@example.vn") -> [String: String] {
        var form = [
            "pupilName": "Nguyễn Minh An", "birthDate": "05/09/2015", "gender": "Nam", "birthPlace": "Ninh Bình",
            "address": "Thôn Đông, xã Gia Viễn", "zone": zone, "parentName": "Nguyễn Văn Bình", "parentPhone": "0912 345 678",
            "parentEmail": email, "priority": "",
        ]
        for (index, id) in choices.enumerated() { form["choice\(index + 1)"] = id.uuidString.lowercased() }
        if consent { form["consent"] = "on" }
        return form
    }

    @Test func aPlanQuotesOnlySchoolsOfItsOwnSubtree() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            let admin = Browser(app: app, host: "phong.test")
            try await admin.login("quantri@phong.edu.vn", Province.password)
            _ = try await admin.get("/quan-tri/don-vi/phong-thu/tuyen-sinh")
            // thpt-c belongs to the Sở, not to this phòng.
            let refused = try await admin.post("/quan-tri/don-vi/phong-thu/tuyen-sinh", Self.planForm(quotas: "th-a; 40; Tuyến 1\nthpt-c; 500; Tuyến 2"))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("Dòng 2: «thpt-c» không phải mã một trường thuộc đơn vị"))
            let badWindow = try await admin.post("/quan-tri/don-vi/phong-thu/tuyen-sinh", Self.planForm(quotas: "th-a; 40; Tuyến 1", closes: -2 * 86_400))
            #expect(badWindow.body.contains("Hạn đăng ký phải sau thời điểm mở."))
            #expect(try await AdmissionPlan.query(on: app.db).count() == 0)
            // A school's editor without the admission right cannot reach the page at all.
            try await province.user("bientap@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
            let editor = Browser(app: app, host: "a.test")
            try await editor.login("bientap@a.edu.vn", Province.password)
            #expect(try await editor.get("/quan-tri/don-vi/th-a/tuyen-sinh").status == .forbidden)
        }
    }

    @Test func registrationWithConsentGetsAReceiptAndChoicesChangeAsNewVersions() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let (_, planID) = try await Self.plan(app, province)
            let a = try province.schoolA.requireID(), b = try province.schoolB.requireID()

            // Both schools' portals show the plan; the Sở's portal, which it does not name, does not.
            let parent = Browser(app: app, host: "a.test")
            #expect(try await parent.get("/tuyen-sinh").body.contains("Tuyển sinh vào lớp 6 năm học 2026–2027"))
            #expect(try await Browser(app: app, host: "b.test").get("/tuyen-sinh/\(planID)").body.contains("Trường THCS Lê Quý Đôn"))
            #expect(!(try await Browser(app: app, host: "so.test").get("/tuyen-sinh").body.contains("lớp 6 năm học")))
            #expect(try await Browser(app: app, host: "so.test").get("/tuyen-sinh/\(planID)").status == .notFound)
            let form = try await parent.get("/tuyen-sinh/\(planID)/dang-ky")
            #expect(form.status == .ok)
            // Consent is a box the parent ticks: never pre-ticked.
            #expect(form.body.contains("name=\"consent\"") && !form.body.contains("name=\"consent\" checked"))

            // Without consent: refused, nothing stored, the input kept.
            let noConsent = try await parent.post("/tuyen-sinh/\(planID)/dang-ky", Self.registration([a, b], consent: false))
            #expect(noConsent.status == .unprocessableEntity)
            #expect(noConsent.body.contains("Cần đồng ý cho xử lý dữ liệu cá nhân"))
            #expect(noConsent.body.contains("value=\"Nguyễn Minh An\"") && noConsent.body.contains("value=\"Thôn Đông, xã Gia Viễn\""))
            // The zone rule: the first choice must be a school of the pupil's zone.
            let wrongZone = try await parent.post("/tuyen-sinh/\(planID)/dang-ky", Self.registration([b, a]))
            #expect(wrongZone.body.contains("Nguyện vọng 1 phải là trường thuộc tuyến của học sinh (Tuyến 1)"))
            // A date in the future, a bad phone, the same school twice.
            var bad = Self.registration([a, a])
            bad["birthDate"] = "05/09/2099"
            bad["parentPhone"] = "12345"
            let many = try await parent.post("/tuyen-sinh/\(planID)/dang-ky", bad)
            #expect(many.body.contains("Ngày sinh 05/09/2099 ở tương lai.") && many.body.contains("Mỗi trường chỉ chọn một lần."))
            #expect(many.body.contains("Số điện thoại có 5 chữ số"))
            #expect(try await AdmissionRegistration.query(on: app.db).count() == 0)
            #expect(try await OutboxMessage.query(on: app.db).count() == 0)

            // Accepted: the receipt carries the tracking code of the stored registration, mailed in the same transaction.
            let receipt = try await parent.post("/tuyen-sinh/\(planID)/dang-ky", Self.registration([a, b]))
            #expect(receipt.status == .ok)
            #expect(receipt.headers.first(name: .cacheControl) == "no-store")
            let stored = try #require(try await AdmissionRegistration.query(on: app.db).first())
            #expect(stored.trackingCode.range(of: #"^TS-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$"#, options: .regularExpression) != nil)
            #expect(receipt.body.contains(stored.trackingCode))
            #expect(stored.birthDate == 20150905 && stored.parentPhone == "0912345678" && stored.consentText == AdmissionService.consentText)
            #expect(stored.status == AdmissionRegistration.Status.submitted.rawValue)
            let mail = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(mail.recipients == "me.an@example.vn" && mail.body.contains(stored.trackingCode))

            // The status page needs the code and the date of birth; either alone shows nothing.
            let status = try await parent.get("/tuyen-sinh/tra-cuu?ma=\(stored.trackingCode.lowercased())&ngay-sinh=05/09/2015")
            #expect(status.body.contains("Nguyễn Minh An") && status.body.contains("NV1: Trường Tiểu học Nguyễn Trãi"))
            #expect(status.headers.first(name: .cacheControl) == "no-store")
            let wrongBirth = try await parent.get("/tuyen-sinh/tra-cuu?ma=\(stored.trackingCode)&ngay-sinh=06/09/2015")
            #expect(wrongBirth.body.contains("Không tìm thấy hồ sơ") && !wrongBirth.body.contains("Nguyễn Minh An"))

            // Within the change window the choices change as a new version; the old one stays.
            let changed = try await parent.post("/tuyen-sinh/tra-cuu/nguyen-vong",
                                                ["ma": stored.trackingCode, "ngay-sinh": "05/09/2015", "choice1": a.uuidString.lowercased(), "choice2": ""])
            #expect(changed.status == .ok)
            #expect(changed.body.contains("Đã lưu nguyện vọng mới"))
            #expect(changed.body.contains("Lần 2") && changed.body.contains("Lần 1"))
            #expect(try await AdmissionChoice.query(on: app.db).count() == 3)
            #expect(try await AdmissionRegistration.find(stored.requireID(), on: app.db)?.choicesVersion == 2)

            // Each school sees only the registrations whose current choices name it; the phòng sees all.
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            try await province.user("quantri@b.edu.vn", .quanTri, at: province.schoolB, app: app)
            let schoolA = Browser(app: app, host: "a.test")
            try await schoolA.login("quantri@a.edu.vn", Province.password)
            let schoolB = Browser(app: app, host: "b.test")
            try await schoolB.login("quantri@b.edu.vn", Province.password)
            #expect(try await schoolA.get("/quan-tri/don-vi/th-a/tuyen-sinh/\(planID)").body.contains(stored.trackingCode))
            let seenByB = try await schoolB.get("/quan-tri/don-vi/thcs-b/tuyen-sinh/\(planID)")
            #expect(seenByB.status == .ok && !seenByB.body.contains(stored.trackingCode) && seenByB.body.contains("0 hồ sơ"))
            // A school cannot open another unit's plan list by changing the code in the path.
            #expect(try await schoolB.get("/quan-tri/don-vi/th-a/tuyen-sinh/\(planID)").status == .notFound)  // not its subtree: not even confirmed
        }
    }

    @Test func outsideItsWindowThePlanTakesNothing() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let (_, planID) = try await Self.plan(app, province, Self.planForm(quotas: "th-a; 40; Tuyến 1", opens: 86_400, closes: 2 * 86_400, changes: 2 * 86_400))
            let parent = Browser(app: app, host: "a.test")
            let form = try await parent.get("/tuyen-sinh/\(planID)/dang-ky")
            #expect(form.body.contains("Không nhận đăng ký lúc này") && !form.body.contains("name=\"pupilName\""))
            let refused = try await parent.post("/tuyen-sinh/\(planID)/dang-ky", Self.registration([try province.schoolA.requireID()]))
            #expect(refused.status == .unprocessableEntity && refused.body.contains("Chưa đến thời gian đăng ký"))
            #expect(try await AdmissionRegistration.query(on: app.db).count() == 0)
        }
    }
}

extension AdmissionTests {
    /// Registrations, status lookups and changes are rate-limited per address, on counters of
    /// their own (the exam lookup keeps its budget).
    @Test func registrationsAndLookupsAreRateLimitedPerAddress() async throws {
        // A fixed clock: the limit counts per clock minute, and none may end mid-test.
        let fixed = Date()
        try await TestApp.run({ config in config.lookupRateLimit = 3; config.lookupClock = { fixed } }) { app in
            let province = try await Province.make(on: app.db)
            let (_, planID) = try await Self.plan(app, province)
            let parent = Browser(app: app, host: "a.test")
            for _ in 0..<3 { #expect(try await parent.get("/tuyen-sinh/tra-cuu?ma=TS-AAAA-BBBB&ngay-sinh=05/09/2015").status == .ok) }
            let refused = try await parent.get("/tuyen-sinh/tra-cuu?ma=TS-AAAA-BBBB&ngay-sinh=05/09/2015")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers.first(name: "Retry-After") != nil && refused.body.contains("Có quá nhiều lượt gửi"))
            let post = try await parent.post("/tuyen-sinh/\(planID)/dang-ky", Self.registration([try province.schoolA.requireID()]))
            #expect(post.status == .tooManyRequests)
            #expect(try await AdmissionRegistration.query(on: app.db).count() == 0)
            // The plan pages themselves are not counted.
            #expect(try await parent.get("/tuyen-sinh/\(planID)").status == .ok)
        }
    }
}

extension AdmissionTests {
    /// Staff review: the unit running the plan or the school of the first choice decides; a
    /// rejection and a request for documents need a reason; the parent is told and it is audited.
    @Test func reviewNotifiesTheParentAndIsAudited() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let (office, planID) = try await Self.plan(app, province)
            let a = try province.schoolA.requireID(), b = try province.schoolB.requireID()
            let parent = Browser(app: app, host: "a.test")
            #expect(try await parent.post("/tuyen-sinh/\(planID)/dang-ky", Self.registration([a, b])).status == .ok)
            let registration = try #require(try await AdmissionRegistration.query(on: app.db).first())
            let id = try registration.requireID().uuidString.lowercased()
            try await OutboxMessage.query(on: app.db).delete()

            // School B is only the second choice: it sees the registration but may not decide on it.
            try await province.user("quantri@b.edu.vn", .quanTri, at: province.schoolB, app: app)
            let schoolB = Browser(app: app, host: "b.test")
            try await schoolB.login("quantri@b.edu.vn", Province.password)
            let listB = try await schoolB.get("/quan-tri/don-vi/thcs-b/tuyen-sinh/\(planID)")
            #expect(listB.body.contains(registration.trackingCode) && !listB.body.contains("/ho-so/\(id)"))
            let byB = try await schoolB.post("/quan-tri/don-vi/thcs-b/tuyen-sinh/\(planID)/ho-so/\(id)", ["decision": "hop-le"])
            #expect(byB.status == .unprocessableEntity && byB.body.contains("Chỉ đơn vị tổ chức tuyển sinh hoặc trường nguyện vọng 1"))

            // The office asks for documents: a reason is needed.
            let office2 = office
            _ = try await office2.get("/quan-tri/don-vi/phong-thu/tuyen-sinh/\(planID)")
            let noReason = try await office2.post("/quan-tri/don-vi/phong-thu/tuyen-sinh/\(planID)/ho-so/\(id)", ["decision": "can-bo-sung", "reason": " "])
            #expect(noReason.status == .unprocessableEntity && noReason.body.contains("Ghi các giấy tờ cần bổ sung."))
            let asked = try await office2.post("/quan-tri/don-vi/phong-thu/tuyen-sinh/\(planID)/ho-so/\(id)",
                                               ["decision": "can-bo-sung", "reason": "Bổ sung bản sao sổ hộ khẩu."])
            #expect(asked.status == .seeOther)
            var fresh = try #require(try await AdmissionRegistration.find(registration.requireID(), on: app.db))
            #expect(fresh.status == AdmissionRegistration.Status.needsDocuments.rawValue && fresh.reason == "Bổ sung bản sao sổ hộ khẩu.")
            let mail = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(mail.recipients == "me.an@example.vn" && mail.subject.contains("Cần bổ sung hồ sơ") && mail.body.contains("sổ hộ khẩu"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "admission.review").count() == 1)
            // The parent sees it on the status page.
            let status = try await parent.get("/tuyen-sinh/tra-cuu?ma=\(registration.trackingCode)&ngay-sinh=05/09/2015")
            #expect(status.body.contains("Cần bổ sung hồ sơ") && status.body.contains("Bổ sung bản sao sổ hộ khẩu."))
            // The filter shows it under its status, and not under another.
            #expect(try await office2.get("/quan-tri/don-vi/phong-thu/tuyen-sinh/\(planID)?trang-thai=can-bo-sung").body.contains(registration.trackingCode))
            #expect(!(try await office2.get("/quan-tri/don-vi/phong-thu/tuyen-sinh/\(planID)?trang-thai=tu-choi").body.contains(registration.trackingCode)))

            // School A, the first choice, accepts it.
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let schoolA = Browser(app: app, host: "a.test")
            try await schoolA.login("quantri@a.edu.vn", Province.password)
            _ = try await schoolA.get("/quan-tri/don-vi/th-a/tuyen-sinh/\(planID)")
            #expect(try await schoolA.post("/quan-tri/don-vi/th-a/tuyen-sinh/\(planID)/ho-so/\(id)", ["decision": "hop-le"]).status == .seeOther)
            fresh = try #require(try await AdmissionRegistration.find(registration.requireID(), on: app.db))
            #expect(fresh.status == AdmissionRegistration.Status.accepted.rawValue && fresh.reason.isEmpty)
            // A forged decision without the CSRF token changes nothing.
            let forged = try await schoolA.post("/quan-tri/don-vi/th-a/tuyen-sinh/\(planID)/ho-so/\(id)", ["decision": "tu-choi", "reason": "x"], csrf: "sai")
            #expect(forged.status == .forbidden)
            #expect(try await AdmissionRegistration.find(registration.requireID(), on: app.db)?.status == AdmissionRegistration.Status.accepted.rawValue)
        }
    }
}

extension AdmissionTests {
    /// Export: the registrations the unit may see, as XLSX and CSV; a formula typed by a parent
    /// stays text; reading pupils' data is audited.
    @Test func exportHoldsOnlyWhatTheUnitMaySeeAndNoFormulas() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let (office, planID) = try await Self.plan(app, province)
            let a = try province.schoolA.requireID(), b = try province.schoolB.requireID()
            let parent = Browser(app: app, host: "a.test")
            var first = Self.registration([a])
            first["parentName"] = "=HYPERLINK(\"http://x.example\",\"Bấm\")"
            first["address"] = "Số 5, ngõ 2, \"Xóm Đông\""
            #expect(try await parent.post("/tuyen-sinh/\(planID)/dang-ky", first).status == .ok)
            var second = Self.registration([b], zone: "Tuyến 2")
            second["pupilName"] = "Trần Thị Bé"
            #expect(try await parent.post("/tuyen-sinh/\(planID)/dang-ky", second).status == .ok)

            let csv = try await office.get("/quan-tri/don-vi/phong-thu/tuyen-sinh/\(planID)/ho-so.csv")
            #expect(csv.status == .ok && csv.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            #expect(csv.body.hasPrefix("\u{FEFF}Mã hồ sơ,Họ và tên,Ngày sinh"))
            #expect(csv.body.contains("\"'=HYPERLINK(\"\"http://x.example\"\",\"\"Bấm\"\")\""))
            #expect(csv.body.contains("\"Số 5, ngõ 2, \"\"Xóm Đông\"\"\""))
            #expect(csv.body.contains("Nguyễn Minh An") && csv.body.contains("Trần Thị Bé"))
            let xlsx = try await office.get("/quan-tri/don-vi/phong-thu/tuyen-sinh/\(planID)/ho-so.xlsx")
            let rows = try XLSXTestReader.rows(xlsx.bytes)
            #expect(rows.count == 3 && rows[0].first == "Mã hồ sơ")
            #expect(rows.contains { $0.contains("Trường Tiểu học Nguyễn Trãi") })

            // School B's export holds only the registration naming it.
            try await province.user("quantri@b.edu.vn", .quanTri, at: province.schoolB, app: app)
            let schoolB = Browser(app: app, host: "b.test")
            try await schoolB.login("quantri@b.edu.vn", Province.password)
            let mine = try await schoolB.get("/quan-tri/don-vi/thcs-b/tuyen-sinh/\(planID)/ho-so.csv")
            #expect(mine.body.contains("Trần Thị Bé") && !mine.body.contains("Nguyễn Minh An"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "admission.export").count() == 3)
            #expect(try await office.get("/quan-tri/don-vi/phong-thu/tuyen-sinh/\(planID)/ho-so.exe").status == .notFound)
        }
    }
}
