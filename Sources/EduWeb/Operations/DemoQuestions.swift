import EduCore
import EduData
import Foundation
import Vapor

/// The demo's questions and answers (#14): answered and published ones at the Sở and at Chu Văn
/// An, one answered privately (no consent), and one still waiting.
enum DemoQuestions {
    static func create(units: [String: OrgUnit], key: ServerKey, app: Application) async throws {
        guard let so = units[DemoProvince.rootCode], let school = units["thpt-chu-van-an"] else { return }
        let actor = AuditActor.cli("demo")
        let items: [(OrgUnit, String, String, String, Bool, String?)] = [
            (so, "Tuyển sinh", "Học sinh thường trú ở xã Kim Sơn có được đăng ký nguyện vọng vào Trường THPT Chu Văn An (Tuyến 1) không?", "Nguyễn Thị Hồng", true,
             "Học sinh được đăng ký tối đa ba nguyện vọng; hai nguyện vọng đầu phải thuộc tuyến nơi thường trú (Tuyến 2 – Kim Sơn), nguyện vọng 3 được chọn trường ở tuyến khác."),
            (so, "Văn bằng, chứng chỉ", "Bằng tốt nghiệp THPT bị mất thì xin cấp bản sao ở đâu?", "Lê Văn Tâm", true,
             "Bản sao bằng tốt nghiệp THPT được cấp từ sổ gốc tại Sở Giáo dục và Đào tạo (bộ phận một cửa) hoặc qua Cổng dịch vụ công; mang căn cước công dân khi đến nhận."),
            (so, "Học phí, chế độ chính sách", "Con tôi là người dân tộc thiểu số, năm học tới có được miễn học phí không?", "Hà Văn Páo", false,
             "Học sinh người dân tộc thiểu số ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn được miễn học phí; gia đình nộp đơn kèm giấy tờ chứng minh tại trường."),
            (school, "Chương trình, sách giáo khoa", "Nhà trường có dạy tiếng Nhật là ngoại ngữ 2 cho lớp 10 năm học tới không?", "Phạm Minh Quân", true,
             "Năm học 2026–2027 nhà trường mở hai lớp tiếng Nhật ngoại ngữ 2 cho khối 10; đăng ký tại phòng giáo vụ đến hết ngày 15/8."),
            (school, "Thi, kiểm tra, đánh giá", "Lịch kiểm tra cuối học kỳ I khối 11 bắt đầu từ ngày nào?", "Đỗ Thu Trang", true, nil),
        ]
        for (index, item) in items.enumerated() {
            let unit = try await item.0.resolved(on: app.db)
            var input = QuestionService.Input()
            input.topic = item.1
            input.question = item.2
            input.name = item.3
            input.email = "phuhuynh\(index + 1)@example.vn"
            input.consent = item.4
            let challenge = ContactService.issueChallenge(bits: 8, key: key)
            let proof = ContactService.Proof(token: challenge.token, nonce: ProofOfWork.solve(token: challenge.token, bits: challenge.bits))
            let question = try await QuestionService.ask(input, proof: proof, key: key, addressKey: "demo-question-\(index)", unit: unit,
                                                         now: Date().addingTimeInterval(Double(-10 + index) * 86_400), on: app.db)
            if let answer = item.5 {
                try await QuestionService.answer(question, text: answer, publish: item.4, unit: unit, by: actor,
                                                 now: question.createdAt.addingTimeInterval(2 * 86_400), on: app.db)
            }
        }
    }
}
