import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// The rules that live in services, called the way the admin and the command line call them:
/// one function per write, one audit line naming who acted.
@Suite struct ServiceRuleTests {
    func loggedIn(_ user: User, app: Application) async throws -> LoginSession {
        let (_, session) = try await SessionService.start(
            for: user, mfaPending: false, replacing: nil, origin: .init(address: "203.0.113.5", userAgent: "test"),
            lifetime: 3600, on: app.db)
        return session
    }

    @Test func disablingFromTheCommandLineAndTheAdminIsOneRule() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let admin = try await province.user("admin@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let teacher = try await province.user("gv@a.edu.vn", .canBo, at: province.schoolA, app: app)
            _ = try await loggedIn(teacher, app: app)

            try await AccountService.setDisabled(teacher, disabled: true, by: .commandLine, on: app.db)
            #expect(try await User.find(teacher.requireID(), on: app.db)?.disabled == true)
            #expect(try await LoginSession.query(on: app.db).filter(\.$userID == teacher.requireID()).count() == 0)

            try await AccountService.setDisabled(teacher, disabled: false, by: .person(admin, address: "198.51.100.7"), on: app.db)
            let entries = try await AuditEntry.query(on: app.db).filter(\.$target == "gv@a.edu.vn").sort(\.$at).all()
            #expect(entries.map(\.action) == ["user.disable", "user.enable"])
            #expect(entries.map(\.actor) == ["cli", "admin@a.edu.vn"])
            #expect(entries.map(\.ip) == ["cli", "198.51.100.7"])
            #expect(entries[1].userID == admin.id)
            #expect(entries.allSatisfy { $0.unitID == province.schoolA.id })
        }
    }

    static func pendingLogin(_ user: User, on db: any Database) async throws -> LoginSession {
        try await SessionService.start(
            for: user, mfaPending: true, replacing: nil, origin: .init(address: "192.0.2.1", userAgent: "test"), lifetime: 600, on: db).session
    }

    static func label(_ outcome: AccountService.SecondFactorOutcome) -> String {
        switch outcome {
        case .success: "success"
        case .failure: "failure"
        case .locked: "locked"
        case .sessionEnded: "ended"
        }
    }

    /// An admin of school A with a second factor enrolled (the secret stored in clear, as an older
    /// version did: it must still read).
    static func userWithSecondFactor(_ email: String, _ app: Application) async throws -> User {
        let province = try await Province.make(on: app.db)
        let user = try await province.user(email, .quanTri, at: province.schoolA, app: app)
        user.totpSecret = Base32.encode(TOTPGenerator.randomSecret())
        user.totpEnabled = true
        try await user.save(on: app.db)
        return user
    }

    static func policy(maxFailures: Int) -> AccountService.LoginPolicy {
        AccountService.LoginPolicy(
            account: LoginThrottlePolicy(maxFailures: maxFailures, baseLock: 60, maxLock: 600), address: .address, dummyHash: "", key: .random())
    }

    /// Sends `count` codes in one pending login and names each outcome.
    static func codes(_ code: String, count: Int, _ user: User, pending: LoginSession, policy: AccountService.LoginPolicy,
                      on db: any Database) async throws -> [String] {
        var outcomes: [String] = []
        for _ in 0..<count {
            outcomes.append(label(try await AccountService.verifySecondFactor(user, code: code, pending: pending, from: "192.0.2.1", policy: policy, on: db)))
        }
        return outcomes
    }

    @Test func wrongSecondFactorCodesLockTheirOwnCounterWhichAPasswordDoesNotClear() async throws {
        try await TestApp.run { app in
            let user = try await Self.userWithSecondFactor("hieutruong@a.edu.vn", app)
            let policy = Self.policy(maxFailures: 3)
            let pending = try await Self.pendingLogin(user, on: app.db)
            let outcomes = try await Self.codes("000000x", count: 4, user, pending: pending, policy: policy, on: app.db)
            // The third wrong code locks; the fourth is refused without being checked.
            #expect(outcomes == ["failure", "failure", "locked", "locked"])
            let actions = try await AuditEntry.query(on: app.db).filter(\.$userID == user.requireID()).sort(\.$at).all().map(\.action)
            #expect(actions.filter { $0 == "login.failure" }.count == 3)
            #expect(actions.filter { $0 == "login.locked" }.count == 1)
            #expect(actions.last == "login.refused-locked")
            // The right password again does not clear the second-factor counter.
            guard case .success = try await AccountService.login(
                email: "hieutruong@a.edu.vn", password: Province.password, from: "192.0.2.1", policy: policy, hasher: app.password.async, on: app.db)
            else { Issue.record("the right password was refused"); return }
            let code = try #require(TOTPGenerator(base32Secret: user.totpSecret!)).code(at: Date())
            let again = try await Self.pendingLogin(user, on: app.db)
            if case .success = try await AccountService.verifySecondFactor(user, code: code, pending: again, from: "192.0.2.1", policy: policy, on: app.db) {
                Issue.record("a locked second factor passed")
            }
            let row = try #require(try await LoginThrottle.query(on: app.db).filter(\.$key == "totp:hieutruong@a.edu.vn").first())
            #expect(row.lockedUntil ?? .distantPast > Date())
        }
    }

    @Test func aPendingLoginEndsAfterFiveWrongCodes() async throws {
        try await TestApp.run { app in
            let user = try await Self.userWithSecondFactor("pho@a.edu.vn", app)
            // A generous account counter, so that the pending login's own limit is what ends it.
            let pending = try await Self.pendingLogin(user, on: app.db)
            let outcomes = try await Self.codes("1", count: 6, user, pending: pending, policy: Self.policy(maxFailures: 50), on: app.db)
            #expect(outcomes == ["failure", "failure", "failure", "failure", "ended", "ended"])
            // Through the web, counters fresh: the fifth wrong code ends the pending login and its cookie.
            try await LoginThrottle.query(on: app.db).delete()
            let browser = Browser(app: app, host: "a.test")
            #expect(try await browser.login("pho@a.edu.vn", Province.password).location == "/quan-tri/dang-nhap/ma-xac-thuc")
            var last: Browser.Page?
            for _ in 0..<5 {
                _ = try await browser.get("/quan-tri/dang-nhap/ma-xac-thuc")
                last = try await browser.post("/quan-tri/dang-nhap/ma-xac-thuc", ["code": "999999"])
            }
            #expect(last?.location == "/quan-tri/dang-nhap?ok=mfa-ended")
            #expect(try await browser.get("/quan-tri/dang-nhap/ma-xac-thuc").location == "/quan-tri/dang-nhap")
        }
    }

    @Test func aRightSecondFactorCodeClearsTheThrottleAndCannotBeReplayed() async throws {
        try await TestApp.run { app in
            let user = try await Self.userWithSecondFactor("pho@a.edu.vn", app)
            let policy = AccountService.LoginPolicy.of(app)
            let pending = try await Self.pendingLogin(user, on: app.db)
            _ = try await AccountService.verifySecondFactor(user, code: "123", pending: pending, from: "192.0.2.9", policy: policy, on: app.db)
            #expect(try await LoginThrottle.query(on: app.db).filter(\.$key == "totp:pho@a.edu.vn").count() == 1)
            let code = try #require(TOTPGenerator(base32Secret: user.totpSecret!)).code(at: Date())
            guard case .success = try await AccountService.verifySecondFactor(user, code: code, pending: pending, from: "192.0.2.9", policy: policy, on: app.db)
            else { Issue.record("a right code was refused"); return }
            #expect(try await LoginThrottle.query(on: app.db).filter(\.$key == "totp:pho@a.edu.vn").count() == 0)
            let next = try await Self.pendingLogin(user, on: app.db)
            guard case .failure = try await AccountService.verifySecondFactor(user, code: code, pending: next, from: "192.0.2.9", policy: policy, on: app.db)
            else { Issue.record("a used code was accepted again"); return }
        }
    }

    @Test func fiftyParallelWrongPasswordsLockTheAccountAndEveryAttemptIsCounted() async throws {
        // Fifty transactions at once: the production pool, or some wait past the pool's timeout.
        try await TestApp.run({ $0.databaseConnectionsPerEventLoop = 8 }) { app in
            let province = try await Province.make(on: app.db)
            _ = try await province.user("ketoan@a.edu.vn", .canBo, at: province.schoolA, app: app)
            let policy = AccountService.LoginPolicy.of(app)
            let hasher = app.password.async
            let db = app.db
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<50 {
                    group.addTask {
                        switch try await AccountService.login(
                            email: "ketoan@a.edu.vn", password: "sai-\(i)", from: "198.51.100.\(i + 1)", policy: policy, hasher: hasher, on: db)
                        {
                        case .success: return "success"
                        case .failure: return "failure"
                        case .locked: return "locked"
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.count == 50 && !outcomes.contains("success"))
            // Only as many passwords as the policy allows were checked; the rest were refused.
            #expect(outcomes.filter { $0 == "failure" }.count == policy.account.maxFailures - 1)
            let row = try #require(try await LoginThrottle.query(on: app.db).filter(\.$key == "account:ketoan@a.edu.vn").first())
            #expect(row.lockedUntil ?? .distantPast > Date() && row.lockouts == 1)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$actor == "ketoan@a.edu.vn").all().map(\.action)
            #expect(audit.filter { $0 == "login.failure" }.count == policy.account.maxFailures)
            #expect(audit.filter { $0 == "login.refused-locked" }.count == 50 - policy.account.maxFailures)
            #expect(audit.filter { $0 == "login.locked" }.count == 1)
        }
    }

    @Test func creatingAnAccountValidatesInTheServiceForEveryCaller() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let input = AccountService.NewUser(email: " GV@A.edu.vn ", fullName: "", position: "", password: "ngan", role: nil)
            do {
                _ = try await AccountService.create(input, at: try await province.schoolA.resolved(on: app.db), by: .commandLine, hasher: app.password.async, on: app.db)
                Issue.record("a bad account was created")
            } catch let errors as FormErrors {
                #expect(errors["fullName"] != nil && errors["password"] != nil && errors["role"] != nil)
                #expect(errors["email"] == nil)  // normalised to gv@a.edu.vn, which is valid
            }
            #expect(try await User.query(on: app.db).count() == 0)
            #expect(try await AuditEntry.query(on: app.db).count() == 0)
        }
    }

    @Test func noticeLinksUseTheUnitsStoredHostNotTheRequest() async throws {
        try await TestApp.run({ $0.publicPort = 8080 }) { app in
            let province = try await Province.make(on: app.db)
            let links = NoticeLinks.of(try await province.schoolB.resolved(on: app.db), config: app.eduConfig)
            #expect(links.url("/quan-tri") == "http://b.test:8080/quan-tri")
            let bare = OrgUnit(code: "th-moi", type: .tieuHoc, name: "Trường mới", parent: province.phong)
            try await bare.create(on: app.db)
            #expect(NoticeLinks.of(try await bare.resolved(on: app.db), config: app.eduConfig).base == "http://th-moi.localhost:8080")
        }
    }

    @Test func escapingHasOneHomeForEveryFormat() {
        #expect(Escape.html("<a href=\"x\">&</a>") == "&lt;a href=\"x\"&gt;&amp;&lt;/a&gt;")
        #expect(Escape.attribute("\"'`<") == "&quot;&#39;&#96;&lt;")
        #expect(Escape.xml("a\u{1}b & 'c'") == "ab &amp; &apos;c&apos;")
        #expect(Escape.json("Nguyễn \"A\"</script>\u{2028}") == "\"Nguyễn \\\"A\\\"\\u003c/script\\u003e\\u2028\"")
        #expect(Escape.json("Trần Văn B") == "\"Trần Văn B\"")
        #expect(VietnameseNumber.grouped(1_100_000) == "1.100.000")
        #expect(VietnameseNumber.grouped(-999) == "-999")
    }
}

