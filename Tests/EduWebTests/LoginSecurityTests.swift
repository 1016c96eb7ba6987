import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

@Suite struct LoginSecurityTests {
    @Test func postWithoutOrWithWrongCSRFTokenIsRefused() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("admin@so.edu.vn", .quanTri, at: province.so, app: app)
            let browser = Browser(app: app, host: "so.test")
            try await browser.get("/quan-tri/dang-nhap")
            let form = ["email": "admin@so.edu.vn", "password": Province.password]

            let missing = try await browser.post("/quan-tri/dang-nhap", form, csrf: "")
            #expect(missing.status == .forbidden)
            #expect(missing.body.contains("CSRF"))
            let wrong = try await browser.post("/quan-tri/dang-nhap", form, csrf: String(repeating: "x", count: 43))
            #expect(wrong.status == .forbidden)
            #expect(browser.cookies["edu_session"] == nil)

            // Logged in, the session's token is required; the anonymous one no longer works.
            let anonymousToken = try #require(browser.lastCSRF)
            #expect(try await browser.post("/quan-tri/dang-nhap", form).status == .seeOther)
            let forged = try await browser.post(
                "/quan-tri/don-vi/so-thu/sua", ["name": "Bị sửa"], csrf: anonymousToken)
            #expect(forged.status == .forbidden)
            #expect(try await OrgUnit.find(code: "so-thu", on: app.db)?.name == "Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm")
        }
    }

    @Test func sessionCookieIsHttpOnlyLaxAndRenewedAtLogin() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("admin@so.edu.vn", .quanTri, at: province.so, app: app)
            let browser = Browser(app: app, host: "so.test")
            // A session id planted before login (fixation) is not the one used after it.
            browser.cookies["edu_session"] = "planted-by-an-attacker-0123456789abcdefghijk"
            let first = try await browser.login("admin@so.edu.vn", Province.password)
            #expect(first.status == .seeOther)
            let cookie = try #require(first.headers[.setCookie].first { $0.hasPrefix("edu_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
            let firstID = try #require(browser.cookies["edu_session"])
            #expect(firstID != "planted-by-an-attacker-0123456789abcdefghijk")

            // Logging in again from the same browser issues a new id and ends the old session.
            try await browser.get("/quan-tri")
            try await browser.post("/quan-tri/dang-nhap", ["email": "admin@so.edu.vn", "password": Province.password])
            let secondID = try #require(browser.cookies["edu_session"])
            #expect(secondID != firstID)
            let stale = Browser(app: app, host: "so.test")
            stale.cookies["edu_session"] = firstID
            #expect(try await stale.get("/quan-tri").status == .seeOther)
            #expect(try await LoginSession.query(on: app.db).count() == 1)
            #expect(try await LoginSession.query(on: app.db).first()?.tokenHash != secondID)  // only the hash is stored
        }
    }

    @Test func secureCookieBehindTLS() async throws {
        try await TestApp.run({ $0.tls = true }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("admin@so.edu.vn", .quanTri, at: province.so, app: app)
            let page = try await Browser(app: app, host: "so.test").login("admin@so.edu.vn", Province.password)
            #expect(page.headers[.setCookie].contains { $0.hasPrefix("edu_session=") && $0.contains("Secure") })
            #expect(page.headers.first(name: "Strict-Transport-Security") != nil)
        }
    }

    @Test func logoutInvalidatesTheSessionServerSide() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("admin@so.edu.vn", .quanTri, at: province.so, app: app)
            let browser = Browser(app: app, host: "so.test")
            try await browser.login("admin@so.edu.vn", Province.password)
            let sessionID = try #require(browser.cookies["edu_session"])
            #expect(try await browser.get("/quan-tri").status == .ok)
            #expect(try await browser.post("/quan-tri/dang-xuat", [:]).status == .seeOther)

            let replay = Browser(app: app, host: "so.test")
            replay.cookies["edu_session"] = sessionID
            let page = try await replay.get("/quan-tri")
            #expect(page.status == .seeOther)
            #expect(page.location == "/quan-tri/dang-nhap")
            let actions = try await AuditEntry.query(on: app.db).all().map(\.action)
            #expect(actions.contains("logout"))
        }
    }

    @Test func repeatedWrongPasswordsLockTheAccountAndAreAudited() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("bientap@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
            let browser = Browser(app: app, host: "a.test")
            for attempt in 1...4 {
                let page = try await browser.login("bientap@a.edu.vn", "sai-mat-khau-\(attempt)")
                #expect(page.status == .unauthorized)
                #expect(page.body.contains("không đúng"))
                #expect(page.body.contains("value=\"bientap@a.edu.vn\""))  // the email stays in the form
            }
            let fifth = try await browser.login("bientap@a.edu.vn", "sai-mat-khau-5")
            #expect(fifth.status == .tooManyRequests)
            #expect(fifth.body.contains("tạm thời bị khóa"))

            // Even the right password is refused while the lock lasts.
            let right = try await browser.login("bientap@a.edu.vn", Province.password)
            #expect(right.status == .tooManyRequests)
            #expect(browser.cookies["edu_session"] == nil)

            let entries = try await AuditEntry.query(on: app.db).all()
            #expect(entries.filter { $0.action == "login.failure" && $0.actor == "bientap@a.edu.vn" }.count == 5)
            #expect(entries.contains { $0.action == "login.locked" && $0.target == "bientap@a.edu.vn" })
            #expect(entries.contains { $0.action == "login.refused-locked" })
            #expect(entries.allSatisfy { !$0.ip.isEmpty })
            #expect(entries.first { $0.action == "login.locked" }?.unitID == province.schoolA.id)
        }
    }

    @Test func lockExpiresAfterItsTime() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("bientap@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
            let browser = Browser(app: app, host: "a.test")
            for attempt in 1...5 { try await browser.login("bientap@a.edu.vn", "sai-\(attempt)") }
            // Move the lock into the past, as if its minute had passed.
            for row in try await LoginThrottle.query(on: app.db).all() {
                row.lockedUntil = Date().addingTimeInterval(-1)
                try await row.save(on: app.db)
            }
            #expect(try await browser.login("bientap@a.edu.vn", Province.password).status == .seeOther)
        }
    }

    @Test func manyAccountsFromOneAddressLockTheAddress() async throws {
        try await TestApp.run({ $0.addressThrottle = LoginThrottlePolicy(maxFailures: 6, baseLock: 300, maxLock: 3600) }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("that@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
            let browser = Browser(app: app, host: "a.test")
            for index in 1...6 { try await browser.login("khong-co-\(index)@a.edu.vn", "sai") }
            // A different, real account from the same address is now refused too.
            #expect(try await browser.login("that@a.edu.vn", Province.password).status == .tooManyRequests)
        }
    }

    @Test func disabledAccountCannotLogIn() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let user = try await province.user("nghi@a.edu.vn", .canBo, at: province.schoolA, app: app)
            user.disabled = true
            try await user.save(on: app.db)
            #expect(try await Browser(app: app, host: "a.test").login("nghi@a.edu.vn", Province.password).status == .unauthorized)
        }
    }
}

