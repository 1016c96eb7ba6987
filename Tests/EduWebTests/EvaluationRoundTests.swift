import EduCore
import EduData
import EduTestSupport
import Fluent
import SQLKit
import Foundation
import Testing
import EduImport
import EduMail
import Vapor
@testable import EduWeb

/// Inspection, evaluation and ranking (#17, A16): each automatic check built to pass and to fail
/// on units of a test province; a round's workflow from criteria to the published ranking, with
/// who may do what.
@Suite struct EvaluationRoundTests {
    static func context(_ app: Application, fetch: EvaluationChecks.Fetch? = nil, now: Date = Date()) -> EvaluationChecks.Context {
        EvaluationChecks.Context(db: app.db, config: app.eduConfig, links: PublicLinks(config: app.eduConfig, port: 8080),
                                 fetch: fetch ?? EvaluationChecks.inProcess(app), now: now)
    }

    @Test func eachCheckPassesAndFailsOnWhatTheUnitHasDone() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            func measure(_ check: String, _ unit: OrgUnit, fetch: EvaluationChecks.Fetch? = nil) async throws -> EvaluationChecks.Result {
                try await EvaluationChecks.measure(check, unit: try await unit.resolved(on: app.db), context: Self.context(app, fetch: fetch))
            }
            let school = province.thpt, office = province.phong

            // An editorial head, named focal people.
            #expect(try await measure("ban-bien-tap", school).value == 0)
            try await province.user("truongban@thpt.edu.vn", .truongBanBienTap, at: school, app: app)
            #expect(try await measure("ban-bien-tap", school).value == 1)
            #expect(try await measure("dau-moi", school).value == 0)
            school.portalContactName = "Nguyễn Văn Cổng"
            try await school.save(on: app.db)
            #expect(try await measure("dau-moi", school).value == 50)
            school.mailContactName = "Trần Thị Thư"
            try await school.save(on: app.db)
            let named = try await measure("dau-moi", school)
            #expect(named.value == 100 && named.evidence.contains("Trần Thị Thư"))

            // The official address: on the unit's own domain and a live mailbox.
            school.email = "vanthu@thpt-c.edu.vn"
            try await school.save(on: app.db)
            let offDomain = try await measure("thu-chinh-thuc", school)
            #expect(offDomain.value == 0 && offDomain.evidence.contains("không thuộc tên miền"))
            _ = try await MailService.addDomain("thpt-c.edu.vn", unit: try await school.resolved(on: app.db), names: .operator, baseDomain: "edu.vn",
                                                by: .cli("t"), on: app.db)
            let refreshed = try #require(try await OrgUnit.find(school.id, on: app.db))
            #expect(try await measure("thu-chinh-thuc", refreshed).value == 0)
            _ = try await MailService.createMailbox(.init(localPart: "vanthu", domain: "thpt-c.edu.vn", displayName: "Văn thư", function: .clerical),
                                                   password: "Mat-khau-thu-2026", unit: try await refreshed.resolved(on: app.db), by: .cli("t"),
                                                   hasher: app.password.async, on: app.db)
            #expect(try await measure("thu-chinh-thuc", refreshed).value == 1)

