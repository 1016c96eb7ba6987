/// Roles are granted to an account at a unit and cover that unit's whole subtree.
public enum Role: String, CaseIterable, Sendable, Codable, Hashable {
    /// Quản trị: the unit's technical focal person (A11.3): units, accounts, domains.
    case quanTri = "quan-tri"
    /// Trưởng Ban Biên tập: head of the editorial board (A11.1); approves and publishes.
    case truongBanBienTap = "truong-ban-bien-tap"
    /// Biên tập viên: edits and reviews.
    case bienTapVien = "bien-tap-vien"
    /// Cộng tác viên: drafts and submits.
    case congTacVien = "cong-tac-vien"
    /// Đầu mối thư điện tử: the email focal person (A4.5).
    case dauMoiThuDienTu = "dau-moi-thu-dien-tu"
    /// Cán bộ: a staff member with a mailbox and no portal duties.
    case canBo = "can-bo"

    public var label: String {
        switch self {
        case .quanTri: "Quản trị"
        case .truongBanBienTap: "Trưởng Ban Biên tập"
        case .bienTapVien: "Biên tập viên"
        case .congTacVien: "Cộng tác viên"
        case .dauMoiThuDienTu: "Đầu mối thư điện tử"
        case .canBo: "Cán bộ"
        }
    }
}

/// What someone may try to do to a unit (the target).
public enum Action: String, CaseIterable, Sendable, Codable, Hashable {
    /// See the unit in the admin.
    case viewUnit
    /// Edit the unit's data and hostnames.
    case editUnit
    /// Create a child unit under the target.
    case createChildUnit
    /// Create accounts at the target and grant roles there.
    case manageUsers
    /// Read the audit log of the target.
    case viewAudit
    /// Manage mail domains, mailboxes and groups.
    case manageMail
    /// Write and submit drafts.
    case submitContent
    /// Edit and review others' content.
    case reviewContent
    /// Approve and publish.
    case publishContent
    /// Create exam sessions, import results and diplomas (A8.11, A8.12).
    case manageExams
    /// Run admission plans and review the registrations that name the unit (A9.4).
    case manageAdmissions
    /// Configure security settings (mandatory second factor, editorial board membership).
    case configureSecurity
    /// Inspect, score and rank the units directly below, and publish the ranking (A16).
    case evaluateUnits

    public var label: String {
        switch self {
        case .viewUnit: "xem đơn vị"
        case .editUnit: "sửa thông tin đơn vị"
        case .createChildUnit: "tạo đơn vị trực thuộc"
        case .manageUsers: "quản lý tài khoản"
        case .viewAudit: "xem nhật ký"
        case .manageMail: "quản lý thư điện tử"
        case .submitContent: "soạn và gửi bài"
        case .reviewContent: "biên tập bài"
        case .publishContent: "duyệt và đăng bài"
        case .configureSecurity: "cấu hình bảo mật"
        case .manageExams: "quản lý kỳ thi, kết quả thi và văn bằng"
        case .manageAdmissions: "quản lý tuyển sinh"
        case .evaluateUnits: "kiểm tra, đánh giá, xếp hạng đơn vị trực thuộc"
        }
    }
}
