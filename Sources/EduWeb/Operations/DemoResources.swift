import EduCore
import EduData
import Fluent
import Foundation
import Vapor

/// The demo's digital libraries: the Sở's, a commune office's and two schools', each item written
/// by a person of that unit and published (one left waiting for review at a school), so a
/// school's `/tai-nguyen` shows its own items and those of the levels above.
enum DemoResources {
    typealias Item = (title: String, kind: LearningResource.Kind, subject: String, grade: Int, description: String, link: String)

    static let plans: [(code: String, items: [Item])] = [
        (DemoProvince.rootCode, [
            ("Bộ đề ôn thi tốt nghiệp THPT môn Toán", .material, "Toán", 12, "Đề ôn tập theo cấu trúc đề thi tốt nghiệp THPT từ năm 2025, có đáp án.", ""),
            ("Bài giảng e-learning: Hàm số mũ và hàm số lôgarit", .lecture, "Toán", 11, "Bài giảng đạt giải cuộc thi bài giảng điện tử cấp tỉnh.", "https://elearning.ninhbinh.edu.vn/toan-11-ham-so-mu"),
            ("Sách điện tử: Lịch sử địa phương tỉnh Ninh Bình", .ebook, "Lịch sử", 10, "Tài liệu giáo dục địa phương dùng cho lớp 10.", ""),
            ("Phần mềm mô phỏng thí nghiệm Vật lí phổ thông", .software, "Vật lí", 10, "Phần mềm mô phỏng các thí nghiệm cơ học, điện học.", "https://phet.colorado.edu/vi/"),
        ]),
        ("phong-vhxh-gia-vien", [
            ("Học liệu Tiếng Việt lớp 1: bộ thẻ âm vần", .material, "Ngữ văn", 1, "Thẻ âm vần in màu dùng cho tiết học vần.", ""),
            ("Bài giảng e-learning: Phép cộng trong phạm vi 100", .lecture, "Toán", 2, "Bài giảng điện tử của giáo viên trường Tiểu học Gia Hòa.", "https://elearning.ninhbinh.edu.vn/toan-2-phep-cong"),
        ]),
        ("thpt-chu-van-an", [
            ("Đề cương ôn tập học kì I môn Hóa học lớp 11", .material, "Hóa học", 11, "Đề cương và bài tập tự luyện.", ""),
            ("Bài giảng: Sóng cơ và sự truyền sóng cơ", .lecture, "Vật lí", 11, "Bài giảng trình chiếu kèm video thí nghiệm.", "https://elearning.ninhbinh.edu.vn/vat-li-11-song-co"),
            ("Đề kiểm tra giữa kì Ngữ văn lớp 10", .material, "Ngữ văn", 10, "Đề và hướng dẫn chấm (đang chờ duyệt).", ""),
        ]),
        ("th-gia-hoa", [
            ("Truyện tranh điện tử: An toàn giao thông cho em", .ebook, "Đạo đức", 3, "Sách điện tử dùng trong tiết Đạo đức lớp 3.", "https://sachdientu.ninhbinh.edu.vn/an-toan-giao-thong"),
        ]),
    ]

    static func create(units: [String: OrgUnit], app: Application) async throws {
        let pdf = Array(DemoConsultations.onePagePDF("Tai nguyen so").utf8)
        let now = Date()
        for (code, items) in plans {
            guard let row = units[code], let unitID = row.id,
                  let author = try await User.query(on: app.db).filter(\.$unitID == unitID).sort(\.$email).first() else { continue }
            let unit = try await row.resolved(on: app.db)
            let actor = AuditActor.person(author, address: "127.0.0.1")
            for (index, item) in items.enumerated() {
                var input = ResourceService.Input()
                input.title = item.title
                input.kind = item.kind.rawValue
                input.subject = item.subject
                input.grade = String(item.grade)
                input.description = item.description
                input.linkURL = item.link
                let file = item.link.isEmpty ? (bytes: pdf, name: "\(code)-\(index + 1).pdf") : nil
                let resource = try await ResourceService.save(input, file: file, existing: nil, unit: unit, by: actor, config: app.eduConfig, on: app.db)
                // Published by the board, except the last item of a school, left waiting for review.
                let waiting = code == "thpt-chu-van-an" && index == items.count - 1
                resource.state = waiting ? .choDuyet : .daDang
                resource.publishedAt = waiting ? nil : now.addingTimeInterval(-Double(index + 1) * 86_400)
                try await resource.save(on: app.db)
            }
            try await OrgUnit.touch(unitID, on: app.db)
        }
    }
}