            // Posts this school year, procedures published.
            #expect(try await measure("bai-viet-nam-hoc", school).value == 0)
            _ = try await FeedAndMetadataTests().publish("Lễ khai giảng năm học mới", slug: "tin-tuc-su-kien", at: school, app: app)
            #expect(try await measure("bai-viet-nam-hoc", school).value == 1)
            #expect(try await measure("thu-tuc", office).value == 0)
            let procedure = try await ProcedureService.save(.init(form: ["name": "Chuyển trường đối với học sinh trung học cơ sở", "field": "Giáo dục trung học",
                                                                        "level": "toan-trinh", "applicants": "Cha mẹ học sinh", "dossier": "Đơn xin chuyển trường",
                                                                        "processingTime": "03 ngày làm việc", "place": "Bộ phận một cửa",
                                                                        "submitURL": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.005099"]),
                                                            existing: nil, unit: try await office.resolved(on: app.db), mayPublish: true, by: .cli("t"), who: "t", on: app.db)
            #expect(try await measure("thu-tuc", office).value == 0)
            try await Publishing.set(procedure, true, unit: try await office.resolved(on: app.db), by: .cli("t"), on: app.db)
            #expect(try await measure("thu-tuc", office).value == 1)

            // Update deadlines: fresh categories are on time; one left 100 days is not.
            #expect(try await measure("cap-nhat", school).value == 100)
            let stale = try #require(try await Category.find(unitID: school.requireID(), slug: "thong-bao", on: app.db))
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.update(Category.schema).set("created_at", to: SQLBind(Date().addingTimeInterval(-100 * 86_400))).where("id", .equal, SQLBind(stale.requireID())).run()
            let late = try await measure("cap-nhat", school)
            #expect(late.value.map { $0 < 100 } == true && late.evidence.contains(stale.name))

            // The yearbook: nothing due is not measured (not zero); a due period unfiled fails, filed passes.
            let none = try await measure("nien-giam", school)
            #expect(none.value == nil && none.evidence.contains("Chưa có kỳ"))
            var period = YearbookService.PeriodInput()
            (period.schoolYear, period.kind, period.referenceDate, period.dueAt) = ("2025-2026", "dau-nam", "30/09/2025 00:00", "30/10/2025 17:00")
            let due = try await YearbookService.createPeriod(period, unit: try await province.so.resolved(on: app.db), by: .cli("t"), on: app.db)
            #expect(try await measure("nien-giam", school).value == 0)
            #expect(try await measure("nien-giam-truc-thuoc", office).value == 0)
            _ = try await YearbookService.save(YearbookTests.figures(pupils: 900, classes: 24, teachers: 50, type: .thpt), unit: try await school.resolved(on: app.db),
                                               period: due, by: .cli("t"), who: "t", on: app.db)
            #expect(try await measure("nien-giam", school).value == 1)
            _ = try await YearbookService.save(YearbookTests.figures(pupils: 400, classes: 14, teachers: 25), unit: try await province.schoolA.resolved(on: app.db),
                                               period: due, by: .cli("t"), who: "t", on: app.db)
            #expect(try await measure("nien-giam-truc-thuoc", office).value == 50)

            // Disclosure, on 1 December 2026: the 2025–2026 items (due 30/06/2026) missing fail, published before
            // their due date pass; the 2026–2027 ones are not yet due and not counted.
            let december = try #require(VietnameseDate.parse("01/12/2026 12:00"))
            func disclosure(_ unit: OrgUnit) async throws -> EvaluationChecks.Result {
                try await EvaluationChecks.measure("cong-khai", unit: try await unit.resolved(on: app.db), context: Self.context(app, now: december))
            }
            let lastYear = 2025
            let missingItems = try await disclosure(school)
            #expect(missingItems.value == 0 && missingItems.evidence.contains("chưa công khai"))
            #expect(try await disclosure(office).value == nil)
            for item in DisclosureCatalogue.items(for: .thpt) {
                let entry = DisclosureEntry()
                entry.unitID = try school.requireID()
                entry.itemKey = item.key
                entry.schoolYear = lastYear
                entry.text = "Đã công khai"
                entry.publishedAt = DisclosurePolicy.standard.yearlyDue(schoolYear: lastYear).addingTimeInterval(-10 * 86_400)
                entry.updatedAt = entry.publishedAt
                entry.updatedBy = "t"
                try await entry.create(on: app.db)
            }
            #expect(try await disclosure(school).value == 100)

            // What the public sees: read from the unit's own pages; a page that says it has nothing counts against it.
            let metadata = try await measure("sieu-du-lieu", school)
            #expect(metadata.value == 100)
            #expect(EvaluationChecks.metadata(of: "<html><head><title>x</title></head></html>", url: "").value == 0)
            #expect(try await measure("rss-sitemap", school).value == 100)
            let broken: EvaluationChecks.Fetch = { _, path in path == "/rss.xml" ? (200, "<rss><channel>") : (404, "") }
            #expect(try await measure("rss-sitemap", school, fetch: broken).value == 0)
            let sections = PortalSections.forType(.thpt).filter { $0.path != "/en/" && $0.path != "/lien-he" }
            let full: EvaluationChecks.Fetch = { _, _ in (200, "<main><h1>Có nội dung</h1></main>") }
            #expect(try await measure("muc-bat-buoc", school, fetch: full).value == 100)
            let oneEmpty: EvaluationChecks.Fetch = { _, path in (200, path == "/hoi-dap" ? "<main><p>Chưa có câu hỏi nào.</p></main>" : "<main>Tin</main>") }
            let partial = try await measure("muc-bat-buoc", school, fetch: oneEmpty)
            #expect(partial.value == EvaluationChecks.round2(Double(sections.count - 1) / Double(sections.count) * 100) && partial.evidence.contains("Hỏi đáp"))
            // On a new unit, read through the real pages: empty sections are found.
            let real = try await measure("muc-bat-buoc", school)
            #expect(real.value.map { $0 < 100 } == true && real.evidence.contains("Chuyên mục trống"))
            // The browser's measures are said plainly not to be measured here.
            let speed = try await measure("fcp", school)
            #expect(speed.value == nil && speed.evidence.contains("Chưa đo"))
        }
    }

