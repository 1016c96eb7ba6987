/// The fixed type codes of a unit. Which types may sit under which is data (`UnitTreeRules`),
/// because provinces reorganise their levels (since 2025 commune-level offices replace many
/// district offices) and the code must not need a rebuild for that.
public enum UnitType: String, CaseIterable, Sendable, Codable, Hashable {
    case bo
    case so
    case phong
    case xa
    case mamNon = "mam-non"
    case tieuHoc = "tieu-hoc"
    case thcs
    case thpt
    case lienCap = "lien-cap"
    case gdtx
    case trungTam = "trung-tam"

    /// The Vietnamese name of the type, as the UI shows it.
    public var label: String {
        switch self {
        case .bo: "Bộ Giáo dục và Đào tạo"
        case .so: "Sở Giáo dục và Đào tạo"
        case .phong: "Phòng Giáo dục và Đào tạo"
        case .xa: "Phòng Văn hóa - Xã hội (cấp xã)"
        case .mamNon: "Trường mầm non"
        case .tieuHoc: "Trường tiểu học"
        case .thcs: "Trường trung học cơ sở"
        case .thpt: "Trường trung học phổ thông"
        case .lienCap: "Trường liên cấp"
        case .gdtx: "Trung tâm giáo dục thường xuyên"
        case .trungTam: "Trung tâm"
        }
    }

    /// Management agencies (cơ quan quản lý giáo dục) versus schools and centres (cơ sở giáo dục).
    public var isManagementAgency: Bool {
        switch self {
        case .bo, .so, .phong, .xa: true
        default: false
        }
    }
}

/// Which child types each parent type may hold. Stored in the database; `standard` is what a
/// fresh installation starts with.
public struct UnitTreeRules: Sendable, Equatable {
    public var allowedChildren: [UnitType: Set<UnitType>]

    public init(allowedChildren: [UnitType: Set<UnitType>]) {
        self.allowedChildren = allowedChildren
    }

    public init(pairs: [(parent: UnitType, child: UnitType)]) {
        var map: [UnitType: Set<UnitType>] = [:]
        for pair in pairs { map[pair.parent, default: []].insert(pair.child) }
        self.allowedChildren = map
    }

    public func allows(parent: UnitType, child: UnitType) -> Bool {
        allowedChildren[parent]?.contains(child) ?? false
    }

    public func childTypes(of parent: UnitType) -> [UnitType] {
        UnitType.allCases.filter { allows(parent: parent, child: $0) }
    }

    public static let schoolTypes: Set<UnitType> = [.mamNon, .tieuHoc, .thcs, .thpt, .lienCap, .gdtx, .trungTam]

    /// Sở manage THPT, GDTX, centres and (in some provinces) schools directly; Phòng and commune
    /// offices manage preschools, primary and lower-secondary schools.
    public static let standard = UnitTreeRules(allowedChildren: [
        .bo: [.so],
        .so: [.phong, .xa, .thpt, .lienCap, .gdtx, .trungTam, .thcs, .tieuHoc, .mamNon],
        .phong: [.mamNon, .tieuHoc, .thcs, .lienCap, .trungTam],
        .xa: [.mamNon, .tieuHoc, .thcs, .lienCap],
    ])

    public var pairs: [(parent: UnitType, child: UnitType)] {
        UnitType.allCases.flatMap { parent in
            childTypes(of: parent).map { (parent: parent, child: $0) }
        }
    }
}