@Suite struct PasswordTests {
    @Test func everyoneChangesTheirOwnPasswordAndOtherSessionsEnd() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("ctv@a.edu.vn", .congTacVien, at: province.schoolA, app: app)
            let phone = Browser(app: app, host: "a.test")
            try await phone.login("ctv@a.edu.vn", Province.password)
            let desk = Browser(app: app, host: "a.test")
            try await desk.login("ctv@a.edu.vn", Province.password)
            _ = try await desk.get("/quan-tri/tai-khoan/mat-khau")
            for (fields, message) in [
                (["current": "sai", "password": "Mat-khau-moi-2026", "confirmation": "Mat-khau-moi-2026"], "Mật khẩu hiện tại không đúng"),
                (["current": Province.password, "password": "ngan", "confirmation": "ngan"], "ít nhất 10 ký tự"),
                (["current": Province.password, "password": "Mat-khau-moi-2026", "confirmation": "Mat-khau-khac-2026"], "không khớp"),
            ] {
                let refused = try await desk.post("/quan-tri/tai-khoan/mat-khau", fields)
                #expect(refused.status == .unprocessableEntity && refused.body.contains(message), "\(message)")
            }
            let changed = try await desk.post("/quan-tri/tai-khoan/mat-khau",
                                              ["current": Province.password, "password": "Mat-khau-moi-2026", "confirmation": "Mat-khau-moi-2026"])
            #expect(changed.status == .seeOther)
            #expect(try await desk.get("/quan-tri").status == .ok)
            #expect(try await phone.get("/quan-tri").status == .seeOther)  // the other session ended
            #expect(try await Browser(app: app, host: "a.test").login("ctv@a.edu.vn", Province.password).status == .unauthorized)
            #expect(try await Browser(app: app, host: "a.test").login("ctv@a.edu.vn", "Mat-khau-moi-2026").status == .seeOther)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "password.change").count() == 1)
        }
    }

    @Test func anAdminsResetForcesAChangeAtTheNextLogin() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let teacher = try await province.user("gv@a.edu.vn", .congTacVien, at: province.schoolA, app: app)
            let session = Browser(app: app, host: "a.test")
            try await session.login("gv@a.edu.vn", Province.password)
            let admin = Browser(app: app, host: "a.test")
            try await admin.login("quantri@a.edu.vn", Province.password)
            _ = try await admin.get("/quan-tri/don-vi/th-a")
            let reset = try await admin.post("/quan-tri/don-vi/th-a/dat-lai-mat-khau", ["user": try teacher.requireID().uuidString])
            #expect(reset.status == .ok)
            let marker = "Mật khẩu mới của gv@a.edu.vn: "
            let range = try #require(reset.body.range(of: marker))
            let given = String(reset.body[range.upperBound...].prefix { !$0.isWhitespace })
            #expect(given.count >= 16)
            #expect(try await session.get("/quan-tri").status == .seeOther)  // sessions ended
            let next = Browser(app: app, host: "a.test")
            #expect(try await next.login("gv@a.edu.vn", given).status == .seeOther)
            // Every page leads to the change form until the password is changed.
            #expect(try await next.get("/quan-tri").location == "/quan-tri/tai-khoan/mat-khau")
            #expect(try await next.get("/quan-tri/don-vi/th-a").location == "/quan-tri/tai-khoan/mat-khau")
            _ = try await next.get("/quan-tri/tai-khoan/mat-khau")
            #expect(try await next.post("/quan-tri/tai-khoan/mat-khau", ["current": given, "password": "Giao-vien-moi-2026", "confirmation": "Giao-vien-moi-2026"]).status == .seeOther)
            #expect(try await next.get("/quan-tri").status == .ok)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "password.reset").first()?.actor == "quantri@a.edu.vn")
        }
    }
}

