import EduCore
import EduData
import EduImport
import EduMail
import EduTestSupport
import Fluent
import Foundation
import Testing
import SQLKit
import Vapor
@testable import EduWeb

@Suite struct MailAdminTests {
    static func domain(_ unit: OrgUnit, _ domain: String, app: Application) async throws {
        unit.mailDomain = domain
        try await unit.save(on: app.db)
        _ = try await MailService.addDomain(
            domain, unit: try await unit.resolved(on: app.db), names: .operator, baseDomain: app.eduConfig.baseDomain, by: .cli("test"), on: app.db)
    }

    static let staffList = """
    Họ tên,Chức vụ,Bộ phận,Email mong muốn
    Nguyễn Văn An,Hiệu trưởng,Ban giám hiệu,
    Trần Thị Bình,Văn thư,Văn phòng,vanthu@a.edu.vn
    Nguyễn Văn An,Giáo viên,Tổ Toán,
    Tổ Ngữ văn,,Tổ Ngữ văn,tonguvan
    """

    @Test func provisioningFromAListIsIdempotentAndHandsPasswordsOutOnce() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await Self.domain(province.schoolA, "a.edu.vn", app: app)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let admin = Browser(app: app, host: "a.test")
            try await admin.login("quantri@a.edu.vn", Province.password)
            _ = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")

