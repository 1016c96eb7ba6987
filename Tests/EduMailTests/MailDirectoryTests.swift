import EduCore
import Foundation
import Testing

@testable import EduMail

@Suite struct MailDirectoryViewTests {
    let bo = UUID(), so = UUID(), phong = UUID(), schoolA = UUID(), schoolB = UUID(), otherSo = UUID()

    func box(_ address: String, _ unit: UUID, _ type: String, _ path: [UUID], _ function: MailFunction, active: Bool = true,
             forward: String = "", keepCopy: Bool = true, aliases: [String] = []) -> MailDirectoryView.Mailbox {
        .init(id: UUID(), address: address, unitID: unit, unitType: type, unitPath: Set(path + [unit]), function: function, active: active,
              aliases: aliases, forwardTo: forward, keepCopy: keepCopy)
    }

    @Test func rulesSelectByFunctionTypeAndSubtree() {
        let director = box("giamdoc@so.edu.vn", so, "so", [bo], .head)
        let otherDirector = box("giamdoc@so2.edu.vn", otherSo, "so", [bo], .head)
        let principal = box("hieutruong@a.edu.vn", schoolA, "tieu-hoc", [bo, so, phong], .head)
        let clerk = box("vanthu@a.edu.vn", schoolA, "tieu-hoc", [bo, so, phong], .clerical)
        let departed = box("cu@b.edu.vn", schoolB, "thcs", [bo, so, phong], .head, active: false)
        let directors = MailDirectoryView.Group(
            id: UUID(), address: "giamdocso@bo.gov.vn", unitID: bo, unitPath: [], rules: [.init(function: .head, unitType: "so", withinUnitID: nil)])
        let heads = MailDirectoryView.Group(
            id: UUID(), address: "thutruong@so.edu.vn", unitID: so, unitPath: [bo], rules: [.init(function: .head, unitType: nil, withinUnitID: so)])
        let view = MailDirectoryView(mailboxes: [director, otherDirector, principal, clerk, departed], groups: [directors, heads])
        #expect(view.recipients(of: directors.id) == ["giamdoc@so.edu.vn", "giamdoc@so2.edu.vn"])
        #expect(view.recipients(of: heads.id) == ["giamdoc@so.edu.vn", "hieutruong@a.edu.vn"])
    }

    @Test func nestedGroupsExpandOnceAndCyclesStop() {
        let a = box("a@so.edu.vn", so, "so", [], .staff)
        let b = box("b@so.edu.vn", so, "so", [], .staff)
        let g1 = UUID(), g2 = UUID()
        let first = MailDirectoryView.Group(
            id: g1, address: "g1@so.edu.vn", unitID: so, unitPath: [], mailboxIDs: [a.id], externals: ["Ban@Example.org"], nestedGroupIDs: [g2])
        let second = MailDirectoryView.Group(id: g2, address: "g2@so.edu.vn", unitID: so, unitPath: [], mailboxIDs: [b.id, a.id], nestedGroupIDs: [g1])
        let view = MailDirectoryView(mailboxes: [a, b], groups: [first, second])
        #expect(view.recipients(of: g1) == ["a@so.edu.vn", "b@so.edu.vn", "ban@example.org"])
        #expect(view.recipients(of: g2) == ["a@so.edu.vn", "b@so.edu.vn", "ban@example.org"])
        let rows = view.aliasRows()
        #expect(rows.filter { $0.source == "g1@so.edu.vn" }.count == 3)
        #expect(Set(rows.map { $0.source + ">" + $0.destination }).count == rows.count)
    }

    @Test func aGroupReachesOnlyItsOwnersSubtree() {
        // A school's group that lists the Sở's director, nests the Sở's members-only group and
        // has a rule with no subtree reaches none of them: only the school's own mailboxes.
        let director = box("giamdoc@so.edu.vn", so, "so", [], .head)
        let principal = box("hieutruong@a.edu.vn", schoolA, "tieu-hoc", [so, phong], .head)
        let otherPrincipal = box("hieutruong@b.edu.vn", schoolB, "thcs", [so, phong], .head)
        let soHeads = MailDirectoryView.Group(id: UUID(), address: "thutruong@so.edu.vn", unitID: so, unitPath: [],
                                              rules: [.init(function: .head, unitType: nil, withinUnitID: so)])
        let schoolGroup = MailDirectoryView.Group(
            id: UUID(), address: "tatca@a.edu.vn", unitID: schoolA, unitPath: [so, phong], mailboxIDs: [director.id],
            nestedGroupIDs: [soHeads.id], rules: [.init(function: .head, unitType: nil, withinUnitID: nil)])
        let view = MailDirectoryView(mailboxes: [director, principal, otherPrincipal], groups: [soHeads, schoolGroup])
        #expect(view.recipients(of: schoolGroup.id) == ["hieutruong@a.edu.vn"])
        #expect(view.recipients(of: soHeads.id) == ["giamdoc@so.edu.vn", "hieutruong@a.edu.vn", "hieutruong@b.edu.vn"])
    }