    /// A5.2: a unit's head and clerical office registered in the groups of the units above; the
    /// shared system's security level and monitoring connection, declared by its operator.
    @Test func theGroupsAboveTheSecurityLevelAndMonitoringAreChecked() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let school = province.thpt
            func measure(_ check: String, config: AppConfig? = nil) async throws -> EvaluationChecks.Result {
                var context = Self.context(app)
                if let config { context = EvaluationChecks.Context(db: app.db, config: config, links: context.links, fetch: context.fetch, now: context.now) }
                return try await EvaluationChecks.measure(check, unit: try await school.resolved(on: app.db), context: context)
            }
            let none = try await measure("nhom-cap-tren")
            #expect(none.value == 0 && none.evidence.contains("Chưa có hộp thư thủ trưởng") && none.evidence.contains("Chưa có hộp thư văn thư"))
            try await MailAdminTests.domain(school, "thpt-c.edu.vn", app: app)
            try await MailAdminTests.domain(province.so, "so.edu.vn", app: app)
            func box(_ local: String, _ function: MailFunction) async throws {
                _ = try await MailService.createMailbox(.init(localPart: local, domain: "thpt-c.edu.vn", displayName: local, function: function),
                                                       password: "Mat-khau-2026!", unit: try await school.resolved(on: app.db), by: .cli("t"),
                                                       hasher: app.password.async, on: app.db)
            }
            try await box("hieutruong", .head)
            try await box("vanthu", .clerical)
            let unregistered = try await measure("nhom-cap-tren")
            #expect(unregistered.value == 0 && unregistered.evidence.contains("hieutruong@thpt-c.edu.vn") && unregistered.evidence.contains("chưa có trong nhóm"))
            // The Sở's group of heads takes every head below it by rule: the head passes, the clerical office not yet.
            let heads = try await MailService.createGroup(.init(localPart: "hieutruong-thpt", domain: "so.edu.vn", name: "Hiệu trưởng THPT",
                                                               rules: [.init(function: .head, unitType: nil, withinUnitID: nil)]),
                                                         unit: try await province.so.resolved(on: app.db), by: .cli("t"), on: app.db)
            let half = try await measure("nhom-cap-tren")
            #expect(half.value == 50 && half.evidence.contains("hieutruong-thpt@so.edu.vn") && half.evidence.contains("vanthu@thpt-c.edu.vn"))
            try await MailService.addMember("vanthu@thpt-c.edu.vn", to: heads, on: app.db)
            try await MailService.rebuildAliasMap(on: app.db)
            #expect(try await measure("nhom-cap-tren").value == 100)
            // A group of a sibling unit does not count: only the units above.
            #expect(try await EvaluationChecks.measure("nhom-cap-tren", unit: try await province.schoolA.resolved(on: app.db), context: Self.context(app)).value == 0)

