import EduCore
import EduData
import Foundation
import Vapor

/// The demo's foreign-language and IT centres at the Sở: three active, one suspended, one closed.
enum DemoCentres {
    static func create(units: [String: OrgUnit], app: Application) async throws {
        guard let row = units[DemoProvince.rootCode] else { return }
        let so = try await row.resolved(on: app.db)
        let year = VietnameseDate.calendar.component(.year, from: Date())
        let centres: [(String, Centre.Kind, String, String, String, String, String, Centre.Status, String, String)] = [
            ("Trung tâm Ngoại ngữ Tràng An", .language, "215/QĐ-SGDĐT", "12/03/\(year - 4)", "Số 18 đường Lê Thái Tổ", "Phường Hoa Lư",
             "Tiếng Anh thiếu nhi; tiếng Anh giao tiếp; luyện thi chứng chỉ theo Khung năng lực ngoại ngữ 6 bậc.", .active, "", ""),
            ("Trung tâm Tin học Ninh Bình", .computing, "388/QĐ-SGDĐT", "05/06/\(year - 3)", "Số 45 đường Trần Hưng Đạo", "Phường Đông Thành",
             "Tin học ứng dụng cơ bản, nâng cao; lập trình cho học sinh.", .active, "", ""),
            ("Trung tâm Ngoại ngữ - Tin học Kim Sơn", .both, "102/QĐ-SGDĐT", "20/02/\(year - 5)", "Thị trấn Phát Diệm cũ, đường Phát Diệm Đông", "Xã Phát Diệm",
             "Tiếng Anh, tiếng Trung giao tiếp; tin học văn phòng.", .active, "", ""),
            ("Trung tâm Anh ngữ Sao Mai", .language, "77/QĐ-SGDĐT", "14/01/\(year - 2)", "Số 9 phố Vân Giang", "Phường Hoa Lư",
             "Tiếng Anh thiếu nhi.", .suspended, "521/QĐ-SGDĐT", "03/09/\(year - 1)"),
            ("Trung tâm Tin học Gia Viễn", .computing, "54/QĐ-SGDĐT", "10/08/\(year - 6)", "Đường 477, thôn Đông Xuân", "Xã Gia Viễn",
             "Tin học văn phòng.", .closed, "190/QĐ-SGDĐT", "15/04/\(year - 1)"),
        ]
        for (name, kind, licence, licensedOn, address, commune, programmes, status, decision, statusOn) in centres {
            var input = CentreService.Input()
            input.name = name
            input.kind = kind.rawValue
            input.licence = licence
            input.licensedOn = licensedOn
            input.address = address
            input.commune = commune
            input.phone = "0229 38\(licence.prefix(2)) 5\(licence.prefix(2))"
            input.programmes = programmes
            input.status = status.rawValue
            input.statusDecision = decision
            input.statusOn = statusOn
            try await CentreService.save(input, existing: nil, unit: so, by: .cli("demo"), who: "demo", on: app.db)
        }
    }
}
