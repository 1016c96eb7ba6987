import EduCore
import EduData
import Foundation
import Vapor

/// The demo's consultations (#14): at the Sở an open draft with moderated comments on its
/// paragraphs, and a closed one with its published summary; at Chu Văn An an open school rule.
enum DemoConsultations {
    static func create(units: [String: OrgUnit], key: ServerKey, app: Application) async throws {
        guard let so = units[DemoProvince.rootCode], let school = units["thpt-chu-van-an"] else { return }
        let now = Date()
        func at(_ days: Double) -> String { VietnameseDate.dateTime(now.addingTimeInterval(days * 86_400)) }
        let actor = AuditActor.cli("demo")
        let resolvedSo = try await so.resolved(on: app.db), resolvedSchool = try await school.resolved(on: app.db)

        func make(_ unit: ResolvedUnit, _ title: String, _ issue: String, _ concerns: String, _ paragraphs: [String], opens: Double, closes: Double,
                  address: String = "", comments: [(String, String, Int?, String, Bool?, String)], mailed: [[UInt8]] = [], summary: String?) async throws {
            var input = ConsultationService.Input()
            input.receivingAddress = address
            input.title = title
            input.issue = issue
            input.concerns = concerns
            input.draft = paragraphs.joined(separator: "\n\n")
            input.opensAt = at(opens)
            input.closesAt = at(closes)
            let consultation = try await ConsultationService.create(input, unit: unit, by: actor, now: now.addingTimeInterval(opens * 86_400 - 60), on: app.db)
            let whileOpen = consultation.isOpen(at: now) ? now : consultation.opensAt.addingTimeInterval(3600)
            for (index, item) in comments.enumerated() {
                var comment = ConsultationService.CommentInput()
                comment.name = item.0
                comment.organisation = item.1
                comment.email = "gopy\(index + 1)@example.vn"
                comment.paragraph = item.2.map { String($0 + 1) } ?? ""  // the form counts from 1
                comment.body = item.3
                let challenge = ContactService.issueChallenge(bits: 8, key: key)
                let proof = ContactService.Proof(token: challenge.token, nonce: ProofOfWork.solve(token: challenge.token, bits: challenge.bits))
                let stored = try await ConsultationService.comment(comment, on: consultation, proof: proof, key: key, addressKey: "demo-consultation-\(index)",
                                                                   now: whileOpen, on: app.db)
                try await ConsultationService.moderate(stored, step: .publish, form: [:], consultation: consultation, unit: unit, by: actor, on: app.db)
                if let accepted = item.4 {
                    try await ConsultationService.moderate(stored, step: .answer, form: ["accepted": accepted ? "co" : "khong", "explanation": item.5],
                                                           consultation: consultation, unit: unit, by: actor, on: app.db)
                }
            }
            // Comments by e-mail, through the same path Postfix's deliveries take; left waiting for moderation.
            for message in mailed {
                let verdict = try await ConsultationService.commentByMail(message, recipient: consultation.receivingAddress, sender: "phuhuynh.gopy@example.vn",
                                                                          attachmentsRoot: ConsultationService.attachmentsRoot(app.eduConfig), now: whileOpen, on: app.db)
                guard case .accepted = verdict else { throw OperationFailure("Thư góp ý mẫu không được nhận: \(verdict.reply)") }
            }
            if let summary { try await ConsultationService.publishSummary(consultation, text: summary, unit: unit, by: actor, on: app.db) }
        }
        try await make(resolvedSo, "Dự thảo Quy định dạy thêm, học thêm trên địa bàn tỉnh Ninh Bình",
                       "Sở lấy ý kiến về điều kiện tổ chức dạy thêm, học thêm ngoài nhà trường và trách nhiệm của nhà trường, giáo viên.",
                       "Cán bộ quản lý, giáo viên, phụ huynh học sinh",
                       ["Điều 1. Phạm vi điều chỉnh: hoạt động dạy thêm, học thêm có thu tiền ngoài nhà trường trên địa bàn tỉnh.",
                        "Điều 2. Giáo viên đang dạy tại trường không được dạy thêm có thu tiền đối với học sinh mà mình đang dạy chính khóa.",
                        "Điều 3. Tổ chức, cá nhân dạy thêm phải công khai danh sách người dạy, thời lượng, địa điểm và mức thu."],
                       opens: -5, closes: 25, address: "gopy-day-them@ninhbinh.edu.vn",
                       comments: [("Nguyễn Văn Hùng", "Trường THCS Gia Viễn", 2, "Đề nghị quy định rõ cách công khai mức thu: niêm yết tại nơi dạy và trên cổng thông tin của xã.", nil, ""),
                                  ("Trần Thị Mai", "", 1, "Cần làm rõ trường hợp giáo viên dạy bồi dưỡng học sinh giỏi không thu tiền.", nil, ""),
                                  ("Lê Minh Tuấn", "Hội cha mẹ học sinh", nil, "Đồng ý với dự thảo; đề nghị có đường dây nóng tiếp nhận phản ánh.", nil, "")],
                       mailed: [mailedComment()],
                       summary: nil)
        try await make(resolvedSo, "Dự thảo Kế hoạch tuyển sinh vào lớp 10 THPT năm học 2026–2027",
                       "Lấy ý kiến về phương thức tuyển sinh, phân tuyến và chỉ tiêu.", "Phụ huynh, học sinh lớp 9, các trường THCS",
                       ["Phương thức: thi tuyển ba môn Toán, Ngữ văn, Tiếng Anh.", "Phân tuyến: hai tuyến theo địa bàn cư trú; hai nguyện vọng đầu cùng tuyến.",
                        "Chỉ tiêu: công bố cùng kế hoạch, theo điều kiện cơ sở vật chất của từng trường."],
                       opens: -60, closes: -30,
                       comments: [("Phạm Thị Hoa", "", 1, "Đề nghị cho nguyện vọng 3 được chọn trường ở tuyến khác.", true, "Đã bổ sung: nguyện vọng 3 không giới hạn tuyến."),
                                  ("Đỗ Văn Nam", "Trường THCS Kim Sơn", 0, "Đề nghị xét tuyển thay cho thi tuyển.", false, "Giữ thi tuyển để bảo đảm chất lượng đầu vào của các trường có nhiều hồ sơ.")],
                       summary: "Sở đã nhận 2 góp ý; tiếp thu 1 ý kiến về nguyện vọng 3, giải trình 1 ý kiến về phương thức tuyển sinh. Kế hoạch chính thức được ban hành kèm các điều chỉnh.")
        try await make(resolvedSchool, "Dự thảo Nội quy học sinh năm học 2026–2027",
                       "Nhà trường lấy ý kiến học sinh và phụ huynh về nội quy mới.", "Học sinh, phụ huynh",
                       ["Điều 1. Học sinh có mặt trước giờ vào lớp 10 phút.", "Điều 2. Không dùng điện thoại trong giờ học, trừ khi giáo viên yêu cầu.",
                        "Điều 3. Mặc đồng phục theo quy định vào các ngày trong tuần."],
                       opens: -2, closes: 12,
                       comments: [("Vũ Ngọc Ánh", "Lớp 11A2", 2, "Đề nghị thứ Bảy được mặc trang phục tự do.", nil, "")], summary: nil)
    }