/// The unit scope is structural: every admin route under a unit goes through the one middleware
/// and names its right.
@Suite struct UnitScopeTests {
    @Test func everyRouteUnderAUnitDeclaresItsRight() async throws {
        try await TestApp.run { app in
            let unitRoutes = app.routes.all.filter { route in
                route.path.map(\.description).starts(with: ["quan-tri", "don-vi", ":code"])
            }
            #expect(unitRoutes.count >= 40)
            for route in unitRoutes {
                #expect(route.userInfo[UnitScopeMiddleware.rightKey] is Action, "\(route.method) \(route.path.string)")
            }
        }
    }

    @Test func aSchoolAdminCannotReachAnotherUnitThroughAnyUnitRoute() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let admin = Browser(app: app, host: "a.test")
            try await admin.login("quantri@a.edu.vn", Province.password)
            let gets = app.routes.all.filter { $0.method == .GET && $0.path.map(\.description).starts(with: ["quan-tri", "don-vi", ":code"]) }
            for route in gets {
                let other = route.path.map { $0.description == ":code" ? "thcs-b" : ($0.description.hasPrefix(":") ? "x" : $0.description) }
                // Another unit is not even confirmed to exist, whatever follows in the path.
                #expect(try await admin.get("/" + other.joined(separator: "/")).status == .notFound, "\(route.path.string)")
            }
            #expect(try await admin.get("/quan-tri/don-vi/th-a").status == .ok)
            let posted = try await admin.post("/quan-tri/don-vi/thcs-b/sua", ["name": "Chiếm"])
            #expect(posted.status == .notFound)
            #expect(try await OrgUnit.find(code: "thcs-b", on: app.db)?.name == "Trường THCS Lê Quý Đôn")
        }
    }
}