            // A list with bad rows creates nothing and names every bad line.
            let bad = Self.staffList + "\n,Giáo viên,Tổ Toán,\nLê Văn Cường,Giáo viên,Tổ Toán,cuong@khac.edu.vn\nPhạm Thị Dung,Giáo viên,Tổ Toán,vanthu"
            let refused = try await admin.upload("/quan-tri/don-vi/th-a/thu-dien-tu/nhap-danh-sach", fields: [:], filename: "ds.csv", bytes: Array(bad.utf8))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("<td>6, cột A</td>") && refused.body.contains("thiếu họ tên"))
            #expect(refused.body.contains("không thuộc tên miền a.edu.vn"))
            #expect(refused.body.contains("trùng với dòng 3"))
            #expect(try await Mailbox.query(on: app.db).count() == 0)

            let first = try await admin.upload("/quan-tri/don-vi/th-a/thu-dien-tu/nhap-danh-sach", fields: [:], filename: "ds.csv", bytes: Array(Self.staffList.utf8))
            #expect(first.status == .ok)
            #expect(first.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            let boxes = try await Mailbox.query(on: app.db).sort(\.$address).all()
            #expect(boxes.map(\.address) == ["nguyenvanan2@a.edu.vn", "nguyenvanan@a.edu.vn", "tonguvan@a.edu.vn", "vanthu@a.edu.vn"])
            #expect(boxes.allSatisfy { $0.passwordHash.hasPrefix("{BLF-CRYPT}$2") })
            #expect(boxes.first { $0.address == "nguyenvanan@a.edu.vn" }?.function == MailFunction.head.rawValue)
            #expect(boxes.first { $0.address == "vanthu@a.edu.vn" }?.function == MailFunction.clerical.rawValue)
            // The first passwords are in the sheet and nowhere in the database.
            let sheet = try XLSXTestReader.rows(first.bytes)
            #expect(sheet.count == 5)
            let column = try #require(sheet.first?.firstIndex(of: "Mật khẩu ban đầu"))
            let passwords = sheet.dropFirst().map { $0[column] }
            #expect(passwords.allSatisfy { MailPasswordPolicy.problem($0, localPart: "") == nil })
            for (box, row) in zip(boxes, sheet.dropFirst().sorted { $0[3] < $1[3] }) {
                #expect(box.address == row[3])
                #expect(try Bcrypt.verify(row[column], created: String(box.passwordHash.dropFirst("{BLF-CRYPT}".count))))
                #expect(!box.passwordHash.contains(row[column]))
            }

            // The same list again: nothing new, no new passwords.
            let again = try await admin.upload("/quan-tri/don-vi/th-a/thu-dien-tu/nhap-danh-sach", fields: [:], filename: "ds.csv", bytes: Array(Self.staffList.utf8))
            #expect(again.status == .ok)
            #expect(try await Mailbox.query(on: app.db).count() == 4)
            let second = try XLSXTestReader.rows(again.bytes)
            #expect(second.dropFirst().allSatisfy { $0[4].isEmpty })
        }
    }

    @Test func aUnitsMailIsManagedByItsOwnPeopleOnly() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await Self.domain(province.schoolA, "a.edu.vn", app: app)
            try await Self.domain(province.schoolB, "b.edu.vn", app: app)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            try await province.user("daumoi@b.edu.vn", .dauMoiThuDienTu, at: province.schoolB, app: app)
            try await province.user("bientap@b.edu.vn", .bienTapVien, at: province.schoolB, app: app)
            let (boxB, _) = try await MailService.createMailbox(.init(localPart: "hieutruong", domain: "b.edu.vn", displayName: "Lê Quý Đôn", function: .head),
                                                                password: nil, unit: try await province.schoolB.resolved(on: app.db), by: .cli("test"),
                                                                hasher: app.password.async, on: app.db)
            let adminA = Browser(app: app, host: "a.test")
            try await adminA.login("quantri@a.edu.vn", Province.password)
            _ = try await adminA.get("/quan-tri/don-vi/th-a/thu-dien-tu")
            #expect(try await adminA.get("/quan-tri/don-vi/thcs-b/thu-dien-tu").status == .notFound)
            let forged = try await adminA.post("/quan-tri/don-vi/thcs-b/thu-dien-tu/hop-thu/\(boxB.requireID().uuidString.lowercased())", ["state": "disabled"])
            #expect(forged.status == .notFound)
            // Nor through its own unit's URL with the other unit's mailbox.
            let sideways = try await adminA.post("/quan-tri/don-vi/th-a/thu-dien-tu/hop-thu/\(boxB.requireID().uuidString.lowercased())", ["state": "disabled"])
            #expect(sideways.status == .notFound)
            let upload = try await adminA.upload("/quan-tri/don-vi/thcs-b/thu-dien-tu/nhap-danh-sach", fields: [:], filename: "ds.csv", bytes: Array(Self.staffList.utf8))
            #expect(upload.status == .notFound)
            #expect(try await Mailbox.find(boxB.requireID(), on: app.db)?.active == true)

            let editor = Browser(app: app, host: "b.test")
            try await editor.login("bientap@b.edu.vn", Province.password)
            #expect(try await editor.get("/quan-tri/don-vi/thcs-b/thu-dien-tu").status == .forbidden)

            let focal = Browser(app: app, host: "b.test")
            try await focal.login("daumoi@b.edu.vn", Province.password)
            #expect(try await focal.get("/quan-tri/don-vi/thcs-b/thu-dien-tu").body.contains("hieutruong@b.edu.vn"))
            let disabled = try await focal.post("/quan-tri/don-vi/thcs-b/thu-dien-tu/hop-thu/\(boxB.requireID().uuidString.lowercased())",
                                                ["function": "thu-truong", "state": "disabled", "forwardTo": "vanphong@phong-thu.edu.vn"])
            #expect(disabled.status == .seeOther)
            let fresh = try #require(try await Mailbox.find(boxB.requireID(), on: app.db))
            #expect(!fresh.active && fresh.deleteAfter != nil)
            #expect(try await MailAliasRow.query(on: app.db).filter(\.$source == "hieutruong@b.edu.vn").all().map(\.destination) == ["vanphong@phong-thu.edu.vn"])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "mail.mailbox.update").count() == 1)
        }
    }

    @Test func ruleBasedGroupsFollowTheDirectory() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await Self.domain(province.so, "so.edu.vn", app: app)
            try await Self.domain(province.schoolA, "a.edu.vn", app: app)
            try await Self.domain(province.schoolB, "b.edu.vn", app: app)
            func box(_ local: String, _ domain: String, _ unit: OrgUnit, _ function: MailFunction) async throws -> Mailbox {
                try await MailService.createMailbox(.init(localPart: local, domain: domain, displayName: local, function: function), password: "Mat-khau-2026!",
                                                    unit: try await unit.resolved(on: app.db), by: .cli("test"), hasher: app.password.async, on: app.db).0
            }
            let old = try await box("hieutruong", "a.edu.vn", province.schoolA, .head)
            let next = try await box("phohieutruong", "a.edu.vn", province.schoolA, .deputy)
            _ = try await box("hieutruong", "b.edu.vn", province.schoolB, .head)
            _ = try await box("giaovien", "b.edu.vn", province.schoolB, .staff)
            _ = try await MailService.createGroup(.init(localPart: "hieutruong-thcs-th", domain: "so.edu.vn", name: "Hiệu trưởng",
                                                        members: ["ban.dai.dien@example.org"],
                                                        rules: [.init(function: .head, unitType: nil, withinUnitID: try province.phong.requireID())]),
                                                  unit: try await province.so.resolved(on: app.db), by: .cli("test"), on: app.db)
            func recipients() async throws -> [String] {
                try await MailAliasRow.query(on: app.db).filter(\.$source == "hieutruong-thcs-th@so.edu.vn").all().map(\.destination).sorted()
            }
            #expect(try await recipients() == ["ban.dai.dien@example.org", "hieutruong@a.edu.vn", "hieutruong@b.edu.vn"])
            // A new head at school A: the group changes with no one touching it.
            try await MailService.update(old, .init(function: .staff), by: .cli("test"), on: app.db)
            try await MailService.update(next, .init(function: .head), by: .cli("test"), on: app.db)
            #expect(try await recipients() == ["ban.dai.dien@example.org", "hieutruong@b.edu.vn", "phohieutruong@a.edu.vn"])
            // A disabled mailbox leaves every group and the mailbox table Postfix reads.
            let b = try #require(try await Mailbox.query(on: app.db).filter(\.$address == "hieutruong@b.edu.vn").first())
            try await MailService.update(b, .init(active: false), by: .cli("test"), on: app.db)
            #expect(try await recipients() == ["ban.dai.dien@example.org", "phohieutruong@a.edu.vn"])
            // Retention: purged after its date, not before.
            #expect(try await MailService.purgeExpired(on: app.db) == 0)
            #expect(try await MailService.purgeExpired(now: Date().addingTimeInterval(91 * 86_400), on: app.db) == 1)
            // Addresses are unique across mailboxes and groups.
            await #expect(throws: FormErrors.self) { _ = try await box("hieutruong-thcs-th", "so.edu.vn", province.so, .staff) }
            await #expect(throws: FormErrors.self) { _ = try await box("x", "b.edu.vn", province.schoolA, .staff) }
        }
    }
}

