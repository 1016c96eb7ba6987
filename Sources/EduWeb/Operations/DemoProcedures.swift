import EduCore
import EduData
import Fluent
import Foundation
import Vapor

/// The demo's administrative procedures: the Sở's (upper-secondary schools, exams and diplomas,
/// centres) and the commune offices' (primary and lower-secondary schools, admissions). The names,
/// dossiers and legal bases follow the education sector's procedures; the codes are illustrative
/// (a Sở imports its own catalogue with the national codes from the template).
enum DemoProcedures {
    struct Spec {
        let code: String
        let name: String
        let field: String
        let level: ProcedureLevel
        let applicants: String
        let dossier: String
        let time: String
        let fees: String
        let basis: String
    }

    static let so: [Spec] = [
        .init(code: "1.005088", name: "Chuyển trường đối với học sinh trung học phổ thông", field: "Giáo dục trung học", level: .fullyOnline,
              applicants: "Cha mẹ hoặc người giám hộ học sinh trung học phổ thông.",
              dossier: "1. Đơn xin chuyển trường do cha mẹ hoặc người giám hộ ký.\n2. Học bạ (bản chính).\n3. Giấy chứng nhận trúng tuyển vào lớp 10.\n4. Giấy giới thiệu chuyển trường do hiệu trưởng nhà trường nơi đi cấp.\nSố lượng: 01 bộ.",
              time: "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", fees: "",
              basis: "Thông tư 50/2021/TT-BGDĐT sửa đổi Quy định về chuyển trường và tiếp nhận học sinh học tại trường trung học."),
        .init(code: "1.005092", name: "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", field: "Văn bằng, chứng chỉ", level: .partlyOnline,
              applicants: "Người được cấp văn bằng, chứng chỉ; người đại diện theo pháp luật hoặc người được ủy quyền.",
              dossier: "1. Đơn đề nghị cấp bản sao (theo mẫu).\n2. Giấy tờ tùy thân còn hiệu lực.\n3. Giấy ủy quyền (nếu nhờ người khác nộp).\nSố lượng: 01 bộ.",
              time: "Trong ngày nếu nhận trước 15 giờ; không quá 03 ngày làm việc với trường hợp phải xác minh", fees: "Theo quy định về phí cấp bản sao.",
              basis: "Nghị định 23/2015/NĐ-CP về cấp bản sao từ sổ gốc; Thông tư 21/2019/TT-BGDĐT ban hành Quy chế quản lý bằng tốt nghiệp, chứng chỉ."),
        .init(code: "1.005093", name: "Chỉnh sửa nội dung văn bằng, chứng chỉ", field: "Văn bằng, chứng chỉ", level: .partlyOnline,
              applicants: "Người được cấp văn bằng, chứng chỉ có thông tin cần chỉnh sửa.",
              dossier: "1. Đơn đề nghị chỉnh sửa văn bằng, chứng chỉ.\n2. Văn bằng, chứng chỉ đề nghị chỉnh sửa.\n3. Quyết định thay đổi, cải chính hộ tịch hoặc giấy tờ làm căn cứ chỉnh sửa.\n4. Giấy khai sinh (bản sao).\nSố lượng: 01 bộ.",
              time: "05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", fees: "",
              basis: "Thông tư 21/2019/TT-BGDĐT ban hành Quy chế quản lý bằng tốt nghiệp trung học cơ sở, bằng tốt nghiệp trung học phổ thông, văn bằng giáo dục đại học và chứng chỉ."),
        .init(code: "1.005095", name: "Phúc khảo bài thi tốt nghiệp trung học phổ thông", field: "Thi, tuyển sinh", level: .fullyOnline,
              applicants: "Thí sinh dự thi tốt nghiệp trung học phổ thông.",
              dossier: "Đơn đề nghị phúc khảo (nộp trực tuyến trên Hệ thống quản lý thi hoặc tại nơi đăng ký dự thi).",
              time: "Kết quả phúc khảo được công bố chậm nhất 15 ngày kể từ ngày hết hạn nhận đơn", fees: "",
              basis: "Thông tư 24/2024/TT-BGDĐT ban hành Quy chế thi tốt nghiệp trung học phổ thông."),
        .init(code: "1.005097", name: "Xét tuyển sinh vào lớp 10 trung học phổ thông", field: "Thi, tuyển sinh", level: .fullyOnline,
              applicants: "Học sinh đã tốt nghiệp trung học cơ sở trong độ tuổi theo quy định.",
              dossier: "1. Phiếu đăng ký dự tuyển (trực tuyến).\n2. Bản sao giấy khai sinh.\n3. Bằng tốt nghiệp trung học cơ sở hoặc giấy chứng nhận tốt nghiệp tạm thời.\n4. Học bạ trung học cơ sở.\n5. Giấy xác nhận ưu tiên, khuyến khích (nếu có).",
              time: "Theo kế hoạch tuyển sinh hằng năm của Sở", fees: "",
              basis: "Thông tư 30/2024/TT-BGDĐT ban hành Quy chế tuyển sinh trung học cơ sở và tuyển sinh trung học phổ thông."),
        .init(code: "2.001842", name: "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục", field: "Giáo dục thường xuyên", level: .partlyOnline,
              applicants: "Tổ chức, cá nhân thành lập trung tâm ngoại ngữ, tin học.",
              dossier: "1. Tờ trình đề nghị cho phép hoạt động giáo dục.\n2. Quyết định thành lập trung tâm.\n3. Danh sách giáo viên kèm hồ sơ, văn bằng.\n4. Chương trình giảng dạy, tài liệu.\n5. Hồ sơ chứng minh cơ sở vật chất.\nSố lượng: 01 bộ.",
              time: "20 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", fees: "",
              basis: "Nghị định 125/2024/NĐ-CP quy định điều kiện đầu tư và hoạt động trong lĩnh vực giáo dục; Thông tư 21/2018/TT-BGDĐT."),
        .init(code: "1.005074", name: "Công nhận trường trung học phổ thông đạt chuẩn quốc gia", field: "Giáo dục trung học", level: .partlyOnline,
              applicants: "Trường trung học phổ thông.",
              dossier: "1. Tờ trình đề nghị công nhận.\n2. Báo cáo kết quả tự đánh giá và đánh giá ngoài.\n3. Báo cáo tiêu chuẩn đạt chuẩn quốc gia kèm minh chứng.\nSố lượng: 01 bộ.",
              time: "30 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", fees: "",
              basis: "Thông tư 18/2018/TT-BGDĐT quy định về kiểm định chất lượng giáo dục và công nhận đạt chuẩn quốc gia đối với trường trung học."),
        .init(code: "1.001622", name: "Xét, cấp học bổng chính sách", field: "Giáo dục dân tộc", level: .information,
              applicants: "Học sinh trường phổ thông dân tộc nội trú; học sinh thuộc đối tượng chính sách.",
              dossier: "Danh sách học sinh đủ điều kiện do nhà trường lập.",
              time: "Theo kỳ xét học bổng của năm học", fees: "",
              basis: "Nghị định 84/2020/NĐ-CP quy định chi tiết một số điều của Luật Giáo dục."),
    ]