/// Articles and documents share one public-window rule: the query and the check on one item agree.
@Suite struct WorkflowWindowTests {
    @Test func thePublicQueryAndTheItemCheckAgreeForEveryWindow() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let unitID = try province.schoolA.requireID()
            let author = try await province.user("bt@a.edu.vn", .bienTapVien, at: province.schoolA, app: app)
            let category = try #require(try await Category.list(unitID: unitID, on: app.db).first)
            let now = Date()
            let windows: [(ContentState, Date?, Date?)] = [
                (.daDang, nil, nil), (.daDang, now.addingTimeInterval(-60), nil), (.daDang, now.addingTimeInterval(3600), nil),
                (.daDang, nil, now.addingTimeInterval(-1)), (.daDang, nil, now.addingTimeInterval(7200)), (.choDuyet, nil, nil),
                (.goXuong, nil, nil),
            ]
            for (i, window) in windows.enumerated() {
                let article = Article()
                article.unitID = unitID
                article.categoryID = try category.requireID()
                article.slug = "bai-\(i)"
                article.gallery = ""
                article.title = "Bài \(i)"
                article.summary = ""
                article.bodyHTML = ""
                article.authorName = ""
                article.source = ""
                article.tags = ""
                article.searchText = ""
                article.reviewComment = ""
                article.revision = 1
                article.createdBy = try author.requireID()
                (article.state, article.publishAt, article.expiresAt) = window
                try await article.create(on: app.db)
                let document = LegalDocument()
                document.unitID = unitID
                document.number = "\(i)/QĐ-TH"
                document.summary = "Văn bản \(i)"
                document.docType = "Quyết định"
                document.issuer = "Trường"
                document.signer = "Hiệu trưởng"
                document.issuedOn = now
                document.field = ""
                document.searchText = ""
                document.createdBy = try author.requireID()
                document.reviewComment = ""
                (document.state, document.publishAt, document.expiresAt) = window
                try await document.create(on: app.db)
            }
            let articles = try await Article.query(on: app.db).all()
            let publicArticles = Set(try await Article.publicQuery(unitID: unitID, now: now, on: app.db).all().compactMap(\.id))
            #expect(Set(articles.filter { $0.isPublic(now: now) }.compactMap(\.id)) == publicArticles)
            #expect(publicArticles.count == 3)
            let documents = try await LegalDocument.query(on: app.db).all()
            let publicDocuments = Set(try await LegalDocument.publicQuery(unitID: unitID, now: now, on: app.db).all().compactMap(\.id))
            #expect(Set(documents.filter { $0.isPublic(now: now) }.compactMap(\.id)) == publicDocuments)
            // The next change is the nearest future start or end, over both kinds.
            let next = try await PageCacheMiddleware.nextScheduledChange(unitID: unitID, after: now, on: app.db)
            #expect(next.map { abs($0.timeIntervalSince(now.addingTimeInterval(3600))) < 1 } == true)
        }
    }
}