    @Test func forwardingKeepsACopyUnlessDepartedOrToldNot() {
        let staying = box("an@so.edu.vn", so, "so", [], .staff, forward: "an@gmail.com", aliases: ["nguyenvanan@so.edu.vn"])
        let noCopy = box("binh@so.edu.vn", so, "so", [], .staff, forward: "binh@gmail.com", keepCopy: false)
        let departed = box("cuong@so.edu.vn", so, "so", [], .staff, active: false, forward: "cuong@so2.edu.vn")
        let gone = box("dung@so.edu.vn", so, "so", [], .staff, active: false)
        let rows = MailDirectoryView(mailboxes: [staying, noCopy, departed, gone], groups: []).aliasRows().map { $0.source + ">" + $0.destination }
        #expect(Set(rows) == [
            "nguyenvanan@so.edu.vn>an@so.edu.vn", "an@so.edu.vn>an@gmail.com", "an@so.edu.vn>an@so.edu.vn",
            "binh@so.edu.vn>binh@gmail.com", "cuong@so.edu.vn>cuong@so2.edu.vn",
        ])
    }

    @Test func localPartsFromVietnameseNamesAndCollisions() {
        #expect(LocalPart.fromName("Nguyễn Văn An") == "nguyenvanan")
        #expect(LocalPart.fromName("Đặng Thị Ánh Tuyết") == "dangthianhtuyet")
        #expect(LocalPart.unique("nguyenvanan", taken: ["nguyenvanan", "nguyenvanan2"]) == "nguyenvanan3")
        #expect(LocalPart.isValid("nguyen.van-an_2"))
        for bad in ["", ".an", "an.", "a..n", "Án", "an an", "a@b", String(repeating: "a", count: 65)] { #expect(!LocalPart.isValid(bad), "\(bad)") }
        #expect(MailFunction(title: "Giám đốc") == .head)
        #expect(MailFunction(title: "Phó Giám đốc") == .deputy)
        #expect(MailFunction(title: "Hiệu trưởng") == .head)
        #expect(MailFunction(title: "Văn thư") == .clerical)
        #expect(MailFunction(title: "Giáo viên") == .staff)
    }

    @Test func passwordPolicyAndGeneratedPasswords() {
        #expect(MailPasswordPolicy.problem("ngan", localPart: "an") != nil)
        #expect(MailPasswordPolicy.problem("tatcachuthuong", localPart: "an") != nil)
        #expect(MailPasswordPolicy.problem("Nguyenvanan2026", localPart: "nguyenvanan") != nil)
        #expect(MailPasswordPolicy.problem("Mat-khau-2026", localPart: "an") == nil)
        var seen: Set<String> = []
        for _ in 0..<200 {
            let generated = MailPasswordPolicy.generate()
            #expect(MailPasswordPolicy.problem(generated, localPart: "nguyenvanan") == nil)
            seen.insert(generated)
        }
        #expect(seen.count == 200)
    }

    @Test func configReadsTheDirectoryFromEitherDatabase() throws {
        let sqlite = MailServerConfig(database: .sqlite(path: "/srv/eduportal/eduportal.sqlite"), postfixDirectory: "/etc/postfix/eduportal",
                                      dovecotDirectory: "/etc/dovecot/eduportal")
        let files = Dictionary(uniqueKeysWithValues: sqlite.files().map { ($0.path, $0.contents) })
        #expect(files["postfix/main.cf"]?.contains("virtual_alias_maps = sqlite:/etc/postfix/eduportal/virtual-aliases.cf") == true)
        #expect(files["postfix/virtual-aliases.cf"]?.contains("dbpath = /srv/eduportal/eduportal.sqlite") == true)
        #expect(files["postfix/virtual-aliases.cf"]?.contains("FROM mail_alias_map WHERE source = '%s'") == true)
        #expect(files["dovecot/dovecot-sql.conf.ext"]?.contains("default_pass_scheme = BLF-CRYPT") == true)
        #expect(files["postfix/master.cf"] == nil)
        // Senders are who they say: our addresses need a login as that mailbox; submission on 587.
        #expect(files["postfix/main.cf"]?.contains("smtpd_sender_login_maps = sqlite:/etc/postfix/eduportal/sender-logins.cf") == true)
        #expect(files["postfix/main.cf"]?.contains("smtpd_sender_restrictions = reject_unauthenticated_sender_login_mismatch") == true)
        #expect(files["postfix/main.cf"]?.contains("smtpd_sasl_path = private/auth") == true)
        // Without SASL on, Postfix silently ignores the sender-login check.
        #expect(files["postfix/main.cf"]?.contains("smtpd_sasl_auth_enable = yes") == true)
        #expect(files["postfix/sender-logins.cf"]?.contains("FROM mail_domains WHERE domain = '%d'") == true)
        #expect(files["postfix/master-submission.cf"]?.contains("reject_sender_login_mismatch") == true)
        #expect(files["dovecot/dovecot.conf"]?.contains("unix_listener /var/spool/postfix/private/auth") == true)
        let database = try #require(MailServerConfig.Database.from(databaseURL: "postgres://mail:s%40cret@db.internal:5433/eduportal", sqlitePath: ""))
        let pg = MailServerConfig(database: database, postfixDirectory: "/etc/postfix/eduportal", dovecotDirectory: "/etc/dovecot/eduportal",
                                  instance: .init(directory: "/tmp/x", smtpPort: 2525, imapPort: 1143, lmtpPort: 2424, submissionPort: 2587, authPort: 12345))
        let pgFiles = Dictionary(uniqueKeysWithValues: pg.files().map { ($0.path, $0.contents) })
        #expect(pgFiles["postfix/main.cf"]?.contains("virtual_mailbox_maps = pgsql:") == true)
        #expect(pgFiles["postfix/main.cf"]?.contains("virtual_transport = lmtp:inet:127.0.0.1:2424") == true)
        #expect(pgFiles["postfix/virtual-domains.cf"]?.contains("hosts = inet:db.internal:5433") == true)
        #expect(pgFiles["dovecot/dovecot-sql.conf.ext"]?.contains("driver = pgsql") == true)
        #expect(pgFiles["dovecot/dovecot.conf"]?.contains("port = 1143") == true)
        #expect(pgFiles["postfix/master.cf"]?.contains("\n127.0.0.1:2525 inet") == true)
        #expect(pgFiles["postfix/master.cf"]?.hasPrefix("127.0.0.1:2587 inet n - n - - smtpd -o smtpd_sasl_auth_enable=yes") == true)
        #expect(pgFiles["postfix/main.cf"]?.contains("smtpd_sasl_path = inet:127.0.0.1:12345") == true)
        // Without an intake service no consultation address is a recipient.
        #expect(pgFiles["postfix/transport.cf"] == nil && pgFiles["postfix/virtual-mailboxes.cf"]?.contains("consultations") == false)
        var intake = pg
        intake.intakeService = "inet:127.0.0.1:10026"
        let intakeFiles = Dictionary(uniqueKeysWithValues: intake.files().map { ($0.path, $0.contents) })
        #expect(intakeFiles["postfix/main.cf"]?.contains("transport_maps = pgsql:/etc/postfix/eduportal/transport.cf") == true)
        #expect(intakeFiles["postfix/transport.cf"]?.contains("SELECT 'lmtp:inet:127.0.0.1:10026' FROM consultations c JOIN mail_domains d ON d.unit_id = c.unit_id") == true)
        #expect(intakeFiles["postfix/virtual-mailboxes.cf"]?.contains("UNION SELECT 'eduportal-gop-y/' FROM consultations") == true)
    }

    @Test func anAddressExtensionNamesTheGroupAndAnUndecidedAnswerIsTemporary() {
        #expect(PostingPolicy.baseAddress("NoiBo+Hop-Giao-Ban@So.edu.vn") == "noibo@so.edu.vn")
        #expect(PostingPolicy.baseAddress("noibo@so.edu.vn") == "noibo@so.edu.vn")
        #expect(PostingPolicy.baseAddress("+x@so.edu.vn") == "+x@so.edu.vn")
        #expect(PostingPolicy.Decision.tempfail("4.3.0 thử lại").reply == "action=451 4.3.0 thử lại\n\n")
    }

    @Test func postingRulesDecideWhoMayWriteToAGroup() {
        let members: Set<String> = ["an@so.edu.vn"], owners: Set<String> = ["vanphong@so.edu.vn"]
        #expect(PostingPolicy.decide(posting: "members", groupAddress: "g@so.edu.vn", sender: "AN@so.edu.vn", members: members, owners: owners) == .dunno)
        #expect(PostingPolicy.decide(posting: "members", groupAddress: "g@so.edu.vn", sender: "vanphong@so.edu.vn", members: members, owners: owners) == .dunno)
        if case .reject(let text) = PostingPolicy.decide(posting: "members", groupAddress: "g@so.edu.vn", sender: "spam@example.org", members: members, owners: owners) {
            #expect(text.hasPrefix("5.7.1") && text.contains("chỉ nhận thư từ thành viên"))
        } else {
            Issue.record("an outsider was not refused")
        }
        #expect(PostingPolicy.decide(posting: "members", groupAddress: "g@so.edu.vn", sender: "", members: members, owners: owners) != .dunno)
        #expect(PostingPolicy.decide(posting: "open", groupAddress: "g@so.edu.vn", sender: "ai@example.org", members: members, owners: owners) == .dunno)
        #expect(PostingPolicy.decide(posting: "moderated", groupAddress: "g@so.edu.vn", sender: "an@so.edu.vn", members: members, owners: owners).reply.hasPrefix("action=HOLD"))
        let request = PostingPolicy.parse("request=smtpd_access_policy\nprotocol_state=RCPT\nsender=an@so.edu.vn\nrecipient=g@so.edu.vn\n")
        #expect(request["sender"] == "an@so.edu.vn" && request["recipient"] == "g@so.edu.vn")
        #expect(PostingPolicy.Decision.dunno.reply == "action=DUNNO\n\n")
    }
}
