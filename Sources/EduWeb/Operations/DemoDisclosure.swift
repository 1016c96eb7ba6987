import EduCore
import EduData
import Fluent
import Foundation
import Vapor

/// The demo's disclosures: every school's items for the previous school year, published on time
/// in the autumn, except one school that published late and one that left an item out; and for
/// the current year the general information and the plan.
enum DemoDisclosure {
    static let lateSchool = "thcs-gia-vien"
    static let missingSchool = "mn-gia-van"

    static func create(units: [String: OrgUnit], app: Application) async throws {
        let now = Date()
        let current = DisclosureService.schoolYear(of: now)
        let root = DisclosureService.filesRoot(app.eduConfig)
        let pdf = Array(DemoConsultations.onePagePDF("Cong khai - bao cao").utf8)
        for (code, unit) in units.sorted(by: { $0.key < $1.key }) where !YearbookLevel.levels(of: unit.type).isEmpty {
            let resolved = try await unit.resolved(on: app.db)
            for item in DisclosureCatalogue.items(for: unit.type) {
                if code == missingSchool && item.key == "tai-chinh" { continue }
                let due = DisclosurePolicy.standard.yearlyDue(schoolYear: current - 1)
                let at = code == lateSchool && item.key == "bao-cao-thuong-nien" ? due.addingTimeInterval(20 * 86_400) : due.addingTimeInterval(-120 * 86_400)
                try await DisclosureService.save(
                    itemKey: item.key, year: current - 1, text: text(item, unit: unit, year: current - 1),
                    fields: try await fields(item, unit: resolved, year: current - 1, on: app.db), changedOn: "",
                    file: item.form == .file ? .init(filename: "\(item.key)-\(current - 1).pdf", bytes: pdf) : nil,
                    unit: resolved, by: .cli("demo"), who: "demo", root: root, now: min(at, now), on: app.db)
            }
            for key in ["thong-tin-chung", "ke-hoach"] {
                guard let item = DisclosureCatalogue.item(key) else { continue }
                try await DisclosureService.save(
                    itemKey: key, year: current, text: text(item, unit: unit, year: current),
                    fields: try await fields(item, unit: resolved, year: current, on: app.db), changedOn: "",
                    file: item.form == .file ? .init(filename: "\(key)-\(current).pdf", bytes: pdf) : nil,
                    unit: resolved, by: .cli("demo"), who: "demo", root: root, now: now, on: app.db)
            }
        }
    }

    /// The item's figures: the staff and rooms from the school's yearbook, the rest plausible for its type.
    static func fields(_ item: DisclosureItem, unit: ResolvedUnit, year: Int, on db: any Database) async throws -> [String: String] {
        var values = try await DisclosureService.yearbookFigures(for: item, unit: unit, year: year, on: db)
        let seed = unit.code.unicodeScalars.reduce(0) { $0 + Int($1.value) }
        let isPublic = try await YearbookReport.query(in: unit, on: db).first()?.ownership ?? YearbookOwnership.congLap.rawValue == YearbookOwnership.congLap.rawValue
        switch item.key {
        case "thong-tin-chung":
            values["dia_chi"] = unit.address.isEmpty ? unit.name : unit.address
            values["nguoi_dung_dau"] = unit.headName.isEmpty ? "Hiệu trưởng" : unit.headName + ", " + (unit.headTitle.isEmpty ? "Hiệu trưởng" : unit.headTitle)
            values["dau_moi"] = [unit.phone, unit.email].filter { !$0.isEmpty }.joined(separator: ", ")
            if values["dau_moi"]?.isEmpty ?? true { values["dau_moi"] = "Văn phòng nhà trường" }
        case "tai-chinh":
            // Public schools charge no tuition from 2025–2026 (Resolution 217/2025/QH15).
            values["hoc_phi_thang"] = isPublic ? (year >= 2025 ? "0" : "100000") : "1800000"
            values["tong_thu"] = String(2_400_000_000 + seed % 97 * 10_000_000)
            values["tong_chi"] = String(2_350_000_000 + seed % 89 * 10_000_000)
            values["mien_giam"] = String(12 + seed % 40)
        case "kiem-dinh":
            values["cap_do_kiem_dinh"] = "Cấp độ \(1 + seed % 3)"
            values["muc_chuan_quoc_gia"] = seed % 4 == 0 ? "Chưa đạt" : "Mức độ \(1 + seed % 2)"
            if seed % 4 != 0 { values["nam_cong_nhan"] = String(2018 + seed % 6) }
        case "cham-soc-nuoi-duong":
            values["tre_ban_tru"] = String(150 + seed % 120)
            values["muc_an_ngay"] = "25000"
        case "ket-qua-hoc-tap":
            values["ti_le_len_lop"] = String(format: "%.1f", 97.0 + Double(seed % 28) / 10)
            if unit.type != .tieuHoc { values["ti_le_tot_nghiep"] = String(format: "%.1f", 96.5 + Double(seed % 33) / 10) }
        case "bao-cao-thuong-nien":
            values["so_lieu_den_ngay"] = "31/12/\(year)"
        default: break
        }
        return values
    }

    static func text(_ item: DisclosureItem, unit: OrgUnit, year: Int) -> String {
        switch item.key {
        case "thong-tin-chung": "\(unit.name), \(unit.address). Hiệu trưởng: \(unit.headName). Điện thoại \(unit.phone), thư điện tử \(unit.email)."
        case "tai-chinh": "Công khai thu, chi năm học \(year)–\(year + 1): chi tiết trong tệp đính kèm. Học sinh thuộc diện chính sách được miễn, giảm theo quy định."
        case "doi-ngu": "Đội ngũ nhà giáo, cán bộ quản lý, nhân viên năm học \(year)–\(year + 1): số liệu theo niên giám thống kê của trường."
        case "co-so-vat-chat": "Phòng học, phòng bộ môn, thư viện, thiết bị dạy học: số liệu theo niên giám thống kê của trường."
        case "kiem-dinh": "Trường đạt kiểm định chất lượng giáo dục cấp độ 2; đạt chuẩn quốc gia mức độ 1."
        case "ke-hoach": "Kế hoạch giáo dục năm học \(year)–\(year + 1) và kết quả năm học trước: xem tệp đính kèm."
        case "cham-soc-nuoi-duong": "Trẻ được chăm sóc, nuôi dưỡng bán trú; 98% trẻ phát triển bình thường về cân nặng và chiều cao."
        case "ket-qua-hoc-tap": "Tỉ lệ học sinh hoàn thành chương trình, lên lớp: 99,2%."
        default: "Báo cáo thường niên năm \(year + 1): xem tệp đính kèm."
        }
    }
}