    static let commune: [Spec] = [
        .init(code: "1.005099", name: "Chuyển trường đối với học sinh trung học cơ sở", field: "Giáo dục trung học", level: .fullyOnline,
              applicants: "Cha mẹ hoặc người giám hộ học sinh trung học cơ sở.",
              dossier: "1. Đơn xin chuyển trường.\n2. Học bạ (bản chính).\n3. Giấy giới thiệu chuyển trường của trường nơi đi.\nSố lượng: 01 bộ.",
              time: "03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", fees: "",
              basis: "Thông tư 50/2021/TT-BGDĐT."),
        .init(code: "1.004439", name: "Tuyển sinh vào lớp 1 và lớp 6", field: "Thi, tuyển sinh", level: .fullyOnline,
              applicants: "Trẻ em trong độ tuổi vào lớp 1; học sinh hoàn thành chương trình tiểu học.",
              dossier: "1. Phiếu đăng ký tuyển sinh (trực tuyến).\n2. Bản sao giấy khai sinh.\n3. Học bạ tiểu học (với tuyển sinh lớp 6).",
              time: "Theo kế hoạch tuyển sinh của xã", fees: "",
              basis: "Thông tư 30/2024/TT-BGDĐT; kế hoạch tuyển sinh hằng năm của Ủy ban nhân dân xã."),
        .init(code: "1.004555", name: "Cho phép trường tiểu học hoạt động giáo dục", field: "Giáo dục tiểu học", level: .partlyOnline,
              applicants: "Trường tiểu học công lập, tư thục trên địa bàn xã.",
              dossier: "1. Tờ trình đề nghị cho phép hoạt động giáo dục.\n2. Quyết định thành lập hoặc cho phép thành lập trường.\n3. Danh sách cán bộ quản lý, giáo viên.\n4. Hồ sơ về cơ sở vật chất, thiết bị.\nSố lượng: 01 bộ.",
              time: "20 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", fees: "",
              basis: "Nghị định 125/2024/NĐ-CP."),
    ]

    static func create(units: [String: OrgUnit], app: Application) async throws {
        let plans: [(String, [Spec], String, String)] = [
            (DemoProvince.rootCode, so, "Văn phòng Sở, Bộ phận một cửa – Trung tâm Phục vụ hành chính công tỉnh Ninh Bình", "Phòng Quản lý chất lượng – 0229 3871 066"),
            ("phong-vhxh-gia-vien", commune, "Bộ phận tiếp nhận và trả kết quả – Ủy ban nhân dân xã Gia Viễn", "Phòng Văn hóa - Xã hội – 0229 3640 215"),
            ("phong-vhxh-phat-diem", commune, "Bộ phận tiếp nhận và trả kết quả – Ủy ban nhân dân xã Phát Diệm", "Phòng Văn hóa - Xã hội – 0229 3862 305"),
        ]
        for (code, specs, place, contact) in plans {
            guard let row = units[code] else { continue }
            let unit = try await row.resolved(on: app.db)
            let amending = try await LegalDocument.publicQuery(unitID: unit.id, on: app.db).sort(\.$issuedOn, .descending).first()
            for (index, spec) in specs.enumerated() {
                var input = ProcedureService.Input()
                input.code = spec.code
                input.name = spec.name
                input.field = spec.field
                input.level = spec.level.rawValue
                input.applicants = spec.applicants
                input.dossier = spec.dossier
                input.processingTime = spec.time
                input.fees = spec.fees
                input.place = "Nộp trực tuyến trên Cổng dịch vụ công quốc gia, qua bưu chính hoặc trực tiếp tại \(place)."
                input.handlerName = contact.components(separatedBy: " – ").first ?? ""
                input.handlerContact = contact.components(separatedBy: " – ").last ?? ""
                input.legalBasis = spec.basis
                input.submitURL = spec.level == .information ? "" : "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=\(spec.code)"
                if index == 0, let amending { input.amendedBy = amending.id?.uuidString.lowercased() ?? "" }
                let procedure = try await ProcedureService.save(input, existing: nil, unit: unit, mayPublish: true, by: .cli("demo"), who: "demo", on: app.db)
                // All but the last one published: the admin list shows a draft too.
                if index < specs.count - 1 { try await Publishing.set(procedure, true, unit: unit, by: .cli("demo"), on: app.db) }
            }
        }
    }
}
