import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor

@Suite struct AdminPermissionTests {
    @Test func schoolEditorCannotTouchSiblingOrParent() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("bientap@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
            let browser = Browser(app: app, host: "a.test")
            try await browser.login("bientap@a.edu.vn", Province.password)

            #expect(try await browser.get("/quan-tri/don-vi/th-a").status == .ok)
            // Sibling and parent do not even exist for this person.
            #expect(try await browser.get("/quan-tri/don-vi/thcs-b").status == .notFound)
            #expect(try await browser.get("/quan-tri/don-vi/phong-thu").status == .notFound)
            #expect(try await browser.get("/quan-tri/don-vi/so-thu/sua").status == .notFound)
            // An editor may not edit even their own unit's data, nor create accounts there.
            #expect(try await browser.get("/quan-tri/don-vi/th-a/sua").status == .forbidden)
            let post = try await browser.post("/quan-tri/don-vi/th-a/sua", ["name": "Đổi tên"])
            #expect(post.status == .forbidden)
            let create = try await browser.post(
                "/quan-tri/don-vi/th-a/tao-tai-khoan",
                ["email": "moi@a.edu.vn", "fullName": "Người mới", "password": "Mat-khau-moi-1", "role": "quan-tri"])
            #expect(create.status == .forbidden)
            #expect(try await OrgUnit.find(code: "th-a", on: app.db)?.name == "Trường Tiểu học Nguyễn Trãi")
            #expect(try await User.find(email: "moi@a.edu.vn", on: app.db) == nil)
        }
    }

    @Test func soAdminManagesEverySchoolBelow() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("admin@so.edu.vn", .quanTri, at: province.so, app: app)
            let browser = Browser(app: app, host: "so.test")
            try await browser.login("admin@so.edu.vn", Province.password)

            for code in ["so-thu", "phong-thu", "th-a", "thcs-b", "thpt-c"] {
                #expect(try await browser.get("/quan-tri/don-vi/\(code)/sua").status == .ok, "\(code)")
            }
            // The Sở hands dongvan.edu.vn to the Phòng's subtree; as an admin above the school it
            // then gives the school a name under it at once.
            _ = try await browser.get("/quan-tri/don-vi/phong-thu/ten-mien")
            #expect(try await browser.post("/quan-tri/don-vi/phong-thu/ten-mien/giao", ["suffix": "dongvan.edu.vn"]).status == .seeOther)
            _ = try await browser.get("/quan-tri/don-vi/thcs-b/sua")
            let edit = try await browser.post(
                "/quan-tri/don-vi/thcs-b/sua",
                ["name": "Trường THCS Lê Quý Đôn", "hostnames": "b.test\nthcs-le-quy-don.dongvan.edu.vn", "phone": "0215 3852 123",
                 "email": "vanphong@lequydon.edu.vn", "headTitle": "Hiệu trưởng", "headName": "Hà Thị Mai"])
            #expect(edit.status == .seeOther)
            let school = try #require(try await OrgUnit.find(code: "thcs-b", on: app.db))
            #expect(school.headName == "Hà Thị Mai")
            #expect(try await school.hostnames(on: app.db) == ["b.test", "thcs-le-quy-don.dongvan.edu.vn"])
            #expect(try await Browser(app: app, host: "thcs-le-quy-don.dongvan.edu.vn").get("/gioi-thieu").body.contains("Hà Thị Mai"))

            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "unit.update").first()
            #expect(audit?.actor == "admin@so.edu.vn")
            #expect(audit?.detail.contains("Hà Thị Mai") == true)
        }
    }

    @Test func phongAdminCreatesChildSchoolsOfAllowedTypesOnly() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("admin@phong.edu.vn", .quanTri, at: province.phong, app: app)
            let browser = Browser(app: app, host: "phong.test")
            try await browser.login("admin@phong.edu.vn", Province.password)
            try await browser.get("/quan-tri/don-vi/phong-thu/tao-don-vi-truc-thuoc")

            // A Phòng does not manage upper-secondary schools (tree rules are data).
            let refused = try await browser.post(
                "/quan-tri/don-vi/phong-thu/tao-don-vi-truc-thuoc",
                ["type": "thpt", "code": "thpt-moi", "name": "Trường THPT Mới"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("không quản lý loại đơn vị"))

            let created = try await browser.post(
                "/quan-tri/don-vi/phong-thu/tao-don-vi-truc-thuoc",
                ["type": "mam-non", "code": "mn-hoa-hong", "name": "Trường Mầm non Hoa Hồng", "mailDomain": "mnhoahong.dongvan.edu.vn"])
            #expect(created.status == .seeOther)
            let school = try #require(try await OrgUnit.find(code: "mn-hoa-hong", on: app.db))
            #expect(school.parentID == province.phong.id)
            #expect(school.ref.isWithin(province.so.ref))
            #expect(try await Browser(app: app, host: "mn-hoa-hong.localhost").get("/").body.contains("Trường Mầm non Hoa Hồng"))
            // But not under the Sở, which is above the Phòng admin.
            #expect(try await browser.get("/quan-tri/don-vi/so-thu/tao-don-vi-truc-thuoc").status == .notFound)
        }
    }

    @Test func badUnitFormKeepsInputAndShowsErrorsNextToFields() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("admin@so.edu.vn", .quanTri, at: province.so, app: app)
            let browser = Browser(app: app, host: "so.test")
            try await browser.login("admin@so.edu.vn", Province.password)
            try await browser.get("/quan-tri/don-vi/so-thu/tao-don-vi-truc-thuoc")
            let page = try await browser.post(
                "/quan-tri/don-vi/so-thu/tao-don-vi-truc-thuoc",
                ["type": "thpt", "code": "THPT Sai Mã", "name": "Trường THPT <b>Lương Thế Vinh</b>", "hostnames": "a.test",
                 "mailDomain": "khong hop le", "email": "sai@", "phone": "abc"])
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains("id=\"f-code-error\""))
            #expect(page.body.contains("aria-describedby=\"f-code-error"))
            #expect(page.body.contains("aria-invalid=\"true\""))
            #expect(page.body.contains("a.test đã thuộc Trường Tiểu học Nguyễn Trãi"))
            #expect(page.body.contains("Tên miền thư không hợp lệ"))
            #expect(page.body.contains("Số điện thoại không hợp lệ"))
            // What was typed comes back, escaped.
            #expect(page.body.contains("value=\"Trường THPT &lt;b&gt;Lương Thế Vinh&lt;/b&gt;\""))
            #expect(!page.body.contains("<b>Lương"))
            #expect(try await OrgUnit.query(on: app.db).count() == 5)
        }
    }

    @Test func adminCreatesAccountsAndGrantsWithinSubtreeOnly() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("admin@phong.edu.vn", .quanTri, at: province.phong, app: app)
            try await province.user("khac@thpt.edu.vn", .canBo, at: province.thpt, app: app)
            let browser = Browser(app: app, host: "phong.test")
            try await browser.login("admin@phong.edu.vn", Province.password)
            try await browser.get("/quan-tri/don-vi/th-a/tao-tai-khoan")
            let weak = try await browser.post(
                "/quan-tri/don-vi/th-a/tao-tai-khoan",
                ["email": "gv@a.edu.vn", "fullName": "Giáo Viên", "password": "123", "role": "bien-tap-vien"])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.body.contains("ít nhất 10 ký tự"))
            let ok = try await browser.post(
                "/quan-tri/don-vi/th-a/tao-tai-khoan",
                ["email": "gv@a.edu.vn", "fullName": "Giáo Viên", "password": "Mat-khau-gv-2026", "role": "bien-tap-vien"])
            #expect(ok.status == .seeOther)
            let user = try #require(try await User.find(email: "gv@a.edu.vn", on: app.db))
            #expect(user.unitID == province.schoolA.id)
            #expect(try await user.grants(on: app.db).map(\.role) == [.bienTapVien])

            // Granting a role to an account of a unit outside the subtree is refused.
            try await browser.get("/quan-tri/don-vi/th-a")
            let outside = try await browser.post("/quan-tri/don-vi/th-a/phan-quyen", ["email": "khac@thpt.edu.vn", "role": "quan-tri"])
            #expect(outside.status == .forbidden)
            let grant = try await browser.post("/quan-tri/don-vi/thcs-b/phan-quyen", ["email": "gv@a.edu.vn", "role": "cong-tac-vien"])
            #expect(grant.status == .seeOther)
            #expect(try await user.grants(on: app.db).count == 2)
            let actions = try await AuditEntry.query(on: app.db).all().map(\.action)
            #expect(actions.filter { $0 == "role.grant" }.count == 2)
            #expect(actions.contains("user.create"))
        }
    }

    @Test func disablingAnAccountEndsItsSessions() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("admin@so.edu.vn", .quanTri, at: province.so, app: app)
            let editor = try await province.user("bientap@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
            let editorBrowser = Browser(app: app, host: "a.test")
            try await editorBrowser.login("bientap@a.edu.vn", Province.password)
            #expect(try await editorBrowser.get("/quan-tri").status == .ok)

            let admin = Browser(app: app, host: "so.test")
            try await admin.login("admin@so.edu.vn", Province.password)
            try await admin.get("/quan-tri/don-vi/th-a")
            let page = try await admin.post("/quan-tri/don-vi/th-a/khoa-tai-khoan", ["user": try editor.requireID().uuidString, "disable": "1"])
            #expect(page.status == .seeOther)
            #expect(try await editorBrowser.get("/quan-tri").status == .seeOther)
        }
    }

    @Test func aSchoolAdminCannotLockAnAccountHoldingARoleAboveTheSchool() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            try await province.user("admin@so.edu.vn", .quanTri, at: province.so, app: app)
            // A teacher of the school who also edits for the Phòng.
            let teacher = try await province.user("gv@a.edu.vn", .congTacVien, at: province.schoolA, app: app)
            try await RoleGrant(userID: teacher.requireID(), unitID: province.phong.requireID(), role: .bienTapVien, grantedBy: nil).create(on: app.db)
            let school = Browser(app: app, host: "a.test")
            try await school.login("quantri@a.edu.vn", Province.password)
            _ = try await school.get("/quan-tri/don-vi/th-a")
            let refused = try await school.post("/quan-tri/don-vi/th-a/khoa-tai-khoan", ["user": try teacher.requireID().uuidString, "disable": "1"])
            #expect(refused.status == .forbidden)
            #expect(try await User.find(teacher.id, on: app.db)?.disabled == false)
            // The Sở's admin, whose subtree holds every role of the account, may.
            let so = Browser(app: app, host: "so.test")
            try await so.login("admin@so.edu.vn", Province.password)
            _ = try await so.get("/quan-tri/don-vi/th-a")
            #expect(try await so.post("/quan-tri/don-vi/th-a/khoa-tai-khoan", ["user": try teacher.requireID().uuidString, "disable": "1"]).status == .seeOther)
            #expect(try await User.find(teacher.id, on: app.db)?.disabled == true)
        }
    }

    @Test func auditLogIsFilteredToTheViewersSubtree() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("admin@phong.edu.vn", .quanTri, at: province.phong, app: app)
            try await AuditEntry.record(.visitor(claimed: "x@thpt.edu.vn", user: nil, address: "1.2.3.4"), unitID: province.thpt.id, action: "unit.update", target: "thpt-c", on: app.db)
            try await AuditEntry.record(.visitor(claimed: "y@a.edu.vn", user: nil, address: "1.2.3.4"), unitID: province.schoolA.id, action: "unit.update", target: "th-a", on: app.db)
            let browser = Browser(app: app, host: "phong.test")
            try await browser.login("admin@phong.edu.vn", Province.password)
            let all = try await browser.get("/quan-tri/nhat-ky")
            #expect(all.status == .ok)
            #expect(all.body.contains("y@a.edu.vn"))
            #expect(!all.body.contains("x@thpt.edu.vn"))
            #expect(all.body.contains("Đăng nhập thành công"))
            let filtered = try await browser.get("/quan-tri/nhat-ky?hanh-dong=unit.update&don-vi=th-a")
            #expect(filtered.body.contains("y@a.edu.vn"))
            #expect(!filtered.body.contains("Đăng nhập thành công</td>"))
            let badDate = try await browser.get("/quan-tri/nhat-ky?tu=31/02/2026")
            #expect(badDate.body.contains("Ngày không hợp lệ"))

            let editor = Browser(app: app, host: "a.test")
            try await province.user("ctv@a.edu.vn", .congTacVien, at: province.schoolA, app: app)
            try await editor.login("ctv@a.edu.vn", Province.password)
            #expect(try await editor.get("/quan-tri/nhat-ky").status == .forbidden)
        }
    }

    @Test func failedLoginsForUnknownAddressesAreShownToTheTopUnitsAdminsOnly() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("admin@so.edu.vn", .quanTri, at: province.so, app: app)
            try await province.user("admin@phong.edu.vn", .quanTri, at: province.phong, app: app)
            #expect(try await Browser(app: app, host: "a.test").login("khong-ai@doan.vn", "doan-mat-khau").status == .unauthorized)
            let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$actor == "khong-ai@doan.vn").first())
            #expect(entry.unitID == nil && entry.action == "login.failure")
            let so = Browser(app: app, host: "so.test")
            try await so.login("admin@so.edu.vn", Province.password)
            let top = try await so.get("/quan-tri/nhat-ky?hanh-dong=login.failure")
            #expect(top.body.contains("khong-ai@doan.vn") && top.body.contains("Toàn hệ thống"))
            let phong = Browser(app: app, host: "phong.test")
            try await phong.login("admin@phong.edu.vn", Province.password)
            #expect(!(try await phong.get("/quan-tri/nhat-ky?hanh-dong=login.failure").body.contains("khong-ai@doan.vn")))
        }
    }
}