            // Security level and monitoring: not declared is not measured (not zero); declared is scored through the bands.
            let undeclared = try await measure("cap-do-an-toan")
            #expect(undeclared.value == nil && undeclared.evidence.contains("Chưa đo"))
            #expect(try await measure("giam-sat").value == nil)
            let declared = try AppConfig.fromEnvironment(dataDirectory: app.eduConfig.dataDirectory, environment: [
                "EDUPORTAL_SECURITY_LEVEL": "3: Quyết định số 45/QĐ-SGDĐT ngày 10/03/2026", "EDUPORTAL_MONITORING": "EMC và SOC tỉnh, từ 15/04/2026"])
            let level = try await measure("cap-do-an-toan", config: declared)
            #expect(level.value == 3 && level.evidence.contains("Quyết định số 45/QĐ-SGDĐT"))
            let criterion = try #require(Evaluation.defaultCriteria.first { $0.check == "cap-do-an-toan" })
            #expect(criterion.points(for: 3) == criterion.weight && criterion.points(for: 2) == criterion.weight / 2 && criterion.points(for: 1) == 0)
            let monitored = try await measure("giam-sat", config: declared)
            #expect(monitored.value == 1 && monitored.evidence.contains("SOC tỉnh"))
        }
    }

    /// Rounds on a schedule: the evaluator sets it in the admin (bad dates refused at their field),
    /// the server opens the round when it comes due, scores it and moves to the next date; a
    /// second run opens nothing more.
    @Test func aScheduledRoundOpensItselfWhenDue() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            try await province.user("quantri@thpt.edu.vn", .quanTri, at: province.thpt, app: app)
            let so = Browser(app: app, host: "so.test")
            try await so.login("quantri@so.edu.vn", Province.password)
            let url = "/quan-tri/don-vi/so-thu/danh-gia/lich"
            #expect(try await so.get("/quan-tri/don-vi/so-thu/danh-gia").body.contains("Chưa đặt lịch"))
            let past = try await so.post(url, ["title": "Đánh giá cổng thông tin", "cadence": "hang-quy", "next": "01/01/2020", "active": "on"])
            #expect(past.status == .unprocessableEntity && past.body.contains("đã qua"), "\(past.status) \(past.body.suffix(3000))")
            let impossible = try await so.post(url, ["title": "Đánh giá cổng thông tin", "cadence": "hang-quy", "next": "31/02/2027", "active": "on"])
            #expect(impossible.status == .unprocessableEntity && impossible.body.contains("không phải ngày"))
            let once = try await so.post(url, ["title": "Đánh giá cổng thông tin", "cadence": "mot-lan", "next": "01/01/2027", "active": "on"])
            #expect(once.status == .unprocessableEntity && once.body.contains("hằng quý"))
            #expect(try await RoundSchedule.query(on: app.db).count() == 0)
            // A school's admin has no evaluation pages, and cannot set the Sở's schedule.
            let school = Browser(app: app, host: "thpt.test")
            try await school.login("quantri@thpt.edu.vn", Province.password)
            _ = try await school.get("/quan-tri/don-vi/thpt-c/bao-cao-trien-khai")
            #expect([.forbidden, .notFound].contains(try await school.post(url, ["title": "Đánh giá cổng thông tin", "cadence": "hang-quy", "next": "01/01/2099", "active": "on"]).status))
            #expect(try await school.post("/quan-tri/don-vi/thpt-c/danh-gia/lich", ["title": "Đánh giá", "cadence": "hang-quy", "next": "01/01/2099"]).status == .notFound)

            let tomorrow = VietnameseDate.day(Date().addingTimeInterval(86_400))
            #expect(try await so.post(url, ["title": "Đánh giá cổng thông tin", "cadence": "hang-quy", "next": tomorrow, "active": "on"]).status == .seeOther)
            let schedule = try #require(try await RoundSchedule.query(on: app.db).first())
            #expect(try await so.get("/quan-tri/don-vi/so-thu/danh-gia").body.contains("đợt tiếp theo mở lúc \(VietnameseDate.dateTime(schedule.nextAt))"))
            // Not yet due: nothing opens.
            #expect(try await EvaluationService.runDueSchedules(context: Self.context(app)).isEmpty)
            let due = schedule.nextAt.addingTimeInterval(3600)
            let fetch: EvaluationChecks.Fetch = { _, _ in (200, "<main>Tin</main>") }
            let opened = try await EvaluationService.runDueSchedules(context: Self.context(app, fetch: fetch, now: due))
            let round = try #require(opened.first)
            #expect(opened.count == 1 && round.kind == "dinh-ky" && round.title == "Đánh giá cổng thông tin " + Cadence.quarterly.periodLabel(of: schedule.nextAt))
            let scored = try await EvaluationScore.query(on: app.db).filter(\.$roundID == round.requireID()).count()
            #expect(round.computedAt != nil && scored > 0)
            let moved = try #require(try await RoundSchedule.find(schedule.id, on: app.db))
            #expect(moved.nextAt == Cadence.quarterly.occurrence(1, from: schedule.firstAt) && moved.lastRoundID == round.id)
            #expect(try await EvaluationService.runDueSchedules(context: Self.context(app, fetch: fetch, now: due)).isEmpty)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$subject == "Đã mở đợt đánh giá theo lịch: \(round.title)").first()?.recipients.contains("quantri@so.edu.vn") == true)
            // Switched off, it opens nothing even when due.
            #expect(try await so.post(url, ["title": "Đánh giá cổng thông tin", "cadence": "hang-quy", "next": tomorrow]).status == .seeOther)
            #expect(try await EvaluationService.runDueSchedules(context: Self.context(app, fetch: fetch, now: due.addingTimeInterval(200 * 86_400))).isEmpty)
        }
    }

    @Test func aRoundGoesFromCriteriaToAPublishedRanking() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            try await province.user("truongban@so.edu.vn", .truongBanBienTap, at: province.so, app: app)
            let admin = Browser(app: app, host: "so.test")
            try await admin.login("quantri@so.edu.vn", Province.password)
            let base = "/quan-tri/don-vi/so-thu/danh-gia"
            let overview = try await admin.get(base)
            #expect(overview.status == .ok && overview.body.contains("TC16") && overview.body.contains("Đánh giá cổng thông tin và thư điện tử của 2 đơn vị"))
            #expect(try await EvaluationCriterion.query(on: app.db).count() == Evaluation.defaultCriteria.count)

            // A criterion of the Sở's own, checked.
            _ = try await admin.get(base + "/tieu-chi/moi")
            let badCriterion = try await admin.post(base + "/tieu-chi/moi", ["code": "TC41", "title": "Trả lời hỏi đáp đúng hạn", "measure": "kiem-tra",
                                                                             "weight": "năm", "bands": "1 → hai", "scope": "tat-ca"])
            #expect(badCriterion.status == .unprocessableEntity && badCriterion.body.contains("«năm» không phải số") && badCriterion.body.contains("ngưỡng → tỉ lệ điểm"))
            let duplicate = try await admin.post(base + "/tieu-chi/moi", ["code": "tc16", "title": "Trùng mã", "measure": "kiem-tra", "weight": "5", "bands": "1 → 1", "scope": "tat-ca"])
            #expect(duplicate.status == .unprocessableEntity && duplicate.body.contains("Mã «TC16» đã có"))
            #expect(try await admin.post(base + "/tieu-chi/moi", ["code": "TC41", "title": "Trả lời hỏi đáp đúng hạn", "measure": "kiem-tra", "weight": "5",
                                                                 "bands": "1 → 1", "scope": "tat-ca"]).status == .seeOther)

            // Opening a round freezes the criteria; the units directly below are scored automatically.
            _ = try await admin.get(base)
            #expect(try await admin.post(base + "/dot", ["title": "x", "kind": "dinh-ky"]).status == .unprocessableEntity)
            let opened = try await admin.post(base + "/dot", ["title": "Đánh giá cổng thông tin năm học 2025–2026", "kind": "dinh-ky"])
            #expect(opened.status == .seeOther)
            let round = try #require(try await EvaluationRound.query(on: app.db).first())
            #expect(round.criteria.count == Evaluation.defaultCriteria.count + 1)
            let roundPath = base + "/dot/\(try round.requireID().uuidString.lowercased())"
            _ = try await admin.get(roundPath)
            #expect(try await admin.post(roundPath + "/buoc", ["state": "da-cong-bo"]).status == .conflict)  // not computed yet
            #expect(try await admin.post(roundPath + "/cham", [:]).status == .seeOther)
            let scored = Set(try await EvaluationScore.query(on: app.db).all().map(\.unitID))
            #expect(scored == [try province.phong.requireID(), try province.thpt.requireID()])

            // An inspector's score needs a value and its evidence; only units directly below.
            _ = try await admin.get(roundPath + "/don-vi/thpt-c")
            let noEvidence = try await admin.post(roundPath + "/don-vi/thpt-c", ["code": "TC16", "value": "1", "evidence": ""])
            #expect(noEvidence.status == .unprocessableEntity && noEvidence.body.contains("Ghi căn cứ chấm"))
            #expect(try await admin.post(roundPath + "/don-vi/thpt-c", ["code": "TC16", "value": "1", "evidence": "Quyết định 12/QĐ ngày 05/09/2025",
                                                                       "url": "https://thpt.test/van-ban/quy-che"]).status == .seeOther)
            #expect(try await admin.get(roundPath + "/don-vi/th-a").status == .notFound)

            // Someone else: the office's admin is evaluated, not an evaluator; an editorial head neither.
            let office = Browser(app: app, host: "phong.test")
            try await office.login("quantri@phong.edu.vn", Province.password)
            #expect([.forbidden, .notFound].contains(try await office.get(base).status))
            let head = Browser(app: app, host: "so.test")
            try await head.login("truongban@so.edu.vn", Province.password)
            #expect(try await head.get(base).status == .forbidden)
            // While scoring the office sees nothing and cannot respond.
            #expect(try await office.get("/quan-tri/don-vi/phong-thu/ket-qua-danh-gia").body.contains("chưa gửi kết quả đánh giá nào"))
            let early = try await office.post("/quan-tri/don-vi/phong-thu/ket-qua-danh-gia/\(try round.requireID().uuidString.lowercased())", ["body": "Đề nghị xem lại"])
            #expect(early.status == .unprocessableEntity && early.body.contains("Chỉ phản hồi được khi"))

            // Review: the office sees its draft and responds.
            #expect(try await admin.post(roundPath + "/buoc", ["state": "lay-y-kien"]).status == .seeOther)
            let draft = try await office.get("/quan-tri/don-vi/phong-thu/ket-qua-danh-gia")
            #expect(draft.body.contains("Đánh giá cổng thông tin năm học 2025–2026") && draft.body.contains("TC01"))
            #expect(try await office.post("/quan-tri/don-vi/phong-thu/ket-qua-danh-gia/\(try round.requireID().uuidString.lowercased())",
                                          ["body": "Phòng đã bổ sung chuyên mục Hỏi đáp; đề nghị xem lại TC01."]).status == .seeOther)
            #expect(try await admin.get(roundPath).body.contains("đề nghị xem lại TC01"))

            // Nothing is public until it is published; then the ranking and each scorecard are.
            let visitor = Browser(app: app, host: "so.test")
            #expect(try await visitor.get("/xep-hang").body.contains("Chưa có kết quả xếp hạng nào được công bố."))
            #expect(try await visitor.get("/xep-hang/\(try round.requireID().uuidString.lowercased())").status == .notFound)
            #expect(try await admin.post(roundPath + "/buoc", ["state": "da-cong-bo"]).status == .seeOther)
            let ranking = try await visitor.get("/xep-hang")
            #expect(ranking.status == .ok && ranking.body.contains("Trường THPT Trần Phú") && ranking.body.contains("Phòng Giáo dục và Đào tạo huyện Đồng Văn"))
            let table = try await EvaluationService.table(round, evaluator: try await province.so.resolved(on: app.db), on: app.db)
            #expect(table.count == 2 && table.map(\.rank).sorted() == (table[0].total.score == table[1].total.score ? [1, 1] : [1, 2]))
            let card = try await visitor.get("/xep-hang/\(try round.requireID().uuidString.lowercased())/thpt-c")
            #expect(card.status == .ok && card.body.contains("Quyết định 12/QĐ ngày 05/09/2025") && card.body.contains("href=\"https://thpt.test/van-ban/quy-che\""))
            #expect(try await visitor.get("/xep-hang/\(try round.requireID().uuidString.lowercased())/th-a").status == .notFound)
            // Published is final; the export carries the table.
            #expect(try await admin.post(roundPath + "/cham", [:]).status == .conflict)
            #expect(try await admin.post(roundPath + "/don-vi/thpt-c", ["code": "TC16", "value": "0", "evidence": "Sửa sau công bố"]).status == .unprocessableEntity)
            let workbook = try await admin.get(roundPath + "/ket-qua.xlsx")
            #expect(workbook.status == .ok && workbook.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "evaluation.round.da-cong-bo").count() == 1)

            // A second round: each scorecard shows the unit's results over the rounds, with the change.
            let so = try await province.so.resolved(on: app.db)
            let second = try await EvaluationService.startRound(title: "Kiểm tra đột xuất tháng 11/2026", kind: "dot-xuat", evaluator: so, by: .cli("t"), who: "t", on: app.db)
            try await EvaluationService.computeAutomatic(second, evaluator: so, context: Self.context(app), by: .cli("t"))
            try await EvaluationService.scoreManually(second, unit: province.thpt, code: "TC16", value: "0", evidence: "Quy chế hết hiệu lực, chưa ban hành lại.",
                                                      url: "", evaluator: so, by: .cli("t"), who: "t", on: app.db)
            try await EvaluationService.advance(second, to: .published, evaluator: so, by: .cli("t"), on: app.db)
            let trend = try await visitor.get("/xep-hang/\(try second.requireID().uuidString.lowercased())/thpt-c")
            #expect(trend.body.contains("Qua các đợt đánh giá") && trend.body.contains("Kiểm tra đột xuất tháng 11/2026")
                    && trend.body.contains("Đánh giá cổng thông tin năm học 2025–2026") && trend.body.contains("giảm "))
            #expect(try await visitor.get("/xep-hang").body.contains("Kiểm tra đột xuất tháng 11/2026"))
        }
    }

    @Test func criteriaImportFromASpreadsheetAllOrNothing() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            let admin = Browser(app: app, host: "so.test")
            try await admin.login("quantri@so.edu.vn", Province.password)
            let base = "/quan-tri/don-vi/so-thu/danh-gia"
            _ = try await admin.get(base)
            let template = try await admin.get(base + "/tieu-chi/tieu-chi.xlsx")
            #expect(template.status == .ok && template.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
            let header: [XLSXWriter.Cell] = ["Mã tiêu chí", "Tên tiêu chí", "Căn cứ", "Cách đo", "Phép đo tự động", "Trọng số", "Các mức", "Càng nhỏ càng tốt", "Đơn vị đo", "Áp dụng cho"]
            // Faults at their rows and columns; nothing stored.
            let bad = try XLSXWriter.workbook(rows: [["Bộ tiêu chí năm 2026"], header,
                                                     ["TC03", "Số tin bài trong năm học", "A8.2", "Dữ liệu hệ thống", "bai-viet-nam-hoc", "mười", "40 → 1", "", "bài", "Mọi đơn vị"],
                                                     ["TC30", "Trả lời hỏi đáp", "A10.5", "Bằng mắt", "", .number(5), "1 → 1", "", "", "Mọi đơn vị"],
                                                     ["TC30", "Trùng mã", "A10.5", "Cán bộ kiểm tra chấm", "", .number(5), "1 → 1", "", "", "Mọi đơn vị"]])
            let refused = try await admin.upload(base + "/tieu-chi/nhap", fields: [:], filename: "tieu-chi.xlsx", bytes: Array(bad))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("Dòng 3, cột F") && refused.body.contains("«mười» không phải số") && refused.body.contains("Dòng 4, cột D")
                    && refused.body.contains("cách đo «Bằng mắt» không có") && refused.body.contains("mã TC30 đã có ở dòng 4"))
            #expect(try await EvaluationCriterion.query(on: app.db).filter(\.$code == "TC30").count() == 0)
            let good = try XLSXWriter.workbook(rows: [header,
                                                      ["TC03", "Số tin bài trong năm học (ít nhất 50)", "A8.2", "Dữ liệu hệ thống", "bai-viet-nam-hoc", .number(15), "50 → 1; 40 → 0,5", "", "bài", "Mọi đơn vị"],
                                                      ["TC30", "Trả lời hỏi đáp trong 7 ngày", "A10.5", "Cán bộ kiểm tra chấm", "", .number(5), "1 → 1", "", "", "Cơ sở giáo dục"],
                                                      ["TC31", "Thời gian phản hồi máy chủ", "QG 2025", "Đo bằng trình duyệt", "fcp", .number(2.5), "800 → 1; 1600 → 0,5", "Có", "ms", "Mọi đơn vị"]])
            let imported = try await admin.upload(base + "/tieu-chi/nhap", fields: [:], filename: "tieu-chi.xlsx", bytes: Array(good))
            #expect(imported.status == .seeOther)
            let criteria = Dictionary(try await EvaluationCriterion.query(on: app.db).all().map { ($0.code, $0.criterion) }, uniquingKeysWith: { a, _ in a })
            #expect(criteria.count == Evaluation.defaultCriteria.count + 2)
            #expect(criteria["TC03"]?.weight == 15 && criteria["TC03"]?.bands == [.init(50, 1), .init(40, 0.5)])
            #expect(criteria["TC30"]?.measure == .inspector && criteria["TC30"]?.scope == .schools)
            #expect(criteria["TC31"]?.lowerIsBetter == true && criteria["TC31"]?.weight == 2.5 && criteria["TC31"]?.points(for: 1200) == 1.25)
            #expect(try await admin.get(base + "?ok=criteria-imported&them=2&sua=1").body.contains("thêm 2, cập nhật 1"))
            // The form's checkbox as a browser sends it («on»): a time criterion where less is better.
            _ = try await admin.get(base + "/tieu-chi/moi")
            #expect(try await admin.post(base + "/tieu-chi/moi", ["code": "TC42", "title": "Trang hiển thị đầy đủ trong 5,8 giây", "measure": "trinh-duyet",
                                                                 "check": "lcp", "weight": "5", "bands": "5800 → 1", "lowerIsBetter": "on", "scope": "tat-ca"]).status == .seeOther)
            let timed = try #require(try await EvaluationCriterion.query(on: app.db).filter(\.$code == "TC42").first())
            #expect(timed.lowerIsBetter && timed.criterion.points(for: 4000) == 5 && timed.criterion.points(for: 7000) == 0)
        }
    }

    @Test func anEvaluatorAuditsAPortalOffThePlatformFromTheAdmin() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            try await province.user("quantri@thpt.edu.vn", .quanTri, at: province.thpt, app: app)
            let port = freeLoopbackPort()
            try await TestApp.serving(app, port: port) {
                let admin = Browser(app: app, host: "so.test")
                try await admin.login("quantri@so.edu.vn", Province.password)
                let path = "/quan-tri/don-vi/so-thu/danh-gia/kiem-tra-cong-ngoai"
                #expect(try await admin.get(path).body.contains("Kiểm tra cổng ngoài hệ thống"))
                let bad = try await admin.post(path, ["url": "javascript:alert(1)"])
                #expect(bad.status == .unprocessableEntity && bad.body.contains("bắt đầu bằng http:// hoặc https://"))
                // A real request over loopback: no portal answers this host, and the page says so.
                let missing = try await admin.post(path, ["url": "http://localhost:\(port)/"])
                #expect(missing.status == .unprocessableEntity && missing.body.contains("Không đọc được trang chủ http://localhost:\(port)/ (mã 404)."))
                // Writing into a round that is not the Sở's open one is refused before anything is read.
                let stray = try await admin.post(path, ["url": "http://localhost:\(port)/", "target": UUID().uuidString.lowercased() + ":thpt-c"])
                #expect(stray.status == .unprocessableEntity && stray.body.contains("chọn một đợt đang mở"))
                // A school's admin is not an evaluator.
                let school = Browser(app: app, host: "thpt.test")
                try await school.login("quantri@thpt.edu.vn", Province.password)
                #expect(try await school.get("/quan-tri/don-vi/thpt-c/danh-gia/kiem-tra-cong-ngoai").status != .ok)
            }
        }
    }

    /// A unit whose portal is not on the platform: the evaluator audits its own site and writes
    /// what the audit measured into an open round as that unit's scores, kept when the round is
    /// scored again; not into another evaluator's unit, not into a published round.
    @Test func anAuditFromOutsideIsWrittenIntoAnOpenRound() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let evaluator = try await province.so.resolved(on: app.db)
            let round = try await EvaluationService.startRound(title: "Kiểm tra đột xuất cổng thông tin", kind: "dot-xuat", evaluator: evaluator,
                                                               by: .cli("t"), who: "t", on: app.db)
            var auditor = PortalAuditor(get: PortalAuditorTests.get(.init()), resolve: nil)
            auditor.pause = 0
            let report = try await auditor.audit(URL(string: "http://truong.test/")!)
            let targets = try await EvaluationService.auditTargets(evaluator: evaluator, on: app.db)
            let target = try round.requireID().uuidString.lowercased() + ":thpt-c"
            #expect(targets.count == 2 && targets.contains { $0.value == target })
            let written = try await EvaluationService.recordAudit(report, target: target, evaluator: evaluator, by: .cli("t"), who: "Đoàn kiểm tra", on: app.db)
            // Sections (found by links), feeds and sitemap, metadata: what the audit saw; the browser's criteria it did not measure are left alone.
            #expect(written.written == 3 && written.unit.code == "thpt-c")
            func score(_ code: String, _ unit: OrgUnit) async throws -> EvaluationScore? {
                try await EvaluationScore.query(on: app.db).filter(\.$roundID == round.requireID()).filter(\.$unitID == unit.requireID()).filter(\.$code == code).first()
            }
            let sections = try #require(try await score("TC01", province.thpt))
            #expect(sections.value == EvaluationChecks.round2(4.0 / 9 * 100) && sections.source == "kiem-tra" && sections.evidence.contains("Kiểm tra cổng http://truong.test/"))
            let feeds = try await score("TC11", province.thpt), speed = try await score("TC13", province.thpt)
            #expect(feeds?.value == 100 && speed == nil)
            // Scoring the round again reads the platform for the others and keeps what the audit measured.
            let empty: EvaluationChecks.Fetch = { _, _ in (200, "<main><p>Chưa có tin bài.</p></main>") }
            try await EvaluationService.computeAutomatic(round, evaluator: evaluator, context: Self.context(app, fetch: empty), by: .cli("t"))
            #expect(try await score("TC01", province.thpt)?.value == EvaluationChecks.round2(4.0 / 9 * 100))
            #expect(try await score("TC01", province.phong)?.value == 0)
            // A school below the commune office is not the Sở's to score; a published round takes nothing more.
            await #expect(throws: FormErrors.self) {
                try await EvaluationService.recordAudit(report, target: try round.requireID().uuidString.lowercased() + ":th-a", evaluator: evaluator,
                                                        by: .cli("t"), who: "t", on: app.db)
            }
            try await EvaluationService.advance(round, to: .published, evaluator: evaluator, by: .cli("t"), on: app.db)
            await #expect(throws: FormErrors.self) {
                try await EvaluationService.recordAudit(report, target: target, evaluator: evaluator, by: .cli("t"), who: "t", on: app.db)
            }
            #expect(try await EvaluationService.auditTargets(evaluator: evaluator, on: app.db).isEmpty)
        }
    }
}
