import EduCore
import EduData
import Foundation
import Vapor

/// The demo's projects, tenders and purchases (A8.13 is a management agency's section) at the Sở:
/// a school building project and its tender, equipment purchases over three years, a tender
/// inviting bids, one cancelled purchase left as a draft; and at each commune office, a repair
/// project and a purchase for its schools.
enum DemoProcurement {
    static func create(units: [String: OrgUnit], app: Application) async throws {
        let year = VietnameseDate.calendar.component(.year, from: Date())
        let so: [ProcurementService.Input] = [
            item(.project, "Dự án cải tạo, nâng cấp Trường THPT Chu Văn An", "Quyết định 1125/QĐ-UBND", "38.500.000.000", "Ngân sách tỉnh",
                 "", .underway, "15/03/\(year - 1)", "", "", "Xây mới khối 12 phòng học bộ môn, cải tạo nhà đa năng và hệ thống điện, nước."),
            item(.tender, "Gói thầu số 03: Xây lắp khối phòng học bộ môn – Trường THPT Chu Văn An", "TBMT IB2500012345", "24.860.000.000", "Ngân sách tỉnh",
                 "Đấu thầu rộng rãi qua mạng", .underway, "02/06/\(year - 1)", "30/11/\(year)", "Công ty Cổ phần Xây dựng Hoa Lư", "Thi công xây lắp theo hồ sơ thiết kế được duyệt."),
            item(.purchase, "Mua sắm thiết bị dạy học tối thiểu lớp 12 cho các trường THPT", "Quyết định 412/QĐ-SGDĐT", "6.420.000.000", "Ngân sách tỉnh",
                 "Chào hàng cạnh tranh", .completed, "10/04/\(year - 1)", "25/08/\(year - 1)", "Công ty TNHH Thiết bị Giáo dục Ninh Bình", "Thiết bị dạy học theo Thông tư 39/2021/TT-BGDĐT."),
            item(.tender, "Gói thầu số 05: Mua sắm máy tính phòng tin học cho 6 trường THPT", "KHLCNT 27/KH-SGDĐT", "3.150.000.000", "Ngân sách tỉnh",
                 "Đấu thầu rộng rãi qua mạng", .inviting, "20/10/\(year)", "", "", "180 máy tính để bàn, 6 máy chủ phòng máy, thiết bị mạng."),
            item(.purchase, "Mua sắm bàn ghế học sinh năm \(year - 2)", "Quyết định 230/QĐ-SGDĐT", "1.280.000.000", "Ngân sách tỉnh",
                 "Chào hàng cạnh tranh rút gọn", .cancelled, "05/05/\(year - 2)", "", "", "Đã hủy do điều chỉnh dự toán; nội dung gộp vào kế hoạch năm sau."),
        ]
        guard let row = units[DemoProvince.rootCode] else { return }
        let unit = try await row.resolved(on: app.db)
        for (index, input) in so.enumerated() {
            let saved = try await ProcurementService.save(input, existing: nil, unit: unit, mayPublish: true, by: .cli("demo"), who: "demo", on: app.db)
            if index < so.count - 1 { try await Publishing.set(saved, true, unit: unit, by: .cli("demo"), on: app.db) }
        }
        // The commune offices buy for their schools: a repair project under way and a completed purchase each.
        for (code, commune) in [("phong-vhxh-gia-vien", "Gia Viễn"), ("phong-vhxh-phat-diem", "Phát Diệm")] {
            guard let row = units[code] else { continue }
            let unit = try await row.resolved(on: app.db)
            for input in [
                item(.project, "Sửa chữa phòng học, nhà vệ sinh các trường tiểu học xã \(commune)", "Quyết định 86/QĐ-UBND xã", "2.350.000.000", "Ngân sách xã",
                     "", .underway, "12/02/\(year)", "", "", "Chống thấm, thay cửa, cải tạo nhà vệ sinh học sinh tại 3 điểm trường."),
                item(.purchase, "Mua sắm đồ dùng, đồ chơi tối thiểu cho các lớp mẫu giáo 5 tuổi", "Quyết định 41/QĐ-UBND xã", "486.000.000", "Ngân sách xã",
                     "Chào hàng cạnh tranh rút gọn", .completed, "03/07/\(year - 1)", "20/08/\(year - 1)", "Công ty TNHH Thiết bị trường học Tam Điệp",
                     "Đồ dùng, đồ chơi theo Thông tư 02/2010/TT-BGDĐT cho 8 lớp."),
            ] {
                let saved = try await ProcurementService.save(input, existing: nil, unit: unit, mayPublish: true, by: .cli("demo"), who: "demo", on: app.db)
                try await Publishing.set(saved, true, unit: unit, by: .cli("demo"), on: app.db)
            }
        }
    }

    static func item(_ kind: ProcurementItem.Kind, _ title: String, _ reference: String, _ value: String, _ funding: String, _ method: String,
                     _ status: ProcurementItem.Status, _ start: String, _ end: String, _ contractor: String, _ description: String) -> ProcurementService.Input {
        var input = ProcurementService.Input()
        input.kind = kind.rawValue
        input.title = title
        input.reference = reference
        input.value = value
        input.funding = funding
        input.method = method
        input.status = status.rawValue
        input.startOn = start
        input.endOn = end
        input.contractor = contractor
        input.description = description
        return input
    }
}