    /// A parent's comment as a mail program sends it: a UTF-8 subject naming paragraph 3, the
    /// text, and a one-page PDF with the details.
    static func mailedComment() -> [UInt8] {
        let body = "Kính gửi Sở Giáo dục và Đào tạo,\n\nTôi đề nghị Điều 3 bổ sung: mức thu phải niêm yết trước khi khai giảng lớp dạy thêm, "
            + "và phụ huynh được nhận biên lai.\n\nChi tiết trong tệp đính kèm.\n\nTrân trọng,\nĐinh Thị Thu"
        let subject = "Góp ý Đoạn 3: công khai mức thu"
        let text = """
        From: =?UTF-8?B?\(Data("Đinh Thị Thu".utf8).base64EncodedString())?= <phuhuynh.gopy@example.vn>\r
        To: gopy-day-them@ninhbinh.edu.vn\r
        Subject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=\r
        Message-ID: <demo-gopy-day-them-1@example.vn>\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="demo-boundary"\r
        \r
        --demo-boundary\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: base64\r
        \r
        \(Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]))\r
        --demo-boundary\r
        Content-Type: application/pdf\r
        Content-Disposition: attachment; filename*=utf-8''%C3%BD-kien-dieu-3.pdf\r
        Content-Transfer-Encoding: base64\r
        \r
        \(Data(onePagePDF("Y kien gop y - Dieu 3: cong khai muc thu day them").utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]))\r
        --demo-boundary--\r

        """
        return Array(text.utf8)
    }

    /// A valid one-page PDF showing one line of ASCII text (its cross-reference offsets counted).
    static func onePagePDF(_ line: String) -> String {
        let stream = "BT /F1 14 Tf 72 760 Td (\(line)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return pdf
    }
}