@Suite struct SecondFactorTests {
    func currentCode(_ user: User, app: Application, offset: TimeInterval = 0) async throws -> String {
        let fresh = try #require(try await User.find(user.requireID(), on: app.db))
        // Stored sealed with the server key: a database copy alone does not give the codes.
        #expect(fresh.totpSecret?.hasPrefix(AccountService.sealedPrefix) == true)
        let key = try #require(app.eduConfig.serverKey)
        let secret = try #require(AccountService.secondFactorSecret(of: fresh, key: key))
        #expect(fresh.totpSecret?.contains(secret) == false)
        let generator = try #require(TOTPGenerator(base32Secret: secret))
        return generator.code(at: Date().addingTimeInterval(offset))
    }

    @Test func unitCanMakeTOTPMandatoryForItsAdmins() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            province.phong.requireTOTPForAdmins = true
            try await province.phong.save(on: app.db)
            let admin = try await province.user("admin@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let browser = Browser(app: app, host: "a.test")
            try await browser.login("admin@a.edu.vn", Province.password)

            // Every admin page sends the person to enrolment first.
            let blocked = try await browser.get("/quan-tri/don-vi/th-a")
            #expect(blocked.status == .seeOther)
            #expect(blocked.location == "/quan-tri/tai-khoan/xac-thuc-hai-buoc")
            let setup = try await browser.get("/quan-tri/tai-khoan/xac-thuc-hai-buoc")
            #expect(setup.body.contains("otpauth://totp/"))
            #expect(try await browser.post("/quan-tri/tai-khoan/xac-thuc-hai-buoc", ["code": "000000"]).status == .unprocessableEntity)
            let code = try await currentCode(admin, app: app)
            #expect(try await browser.post("/quan-tri/tai-khoan/xac-thuc-hai-buoc", ["code": code]).status == .seeOther)
            #expect(try await browser.get("/quan-tri/don-vi/th-a").status == .ok)

            // The next login asks for the code and issues a new session once it is given.
            let next = Browser(app: app, host: "a.test")
            let step = try await next.login("admin@a.edu.vn", Province.password)
            #expect(step.location == "/quan-tri/dang-nhap/ma-xac-thuc")
            let pendingID = next.cookies["edu_session"]
            #expect(try await next.get("/quan-tri").status == .seeOther)  // nothing before the code
            try await next.get("/quan-tri/dang-nhap/ma-xac-thuc")
            #expect(try await next.post("/quan-tri/dang-nhap/ma-xac-thuc", ["code": "123456"]).status == .unauthorized)
            let fresh = try await currentCode(admin, app: app, offset: 30)
            #expect(try await next.post("/quan-tri/dang-nhap/ma-xac-thuc", ["code": fresh]).status == .seeOther)
            #expect(next.cookies["edu_session"] != pendingID)
            #expect(try await next.get("/quan-tri").status == .ok)
            // A code cannot be used twice.
            let replay = Browser(app: app, host: "a.test")
            try await replay.login("admin@a.edu.vn", Province.password)
            try await replay.get("/quan-tri/dang-nhap/ma-xac-thuc")
            #expect(try await replay.post("/quan-tri/dang-nhap/ma-xac-thuc", ["code": fresh]).status == .unauthorized)
            let actions = try await AuditEntry.query(on: app.db).all().map(\.action)
            #expect(actions.contains("totp.enable"))
        }
    }

    @Test func editorsAreNotForcedByTheAdminRule() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            province.so.requireTOTPForAdmins = true
            try await province.so.save(on: app.db)
            try await province.user("bientap@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
            let browser = Browser(app: app, host: "a.test")
            try await browser.login("bientap@a.edu.vn", Province.password)
            #expect(try await browser.get("/quan-tri").status == .ok)
        }
    }
}
