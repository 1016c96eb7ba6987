import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Hostnames and mail domains are delegated, not first come first served (#11).
@Suite struct NameDelegationTests {
    static func schoolAdmin(_ app: Application, _ province: Province) async throws -> Browser {
        try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
        let admin = Browser(app: app, host: "a.test")
        try await admin.login("quantri@a.edu.vn", Province.password)
        return admin
    }

    static func hostnames(_ app: Application, _ code: String) async throws -> [String] {
        try await OrgUnit.find(code: code, on: app.db)!.hostnames(on: app.db)
    }

    static func editForm(_ hostnames: String) -> [String: String] {
        ["name": "Trường Tiểu học Nguyễn Trãi", "hostnames": hostnames]
    }

    @Test func aSchoolCannotTakeAnotherUnitsOrAProvidersName() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let admin = try await Self.schoolAdmin(app, province)
            for (host, message) in [
                ("b.test", "đã thuộc Trường THCS Lê Quý Đôn"),
                ("www.b.test", "nằm dưới b.test"),
                ("thpt-c.localhost", "đã thuộc Trường THPT Trần Phú"),
                ("tuyensinh.thpt-c.localhost", "nằm dưới thpt-c.localhost"),
                ("so.test", "đã thuộc Sở"),
                ("gmail.com", "thuộc gmail.com"),
                ("mail.google.com", "thuộc google.com"),
                ("moet.gov.vn", "thuộc moet.gov.vn"),
                ("tuyensinh.ninhbinh.edu.vn", "nằm ngoài các tên miền được giao"),
            ] {
                _ = try await admin.get("/quan-tri/don-vi/th-a/sua")
                let refused = try await admin.post("/quan-tri/don-vi/th-a/sua", Self.editForm("a.test\n\(host)"))
                #expect(refused.status == .unprocessableEntity, "\(host)")
                #expect(refused.body.contains(message), "\(host)")
                #expect(try await Self.hostnames(app, "th-a") == ["a.test"], "\(host)")
            }
            // Mail domains follow the same rules: nothing becomes local to the school.
            for domain in ["gmail.com", "moet.gov.vn", "yahoo.com.vn", "so-thu.localhost", "tuyensinh.ninhbinh.edu.vn"] {
                _ = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")
                let refused = try await admin.post("/quan-tri/don-vi/th-a/thu-dien-tu/ten-mien", ["domain": domain])
                #expect(refused.status == .unprocessableEntity, "\(domain)")
            }
            #expect(try await MailDomainRecord.query(on: app.db).count() == 0)
            #expect(try await NameRequest.query(on: app.db).count() == 0)
            // The school's own namespace is its by right.
            _ = try await admin.get("/quan-tri/don-vi/th-a/sua")
            #expect(try await admin.post("/quan-tri/don-vi/th-a/sua", Self.editForm("a.test\nth-a.localhost\nwww.th-a.localhost")).status == .seeOther)
            #expect(try await Self.hostnames(app, "th-a") == ["a.test", "th-a.localhost", "www.th-a.localhost"])
            _ = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")
            #expect(try await admin.post("/quan-tri/don-vi/th-a/thu-dien-tu/ten-mien", ["domain": "th-a.localhost"]).status == .seeOther)
            #expect(try await MailDomainRecord.query(on: app.db).filter(\.$domain == "th-a.localhost").first()?.unitID == province.schoolA.id)
        }
    }

    @Test func aDelegatedNameWaitsForTheUnitAboveAndIsAuditedBothWays() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            try await province.user("quantri@phong.edu.vn", .quanTri, at: province.phong, app: app)
            let admin = try await Self.schoolAdmin(app, province)
            // Only the Sở's admins hand out suffixes.
            _ = try await admin.get("/quan-tri/don-vi/th-a/ten-mien")
            #expect(try await admin.post("/quan-tri/don-vi/th-a/ten-mien/giao", ["suffix": "dongvan.edu.vn"]).status == .forbidden)
            let so = Browser(app: app, host: "so.test")
            try await so.login("quantri@so.edu.vn", Province.password)
            _ = try await so.get("/quan-tri/don-vi/phong-thu/ten-mien")
            #expect(try await so.post("/quan-tri/don-vi/phong-thu/ten-mien/giao", ["suffix": "gmail.com"]).status == .unprocessableEntity)
            #expect(try await so.post("/quan-tri/don-vi/phong-thu/ten-mien/giao", ["suffix": "*.dongvan.edu.vn"]).status == .seeOther)
            #expect(try await NameDelegation.query(on: app.db).all().map(\.suffix) == ["dongvan.edu.vn"])

            // The school asks; nothing is live until the Phòng approves.
            _ = try await admin.get("/quan-tri/don-vi/th-a/sua")
            let asked = try await admin.post("/quan-tri/don-vi/th-a/sua", Self.editForm("a.test\nnguyentrai.dongvan.edu.vn"))
            #expect(asked.status == .seeOther && asked.location?.contains("names-requested") == true)
            #expect(try await Self.hostnames(app, "th-a") == ["a.test"])
            #expect(try await Browser(app: app, host: "nguyentrai.dongvan.edu.vn").get("/").status == .notFound)
            _ = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")
            let mail = try await admin.post("/quan-tri/don-vi/th-a/thu-dien-tu/ten-mien", ["domain": "nguyentrai.dongvan.edu.vn"])
            #expect(mail.status == .seeOther && mail.location?.contains("name-requested") == true)
            #expect(try await MailDomainRecord.query(on: app.db).count() == 0)
            let requests = try await NameRequest.query(on: app.db).sort(\.$kindCode).all()
            #expect(requests.map(\.kind) == [.hostname, .mailDomain] && requests.allSatisfy { $0.state == .pending })

            // A unit outside the Phòng's subtree cannot even ask for a name under its suffix.
            try await province.user("quantri@thpt.edu.vn", .quanTri, at: province.thpt, app: app)
            let thpt = Browser(app: app, host: "thpt.test")
            try await thpt.login("quantri@thpt.edu.vn", Province.password)
            _ = try await thpt.get("/quan-tri/don-vi/thpt-c/thu-dien-tu")
            let foreign = try await thpt.post("/quan-tri/don-vi/thpt-c/thu-dien-tu/ten-mien", ["domain": "tranphu.dongvan.edu.vn"])
            #expect(foreign.status == .unprocessableEntity && foreign.body.contains("đã giao cho Phòng"))

            // The school cannot decide its own request, at its own unit or at the Phòng's.
            let hostRequest = try #require(requests.first)
            let id = try hostRequest.requireID().uuidString
            _ = try await admin.get("/quan-tri/don-vi/th-a/ten-mien")
            #expect(try await admin.post("/quan-tri/don-vi/th-a/ten-mien/yeu-cau/\(id)", ["decision": "approve"]).status == .notFound)
            let above = try await admin.post("/quan-tri/don-vi/phong-thu/ten-mien/yeu-cau/\(id)", ["decision": "approve"]).status
            #expect(above == .forbidden || above == .notFound)
            #expect(try await Self.hostnames(app, "th-a") == ["a.test"])

            // The Phòng's admin sees both and approves the hostname, rejects the mail domain.
            let phong = Browser(app: app, host: "phong.test")
            try await phong.login("quantri@phong.edu.vn", Province.password)
            let list = try await phong.get("/quan-tri/don-vi/phong-thu/ten-mien")
            #expect(list.body.contains("nguyentrai.dongvan.edu.vn") && list.body.contains("Yêu cầu chờ bạn duyệt"))
            #expect(try await phong.post("/quan-tri/don-vi/phong-thu/ten-mien/yeu-cau/\(id)", ["decision": "approve"]).status == .seeOther)
            let mailID = try requests[1].requireID().uuidString
            #expect(try await phong.post("/quan-tri/don-vi/phong-thu/ten-mien/yeu-cau/\(mailID)", ["decision": "reject", "reason": "Dùng a.edu.vn"]).status == .seeOther)
            #expect(try await Self.hostnames(app, "th-a") == ["a.test", "nguyentrai.dongvan.edu.vn"])
            #expect(try await Browser(app: app, host: "nguyentrai.dongvan.edu.vn").get("/").status == .ok)
            #expect(try await MailDomainRecord.query(on: app.db).count() == 0)
            // Deciding twice does nothing more.
            #expect(try await phong.post("/quan-tri/don-vi/phong-thu/ten-mien/yeu-cau/\(id)", ["decision": "reject"]).status == .conflict)
            let actions = try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["name.request", "name.approve", "name.reject", "name.delegate"]).all()
            #expect(actions.filter { $0.action == "name.request" }.allSatisfy { $0.actor == "quantri@a.edu.vn" })
            #expect(actions.first { $0.action == "name.approve" }?.actor == "quantri@phong.edu.vn")
            #expect(actions.first { $0.action == "name.reject" }?.detail == "Dùng a.edu.vn")
            #expect(actions.first { $0.action == "name.delegate" }?.actor == "quantri@so.edu.vn")
            let own = try await admin.get("/quan-tri/don-vi/th-a/ten-mien")
            #expect(own.body.contains("Đã duyệt") && own.body.contains("Từ chối: Dùng a.edu.vn"))
        }
    }

    @Test func theOperatorAssignsAndReservesButNeverTakesAnotherUnitsName() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await NameOperations.assign(app: app, unitCode: "so-thu", name: "tuyensinh.thu.edu.vn", kind: .hostname)
            #expect(try await Self.hostnames(app, "so-thu").contains("tuyensinh.thu.edu.vn"))
            await #expect(throws: OperationFailure.self) {
                try await NameOperations.assign(app: app, unitCode: "th-a", name: "tuyensinh.thu.edu.vn", kind: .hostname)
            }
            await #expect(throws: OperationFailure.self) {
                try await NameOperations.assign(app: app, unitCode: "th-a", name: "gmail.com", kind: .mailDomain)
            }
            // Reserving a suffix for the Phòng keeps everyone else out of it, the operator too.
            _ = try await NameOperations.delegate(app: app, unitCode: "phong-thu", suffix: "dongvan.edu.vn")
            await #expect(throws: OperationFailure.self) {
                try await NameOperations.assign(app: app, unitCode: "thpt-c", name: "thpt.dongvan.edu.vn", kind: .hostname)
            }
            try await NameOperations.assign(app: app, unitCode: "th-a", name: "nguyentrai.dongvan.edu.vn", kind: .mailDomain)
            #expect(try await MailDomainRecord.query(on: app.db).first()?.unitID == province.schoolA.id)
        }
    }
}