extension MailAdminTests {
    @Test func aUnitRegistersIntoAHigherUnitsGroupAndTheOwnerDecides() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await Self.domain(province.so, "so.edu.vn", app: app)
            try await Self.domain(province.phong, "phong.edu.vn", app: app)
            try await Self.domain(province.schoolA, "a.edu.vn", app: app)
            try await province.user("quantri@so.edu.vn", .quanTri, at: province.so, app: app)
            try await province.user("daumoi@phong.edu.vn", .dauMoiThuDienTu, at: province.phong, app: app)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            _ = try await MailService.createMailbox(.init(localPart: "truongphong", domain: "phong.edu.vn", displayName: "Trưởng phòng", function: .head),
                                                    password: nil, unit: try await province.phong.resolved(on: app.db), by: .cli("test"), hasher: app.password.async, on: app.db)
            let group = try await MailService.createGroup(.init(localPart: "truongphong", domain: "so.edu.vn", name: "Trưởng phòng GD&ĐT"),
                                                          unit: try await province.so.resolved(on: app.db), by: .cli("test"), on: app.db)
            let groupID = try group.requireID().uuidString.lowercased()
            let office = Browser(app: app, host: "phong.test")
            try await office.login("daumoi@phong.edu.vn", Province.password)
            let page = try await office.get("/quan-tri/don-vi/phong-thu/thu-dien-tu")
            #expect(page.body.contains("truongphong@so.edu.vn – Trưởng phòng GD&amp;ĐT"))
            // Only its own mailboxes, only groups above it.
            #expect(try await office.post("/quan-tri/don-vi/phong-thu/thu-dien-tu/dang-ky", ["group": groupID, "address": "ai.do@gmail.com"]).status == .unprocessableEntity)
            let sent = try await office.post("/quan-tri/don-vi/phong-thu/thu-dien-tu/dang-ky", ["group": groupID, "address": "truongphong@phong.edu.vn", "note": "Trưởng phòng mới"])
            #expect(sent.status == .ok && sent.body.contains("Đã gửi yêu cầu"))
            let request = try #require(try await MailRegistrationRequest.query(on: app.db).first())
            // The office cannot approve its own request; the school below cannot either.
            #expect(try await office.post("/quan-tri/don-vi/phong-thu/thu-dien-tu/dang-ky/\(request.requireID().uuidString.lowercased())", ["decision": "approve"]).status == .unprocessableEntity)
            let school = Browser(app: app, host: "a.test")
            try await school.login("quantri@a.edu.vn", Province.password)
            _ = try await school.get("/quan-tri/don-vi/th-a/thu-dien-tu")
            #expect(try await school.post("/quan-tri/don-vi/so-thu/thu-dien-tu/dang-ky/\(request.requireID().uuidString.lowercased())", ["decision": "approve"]).status == .notFound)
            #expect(try await MailAliasRow.query(on: app.db).filter(\.$source == "truongphong@so.edu.vn").count() == 0)

