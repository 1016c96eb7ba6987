import EduCore
import EduData
import Foundation
import Vapor

/// The demo's statistics yearbook: five school years' start-of-year periods (reference 30/9, due
/// 30/10) and every school's figures, filed through the same checks as the entry form; for the
/// latest year one school has not filed and one filed late, so the status pages have something to show.
enum DemoYearbook {
    static let years = 5
    static let missingLatest = "mn-gia-van"
    static let lateLatest = "th-gia-hoa"

    static func create(units: [String: OrgUnit], app: Application) async throws {
        guard let so = units[DemoProvince.rootCode] else { return }
        let resolvedSo = try await so.resolved(on: app.db)
        var periods: [YearbookPeriod] = []
        // The five school years up to the current one (derived, so the demo never goes stale).
        let firstYear = VietnameseDate.schoolYear(of: Date()) - years + 1
        for offset in 0..<years {
            let year = firstYear + offset
            var input = YearbookService.PeriodInput()
            input.schoolYear = "\(year)-\(year + 1)"
            input.kind = YearbookPeriod.Kind.startOfYear.rawValue
            input.referenceDate = "30/09/\(year) 00:00"
            input.dueAt = "30/10/\(year) 17:00"
            periods.append(try await YearbookService.createPeriod(input, unit: resolvedSo, by: .cli("demo"), on: app.db))
        }
        for (code, unit) in units.sorted(by: { $0.key < $1.key }) where !YearbookLevel.levels(of: unit.type).isEmpty {
            let resolved = try await unit.resolved(on: app.db)
            let seed = code.unicodeScalars.reduce(0) { ($0 * 31 + Int($1.value)) % 997 }
            for (offset, period) in periods.enumerated() {
                let latest = offset == periods.count - 1
                if latest && code == missingLatest { continue }
                let filedAt = period.dueAt.addingTimeInterval(latest && code == lateLatest ? 6 * 86_400 : -5 * 86_400)
                try await YearbookService.save(form(for: unit.type, seed: seed, year: offset), unit: resolved, period: period, by: .cli("demo"),
                                               who: "demo", now: filedAt, on: app.db)
            }
        }
    }

    /// Plausible figures: a few hundred pupils a level, growing or shrinking a little each year.
    static func form(for type: UnitType, seed: Int, year: Int) -> [String: String] {
        var values: [String: Int] = [:]
        var classesTotal = 0
        for level in YearbookLevel.levels(of: type) {
            let perClass = level == .mamNon ? 28 : (level == .tieuHoc ? 33 : 40)
            let base = 180 + (seed * 7 + level.rawValue.count * 53) % 600
            let growth = 1.0 + Double((seed % 7) - 3) / 100.0
            let pupils = Int(Double(base) * pow(growth, Double(year)))
            let classes = max(1, Int((Double(pupils) / Double(perClass)).rounded(.up)))
            classesTotal += classes
            values["\(level.rawValue).lop"] = classes
            values["\(level.rawValue).hoc_sinh"] = pupils
            values["\(level.rawValue).hoc_sinh_nu"] = pupils * 48 / 100
            values["\(level.rawValue).hoc_sinh_dan_toc"] = pupils * (seed % 5) / 100
            values["\(level.rawValue).hoc_sinh_khuyet_tat"] = pupils / 120
        }
        let teachers = Int(Double(classesTotal) * (type == .mamNon ? 2.0 : 1.6))
        let below = year < 2 ? teachers / 20 : 0
        let above = teachers * (20 + year * 4) / 100
        values["truong.can_bo_quan_ly"] = type == .lienCap ? 4 : 3
        values["truong.giao_vien"] = teachers
        values["truong.giao_vien_nu"] = teachers * 70 / 100
        values["truong.gv_duoi_chuan"] = below
        values["truong.gv_tren_chuan"] = above
        values["truong.gv_dat_chuan"] = teachers - below - above
        values["truong.nhan_vien"] = 4 + classesTotal / 10
        values["truong.phong_hoc"] = classesTotal + 2
        values["truong.phong_hoc_kien_co"] = classesTotal - (year < 3 ? 2 : 0)
        values["truong.phong_bo_mon"] = type == .mamNon ? 0 : 2 + year / 2
        values["truong.thu_vien"] = 1
        values["truong.may_tinh"] = type == .mamNon ? 2 : 20 + year * 5
        values["truong.nha_ve_sinh"] = 4 + classesTotal / 8
        values["truong.nha_ve_sinh_dat_chuan"] = 2 + classesTotal / 8 + (year >= 3 ? 2 : 0)
        var form = Dictionary(uniqueKeysWithValues: values.map { (YearbookService.fieldName($0.key), String($0.value)) })
        form["ownership"] = type == .mamNon && seed % 2 == 1 ? YearbookOwnership.tuThuc.rawValue : YearbookOwnership.congLap.rawValue
        return form
    }
}
