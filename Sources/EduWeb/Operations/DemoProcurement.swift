import EduCore
import EduData
import Foundation
import Vapor

/// The demo's projects, tenders and purchases at the Sở (A8.13 is a management agency's section):
/// a school building project and its tender, equipment purchases over three years, a tender
/// inviting bids, one cancelled purchase left as a draft.
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
            if index < so.count - 1 { try await ProcurementService.setPublished(saved, true, unit: unit, by: .cli("demo"), on: app.db) }
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