            let owner = Browser(app: app, host: "so.test")
            try await owner.login("quantri@so.edu.vn", Province.password)
            #expect(try await owner.get("/quan-tri/don-vi/so-thu/thu-dien-tu").body.contains("Trưởng phòng mới"))
            let approved = try await owner.post("/quan-tri/don-vi/so-thu/thu-dien-tu/dang-ky/\(request.requireID().uuidString.lowercased())", ["decision": "approve"])
            #expect(approved.status == .seeOther)
            #expect(try await MailAliasRow.query(on: app.db).filter(\.$source == "truongphong@so.edu.vn").all().map(\.destination) == ["truongphong@phong.edu.vn"])
            #expect(try await MailRegistrationRequest.find(request.requireID(), on: app.db)?.status == "approved")
            let actions = try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["mail.registration.request", "mail.registration.approve"]).count()
            #expect(actions == 2)
        }
    }
}

extension MailAdminTests {
    static func shownPassword(_ body: String, after marker: String) -> String? {
        guard let range = body.range(of: marker) else { return nil }
        return body[range.upperBound...].split(separator: " ").first.map(String.init)
    }

    @Test func theAdminCreatesDomainsMailboxesAndGroupsAndResetsPasswords() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let admin = Browser(app: app, host: "a.test")
            try await admin.login("quantri@a.edu.vn", Province.password)
            _ = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")
            let badDomain = try await admin.post("/quan-tri/don-vi/th-a/thu-dien-tu/ten-mien", ["domain": "edu.vn"])
            #expect(badDomain.status == .unprocessableEntity && badDomain.body.contains("Tên miền không hợp lệ"))
            // Outside the names delegated to the school: refused; the operator assigns it.
            let outside = try await admin.post("/quan-tri/don-vi/th-a/thu-dien-tu/ten-mien", ["domain": "A.edu.vn"])
            #expect(outside.status == .unprocessableEntity && outside.body.contains("nằm ngoài các tên miền được giao"))
            try await NameOperations.assign(app: app, unitCode: "th-a", name: "A.edu.vn", kind: .mailDomain)
            _ = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")
            let created = try await admin.post("/quan-tri/don-vi/th-a/thu-dien-tu/hop-thu", [
                "localPart": "hieutruong", "domain": "a.edu.vn", "displayName": "Nguyễn Trãi", "function": "thu-truong", "title": "Hiệu trưởng",
            ])
            #expect(created.status == .ok)
            let first = try #require(Self.shownPassword(created.body, after: "Mật khẩu ban đầu: "))
            let box = try #require(try await Mailbox.query(on: app.db).filter(\.$address == "hieutruong@a.edu.vn").first())
            #expect(try Bcrypt.verify(first, created: String(box.passwordHash.dropFirst("{BLF-CRYPT}".count))))
            #expect(try await admin.post("/quan-tri/don-vi/th-a/thu-dien-tu/hop-thu", ["localPart": "Hiệu Trưởng", "domain": "a.edu.vn", "displayName": "X"]).status == .unprocessableEntity)

