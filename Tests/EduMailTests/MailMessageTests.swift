import Foundation
import Testing

@testable import EduMail

/// Messages shaped as common mail programs write them (Gmail, Outlook with a Vietnamese Windows,
/// Thunderbird, an HTML-only newsletter editor, a local program with bare line feeds). The
/// expected text is the Vietnamese the sender typed; the encodings were made with Python's
/// `email`, `base64` and `quopri` modules.
@Suite struct MailMessageTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8) }

    @Test func gmailAlternativeWithAPdfAndAnRFC2231Name() {
        let pdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
        let pdf64 = Data(pdf.utf8).base64EncodedString(options: .lineLength76Characters)
        let message = MailMessage.parse(Self.bytes("""
        MIME-Version: 1.0
        Date: Tue, 1 Dec 2026 08:15:00 +0700
        Message-ID: <CAF=abc123@mail.gmail.com>
        Subject: =?UTF-8?B?R8OzcCDDvSDEkG/huqFuIDI6IMSR4buBIG5naOG7iyBz4butYQ==?=
        From: =?UTF-8?B?Tmd1eeG7hW4gVGjhu4sgSG/DoA==?= <Hoa.Nguyen@Example.VN>
        To: gopy-2026@ninhbinh.edu.vn
        Content-Type: multipart/mixed; boundary="000000000000abcd"

        --000000000000abcd
        Content-Type: multipart/alternative; boundary="000000000000ef01"

        --000000000000ef01
        Content-Type: text/plain; charset="UTF-8"
        Content-Transfer-Encoding: base64

        S8OtbmggZ+G7rWkgU+G7nywNClTDtGkgxJHhu4Egbmdo4buLIGLhu5Ugc3VuZyBxdXkgxJHhu4tuaCB2
        4buBIG3hu6ljIHRodS4NClRyw6JuIHRy4buNbmcu
        --000000000000ef01
        Content-Type: text/html; charset="UTF-8"

        <div dir="ltr">Kính gửi Sở (bản HTML)</div>
        --000000000000ef01--
        --000000000000abcd
        Content-Type: application/pdf; name="y-kien.pdf"
        Content-Disposition: attachment; filename*=utf-8''%C3%9D%20ki%E1%BA%BFn%20g%C3%B3p%20%C3%BD.pdf
        Content-Transfer-Encoding: base64

        \(pdf64)
        --000000000000abcd--

        """))
        #expect(message.subject == "Góp ý Đoạn 2: đề nghị sửa")
        #expect(message.fromName == "Nguyễn Thị Hoà")
        #expect(message.fromAddress == "hoa.nguyen@example.vn")
        #expect(message.messageID == "<CAF=abc123@mail.gmail.com>")
        #expect(!message.isAutomatic)
        #expect(message.text == "Kính gửi Sở,\r\nTôi đề nghị bổ sung quy định về mức thu.\r\nTrân trọng.")
        #expect(message.attachments.count == 1)
        #expect(message.attachments.first?.filename == "Ý kiến góp ý.pdf")
        #expect(message.attachments.first?.bytes == Array(pdf.utf8))
    }

    @Test func outlookWindows1258QuotedPrintableAndEncodedWordsSplitAcrossLines() {
        let message = MailMessage.parse(Self.bytes("""
        From: "Tran Van Binh" <binh@truong.edu.vn>
        Subject: =?windows-1258?Q?Go=ECp_y=EC_d=FD=F2_tha=D2o?=
         =?windows-1258?Q?_(=F0oa=F2n_3)?=
        Content-Type: text/plain; charset="windows-1258"
        Content-Transfer-Encoding: quoted-printable

        T=F4i =F0=EA=CC nghi=F2 b=F4=D2 sung quy =F0i=F2nh v=EA=CC m=FD=ECc thu ho=
        =F2c th=EAm.

        """))
        #expect(message.subject == "Góp ý dự thảo (đoạn 3)")
        #expect(message.text.trimmingCharacters(in: .whitespacesAndNewlines) == "Tôi đề nghị bổ sung quy định về mức thu học thêm.")
        #expect(message.fromName == "Tran Van Binh")
        #expect(message.attachments.isEmpty)
    }

    @Test func htmlOnlyBodyGivesItsTextAndInlinePicturesAreNotFiles() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]
        let message = MailMessage.parse(Self.bytes("""
        From: phuhuynh@example.org
        Subject: Y kien
        Content-Type: multipart/related; boundary=rel

        --rel
        Content-Type: text/html; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        <html><head><style>p{color:red}</style></head><body><p>=C4=90=E1=BB=81 ngh=E1=BB=8B
        s=E1=BB=ADa &amp; b=E1=BB=95 sung</p><p>D=C3=B2ng hai</p><img src=3D"cid:logo"></body></html>
        --rel
        Content-Type: image/png
        Content-ID: <logo>
        Content-Disposition: inline; filename="logo.png"
        Content-Transfer-Encoding: base64

        \(Data(png).base64EncodedString())
        --rel--

        """))
        // Paragraphs stay paragraphs (a blank line between), the style sheet is no text.
        #expect(message.text == "Đề nghị sửa & bổ sung\n\nDòng hai")
        #expect(message.attachments.isEmpty)
        #expect(message.fromAddress == "phuhuynh@example.org")
    }

    @Test func bareLineFeedsUnquotedBoundaryAndAFilenameAsAnEncodedWord() {
        let doc: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 56)
        let text = """
        From: Le Minh <minh@example.vn>
        Subject: =?utf-8?q?G=C3=B3p_=C3=BD?=
        Content-Type: multipart/mixed; boundary=abc

        preamble is ignored
        --abc
        Content-Type: text/plain

        Dòng một.
        --abc
        Content-Type: application/msword; name="=?UTF-8?B?Z8OzcCDDvS5kb2M=?="
        Content-Transfer-Encoding: base64

        \(Data(doc).base64EncodedString())
        --abc--
        epilogue
        """
        let message = MailMessage.parse(Array(text.utf8))
        #expect(message.subject == "Góp ý")
        #expect(message.text == "Dòng một.")
        #expect(message.attachments.map(\.filename) == ["góp ý.doc"])
        #expect(message.attachments.first?.bytes == doc)
    }

    @Test func autoRepliesAndHostileNamesAreRecognised() {
        let reply = MailMessage.parse(Self.bytes("""
        From: <giamdoc@example.vn>
        Auto-Submitted: auto-replied
        Subject: Out of office

        I am away.
        """))
        #expect(reply.isAutomatic)
        let hostile = MailMessage.parse(Self.bytes("""
        From: x@example.vn
        Content-Type: multipart/mixed; boundary="b"

        --b
        Content-Type: application/pdf
        Content-Disposition: attachment; filename="../../etc/passwd"

        %PDF-1.4
        --b--
        """))
        #expect(hostile.attachments.map(\.filename) == ["passwd"])
        // A truncated message (no closing boundary) keeps what arrived; nothing crashes on garbage.
        let truncated = MailMessage.parse(Self.bytes("Content-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: text/plain\n\nNội dung"))
        #expect(truncated.text == "Nội dung")
        let garbage = MailMessage.parse([0xFF, 0xFE, 0x00, 0x0A, 0x0A, 0x3D, 0x3F])
        #expect(garbage.attachments.isEmpty)
    }
}
