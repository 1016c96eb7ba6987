/// A unit as the permission rules see it: its identity and the chain of its ancestors.
public struct UnitRef: Sendable, Hashable {
    public let id: String
    /// Ancestor ids from the root down to the parent (excludes `id`).
    public let ancestorIDs: [String]

    public init(id: String, ancestorIDs: [String]) {
        self.id = id
        self.ancestorIDs = ancestorIDs
    }

    /// True when `self` is `other` or lies below it.
    public func isWithin(_ other: UnitRef) -> Bool {
        id == other.id || ancestorIDs.contains(other.id)
    }
}

/// A role held at a unit.
public struct Grant: Sendable, Hashable {
    public let role: Role
    public let unit: UnitRef

    public init(role: Role, unit: UnitRef) {
        self.role = role
        self.unit = unit
    }
}

/// The permission rules. Pure: every admin route asks these before touching data.
public enum Permissions {
    /// What each role may do anywhere in the subtree where it is granted.
    public static func actions(of role: Role) -> Set<Action> {
        switch role {
        case .quanTri:
            Set(Action.allCases)
        case .truongBanBienTap:
            [.viewUnit, .submitContent, .reviewContent, .publishContent, .viewAudit, .manageExams]
        case .bienTapVien:
            [.viewUnit, .submitContent, .reviewContent]
        case .congTacVien:
            [.viewUnit, .submitContent]
        case .dauMoiThuDienTu:
            [.viewUnit, .manageMail]
        case .canBo:
            []
        }
    }

    /// A grant covers its unit and every unit below it; never a sibling or an ancestor.
    public static func allows(_ grant: Grant, _ action: Action, on target: UnitRef) -> Bool {
        target.isWithin(grant.unit) && actions(of: grant.role).contains(action)
    }

    public static func allows(_ grants: [Grant], _ action: Action, on target: UnitRef) -> Bool {
        grants.contains { allows($0, action, on: target) }
    }

    /// Granting a role at `target` needs `manageUsers` there. Only the admin role reaches
    /// `manageUsers`, and roles never reach above their unit, so nobody can grant themselves
    /// more than the subtree they already administer.
    public static func mayGrant(_ role: Role, at target: UnitRef, by grants: [Grant]) -> Bool {
        allows(grants, .manageUsers, on: target)
    }

    /// The roots of the subtrees in which `action` is allowed (for listing manageable units).
    public static func roots(for action: Action, in grants: [Grant]) -> [UnitRef] {
        let units = grants.filter { actions(of: $0.role).contains(action) }.map(\.unit)
        // Drop units already covered by another root.
        return units.filter { unit in
            !units.contains { other in other != unit && unit.isWithin(other) }
        }
        .reduce(into: [UnitRef]()) { acc, unit in if !acc.contains(unit) { acc.append(unit) } }
    }
}