            let reset = try await admin.post("/quan-tri/don-vi/th-a/thu-dien-tu/hop-thu/\(box.requireID().uuidString.lowercased())", ["action": "reset"])
            let second = try #require(Self.shownPassword(reset.body, after: "Mật khẩu mới của hieutruong@a.edu.vn: "))
            let fresh = try #require(try await Mailbox.find(box.requireID(), on: app.db))
            #expect(try Bcrypt.verify(second, created: String(fresh.passwordHash.dropFirst("{BLF-CRYPT}".count))))
            #expect(try !Bcrypt.verify(first, created: String(fresh.passwordHash.dropFirst("{BLF-CRYPT}".count))))

            let group = try await admin.post("/quan-tri/don-vi/th-a/thu-dien-tu/nhom", [
                "localPart": "bangiamhieu", "domain": "a.edu.vn", "name": "Ban giám hiệu", "members": "phhs@example.org\nhieutruong@a.edu.vn",
                "ruleFunction": "thu-truong", "ruleUnitType": "", "ruleWithin": "on",
            ])
            #expect(group.status == .seeOther)
            let rows = try await MailAliasRow.query(on: app.db).filter(\.$source == "bangiamhieu@a.edu.vn").all().map(\.destination).sorted()
            #expect(rows == ["hieutruong@a.edu.vn", "phhs@example.org"])
            #expect(try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu").body.contains("bangiamhieu@a.edu.vn</strong> – Ban giám hiệu: 2 người nhận"))
        }
    }
}

extension MailAdminTests {
    @Test func thePolicyServiceAppliesAGroupsPostingRule() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await Self.domain(province.so, "so.edu.vn", app: app)
            try await Self.domain(province.schoolA, "a.edu.vn", app: app)
            _ = try await MailService.createMailbox(.init(localPart: "hieutruong", domain: "a.edu.vn", displayName: "Hiệu trưởng", function: .head),
                                                    password: nil, unit: try await province.schoolA.resolved(on: app.db), by: .cli("test"), hasher: app.password.async, on: app.db)
            _ = try await MailService.createMailbox(.init(localPart: "vanphong", domain: "so.edu.vn", displayName: "Văn phòng Sở", function: .department),
                                                    password: nil, unit: try await province.so.resolved(on: app.db), by: .cli("test"), hasher: app.password.async, on: app.db)
            _ = try await MailService.createGroup(.init(localPart: "hieutruong", domain: "so.edu.vn", name: "Hiệu trưởng", posting: "members", owners: ["vanphong@so.edu.vn"],
                                                        rules: [.init(function: .head, unitType: nil, withinUnitID: try province.so.requireID())]),
                                                  unit: try await province.so.resolved(on: app.db), by: .cli("test"), on: app.db)
            _ = try await MailService.createGroup(.init(localPart: "gopy", domain: "so.edu.vn", name: "Góp ý", posting: "moderated", owners: ["vanphong@so.edu.vn"],
                                                        members: ["vanphong@so.edu.vn"]),
                                                  unit: try await province.so.resolved(on: app.db), by: .cli("test"), on: app.db)
            func ask(_ sender: String, _ recipient: String) async throws -> PostingPolicy.Decision {
                try await MailPolicyListener.evaluate(["request": "smtpd_access_policy", "sender": sender, "recipient": recipient], on: app.db)
            }
            #expect(try await ask("hieutruong@a.edu.vn", "hieutruong@so.edu.vn") == .dunno)
            #expect(try await ask("vanphong@so.edu.vn", "hieutruong@so.edu.vn") == .dunno)
            #expect(try await ask("ai.do@example.org", "hieutruong@so.edu.vn").reply.hasPrefix("action=REJECT 5.7.1"))
            #expect(try await ask("ai.do@example.org", "gopy@so.edu.vn").reply.hasPrefix("action=HOLD"))
            #expect(try await ask("ai.do@example.org", "hieutruong@a.edu.vn") == .dunno)
            // group+anything@ is the group, under its rule.
            #expect(try await ask("ai.do@example.org", "hieutruong+hop-khan@so.edu.vn").reply.hasPrefix("action=REJECT 5.7.1"))
        }
    }
}

