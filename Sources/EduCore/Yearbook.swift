import Foundation

/// The statistics yearbook's indicators (A8.8, A9.9), after the sector's statistical indicator
/// system, Circular 03/2024/TT-BGDĐT (which replaced Circular 19/2017): schools, classes and pupils
/// by level and type, by sex, ethnicity and disability; teachers and staff by qualification;
/// facilities. The circular's full annex was not available here: the indicators below are the
/// groups REQUIREMENTS.md names, kept as data (`YearbookCatalogue.indicators`), so a province can
/// add one without touching the code that stores, checks, sums and shows them.
public struct YearbookIndicator: Sendable, Hashable {
    public enum Scope: String, Sendable {
        /// Counted per school level the school teaches (a inter-level school has several).
        case level
        /// Counted once per school (staff, facilities).
        case school
    }

    public let key: String
    public let label: String
    public let section: String
    public let scope: Scope

    public init(_ key: String, _ label: String, section: String, scope: Scope) {
        self.key = key
        self.label = label
        self.section = section
        self.scope = scope
    }
}

/// A school level as the yearbook counts it.
public enum YearbookLevel: String, Sendable, CaseIterable {
    case mamNon = "mam-non"
    case tieuHoc = "tieu-hoc"
    case thcs
    case thpt
    case gdtx

    public var label: String {
        switch self {
        case .mamNon: "Mầm non"
        case .tieuHoc: "Tiểu học"
        case .thcs: "Trung học cơ sở"
        case .thpt: "Trung học phổ thông"
        case .gdtx: "Giáo dục thường xuyên"
        }
    }

    /// Pupils per class a report may show without being queried (below or above is a fault to check).
    public var pupilsPerClass: ClosedRange<Double> {
        switch self {
        case .mamNon: 3...45
        case .tieuHoc, .thcs, .thpt: 3...55
        case .gdtx: 3...70
        }
    }

    /// The levels a unit of this type teaches; none for offices and other centres.
    public static func levels(of type: UnitType) -> [YearbookLevel] {
        switch type {
        case .mamNon: [.mamNon]
        case .tieuHoc: [.tieuHoc]
        case .thcs: [.thcs]
        case .thpt: [.thpt]
        case .lienCap: [.tieuHoc, .thcs, .thpt]
        case .gdtx: [.gdtx]
        case .bo, .so, .phong, .xa, .trungTam: []
        }
    }
}

/// Public or not (loại hình): counted per school and report.
public enum YearbookOwnership: String, Sendable, CaseIterable {
    case congLap = "cong-lap"
    case tuThuc = "tu-thuc"
    case danLap = "dan-lap"

    public var label: String {
        switch self {
        case .congLap: "Công lập"
        case .tuThuc: "Tư thục"
        case .danLap: "Dân lập"
        }
    }
}

public enum YearbookCatalogue {
    public static let sections: [(key: String, label: String)] = [
        ("lop-hoc-sinh", "Lớp và học sinh"), ("nhan-su", "Cán bộ, giáo viên, nhân viên"), ("co-so-vat-chat", "Cơ sở vật chất"),
    ]

    public static let indicators: [YearbookIndicator] = [
        .init("lop", "Số lớp (nhóm lớp)", section: "lop-hoc-sinh", scope: .level),
        .init("hoc_sinh", "Số học sinh (trẻ)", section: "lop-hoc-sinh", scope: .level),
        .init("hoc_sinh_nu", "Trong đó: nữ", section: "lop-hoc-sinh", scope: .level),
        .init("hoc_sinh_dan_toc", "Trong đó: dân tộc thiểu số", section: "lop-hoc-sinh", scope: .level),
        .init("hoc_sinh_khuyet_tat", "Trong đó: khuyết tật", section: "lop-hoc-sinh", scope: .level),
        .init("can_bo_quan_ly", "Cán bộ quản lý", section: "nhan-su", scope: .school),
        .init("giao_vien", "Giáo viên", section: "nhan-su", scope: .school),
        .init("giao_vien_nu", "Giáo viên: nữ", section: "nhan-su", scope: .school),
        .init("gv_duoi_chuan", "Giáo viên: dưới chuẩn trình độ đào tạo", section: "nhan-su", scope: .school),
        .init("gv_dat_chuan", "Giáo viên: đạt chuẩn", section: "nhan-su", scope: .school),
        .init("gv_tren_chuan", "Giáo viên: trên chuẩn", section: "nhan-su", scope: .school),
        .init("nhan_vien", "Nhân viên", section: "nhan-su", scope: .school),
        .init("phong_hoc", "Phòng học", section: "co-so-vat-chat", scope: .school),
        .init("phong_hoc_kien_co", "Phòng học: kiên cố", section: "co-so-vat-chat", scope: .school),
        .init("phong_bo_mon", "Phòng học bộ môn", section: "co-so-vat-chat", scope: .school),
        .init("thu_vien", "Thư viện", section: "co-so-vat-chat", scope: .school),
        .init("may_tinh", "Máy tính dùng cho dạy học", section: "co-so-vat-chat", scope: .school),
        .init("nha_ve_sinh", "Khu vệ sinh", section: "co-so-vat-chat", scope: .school),
        .init("nha_ve_sinh_dat_chuan", "Khu vệ sinh: đạt chuẩn", section: "co-so-vat-chat", scope: .school),
    ]

