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
                  comments: [(String, String, Int?, String, Bool?, String)], summary: String?) async throws {
            var input = ConsultationService.Input()
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
            if let summary { try await ConsultationService.publishSummary(consultation, text: summary, unit: unit, by: actor, on: app.db) }
        }
        try await make(resolvedSo, "Dự thảo Quy định dạy thêm, học thêm trên địa bàn tỉnh Ninh Bình",
                       "Sở lấy ý kiến về điều kiện tổ chức dạy thêm, học thêm ngoài nhà trường và trách nhiệm của nhà trường, giáo viên.",
                       "Cán bộ quản lý, giáo viên, phụ huynh học sinh",
                       ["Điều 1. Phạm vi điều chỉnh: hoạt động dạy thêm, học thêm có thu tiền ngoài nhà trường trên địa bàn tỉnh.",
                        "Điều 2. Giáo viên đang dạy tại trường không được dạy thêm có thu tiền đối với học sinh mà mình đang dạy chính khóa.",
                        "Điều 3. Tổ chức, cá nhân dạy thêm phải công khai danh sách người dạy, thời lượng, địa điểm và mức thu."],
                       opens: -5, closes: 25,
                       comments: [("Nguyễn Văn Hùng", "Trường THCS Gia Viễn", 2, "Đề nghị quy định rõ cách công khai mức thu: niêm yết tại nơi dạy và trên cổng thông tin của xã.", nil, ""),
                                  ("Trần Thị Mai", "", 1, "Cần làm rõ trường hợp giáo viên dạy bồi dưỡng học sinh giỏi không thu tiền.", nil, ""),
                                  ("Lê Minh Tuấn", "Hội cha mẹ học sinh", nil, "Đồng ý với dự thảo; đề nghị có đường dây nóng tiếp nhận phản ánh.", nil, "")],
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
}
