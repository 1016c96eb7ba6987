import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import SQLKit
import Vapor
@testable import EduWeb

/// Comments by e-mail (#14 point 1): a consultation's own address in its unit's mail domain,
/// mail filed in the moderation queue with its files, refused with its reason when it cannot be
/// taken, the same message filed once; the LMTP conversation Postfix holds with EduPortal.
@Suite struct ConsultationMailTests {
    static let pdf = Array("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8)

    /// A mail as a mail program writes it: UTF-8 text, optional files in base64.
    static func mail(from: String = "\"Nguyễn Thị Hoà\" <hoa@example.vn>", subject: String = "Góp ý Đoạn 2", body: String,
                     files: [(String, String, [UInt8])] = [], messageID: String = "<\(UUID().uuidString)@example.vn>", extra: String = "") -> [UInt8] {
        var text = "From: \(from)\r\nTo: gopy@a.edu.vn\r\nSubject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=\r\nMessage-ID: \(messageID)\r\n\(extra)"
        text += "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n"
        text += "Content-Transfer-Encoding: base64\r\n\r\n\(Data(body.utf8).base64EncodedString(options: .lineLength76Characters))\r\n"
        for (name, type, bytes) in files {
            text += "--b1\r\nContent-Type: \(type)\r\nContent-Disposition: attachment; filename=\"\(name)\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            text += Data(bytes).base64EncodedString(options: .lineLength76Characters) + "\r\n"
        }
        return Array((text + "--b1--\r\n").utf8)
    }

    static func consultation(_ app: Application, unit: OrgUnit, address: String = "", opens: TimeInterval = -3600, closes: TimeInterval = 86_400) async throws -> Consultation {
        var input = ConsultationService.Input()
        input.title = "Dự thảo Nội quy học sinh"
        input.issue = "Lấy ý kiến về nội quy."
        input.draft = "Điều 1. Đến trường đúng giờ.\n\nĐiều 2. Không dùng điện thoại trong giờ học.\n\nĐiều 3. Mặc đồng phục."
        input.receivingAddress = address
        input.opensAt = AdmissionTests.moment(opens)
        input.closesAt = AdmissionTests.moment(closes)
        return try await ConsultationService.create(input, unit: try await unit.resolved(on: app.db), by: .cli("test"), on: app.db)
    }

    @Test func theOwnAddressIsInTheUnitsDomainAndBelongsToNobodyElse() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await MailAdminTests.domain(province.schoolA, "a.edu.vn", app: app)
            try await MailAdminTests.domain(province.schoolB, "b.edu.vn", app: app)
            let year = VietnameseDate.calendar.component(.year, from: Date())
            #expect(try await Self.consultation(app, unit: province.schoolA).receivingAddress == "gopy-\(year)@a.edu.vn")
            #expect(try await Self.consultation(app, unit: province.schoolA).receivingAddress == "gopy-\(year)-2@a.edu.vn")
            // Another school's domain, a public provider, a taken address: each refused with its reason.
            for (address, fault) in [("gopy@b.edu.vn", "phải thuộc tên miền thư của đơn vị (a.edu.vn)"), ("gopy@gmail.com", "phải thuộc tên miền thư"),
                                     ("gopy-\(year)@a.edu.vn", "đã là hộp thư, nhóm thư hoặc địa chỉ góp ý khác"), ("Góp Ý@a.edu.vn", "không hợp lệ")] {
                await #expect { try await Self.consultation(app, unit: province.schoolA, address: address) } throws: { error in
                    (error as? FormErrors)?["receivingAddress"]?.contains(fault) == true
                }
            }
            let school = try await province.schoolA.resolved(on: app.db)
            _ = try await MailService.createMailbox(.init(localPart: "vanthu", domain: "a.edu.vn", displayName: "Văn thư", function: .clerical, title: "", department: ""),
                                                    password: "Van-Thu-2026-xyz", unit: school, by: .cli("test"), hasher: app.password.async, on: app.db)
            await #expect(throws: FormErrors.self) { try await Self.consultation(app, unit: province.schoolA, address: "vanthu@a.edu.vn") }
            #expect(try await Self.consultation(app, unit: province.schoolA, address: "gop-y.noi-quy@a.edu.vn").receivingAddress == "gop-y.noi-quy@a.edu.vn")
            // …and a mailbox cannot take a consultation's address afterwards.
            await #expect { _ = try await MailService.createMailbox(.init(localPart: "gop-y.noi-quy", domain: "a.edu.vn", displayName: "X", function: .staff, title: "", department: ""),
                                                                   password: "Van-Thu-2026-xyz", unit: school, by: .cli("test"), hasher: app.password.async, on: app.db)
            } throws: { ($0 as? FormErrors)?["localPart"]?.contains("đã được dùng") == true }
            // A unit without a mail domain on EduPortal names its own address (no mail filing).
            let upper = try await Self.consultation(app, unit: province.thpt)
            #expect(upper.receivingAddress == province.thpt.email)
            #expect(try await ConsultationService.intakeTarget(upper.receivingAddress, on: app.db) == nil)
        }
    }

    @Test func mailIsFiledWithItsFilesOnceAndRefusedWithItsReason() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("edu-consultation-mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        try await TestApp.run({ $0.dataDirectory = data.path }) { app in
            let province = try await Province.make(on: app.db)
            try await MailAdminTests.domain(province.schoolA, "a.edu.vn", app: app)
            let consultation = try await Self.consultation(app, unit: province.schoolA, address: "gopy@a.edu.vn")
            let root = ConsultationService.attachmentsRoot(app.eduConfig)
            func deliver(_ bytes: [UInt8], to recipient: String = "gopy@a.edu.vn", sender: String = "hoa@example.vn", now: Date = Date()) async throws -> IntakeVerdict {
                try await ConsultationService.commentByMail(bytes, recipient: recipient, sender: sender, attachmentsRoot: root, now: now, on: app.db)
            }
            func count() async throws -> Int { try await ConsultationComment.query(on: app.db).count() }

            let hostile = "<img src=x onerror=alert(1)> Đề nghị cho phép dùng điện thoại khi giáo viên yêu cầu."
            let first = Self.mail(body: hostile, files: [("Ý kiến.pdf", "application/pdf", Self.pdf)], messageID: "<mot@example.vn>")
            guard case .accepted = try await deliver(first) else { Issue.record("a good mail was not taken"); return }
            // Postfix delivering the same mail again (a lost reply) files it once.
            guard case .accepted = try await deliver(first) else { Issue.record("a repeated mail was refused"); return }
            #expect(try await count() == 1)
            let comment = try #require(try await ConsultationComment.query(on: app.db).first())
            #expect(comment.source == "email" && comment.name == "Nguyễn Thị Hoà" && comment.email == "hoa@example.vn")
            #expect(comment.paragraph == 1 && comment.status == ConsultationComment.Status.waiting.rawValue)
            #expect(comment.body.contains("Tiêu đề thư: Góp ý Đoạn 2") && comment.body.contains(hostile))
            let file = try #require(try await ConsultationFile.query(on: app.db).filter(\.$commentID == comment.requireID()).first())
            #expect(file.name == "Ý kiến.pdf" && file.mime == "application/pdf" && file.size == Self.pdf.count)

            // The address's extension names a paragraph too; a file-only mail is a comment.
            guard case .accepted = try await deliver(Self.mail(from: "binh@example.vn", subject: "Ý kiến", body: "", files: [("a.pdf", "application/pdf", Self.pdf)]),
                                                     to: "gopy+3@a.edu.vn", sender: "binh@example.vn") else { Issue.record("a file-only mail was refused"); return }
            let byExtension = try #require(try await ConsultationComment.query(on: app.db).filter(\.$email == "binh@example.vn").first())
            #expect(byExtension.paragraph == 2 && byExtension.body.contains("Góp ý trong tệp đính kèm"))

            // Refusals name the fault and store nothing.
            let before = try await count()
            let program = [UInt8]([0x4D, 0x5A, 0x90, 0x00]) + [UInt8](repeating: 0, count: 64)
            for (bytes, recipient, fault) in [
                (Self.mail(body: "Góp ý có tệp chương trình.", files: [("y-kien.pdf", "application/pdf", program)]), "gopy@a.edu.vn", "«y-kien.pdf» không phải PDF"),
                (Self.mail(body: "Vắng mặt", extra: "Auto-Submitted: auto-replied\r\n"), "gopy@a.edu.vn", "Thư tự động"),
                (Self.mail(body: "ok"), "gopy@a.edu.vn", "không có nội dung góp ý"),
                (Self.mail(body: "Góp ý gửi nhầm địa chỉ."), "khac@a.edu.vn", "không nhận góp ý"),
                (Self.mail(body: "Góp ý nhiều tệp.", files: Array(repeating: ("a.pdf", "application/pdf", Self.pdf), count: 6)), "gopy@a.edu.vn", "tối đa 5 tệp"),
                (Self.mail(body: String(repeating: "Rất dài. ", count: 6000)), "gopy@a.edu.vn", "quá 50000"),
            ] {
                let verdict = try await deliver(bytes, to: recipient)
                guard case .refused(let text) = verdict else { Issue.record("\(fault): \(verdict)"); continue }
                #expect(text.contains(fault), "\(text)")
            }
            #expect(try await count() == before)

            // Outside the window: refused at RCPT (Postfix's policy check and LMTP) and on delivery.
            let late = Date().addingTimeInterval(2 * 86_400)
            guard case .refused(let closed) = try await deliver(Self.mail(body: "Góp ý gửi sau hạn."), now: late) else { Issue.record("late mail taken"); return }
            #expect(closed.contains("Đã hết hạn góp ý"))
            #expect(try await MailPolicyListener.evaluate(["recipient": "gopy+2@a.edu.vn", "sender": "x@example.vn"], on: app.db) == .dunno)
            consultation.closesAt = Date().addingTimeInterval(-60)
            try await consultation.save(on: app.db)
            guard case .reject(let policy) = try await MailPolicyListener.evaluate(["recipient": "gopy@a.edu.vn", "sender": "x@example.vn"], on: app.db) else {
                Issue.record("the policy service let a closed consultation's mail in"); return
            }
            #expect(policy.hasPrefix("5.7.1") && policy.contains("Đã hết hạn góp ý"))
            consultation.closesAt = Date().addingTimeInterval(86_400)
            try await consultation.save(on: app.db)

            // One sender, five an hour; the sixth waits (Postfix tries again later).
            for n in 0..<ConsultationService.perHour { _ = try await deliver(Self.mail(from: "spam@example.vn", body: "Góp ý số \(n) của cùng một người."), sender: "spam@example.vn") }
            guard case .later(let wait) = try await deliver(Self.mail(from: "spam@example.vn", body: "Góp ý thứ sáu trong giờ."), sender: "spam@example.vn"),
                  wait.hasPrefix("4.7.1") else { Issue.record("the hourly limit did not hold"); return }

            // Staff read it in the queue (escaped) and download the file; the public sees nothing before moderation.
            try await province.user("truongban@a.edu.vn", .truongBanBienTap, at: province.schoolA, app: app)
            let head = Browser(app: app, host: "a.test")
            try await head.login("truongban@a.edu.vn", Province.password)
            let admin = "/quan-tri/don-vi/th-a/lay-y-kien/\(try consultation.requireID().uuidString.lowercased())"
            let queue = try await head.get(admin)
            #expect(queue.body.contains("Thư điện tử") && queue.body.contains("&lt;img src=x") && !queue.body.contains("<img src=x"))
            #expect(queue.body.contains("gopy@a.edu.vn") && queue.body.contains("vào thẳng danh sách"))
            let download = try await head.get(admin + "/gop-y/\(try comment.requireID().uuidString.lowercased())/tep/\(try file.requireID().uuidString.lowercased())")
            #expect(download.status == .ok && download.bytes == Self.pdf)
            let page = try await Browser(app: app, host: "a.test").get("/lay-y-kien/\(try consultation.requireID().uuidString.lowercased())")
            #expect(page.body.contains("ghi «Đoạn» và số đoạn ở tiêu đề thư") && !page.body.contains("Nguyễn Thị Hoà"))
        }
    }

    /// A web comment's file stored by migration 018 on the comment row is moved to the files table
    /// by 019 (run again here on a database put back as 018 left it), and still downloads.
    @Test func migrationKeepsAFileStoredTheOldWay() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let consultation = try await Self.consultation(app, unit: province.schoolA)
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("DROP TABLE consultation_files").run()
            try await sql.raw("DROP INDEX consultation_comments_message_idx").run()
            try await sql.raw("DROP INDEX consultations_address_idx").run()
            try await sql.raw("ALTER TABLE consultation_comments DROP COLUMN message_id").run()
            let id = UUID()
            try await sql.insert(into: "consultation_comments")
                .columns("id", "consultation_id", "name", "organisation", "email", "body", "source", "status", "hide_reason", "explanation", "address_key",
                         "attachment_stored_name", "attachment_name", "attachment_mime", "attachment_size", "created_at")
                .values(SQLBind(id), SQLBind(try consultation.requireID()), SQLBind("Lê Thị Lan"), SQLBind(""), SQLBind("lan@example.vn"), SQLBind("Góp ý cũ có tệp."),
                        SQLBind("web"), SQLBind("cho-duyet"), SQLBind(""), SQLBind(""), SQLBind("k"), SQLBind("abc.pdf"), SQLBind("Ý kiến cũ.pdf"),
                        SQLBind("application/pdf"), SQLBind(1234), SQLBind(Date()))
                .run()
            try await UpdateConsultationsAddFiles().prepare(on: app.db)
            let file = try #require(try await ConsultationFile.query(on: app.db).filter(\.$commentID == id).first())
            #expect(file.storedName == "abc.pdf" && file.name == "Ý kiến cũ.pdf" && file.mime == "application/pdf" && file.size == 1234)
            #expect(try await ConsultationComment.find(id, on: app.db)?.messageID == nil)
        }
    }

    /// Postfix's side of the conversation, over TCP: greeting, LHLO, a size refused at MAIL, an
    /// unknown recipient refused at RCPT, the message with a dot-stuffed line, one reply per recipient.
    @Test func lmtpConversation() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await MailAdminTests.domain(province.schoolA, "a.edu.vn", app: app)
            _ = try await Self.consultation(app, unit: province.schoolA, address: "gopy@a.edu.vn")
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("edu-lmtp-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let server = try await MailIntakeListener.bind(port: 0, intake: ConsultationMailIntake(db: app.db, attachmentsRoot: root, logger: app.logger),
                                                           group: app.eventLoopGroup)
            let port = try #require(server.localAddress?.port)
            // The client is plain blocking sockets on its own thread (as Postfix's lmtp is a separate process).
            let replies = try await Self.converse(port: port, [
                nil, "LHLO mail.test\r\n", "DATA\r\n", "MAIL FROM:<hoa@example.vn> SIZE=999999999\r\n", "MAIL FROM:<hoa@example.vn> BODY=8BITMIME\r\n",
                "RCPT TO:<nobody@a.edu.vn>\r\n", "RCPT TO:<gopy+1@a.edu.vn>\r\n", "DATA\r\n",
                // A line that starts with a dot arrives dot-stuffed; the message ends with a lone dot.
                "From: Hoa <hoa@example.vn>\r\nSubject: Y kien\r\nMessage-ID: <lmtp@example.vn>\r\n\r\nDong mot: dong y.\r\n..dong bat dau bang dau cham\r\n.\r\n",
                "QUIT\r\n",
            ])
            let expected = ["220 ", "250 SIZE \(LMTPHandler.maxMessageBytes)", "503", "552 5.3.4", "250", "550 5.1.1", "250", "354", "250 2.0.0", "221"]
            #expect(replies.count == expected.count)
            for (reply, prefix) in zip(replies, expected) {
                #expect(reply.hasPrefix(prefix) || reply.split(separator: "\n").last?.hasPrefix(prefix) == true, "\(reply) ≠ \(prefix)")
            }
            try await server.close()
            let stored = try #require(try await ConsultationComment.query(on: app.db).first())
            #expect(stored.paragraph == 0 && stored.body.contains("Dong mot: dong y.\n.dong bat dau bang dau cham") && stored.messageID == "<lmtp@example.vn>")
        }
    }

    /// Sends each command (nil: only read) and reads the complete reply (its last line has a
    /// space after the code) over a blocking socket on a thread of its own.
    static func converse(port: Int, _ commands: [String?]) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                defer { close(fd) }
                var timeout = timeval(tv_sec: 20, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                guard connected == 0 else { return continuation.resume(throwing: Abort(.internalServerError, reason: "no connection")) }
                var pending = [UInt8]()
                var replies: [String] = []
                for command in commands {
                    if let command { _ = command.utf8CString.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count - 1, 0) } }
                    var lines: [String] = []
                    reading: while true {
                        if let newline = pending.firstIndex(of: 0x0A) {
                            let line = String(decoding: pending[..<newline], as: UTF8.self).trimmingCharacters(in: .newlines)
                            pending.removeSubrange(...newline)
                            lines.append(line)
                            if line.utf8.count >= 4 && Array(line.utf8)[3] == 0x20 { break reading }
                            continue
                        }
                        var chunk = [UInt8](repeating: 0, count: 4096)
                        let n = recv(fd, &chunk, chunk.count, 0)
                        if n <= 0 { break reading }
                        pending += chunk[..<n]
                    }
                    replies.append(lines.joined(separator: "\n"))
                }
                continuation.resume(returning: replies)
            }
        }
    }
}
