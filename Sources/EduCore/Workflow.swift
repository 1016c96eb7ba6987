import Foundation

/// Where a piece of content is in the editorial board's process (A11.2b).
public enum ContentState: String, CaseIterable, Sendable, Codable, Hashable {
    case nhap = "nhap"
    case choDuyet = "cho-duyet"
    case daDuyet = "da-duyet"
    case daDang = "da-dang"
    case traLai = "tra-lai"
    case goXuong = "go-xuong"
    case luuTru = "luu-tru"

    public var label: String {
        switch self {
        case .nhap: "Nháp"
        case .choDuyet: "Chờ duyệt"
        case .daDuyet: "Đã duyệt"
        case .daDang: "Đã đăng"
        case .traLai: "Trả lại"
        case .goXuong: "Gỡ xuống"
        case .luuTru: "Lưu trữ"
        }
    }
}

/// A step between states. Each needs a right (`Action`) at the content's unit; transitions are
/// permissions, as in Drupal's content moderation.
public enum Transition: String, CaseIterable, Sendable, Codable, Hashable {
    case submit = "gui-duyet"
    case returnToAuthor = "tra-lai"
    case approve = "duyet"
    case publish = "dang"
    case unpublish = "go-xuong"
    case archive = "luu-tru"
    case reopen = "mo-lai"

    public var label: String {
        switch self {
        case .submit: "Gửi duyệt"
        case .returnToAuthor: "Trả lại"
        case .approve: "Duyệt"
        case .publish: "Đăng"
        case .unpublish: "Gỡ xuống"
        case .archive: "Lưu trữ"
        case .reopen: "Mở lại thành nháp"
        }
    }

    public var from: Set<ContentState> {
        switch self {
        case .submit: [.nhap, .traLai, .goXuong]
        case .returnToAuthor: [.choDuyet, .daDuyet]
        case .approve: [.choDuyet]
        case .publish: [.daDuyet]
        case .unpublish: [.daDang]
        case .archive: [.nhap, .traLai, .goXuong, .daDang]
        case .reopen: [.luuTru]
        }
    }

    public var to: ContentState {
        switch self {
        case .submit: .choDuyet
        case .returnToAuthor: .traLai
        case .approve: .daDuyet
        case .publish: .daDang
        case .unpublish: .goXuong
        case .archive: .luuTru
        case .reopen: .nhap
        }
    }

    /// The right it takes: contributors submit, editors return, the head of the board approves,
    /// publishes, unpublishes and archives.
    public var requiredAction: Action {
        switch self {
        case .submit: .submitContent
        case .returnToAuthor: .reviewContent
        case .approve, .publish, .unpublish, .archive, .reopen: .publishContent
        }
    }

    /// Returning work to its author needs a reason the author can act on.
    public var requiresComment: Bool { self == .returnToAuthor }

    /// Who hears about it.
    public var notifies: Recipients {
        switch self {
        case .submit: .reviewers
        case .approve: .publishers
        case .returnToAuthor, .publish, .unpublish: .author
        case .archive, .reopen: .nobody
        }
    }

    public enum Recipients: Sendable { case reviewers, publishers, author, nobody }
}

public enum Workflow {
    /// Whether `transition` may be taken now by someone holding `grants`. Contributors may
    /// submit only their own work; reviewers may submit anyone's.
    public static func allows(
        _ transition: Transition, from state: ContentState, grants: [Grant], unit: UnitRef, isAuthor: Bool
    ) -> Bool {
        guard transition.from.contains(state), Permissions.allows(grants, transition.requiredAction, on: unit) else {
            return false
        }
        if transition == .submit && !isAuthor { return Permissions.allows(grants, .reviewContent, on: unit) }
        return true
    }

    public static func available(from state: ContentState, grants: [Grant], unit: UnitRef, isAuthor: Bool) -> [Transition] {
        Transition.allCases.filter { allows($0, from: state, grants: grants, unit: unit, isAuthor: isAuthor) }
    }

    /// Who may change the text in each state: the author while it is theirs (draft, returned),
    /// editors until it is approved, the head of the board at any time before archiving.
    public static func mayEdit(state: ContentState, grants: [Grant], unit: UnitRef, isAuthor: Bool) -> Bool {
        switch state {
        case .luuTru:
            return false
        case .daDuyet, .daDang:
            return Permissions.allows(grants, .publishContent, on: unit)
        case .choDuyet, .goXuong:
            return Permissions.allows(grants, .reviewContent, on: unit)
        case .nhap, .traLai:
            return Permissions.allows(grants, .reviewContent, on: unit)
                || (isAuthor && Permissions.allows(grants, .submitContent, on: unit))
        }
    }

    /// Who may see it in the admin at all: anyone with a content right at the unit (its editorial
    /// board), which excludes other units' staff.
    public static func mayView(grants: [Grant], unit: UnitRef) -> Bool {
        Permissions.allows(grants, .submitContent, on: unit)
    }

    /// The public sees only published content inside its publication window.
    public static func isPublic(state: ContentState, publishAt: Date?, expiresAt: Date?, now: Date) -> Bool {
        guard state == .daDang else { return false }
        if let publishAt, publishAt > now { return false }
        if let expiresAt, expiresAt <= now { return false }
        return true
    }
}
