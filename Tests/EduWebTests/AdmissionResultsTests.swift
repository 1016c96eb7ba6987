import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Online admission after the registrations (#13 points 4–6): scores from a file, allocation by
/// score and ranked choices, review, publication with masked names, withdrawal and retention;
/// and the proofs parents attach, one registration per child.
@Suite struct AdmissionResultsTests {
    /// A joint exam-based plan of the phòng: one place at th-a (Tuyến 1), one at thcs-b (Tuyến 2).
    static func examPlan(_ app: Application, _ province: Province) async throws -> (Browser, String) {
        var form = AdmissionTests.planForm(quotas: "th-a; 1; Tuyến 1\nthcs-b; 1; Tuyến 2")
        form["method"] = "thi-tuyen"
        form["resultsAt"] = AdmissionTests.moment(3 * 86_400)
        form["resultsWithdrawnAt"] = AdmissionTests.moment(10 * 86_400)
        return try await AdmissionTests.plan(app, province, form)
    }

    /// Time passes: registration and changes closed, results due now, lists up for `withdrawIn` more.
    static func closeWindows(_ app: Application, withdrawIn: TimeInterval = 86_400) async throws {
        let plan = try #require(try await AdmissionPlan.query(on: app.db).first())
        let now = Date()
        plan.registrationClosesAt = now.addingTimeInterval(-7200)
        plan.changesCloseAt = now.addingTimeInterval(-3600)
        plan.resultsAt = now.addingTimeInterval(-60)
        plan.resultsWithdrawnAt = now.addingTimeInterval(withdrawIn)
        try await plan.save(on: app.db)
    }

    static func child(_ name: String, _ choices: [UUID], zone: String, phone: String) -> [String: String] {
        var form = AdmissionTests.registration(choices, zone: zone)
        form["pupilName"] = name
        form["parentPhone"] = phone
        return form
    }

    @Test func fromScoresToPublishedListsToWithdrawalAndRetention() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let (office, planID) = try await Self.examPlan(app, province)
            let a = try province.schoolA.requireID(), b = try province.schoolB.requireID()
            let parent = Browser(app: app, host: "a.test")
            for (name, choices, zone, phone) in [("Lê Thu Hà", [a, b], "Tuyến 1", "0912000001"), ("Phạm Quốc Bảo", [a, b], "Tuyến 1", "0912000002"),
                                                 ("Vũ Minh Châu", [b], "Tuyến 2", "0912000003")] {
                #expect(try await parent.post("/tuyen-sinh/\(planID)/dang-ky", Self.child(name, choices, zone: zone, phone: phone)).status == .ok)
            }
            func registration(_ name: String) async throws -> AdmissionRegistration {
                try #require(try await AdmissionRegistration.query(on: app.db).filter(\.$pupilName == name).first())
            }
            let ha = try await registration("Lê Thu Hà"), bao = try await registration("Phạm Quốc Bảo"), chau = try await registration("Vũ Minh Châu")
            let planPage = "/quan-tri/don-vi/phong-thu/tuyen-sinh/\(planID)"
            _ = try await office.get(planPage)

            // Nothing is allocated while the windows are open.
            let early = try await office.post(planPage + "/phan-bo", [:])
            #expect(early.status == .unprocessableEntity && early.body.contains("Chỉ phân bổ sau khi hết hạn đăng ký và đổi nguyện vọng"))
            try await Self.closeWindows(app)
            let unreviewed = try await office.post(planPage + "/phan-bo", [:])
            #expect(unreviewed.status == .unprocessableEntity && unreviewed.body.contains("Chưa có hồ sơ hợp lệ nào"))
            for item in [ha, bao, chau] {
                #expect(try await office.post(planPage + "/ho-so/\(try item.requireID().uuidString.lowercased())", ["decision": "hop-le"]).status == .seeOther)
            }
            let unscored = try await office.post(planPage + "/phan-bo", [:])
            #expect(unscored.status == .unprocessableEntity && unscored.body.contains("3 hồ sơ hợp lệ chưa có điểm"))

            // A bad score file is refused whole, every fault named where Excel shows it.
            _ = try await office.get(planPage)
            let bad = "Mã hồ sơ,Số báo danh,Điểm xét tuyển,\n\(ha.trackingCode),010001,\"40,5\",\nTS-ZZZZ-ZZZZ,010002,30,\n\(bao.trackingCode),010003,ba mươi,\n\(chau.trackingCode),010004,30,x\n\(ha.trackingCode),010001,41,\n"
            let refused = try await office.upload(planPage + "/diem", fields: [:], filename: "diem.csv", bytes: Array(bad.utf8))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("Dòng 3, cột A: mã hồ sơ «TS-ZZZZ-ZZZZ» không có trong kế hoạch này."))
            #expect(refused.body.contains("Dòng 4, cột C: «ba mươi» không phải là điểm"))
            #expect(refused.body.contains("Cột D có dữ liệu nhưng không có tiêu đề (ô D5: «x»)"))
            #expect(refused.body.contains("Dòng 6, cột A: mã hồ sơ \(ha.trackingCode) đã có ở dòng 2."))
            #expect(try await AdmissionRegistration.query(on: app.db).filter(\.$score != nil).count() == 0)

            let good = "Mã hồ sơ;Số báo danh;Điểm xét tuyển\n\(ha.trackingCode);010001;40,5\n\(bao.trackingCode);010003;38,25\n\(chau.trackingCode);010004;30\n"
            #expect(try await office.upload(planPage + "/diem", fields: [:], filename: "diem.csv", bytes: Array(good.utf8)).status == .seeOther)
            #expect(try await registration("Phạm Quốc Bảo").score == 3825)

            // A school of the plan sees the registrations naming it but may not allocate or publish.
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let schoolA = Browser(app: app, host: "a.test")
            try await schoolA.login("quantri@a.edu.vn", Province.password)
            _ = try await schoolA.get("/quan-tri/don-vi/th-a/tuyen-sinh/\(planID)")
            let notRunner = try await schoolA.post("/quan-tri/don-vi/th-a/tuyen-sinh/\(planID)/phan-bo", [:])
            #expect(notRunner.status == .unprocessableEntity && notRunner.body.contains("Chỉ đơn vị tổ chức tuyển sinh"))
            #expect(try await AdmissionPlan.query(on: app.db).first()?.allocatedAt == nil)

            #expect(try await office.post(planPage + "/phan-bo", [:]).status == .seeOther)
            // Hà (40,50) takes th-a's place; Bảo (38,25) misses it and takes thcs-b's; Châu (30) misses thcs-b.
            #expect(try await registration("Lê Thu Hà").resultSchoolID == a)
            let baoAllocated = try await registration("Phạm Quốc Bảo")
            #expect(baoAllocated.resultSchoolID == b && baoAllocated.resultChoice == 2)
            #expect(baoAllocated.resultNote?.contains("điểm 38,25 dưới điểm chuẩn 40,50") == true)
            #expect(try await registration("Vũ Minh Châu").resultSchoolID == nil)
            let reviewPage = try await office.get(planPage)
            #expect(reviewPage.body.contains("40,50") && reviewPage.body.contains("38,25") && reviewPage.body.contains("Công bố kết quả"))

            // Not yet published: no result reaches a parent or the public (no "virtual" results).
            let before = try await parent.get("/tuyen-sinh/tra-cuu?ma=\(ha.trackingCode)&ngay-sinh=05/09/2015")
            #expect(before.body.contains("Hồ sơ hợp lệ") && !before.body.contains("Đỗ nguyện vọng") && !before.body.contains("Kết quả tuyển sinh"))
            #expect(try await parent.get("/tuyen-sinh/\(planID)/ket-qua").body.contains("Kết quả chưa được công bố"))

            try await OutboxMessage.query(on: app.db).delete()
            let unconfirmed = try await office.post(planPage + "/cong-bo", [:])
            #expect(unconfirmed.status == .unprocessableEntity && unconfirmed.body.contains("Đánh dấu ô xác nhận"))
            #expect(try await office.post(planPage + "/cong-bo", ["confirm": "on"]).status == .seeOther)
            #expect(try await registration("Lê Thu Hà").status == AdmissionRegistration.Status.admitted.rawValue)
            #expect(try await registration("Vũ Minh Châu").status == AdmissionRegistration.Status.notAdmitted.rawValue)
            let mails = try await OutboxMessage.query(on: app.db).all()
            #expect(mails.count == 3 && mails.contains { $0.subject.contains(chau.trackingCode) && $0.subject.contains("không trúng tuyển") })
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["admission.scores", "admission.allocate", "admission.publish"]).count() == 3)
            #expect(try await office.post(planPage + "/phan-bo", [:]).body.contains("Kết quả đã công bố"))

            // The school's list: code, masked name and result; not the name, the birth date or another school's pupils.
            let listA = try await parent.get("/tuyen-sinh/\(planID)/ket-qua")
            #expect(listA.status == .ok && listA.body.contains(ha.trackingCode) && listA.body.contains("L*** T*** H***"))
            #expect(!listA.body.contains("Lê Thu Hà") && !listA.body.contains("05/09/2015") && !listA.body.contains(bao.trackingCode))
            #expect(!listA.body.contains(chau.trackingCode) && listA.body.contains("010001"))
            let listB = try await Browser(app: app, host: "b.test").get("/tuyen-sinh/\(planID)/ket-qua")
            #expect(listB.body.contains(bao.trackingCode) && !listB.body.contains(ha.trackingCode) && !listB.body.contains(chau.trackingCode))
            // The phòng's portal lists the schools; one is picked by code.
            let visitor = Browser(app: app, host: "phong.test")
            let schools = try await visitor.get("/tuyen-sinh/\(planID)/ket-qua")
            #expect(schools.body.contains("?truong=thcs-b") && !schools.body.contains(ha.trackingCode))
            #expect(try await visitor.get("/tuyen-sinh/\(planID)/ket-qua?truong=thcs-b").body.contains(bao.trackingCode))
            // Each parent sees the full result and why.
            let mine = try await parent.get("/tuyen-sinh/tra-cuu?ma=\(chau.trackingCode)&ngay-sinh=05/09/2015")
            #expect(mine.body.contains("Không trúng tuyển") && mine.body.contains("dưới điểm chuẩn 38,25"))

            // The window ends: the lists come down; the parent still sees the result.
            try await Self.closeWindows(app, withdrawIn: -1)
            for unit in [province.phong, province.schoolA, province.schoolB] { try await OrgUnit.touch(unit.requireID(), on: app.db) }
            let gone = try await parent.get("/tuyen-sinh/\(planID)/ket-qua")
            #expect(gone.status == .gone && gone.body.contains("đã được gỡ") && !gone.body.contains(ha.trackingCode))
            #expect(try await parent.get("/tuyen-sinh/tra-cuu?ma=\(ha.trackingCode)&ngay-sinh=05/09/2015").body.contains("Trúng tuyển"))

            // Retention: 90 days after the lists came down, the registrations of children not admitted go, with their choices.
            let withdrawn = try #require(try await AdmissionPlan.query(on: app.db).first()?.resultsWithdrawnAt)
            let root = AdmissionService.attachmentsRoot(app.eduConfig)
            #expect(try await AdmissionService.purgeExpired(now: withdrawn.addingTimeInterval(89 * 86_400), attachmentsRoot: root, on: app.db) == 0)
            #expect(try await AdmissionService.purgeExpired(now: withdrawn.addingTimeInterval(91 * 86_400), attachmentsRoot: root, on: app.db) == 1)
            #expect(try await AdmissionRegistration.query(on: app.db).filter(\.$pupilName == "Vũ Minh Châu").count() == 0)
            #expect(try await AdmissionChoice.query(on: app.db).filter(\.$registrationID == chau.requireID()).count() == 0)
            #expect(try await AdmissionRegistration.query(on: app.db).count() == 2)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "admission.purge").count() == 1)
        }
    }

    @Test func proofsAreCheckedByContentAndAChildRegistersOnce() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-admission-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let province = try await Province.make(on: app.db)
            let (_, planID) = try await AdmissionTests.plan(app, province)
            let a = try province.schoolA.requireID()
            let parent = Browser(app: app, host: "a.test")
            let formPage = try await parent.get("/tuyen-sinh/\(planID)/dang-ky")
            #expect(formPage.body.contains("enctype=\"multipart/form-data\"") && formPage.body.contains("type=\"file\" id=\"f-attachments[]\" name=\"attachments[]\" multiple"))
            var form = AdmissionTests.registration([a])
            form["priority"] = "Con thương binh, liệt sĩ"
            let path = "/tuyen-sinh/\(planID)/dang-ky"

            // A priority needs its proof; what was typed stays in the form.
            let noProof = try await parent.upload(path, fields: form, files: [])
            #expect(noProof.status == .unprocessableEntity && noProof.body.contains("Đính kèm giấy tờ chứng minh diện ưu tiên"))
            #expect(noProof.body.contains("value=\"Nguyễn Minh An\""))
            // A program renamed .pdf, too many files, a file too large: refused, naming the file; nothing stored.
            let exe = [UInt8](arrayLiteral: 0x4D, 0x5A, 0x90, 0x00) + [UInt8](repeating: 0, count: 200)
            let disguised = try await parent.upload(path, fields: form, files: [("attachments[]", "giay-chung-nhan.pdf", exe)])
            #expect(disguised.status == .unprocessableEntity && disguised.body.contains("Tệp «giay-chung-nhan.pdf» không phải PDF, JPG hoặc PNG"))
            let png = pngBytes(width: 20, height: 20)
            let pdf = Array("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n".utf8)
            let four = try await parent.upload(path, fields: form, files: (1...4).map { ("attachments[]", "anh\($0).png", png) })
            #expect(four.status == .unprocessableEntity && four.body.contains("Đính kèm tối đa 3 tệp (đã chọn 4)"))
            let large = try await parent.upload(path, fields: form, files: [("attachments[]", "scan.png", pngBytes(width: 20, height: 20, padding: 5 << 20))])
            #expect(large.status == .unprocessableEntity && large.body.contains("Tệp «scan.png» quá lớn"))
            #expect(try await AdmissionRegistration.query(on: app.db).count() == 0)
            let folder = data.appendingPathComponent("admissions").appendingPathComponent(planID)
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).isEmpty)

            let stored = try await parent.upload(path, fields: form, files: [("attachments[]", "giấy chứng nhận.pdf", pdf), ("attachments[]", "ảnh.png", png)])
            #expect(stored.status == .ok && stored.body.contains("TS-"))
            let registration = try #require(try await AdmissionRegistration.query(on: app.db).first())
            let files = try await AdmissionAttachment.query(on: app.db).sort(\.$createdAt).all()
            #expect(files.count == 2 && Set(files.map(\.mimeType)) == ["application/pdf", "image/png"])
            #expect(files.allSatisfy { !$0.storedName.contains("giấy") && !$0.storedName.contains("ảnh") })
            let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(onDisk.count == 2)
            let pdfRow = try #require(files.first { $0.mimeType == "application/pdf" })
            #expect(FileManager.default.contents(atPath: folder.appendingPathComponent(pdfRow.storedName).path).map(Array.init) == pdf)

            // The same child again, typed without marks and with other spacing: refused, pointing to the lookup.
            var again = AdmissionTests.registration([a])
            again["pupilName"] = "nguyen  minh AN"
            let twice = try await parent.post(path, again)
            #expect(twice.status == .unprocessableEntity && twice.body.contains("Trẻ này đã có đơn đăng ký trong kế hoạch này"), "\(twice.body.split(separator: "error").dropFirst().prefix(3))")
            // Another child of the same parent is welcome.
            var sibling = AdmissionTests.registration([a])
            sibling["pupilName"] = "Nguyễn Minh Anh"
            #expect(try await parent.post(path, sibling).status == .ok)
            #expect(try await AdmissionRegistration.query(on: app.db).count() == 2)

            // Staff of the first-choice school download the proof (never shown inline), audited; other schools cannot.
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let schoolA = Browser(app: app, host: "a.test")
            try await schoolA.login("quantri@a.edu.vn", Province.password)
            let list = try await schoolA.get("/quan-tri/don-vi/th-a/tuyen-sinh/\(planID)")
            let link = "/quan-tri/don-vi/th-a/tuyen-sinh/\(planID)/ho-so/\(try registration.requireID().uuidString.lowercased())/\(pdfRow.storedName)"
            #expect(list.body.contains(link))
            let download = try await schoolA.get(link)
            #expect(download.status == .ok && download.bytes == pdf)
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
            #expect(download.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "admission.attachment").count() == 1)
            try await province.user("quantri@b.edu.vn", .quanTri, at: province.schoolB, app: app)
            let schoolB = Browser(app: app, host: "b.test")
            try await schoolB.login("quantri@b.edu.vn", Province.password)
            #expect(try await schoolB.get(link.replacingOccurrences(of: "/th-a/", with: "/thcs-b/")).status == .notFound)
            #expect(try await schoolB.get(link).status == .notFound)
            // The public never reaches it.
            #expect(try await parent.get(link).status != .ok)

            // A body past the form's limit is refused before it is read whole.
            let huge = try await parent.upload(path, fields: form, files: (1...4).map { ("attachments[]", "x\($0).png", pngBytes(width: 1, height: 1, padding: 5 << 20)) })
            #expect(huge.status == .payloadTooLarge && huge.body.contains("Đơn đăng ký quá lớn"), "\(huge.status) \(huge.body.prefix(300))")
        }
    }
}
