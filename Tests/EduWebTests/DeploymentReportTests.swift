import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Deployment reports (#17 point 5; A13–A15): a subtree's portals, mail and focal people as a page
/// and a workbook, sent to the unit above through the outbox, kept as sent, seen only there.
@Suite struct DeploymentReportTests {
    @Test func anOfficeReportsItsSubtreeUpward() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            try await province.user("quantri@thpt.edu.vn", .quanTri, at: province.thpt, app: app)
            province.schoolA.portalContactName = "Lê Thị Đầu Mối"
            try await province.schoolA.save(on: app.db)
            let office = Browser(app: app, host: "phong.test")
            try await office.login("quantri@phong.edu.vn", Province.password)
            let base = "/quan-tri/don-vi/phong-thu/bao-cao-trien-khai"
            let page = try await office.get(base)
            #expect(page.status == .ok && page.body.contains("Trường Tiểu học Nguyễn Trãi") && page.body.contains("Trường THCS Lê Quý Đôn")
                    && page.body.contains("Lê Thị Đầu Mối") && page.body.contains("Chuyên mục có nội dung") && !page.body.contains("Trường THPT Trần Phú"))
            // Each unit's row: the hostname and its sections read from its own pages.
            #expect(page.body.contains("<td>a.test</td>") && page.body.contains("Chuyên mục trống"))
            let workbook = try await office.get(base + "/bao-cao.xlsx")
            #expect(workbook.status == .ok && workbook.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))

            let short = try await office.post(base + "/gui", ["title": "BC"])
            #expect(short.status == .unprocessableEntity && short.body.contains("Nhập tên báo cáo"))
            #expect(try await ReportSubmission.query(on: app.db).count() == 0)
            #expect(try await office.post(base + "/gui", ["title": "Báo cáo triển khai quý IV/2026"]).status == .seeOther)
            let submission = try #require(try await ReportSubmission.query(on: app.db).first())
            #expect(submission.toUnitID == (try province.so.requireID()) && DeploymentReport.rows(of: submission).count == 3)
            let notice = try #require(try await OutboxMessage.query(on: app.db).filter(\.$subject == "Báo cáo triển khai từ Phòng Giáo dục và Đào tạo huyện Đồng Văn: Báo cáo triển khai quý IV/2026").first())
            let id = try submission.requireID().uuidString.lowercased()
            #expect(notice.recipients.contains("quantri@so.edu.vn") && notice.recipients.contains("vanphong@so-thu.edu.vn")
                    && notice.body.contains("/quan-tri/don-vi/so-thu/bao-cao-trien-khai/da-nhan/\(id)"))

            // The Sở reads it as sent; what changes afterwards does not change it.
            province.schoolA.portalContactName = "Người Khác"
            try await province.schoolA.save(on: app.db)
            let so = Browser(app: app, host: "so.test")
            try await so.login("quantri@so.edu.vn", Province.password)
            #expect(try await so.get("/quan-tri/don-vi/so-thu/bao-cao-trien-khai").body.contains("Báo cáo triển khai quý IV/2026"))
            let kept = try await so.get("/quan-tri/don-vi/so-thu/bao-cao-trien-khai/da-nhan/\(id)")
            #expect(kept.status == .ok && kept.body.contains("Lê Thị Đầu Mối") && !kept.body.contains("Người Khác"))
            #expect(try await so.get("/quan-tri/don-vi/so-thu/bao-cao-trien-khai/da-nhan/\(id)/bao-cao.xlsx").bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
            // Nobody else reads it: not the sibling school's admin, not through another unit's address.
            let school = Browser(app: app, host: "thpt.test")
            try await school.login("quantri@thpt.edu.vn", Province.password)
            #expect([.forbidden, .notFound].contains(try await school.get("/quan-tri/don-vi/so-thu/bao-cao-trien-khai/da-nhan/\(id)").status))
            #expect(try await school.get("/quan-tri/don-vi/thpt-c/bao-cao-trien-khai/da-nhan/\(id)").status == .notFound)
            #expect([.forbidden, .notFound].contains(try await school.get(base).status))
            // The Sở's own report covers the whole province.
            let all = try await so.get("/quan-tri/don-vi/so-thu/bao-cao-trien-khai")
            #expect(all.body.contains("Trường THPT Trần Phú") && all.body.contains("Trường Tiểu học Nguyễn Trãi"))
        }
    }

    /// A unit above asks for reports (A13.3–A15.3): every unit directly below is told and sees the
    /// request; one answers it; when the period comes due the server sends the report of the one
    /// that did not and moves to the next quarter; a request without automatic sending reminds
    /// instead; a stopped request asks nothing more. Bad input is refused at its field.
    @Test func theUnitAboveRequestsReportsAndTheServerSendsThoseDue() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            try await province.user("quantri@thpt.edu.vn", .quanTri, at: province.thpt, app: app)
            let so = Browser(app: app, host: "so.test")
            try await so.login("quantri@so.edu.vn", Province.password)
            let base = "/quan-tri/don-vi/so-thu/bao-cao-trien-khai"
            #expect(try await so.get(base).body.contains("Yêu cầu các đơn vị trực thuộc báo cáo"))
            let dueDay = Date().addingTimeInterval(5 * 86_400)
            let form = ["title": "Báo cáo triển khai cổng thông tin, thư điện tử", "due": VietnameseDate.day(dueDay), "cadence": "hang-quy", "autoSend": "on"]
            var bad = form
            bad["due"] = "31/02/2027"
            let impossible = try await so.post(base + "/yeu-cau", bad)
            #expect(impossible.status == .unprocessableEntity && impossible.body.contains("«31/02/2027» không phải ngày"))
            bad["due"] = "01/01/2020"
            #expect(try await so.post(base + "/yeu-cau", bad).body.contains("Hạn gửi 01/01/2020 đã qua"))
            bad = form
            bad["cadence"] = "hang-tuan"
            #expect(try await so.post(base + "/yeu-cau", bad).body.contains("Chọn một lần hoặc định kỳ"))
            #expect(try await ReportRequest.query(on: app.db).count() == 0)
            // A school has nobody below it to ask; nor may it ask in the Sở's name.
            let school = Browser(app: app, host: "thpt.test")
            try await school.login("quantri@thpt.edu.vn", Province.password)
            #expect(!(try await school.get("/quan-tri/don-vi/thpt-c/bao-cao-trien-khai").body.contains("Yêu cầu các đơn vị trực thuộc báo cáo")))
            #expect(try await school.post("/quan-tri/don-vi/thpt-c/bao-cao-trien-khai/yeu-cau", form).body.contains("chưa có đơn vị trực thuộc"))
            #expect([.forbidden, .notFound].contains(try await school.post(base + "/yeu-cau", form).status))
            #expect(try await ReportRequest.query(on: app.db).count() == 0)

            #expect(try await so.post(base + "/yeu-cau", form).status == .seeOther)
            let request = try #require(try await ReportRequest.query(on: app.db).first())
            let period = request.dueAt
            #expect(period == Cadence.endOfDay(try #require(VietnameseDate.parse(VietnameseDate.day(dueDay)))))
            let periodTitle = "Báo cáo triển khai cổng thông tin, thư điện tử " + Cadence.quarterly.periodLabel(of: period)
            // Each unit directly below is told, at its admins and its official address; not the schools below the office.
            let asks = try await OutboxMessage.query(on: app.db).filter(\.$subject == "Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm yêu cầu báo cáo: \(periodTitle)").all()
            #expect(asks.count == 2 && asks.contains { $0.recipients.contains("quantri@phong.edu.vn") } && asks.contains { $0.recipients.contains("quantri@thpt.edu.vn") })
            #expect(asks.allSatisfy { $0.body.contains("trước hết ngày \(VietnameseDate.day(period))") })

            // The office sees what it is asked for and answers it; the report takes the request's title.
            let office = Browser(app: app, host: "phong.test")
            try await office.login("quantri@phong.edu.vn", Province.password)
            let page = try await office.get("/quan-tri/don-vi/phong-thu/bao-cao-trien-khai")
            #expect(page.body.contains("Đơn vị cấp trên đang yêu cầu") && page.body.contains(periodTitle + " – hạn " + VietnameseDate.day(period)))
            let key = try request.requireID().uuidString.lowercased() + "@" + String(Int(period.timeIntervalSince1970))
            #expect(try await office.post("/quan-tri/don-vi/phong-thu/bao-cao-trien-khai/gui", ["request": key, "title": ""]).status == .seeOther)
            let answer = try #require(try await ReportSubmission.query(on: app.db).first())
            #expect(answer.title == periodTitle && answer.requestID == request.id && answer.periodDue == period && answer.automatic == false)
            // Not twice for the same period; not for a made-up one.
            let twice = try await office.post("/quan-tri/don-vi/phong-thu/bao-cao-trien-khai/gui", ["request": key, "title": ""])
            #expect(twice.status == .unprocessableEntity && twice.body.contains("yêu cầu đã chọn đã được trả lời"))
            #expect(try await office.post("/quan-tri/don-vi/phong-thu/bao-cao-trien-khai/gui", ["request": key + "1", "title": "Báo cáo bịa"]).status == .unprocessableEntity)
            #expect(try await ReportSubmission.query(on: app.db).count() == 1)
            #expect(!(try await office.get("/quan-tri/don-vi/phong-thu/bao-cao-trien-khai").body.contains("Đơn vị cấp trên đang yêu cầu")))
            let status = try await so.get(base)
            #expect(status.body.contains("Đã gửi " + VietnameseDate.day(Date())) && status.body.contains("Chưa gửi"))

            // Before the due date the server does nothing; after it, it sends the school's report and asks for the next quarter.
            #expect(try await DeploymentReport.runDueRequests(context: EvaluationRoundTests.context(app), links: app.publicLinksForTests) == 0)
            let after = period.addingTimeInterval(3600)
            let fetch: EvaluationChecks.Fetch = { _, _ in (200, "<main>Tin</main>") }
            #expect(try await DeploymentReport.runDueRequests(context: EvaluationRoundTests.context(app, fetch: fetch, now: after), links: app.publicLinksForTests) == 1)
            let auto = try #require(try await ReportSubmission.query(on: app.db).filter(\.$unitID == province.thpt.requireID()).first())
            #expect(auto.automatic == true && auto.periodDue == period && auto.title == periodTitle && auto.toUnitID == province.so.id)
            #expect(try await ReportSubmission.query(on: app.db).filter(\.$unitID == province.phong.requireID()).count() == 1)
            let moved = try #require(try await ReportRequest.find(request.id, on: app.db))
            #expect(moved.processedThrough == period && moved.dueAt == Cadence.quarterly.occurrence(1, from: period))
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$subject == "Đã tự gửi báo cáo: \(periodTitle)").first()?.recipients.contains("quantri@thpt.edu.vn") == true)
            // Run again: nothing is sent twice.
            #expect(try await DeploymentReport.runDueRequests(context: EvaluationRoundTests.context(app, fetch: fetch, now: after), links: app.publicLinksForTests) == 0)
            #expect(try await ReportSubmission.query(on: app.db).count() == 2)
            let table = try await so.get(base)
            #expect(table.body.contains("Hệ thống tự gửi") && table.body.contains("hạn " + VietnameseDate.day(moved.dueAt)))

            // Without automatic sending: a reminder when it comes due, no report made.
            var manual = form
            manual["title"] = "Báo cáo tình hình thư điện tử"
            manual["cadence"] = "mot-lan"
            manual.removeValue(forKey: "autoSend")
            #expect(try await so.post(base + "/yeu-cau", manual).status == .seeOther)
            let second = try #require(try await ReportRequest.query(on: app.db).filter(\.$title == "Báo cáo tình hình thư điện tử").first())
            #expect(second.autoSend == false)
            #expect(try await DeploymentReport.runDueRequests(context: EvaluationRoundTests.context(app, fetch: fetch, now: second.dueAt.addingTimeInterval(60)),
                                                              links: app.publicLinksForTests) == 0)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$subject == "Quá hạn gửi báo cáo: Báo cáo tình hình thư điện tử").count() == 2)
            #expect(try await ReportSubmission.query(on: app.db).count() == 2)
            // Stopped: the units are no longer asked.
            #expect(try await so.post(base + "/yeu-cau/\(try second.requireID().uuidString.lowercased())/dung", [:]).status == .seeOther)
            #expect(try await ReportRequest.find(second.id, on: app.db)?.stopped == true)
            let pending = try await DeploymentReport.pending(for: try await province.thpt.resolved(on: app.db), now: Date(), on: app.db)
            #expect(!pending.contains { $0.request.id == second.id })
            // The office cannot stop the Sở's request.
            #expect([.forbidden, .notFound].contains(try await office.post(base + "/yeu-cau/\(try request.requireID().uuidString.lowercased())/dung", [:]).status))
            #expect(try await ReportRequest.find(request.id, on: app.db)?.stopped == false)
        }
    }
}

extension Application {
    var publicLinksForTests: PublicLinks { PublicLinks(config: eduConfig, port: 8080) }
}