    /// Every value key a school of this type reports: `<level>.<indicator>` for per-level ones,
    /// `truong.<indicator>` for the school's own.
    public static func keys(for type: UnitType) -> [String] {
        let levels = YearbookLevel.levels(of: type)
        guard !levels.isEmpty else { return [] }
        return levels.flatMap { level in indicators.filter { $0.scope == .level }.map { "\(level.rawValue).\($0.key)" } }
            + indicators.filter { $0.scope == .school }.map { "truong.\($0.key)" }
    }

    public static func indicator(forKey key: String) -> (level: YearbookLevel?, indicator: YearbookIndicator)? {
        let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let indicator = indicators.first(where: { $0.key == parts[1] }) else { return nil }
        if parts[0] == "truong" { return indicator.scope == .school ? (nil, indicator) : nil }
        guard let level = YearbookLevel(rawValue: parts[0]), indicator.scope == .level else { return nil }
        return (level, indicator)
    }

    public static func label(forKey key: String) -> String {
        guard let (level, indicator) = indicator(forKey: key) else { return key }
        return level.map { "\($0.label): \(indicator.label.prefix(1).lowercased() + indicator.label.dropFirst())" } ?? indicator.label
    }

    /// Sums and ratios that must hold in one school's report: each fault in Vietnamese, naming the
    /// indicators (the entry form and the import show them at the field or the cell).
    public static func faults(_ values: [String: Int], type: UnitType) -> [(key: String, message: String)] {
        var faults: [(String, String)] = []
        func v(_ key: String) -> Int { values[key] ?? 0 }
        for level in YearbookLevel.levels(of: type) {
            let p = level.rawValue
            let pupils = v("\(p).hoc_sinh"), classes = v("\(p).lop")
            for part in ["hoc_sinh_nu", "hoc_sinh_dan_toc", "hoc_sinh_khuyet_tat"] where v("\(p).\(part)") > pupils {
                faults.append(("\(p).\(part)", "\(label(forKey: "\(p).\(part)")) (\(v("\(p).\(part)"))) lớn hơn tổng số học sinh (\(pupils))."))
            }
            if pupils > 0 && classes == 0 {
                faults.append(("\(p).lop", "\(level.label): có \(pupils) học sinh nhưng không có lớp nào."))
            } else if classes > 0 {
                let ratio = Double(pupils) / Double(classes)
                if !level.pupilsPerClass.contains(ratio) {
                    faults.append(("\(p).lop", "\(level.label): \(pupils) học sinh / \(classes) lớp = \(String(format: "%.1f", ratio)) học sinh một lớp, ngoài khoảng hợp lý \(Int(level.pupilsPerClass.lowerBound))–\(Int(level.pupilsPerClass.upperBound)). Kiểm tra lại số lớp và số học sinh."))
                }
            }
        }
        let teachers = v("truong.giao_vien")
        let byQualification = v("truong.gv_duoi_chuan") + v("truong.gv_dat_chuan") + v("truong.gv_tren_chuan")
        if byQualification != teachers {
            faults.append(("truong.gv_dat_chuan", "Giáo viên theo trình độ (\(byQualification)) phải bằng tổng số giáo viên (\(teachers))."))
        }
        if v("truong.giao_vien_nu") > teachers { faults.append(("truong.giao_vien_nu", "Giáo viên nữ (\(v("truong.giao_vien_nu"))) lớn hơn tổng số giáo viên (\(teachers)).")) }
        if v("truong.phong_hoc_kien_co") > v("truong.phong_hoc") {
            faults.append(("truong.phong_hoc_kien_co", "Phòng học kiên cố (\(v("truong.phong_hoc_kien_co"))) nhiều hơn tổng số phòng học (\(v("truong.phong_hoc")))."))
        }
        if v("truong.nha_ve_sinh_dat_chuan") > v("truong.nha_ve_sinh") {
            faults.append(("truong.nha_ve_sinh_dat_chuan", "Khu vệ sinh đạt chuẩn (\(v("truong.nha_ve_sinh_dat_chuan"))) nhiều hơn tổng số khu vệ sinh (\(v("truong.nha_ve_sinh")))."))
        }
        return faults
    }
}
