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
}