extension MailAdminTests {
    @Test func aliasesAndQuotasAreSetOnTheUnitsOwnDomains() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await Self.domain(province.schoolA, "a.edu.vn", app: app)
            try await Self.domain(province.schoolB, "b.edu.vn", app: app)
            let (box, _) = try await MailService.createMailbox(.init(localPart: "vanthu", domain: "a.edu.vn", displayName: "Văn thư", function: .clerical),
                                                               password: nil, unit: try await province.schoolA.resolved(on: app.db), by: .cli("test"), hasher: app.password.async, on: app.db)
            _ = try await MailService.createMailbox(.init(localPart: "hieutruong", domain: "a.edu.vn", displayName: "Hiệu trưởng", function: .head),
                                                    password: nil, unit: try await province.schoolA.resolved(on: app.db), by: .cli("test"), hasher: app.password.async, on: app.db)
            try await MailService.update(box, .init(aliases: ["VanPhong@a.edu.vn", "lienhe@a.edu.vn"], quotaMB: 4096), by: .cli("test"), on: app.db)
            let rows = try await MailAliasRow.query(on: app.db).filter(\.$destination == "vanthu@a.edu.vn").all().map(\.source).sorted()
            #expect(rows == ["lienhe@a.edu.vn", "vanphong@a.edu.vn"])
            #expect(try await Mailbox.find(box.requireID(), on: app.db)?.quotaMB == 4096)
            await #expect(throws: FormErrors.self) { try await MailService.update(box, .init(aliases: ["x@b.edu.vn"]), by: .cli("t"), on: app.db) }
            await #expect(throws: FormErrors.self) { try await MailService.update(box, .init(aliases: ["hieutruong@a.edu.vn"]), by: .cli("t"), on: app.db) }
            await #expect(throws: FormErrors.self) { try await MailService.update(box, .init(quotaMB: 5), by: .cli("t"), on: app.db) }
            // An alias cannot be taken by a new mailbox either.
            await #expect(throws: FormErrors.self) {
                _ = try await MailService.createMailbox(.init(localPart: "lienhe", domain: "a.edu.vn", displayName: "X", function: .staff), password: nil,
                                                        unit: try await province.schoolA.resolved(on: app.db), by: .cli("t"), hasher: app.password.async, on: app.db)
            }
        }
    }
}

/// Reads a downloaded XLSX sheet back (through the importer's reader) as rows of cell texts.
enum XLSXTestReader {
    static func rows(_ bytes: [UInt8]) throws -> [[String]] {
        var rows: [[String]] = []
        try Spreadsheet.forEachRow(in: bytes) { _, cells in rows.append(cells) }
        return rows
    }
}

