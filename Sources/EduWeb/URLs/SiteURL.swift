import Foundation

/// The one URL map: routes are registered from these paths and links are built from them, so a
/// link cannot point at a route that does not exist.
public enum SiteURL: Sendable, Equatable {
    // public
    case home
    case healthz
    case staticAsset(String)
    // API
    case apiUnits
    // admin
    case login
    case loginSecondFactor
    case logout
    case adminHome
    case adminUnit(code: String)
    case adminUnitEdit(code: String)
    case adminUnitCreateChild(code: String)
    case adminUserCreate(code: String)
    case adminGrant(code: String)
    case adminRevoke(code: String)
    case adminUserDisable(code: String)
    case adminAudit
    case adminSecondFactor

    /// Path components for route registration (`:code` for parameters).
    public var pathComponents: [String] {
        switch self {
        case .home: []
        case .healthz: ["healthz"]
        case .staticAsset: ["static", "**"]
        case .apiUnits: ["api", "v1", "units"]
        case .login: ["quan-tri", "dang-nhap"]
        case .loginSecondFactor: ["quan-tri", "dang-nhap", "ma-xac-thuc"]
        case .logout: ["quan-tri", "dang-xuat"]
        case .adminHome: ["quan-tri"]
        case .adminUnit: ["quan-tri", "don-vi", ":code"]
        case .adminUnitEdit: ["quan-tri", "don-vi", ":code", "sua"]
        case .adminUnitCreateChild: ["quan-tri", "don-vi", ":code", "tao-don-vi-truc-thuoc"]
        case .adminUserCreate: ["quan-tri", "don-vi", ":code", "tao-tai-khoan"]
        case .adminGrant: ["quan-tri", "don-vi", ":code", "phan-quyen"]
        case .adminRevoke: ["quan-tri", "don-vi", ":code", "thu-hoi-quyen"]
        case .adminUserDisable: ["quan-tri", "don-vi", ":code", "khoa-tai-khoan"]
        case .adminAudit: ["quan-tri", "nhat-ky"]
        case .adminSecondFactor: ["quan-tri", "tai-khoan", "xac-thuc-hai-buoc"]
        }
    }

    /// The finished path for a link.
    public var path: String {
        var parts: [String] = []
        for component in pathComponents {
            switch (component, self) {
            case (":code", .adminUnit(let code)), (":code", .adminUnitEdit(let code)),
                (":code", .adminUnitCreateChild(let code)), (":code", .adminUserCreate(let code)),
                (":code", .adminGrant(let code)), (":code", .adminRevoke(let code)),
                (":code", .adminUserDisable(let code)):
                parts.append(code.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? code)
            case ("**", .staticAsset(let file)):
                parts.append(file)
            default:
                parts.append(component)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
