import EduCore
import EduData
import Fluent
import Foundation
import Vapor

/// What every other unit of the demo carries, so no section of any portal is empty: an open
/// consultation on a draft the unit would really put out, an answered question, and an item of
/// its own in its digital library. The Sở and Chu Văn An have fuller sets (`DemoConsultations`,
/// `DemoQuestions`, `DemoResources`).
enum DemoEveryUnit {
    static func create(units: [String: OrgUnit], key: ServerKey, app: Application) async throws {
        let covered = Set([DemoProvince.rootCode, "thpt-chu-van-an", DemoProvince.reform.office])
        let withLibrary = Set(DemoResources.plans.map(\.code))
        let actor = AuditActor.cli("demo")
        let now = Date()
        let pdf = Array(DemoConsultations.onePagePDF("Tai nguyen so").utf8)
        for (index, code) in units.keys.sorted().enumerated() where !covered.contains(code) {
            guard let row = units[code], let unitID = row.id else { continue }
            let unit = try await row.resolved(on: app.db)
            let agency = unit.type.isManagementAgency

            // A consultation: an agency's plan for its schools, a school's rules for its pupils.
            var consultation = ConsultationService.Input()
            consultation.title = agency ? "Dự thảo Kế hoạch phát triển giáo dục mầm non, tiểu học và THCS trên địa bàn xã giai đoạn 2026–2030"
                : row.type == .mamNon ? "Dự thảo Quy định về giờ đón, trả trẻ và thực đơn bán trú năm học 2026–2027"
                : "Dự thảo Quy chế thi đua, khen thưởng học sinh năm học 2026–2027"
            consultation.issue = agency ? "Phòng lấy ý kiến các trường và nhân dân về quy mô trường lớp, chỉ tiêu phổ cập và đầu tư cơ sở vật chất."
                : "Nhà trường lấy ý kiến cha mẹ học sinh và giáo viên trước khi ban hành."
            consultation.concerns = agency ? "Các trường, cha mẹ học sinh, nhân dân trên địa bàn" : "Cha mẹ học sinh, giáo viên, học sinh"
            consultation.draft = agency
                ? "Mục tiêu: duy trì phổ cập giáo dục mầm non cho trẻ 5 tuổi và phổ cập THCS mức độ 3.\n\nQuy mô: sắp xếp điểm trường lẻ, bảo đảm mỗi lớp không quá 35 học sinh.\n\nĐầu tư: ưu tiên phòng học bộ môn và nhà vệ sinh đạt chuẩn."
                : row.type == .mamNon
                ? "Giờ đón trẻ: từ 06:45 đến 07:45; giờ trả trẻ: từ 16:30 đến 17:15.\n\nThực đơn bán trú được công khai hằng tuần trên bảng tin và cổng thông tin.\n\nCha mẹ đón trẻ muộn báo trước cho giáo viên chủ nhiệm."
                : "Danh hiệu học sinh xuất sắc, học sinh giỏi theo kết quả học tập và rèn luyện.\n\nKhen thưởng đột xuất học sinh có thành tích trong phong trào và việc tốt.\n\nHình thức khen: giấy khen, tuyên dương trước toàn trường."
            consultation.opensAt = VietnameseDate.dateTime(now.addingTimeInterval(-3 * 86_400))
            consultation.closesAt = VietnameseDate.dateTime(now.addingTimeInterval(Double(14 + index) * 86_400))
            _ = try await ConsultationService.create(consultation, unit: unit, by: actor, now: now.addingTimeInterval(-3 * 86_400 - 60), on: app.db)

            // A question a parent asks, answered and published with consent.
            var question = QuestionService.Input()
            (question.topic, question.question, question.name) = agency
                ? ("Tuyển sinh", "Trẻ chuyển hộ khẩu về xã giữa năm học có được nhận vào trường tiểu học gần nhà không?", "Nguyễn Thị Thanh")
                : row.type == .mamNon
                ? ("Học phí, chế độ chính sách", "Trẻ 5 tuổi có được miễn học phí năm học 2026–2027 không?", "Trần Văn Hậu")
                : ("Chương trình, sách giáo khoa", "Nhà trường dùng bộ sách giáo khoa nào cho năm học 2026–2027?", "Lê Thị Hạnh")
            question.email = "phuhuynh.\(code)@example.vn"
            question.consent = true
            let challenge = ContactService.issueChallenge(bits: 8, key: key)
            let proof = ContactService.Proof(token: challenge.token, nonce: ProofOfWork.solve(token: challenge.token, bits: challenge.bits))
            let asked = try await QuestionService.ask(question, proof: proof, key: key, addressKey: "demo-every-\(index)", unit: unit,
                                                      now: now.addingTimeInterval(-6 * 86_400), on: app.db)
            let answer = agency
                ? "Trẻ được tiếp nhận vào trường tiểu học nơi cư trú mới; cha mẹ nộp đơn, học bạ và giấy tờ cư trú tại trường, Phòng hướng dẫn trường bố trí lớp."
                : row.type == .mamNon
                ? "Trẻ mẫu giáo 5 tuổi được miễn học phí theo Nghị quyết của Quốc hội từ năm học 2025–2026; gia đình không phải nộp hồ sơ."
                : "Danh mục sách giáo khoa do hội đồng lựa chọn của nhà trường đề xuất và được công khai tại mục Công khai; phụ huynh xem danh mục trước khi mua."
            try await QuestionService.answer(asked, text: answer, publish: true, unit: unit, by: actor, now: asked.createdAt.addingTimeInterval(86_400), on: app.db)

            // An item of its own in its digital library.
            if !withLibrary.contains(code), let author = try await User.query(on: app.db).filter(\.$unitID == unitID).sort(\.$email).first() {
                var input = ResourceService.Input()
                let grade: Int
                (input.title, input.kind, input.subject, grade) = switch row.type {
                case .mamNon: ("Bài hát, trò chơi dân gian cho trẻ mẫu giáo", LearningResource.Kind.material.rawValue, "Giáo dục mầm non", 0)
                case .tieuHoc: ("Phiếu bài tập cuối tuần Toán lớp 4", LearningResource.Kind.material.rawValue, "Toán", 4)
                case .thcs: ("Bài giảng: Phương trình bậc nhất một ẩn", LearningResource.Kind.lecture.rawValue, "Toán", 8)
                case .xa, .phong, .so: ("Tài liệu bồi dưỡng giáo viên: dạy học phát triển năng lực", LearningResource.Kind.material.rawValue, "Khác", 0)
                case .trungTam: ("Giáo trình tiếng Anh giao tiếp trình độ A2", LearningResource.Kind.ebook.rawValue, "Tiếng Anh", 0)
                default: ("Đề cương ôn tập học kỳ I môn Ngữ văn lớp 12", LearningResource.Kind.material.rawValue, "Ngữ văn", 12)
                }
                input.grade = String(grade)
                input.description = "Tài liệu của \(row.name), giáo viên biên soạn, tổ chuyên môn thẩm định."
                let resource = try await ResourceService.save(input, file: (bytes: pdf, name: "\(code)-tai-lieu.pdf"), existing: nil, unit: unit,
                                                              by: .person(author, address: "127.0.0.1"), config: app.eduConfig, on: app.db)
                resource.state = .daDang
                resource.publishedAt = now.addingTimeInterval(-2 * 86_400)
                try await resource.save(on: app.db)
                try await OrgUnit.touch(unitID, on: app.db)
            }
        }
    }
}