extension MailAdminTests {
    @Test func aSchoolsGroupsAndForwardsStayInsideTheSchool() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await Self.domain(province.so, "so.edu.vn", app: app)
            try await Self.domain(province.schoolA, "a.edu.vn", app: app)
            let so = try await province.so.resolved(on: app.db)
            let school = try await province.schoolA.resolved(on: app.db)
            for (local, unit, function) in [("giamdoc", so, MailFunction.head), ("hieutruong", school, .head), ("vanthu", school, .clerical)] {
                _ = try await MailService.createMailbox(.init(localPart: local, domain: unit.id == so.id ? "so.edu.vn" : "a.edu.vn", displayName: local, function: function),
                                                        password: nil, unit: unit, by: .cli("test"), hasher: app.password.async, on: app.db)
            }
            _ = try await MailService.createGroup(.init(localPart: "thutruong", domain: "so.edu.vn", name: "Thủ trưởng", posting: "members",
                                                        rules: [.init(function: .head, unitType: nil, withinUnitID: nil)]), unit: so, by: .cli("test"), on: app.db)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let admin = Browser(app: app, host: "a.test")
            try await admin.login("quantri@a.edu.vn", Province.password)
            let groupsBefore = try await MailGroup.query(on: app.db).count()
            for members in ["thutruong@so.edu.vn", "giamdoc@so.edu.vn", "khongco@a.edu.vn"] {
                _ = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")
                let refused = try await admin.post("/quan-tri/don-vi/th-a/thu-dien-tu/nhom", [
                    "localPart": "mo", "domain": "a.edu.vn", "name": "Mở", "posting": "open", "members": members])
                #expect(refused.status == .unprocessableEntity, "\(members)")
            }
            #expect(try await MailGroup.query(on: app.db).count() == groupsBefore)
            // A rule with no subtree selects inside the school only.
            _ = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")
            #expect(try await admin.post("/quan-tri/don-vi/th-a/thu-dien-tu/nhom", [
                "localPart": "thutruong", "domain": "a.edu.vn", "name": "Thủ trưởng", "posting": "open", "ruleFunction": "thu-truong", "ruleUnitType": "",
            ]).status == .seeOther)
            let rows = try await MailAliasRow.query(on: app.db).filter(\.$source == "thutruong@a.edu.vn").all().map(\.destination)
            #expect(rows == ["hieutruong@a.edu.vn"])
            // The Sở's group still reaches the school's head: it lies inside the Sở's subtree.
            let soRows = try await MailAliasRow.query(on: app.db).filter(\.$source == "thutruong@so.edu.vn").all().map(\.destination).sorted()
            #expect(soRows == ["giamdoc@so.edu.vn", "hieutruong@a.edu.vn"])
            // Forwarding: not into another unit's group or mailbox, not into a members-only group.
            let clerk = try #require(try await Mailbox.query(on: app.db).filter(\.$address == "vanthu@a.edu.vn").first())
            let path = "/quan-tri/don-vi/th-a/thu-dien-tu/hop-thu/\(try clerk.requireID().uuidString.lowercased())"
            for target in ["thutruong@so.edu.vn", "giamdoc@so.edu.vn"] {
                _ = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")
                #expect(try await admin.post(path, ["function": "van-thu", "state": "active", "forwardTo": target]).status == .unprocessableEntity, "\(target)")
            }
            _ = try await MailService.createGroup(.init(localPart: "bgh", domain: "a.edu.vn", name: "BGH", posting: "members", members: ["hieutruong@a.edu.vn"]),
                                                  unit: school, by: .cli("test"), on: app.db)
            _ = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")
            let closed = try await admin.post(path, ["function": "van-thu", "state": "active", "forwardTo": "bgh@a.edu.vn"])
            #expect(closed.status == .unprocessableEntity && closed.body.contains("vượt qua quy tắc"))
            #expect(try await Mailbox.find(clerk.id, on: app.db)?.forwardTo == "")
            _ = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")
            #expect(try await admin.post(path, ["function": "van-thu", "state": "active", "forwardTo": "thutruong@a.edu.vn"]).status == .seeOther)
            _ = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")
            #expect(try await admin.post(path, ["function": "van-thu", "state": "active", "forwardTo": "vanthu.nha@example.org"]).status == .seeOther)
        }
    }
}

