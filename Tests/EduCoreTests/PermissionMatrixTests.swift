import EduCore
import Testing

/// Every role × action × target relation. The expected table is the specification, written
/// out here by hand: a role's powers apply to its own unit and everything below it, never to a
/// sibling or a parent.
@Suite struct PermissionMatrixTests {
    /// Sở → Phòng → school A (and its sibling school B); the grant sits at the Phòng.
    let so = UnitRef(id: "so", ancestorIDs: [])
    let phong = UnitRef(id: "phong", ancestorIDs: ["so"])
    let schoolA = UnitRef(id: "a", ancestorIDs: ["so", "phong"])
    let classroom = UnitRef(id: "a-1", ancestorIDs: ["so", "phong", "a"])
    let otherPhong = UnitRef(id: "phong-2", ancestorIDs: ["so"])

    enum Relation: CaseIterable { case own, child, grandchild, sibling, parent }

    func target(_ relation: Relation) -> UnitRef {
        switch relation {
        case .own: phong
        case .child: schoolA
        case .grandchild: classroom
        case .sibling: otherPhong
        case .parent: so
        }
    }

    /// What each role may do where it reaches (specification).
    static let expected: [Role: Set<Action>] = [
        .quanTri: [.viewUnit, .editUnit, .createChildUnit, .manageUsers, .viewAudit, .manageMail, .submitContent,
                   .reviewContent, .publishContent, .configureSecurity, .manageExams, .manageAdmissions, .evaluateUnits],
        .truongBanBienTap: [.viewUnit, .submitContent, .reviewContent, .publishContent, .viewAudit, .manageExams],
        .bienTapVien: [.viewUnit, .submitContent, .reviewContent],
        .congTacVien: [.viewUnit, .submitContent],
        .dauMoiThuDienTu: [.viewUnit, .manageMail],
        .canBo: [],
    ]

    @Test(arguments: Role.allCases)
    func roleReachesItsSubtreeOnly(role: Role) {
        let grant = Grant(role: role, unit: phong)
        for action in Action.allCases {
            for relation in Relation.allCases {
                let reaches = relation == .own || relation == .child || relation == .grandchild
                let want = reaches && Self.expected[role]!.contains(action)
                #expect(Permissions.allows(grant, action, on: target(relation)) == want,
                        "\(role) \(action) on \(relation)")
            }
        }
    }

    @Test func schoolEditorCannotTouchSiblingOrParent() {
        let editor = [Grant(role: .bienTapVien, unit: schoolA)]
        let schoolB = UnitRef(id: "b", ancestorIDs: ["so", "phong"])
        #expect(Permissions.allows(editor, .reviewContent, on: schoolA))
        #expect(!Permissions.allows(editor, .reviewContent, on: schoolB))
        #expect(!Permissions.allows(editor, .viewUnit, on: phong))
        #expect(!Permissions.allows(editor, .viewUnit, on: so))
        #expect(!Permissions.allows(editor, .editUnit, on: schoolA))
    }

    @Test func soAdminManagesEverySchoolBelow() {
        let admin = [Grant(role: .quanTri, unit: so)]
        for unit in [so, phong, schoolA, classroom, otherPhong] {
            for action in Action.allCases { #expect(Permissions.allows(admin, action, on: unit)) }
        }
        #expect(!Permissions.allows(admin, .editUnit, on: UnitRef(id: "so-khac", ancestorIDs: [])))
    }

    @Test func onlyAdminsGrantRolesAndOnlyInTheirSubtree() {
        let phongAdmin = [Grant(role: .quanTri, unit: phong)]
        #expect(Permissions.mayGrant(.quanTri, at: schoolA, by: phongAdmin))
        #expect(!Permissions.mayGrant(.bienTapVien, at: so, by: phongAdmin))
        #expect(!Permissions.mayGrant(.bienTapVien, at: otherPhong, by: phongAdmin))
        let head = [Grant(role: .truongBanBienTap, unit: phong)]
        #expect(!Permissions.mayGrant(.congTacVien, at: phong, by: head))
    }

    @Test func rootsDropUnitsCoveredByAnotherGrant() {
        let grants = [Grant(role: .quanTri, unit: phong), Grant(role: .bienTapVien, unit: schoolA), Grant(role: .quanTri, unit: otherPhong)]
        let roots = Permissions.roots(for: .viewUnit, in: grants)
        #expect(Set(roots.map(\.id)) == ["phong", "phong-2"])
        #expect(Permissions.roots(for: .editUnit, in: [Grant(role: .bienTapVien, unit: schoolA)]).isEmpty)
    }

    @Test func treeRulesAreData() {
        let rules = UnitTreeRules(pairs: [(parent: .so, child: .xa), (parent: .xa, child: .tieuHoc)])
        #expect(rules.allows(parent: .so, child: .xa))
        #expect(!rules.allows(parent: .so, child: .phong))
        #expect(rules.childTypes(of: .xa) == [.tieuHoc])
        #expect(UnitTreeRules.standard.allows(parent: .phong, child: .mamNon))
        #expect(!UnitTreeRules.standard.allows(parent: .thpt, child: .mamNon))
    }
}