extension MailAdminTests {
    @Test func thePolicyServiceAnswersATemporaryFailureWhenItCannotDecide() async throws {
        let port = freeLoopbackPort()
        try await TestApp.run({ $0.mailPolicyPort = port }) { app in
            _ = try await Province.make(on: app.db)
            try await app.asyncBoot()
            let request = "request=smtpd_access_policy\nrecipient=noibo@so.edu.vn\nsender=ai.do@example.org\n\n"
            #expect(await rawExchangeOffPool(port: port, head: request, seconds: 30).hasPrefix("action=DUNNO"))
            // The directory cannot be read: the answer is "try later", never "let it through".
            try await (app.db as! any SQLDatabase).raw("ALTER TABLE mail_groups RENAME TO mail_groups_away").run()
            let answer = await rawExchangeOffPool(port: port, head: request, seconds: 30)
            #expect(answer.hasPrefix("action=451 4.3.0"), "\(answer)")
        }
    }
}

extension MailAdminTests {
    /// #12.5: phone numbers from the staff list are checked, normalised, stored with the mailbox,
    /// shown in the directory with a tel: link (E.164), given to the leader listed with that
    /// address, and a restored leading zero is said in the sheet.
    @Test func phonesFromTheStaffListAreStoredShownAndGivenToLeaders() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await Self.domain(province.schoolA, "a.edu.vn", app: app)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let leader = Leader()
            leader.unitID = try province.schoolA.requireID()
            leader.fullName = "Nguyễn Văn An"
            leader.title = "Hiệu trưởng"
            leader.phone = ""
            leader.email = "an.nguyen@a.edu.vn"
            leader.duties = ""
            leader.position = 0
            try await leader.create(on: app.db)
            let admin = Browser(app: app, host: "a.test")
            try await admin.login("quantri@a.edu.vn", Province.password)
            _ = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")

            let list = "Họ tên,Chức vụ,Bộ phận,Email mong muốn,Số điện thoại\nNguyễn Văn An,Hiệu trưởng,Ban giám hiệu,an.nguyen,912345678\nTrần Thị Bình,Giáo viên,Tổ Văn,,+84 229 387 1234\n"
            let answer = try await admin.upload("/quan-tri/don-vi/th-a/thu-dien-tu/nhap-danh-sach", fields: [:], filename: "ds.csv", bytes: Array(list.utf8))
            #expect(answer.status == .ok)
            let sheet = try XLSXTestReader.rows(answer.bytes)
            let an = try #require(sheet.first { $0.first == "Nguyễn Văn An" })
            #expect(an.contains("0912345678"))
            #expect(an.last?.contains("Dòng 2: số điện thoại «912345678» thiếu số 0 đầu") == true)

            let boxes = try await Mailbox.query(on: app.db).sort(\.$address).all()
            #expect(boxes.map(\.phone) == ["0912345678", "02293871234"])
            #expect(try await Leader.find(leader.requireID(), on: app.db)?.phone == "0912345678")
            let page = try await admin.get("/quan-tri/don-vi/th-a/thu-dien-tu")
            #expect(page.body.contains("href=\"tel:+84912345678\"") && page.body.contains("tel:+842293871234"))

            // The list read again with a new number updates it; a bad number refuses the list and changes nothing.
            let newer = list.replacingOccurrences(of: "912345678", with: "0987654321")
            #expect(try await admin.upload("/quan-tri/don-vi/th-a/thu-dien-tu/nhap-danh-sach", fields: [:], filename: "ds.csv", bytes: Array(newer.utf8)).status == .ok)
            #expect(try await Mailbox.query(on: app.db).filter(\.$address == "an.nguyen@a.edu.vn").first()?.phone == "0987654321")
            let bad = list.replacingOccurrences(of: "912345678", with: "09 12 34 5")
            let refused = try await admin.upload("/quan-tri/don-vi/th-a/thu-dien-tu/nhap-danh-sach", fields: [:], filename: "ds.csv", bytes: Array(bad.utf8))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("<td>2, cột E</td>") && refused.body.contains("có 7 chữ số"))
            #expect(try await Mailbox.query(on: app.db).filter(\.$address == "an.nguyen@a.edu.vn").first()?.phone == "0987654321")
        }
    }
}
