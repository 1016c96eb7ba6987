import EduCore
import Foundation
import Testing

@Suite struct WorkflowTests {
    let school = UnitRef(id: "a", ancestorIDs: ["so", "phong"])
    let sibling = UnitRef(id: "b", ancestorIDs: ["so", "phong"])
    func grants(_ role: Role, at unit: UnitRef? = nil) -> [Grant] { [Grant(role: role, unit: unit ?? school)] }

    @Test func contributorDraftsAndSubmitsButCannotPublish() {
        let ctv = grants(.congTacVien)
        #expect(Workflow.allows(.submit, from: .nhap, grants: ctv, unit: school, isAuthor: true))
        #expect(!Workflow.allows(.submit, from: .nhap, grants: ctv, unit: school, isAuthor: false))
        for transition in [Transition.approve, .publish, .returnToAuthor, .unpublish, .archive] {
            for state in ContentState.allCases {
                #expect(!Workflow.allows(transition, from: state, grants: ctv, unit: school, isAuthor: true))
            }
        }
        #expect(Workflow.mayEdit(state: .traLai, grants: ctv, unit: school, isAuthor: true))
        #expect(!Workflow.mayEdit(state: .choDuyet, grants: ctv, unit: school, isAuthor: true))
        #expect(!Workflow.mayEdit(state: .nhap, grants: ctv, unit: school, isAuthor: false))
    }

    @Test func editorReviewsAndReturnsButDoesNotApprove() {
        let editor = grants(.bienTapVien)
        #expect(Workflow.available(from: .choDuyet, grants: editor, unit: school, isAuthor: false) == [.returnToAuthor])
        #expect(Workflow.mayEdit(state: .choDuyet, grants: editor, unit: school, isAuthor: false))
        #expect(!Workflow.mayEdit(state: .daDang, grants: editor, unit: school, isAuthor: false))
        #expect(Transition.returnToAuthor.requiresComment)
    }

    @Test func headOfBoardApprovesAndPublishes() {
        let head = grants(.truongBanBienTap)
        #expect(Workflow.available(from: .choDuyet, grants: head, unit: school, isAuthor: false) == [.returnToAuthor, .approve])
        #expect(Workflow.available(from: .daDuyet, grants: head, unit: school, isAuthor: false) == [.returnToAuthor, .publish])
        #expect(Workflow.available(from: .daDang, grants: head, unit: school, isAuthor: false) == [.unpublish, .archive])
        #expect(Workflow.available(from: .luuTru, grants: head, unit: school, isAuthor: false) == [.reopen])
        // Nothing at a sibling school.
        #expect(Workflow.available(from: .choDuyet, grants: head, unit: sibling, isAuthor: false).isEmpty)
        #expect(!Workflow.mayView(grants: head, unit: sibling))
    }

    @Test func everyTransitionLeadsWhereItSays() {
        for transition in Transition.allCases {
            #expect(!transition.from.contains(transition.to), "\(transition) loops")
        }
        let reachable = Set(Transition.allCases.map(\.to)).union([.nhap])
        #expect(reachable == Set(ContentState.allCases))
    }

    @Test func publicVisibilityNeedsPublishedAndInsideWindow() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(Workflow.isPublic(state: .daDang, publishAt: nil, expiresAt: nil, now: now))
        #expect(Workflow.isPublic(state: .daDang, publishAt: now.addingTimeInterval(-60), expiresAt: now.addingTimeInterval(60), now: now))
        #expect(!Workflow.isPublic(state: .daDang, publishAt: now.addingTimeInterval(86_400), expiresAt: nil, now: now))
        #expect(!Workflow.isPublic(state: .daDang, publishAt: nil, expiresAt: now, now: now))
        for state in ContentState.allCases where state != .daDang {
            #expect(!Workflow.isPublic(state: state, publishAt: nil, expiresAt: nil, now: now))
        }
    }
}

@Suite struct TextDiffTests {
    @Test func wordsAddedAndRemovedAreMarked() {
        let diff = TextDiff.diff("Lịch thi ngày 5 tháng 6", "Lịch thi chính thức ngày 6 tháng 6")
        #expect(diff == [.same("Lịch thi "), .added("chính thức "), .same("ngày "), .removed("5 "), .added("6 "), .same("tháng 6")])
    }

    @Test func identicalTextIsOneSegment() {
        #expect(TextDiff.diff("Không đổi", "Không đổi") == [.same("Không đổi")])
        #expect(TextDiff.diff("", "Mới") == [.added("Mới")])
    }

    @Test func aSmallEditInALongTextIsStillComparedWordByWord() {
        let words = (1...20000).map { "từ\($0)" }.joined(separator: " ")
        let diff = TextDiff.diff(words + "\nđoạn cuối", words + "\nđoạn cuối đã sửa")
        // 20,000 words on each side, yet the change is shown word by word: the common part is set aside first.
        let added = diff?.compactMap { segment -> String? in if case .added(let text) = segment { text } else { nil } } ?? []
        #expect(added == ["cuối đã sửa"])
        #expect(diff?.first.map { if case .same(let text) = $0 { text.hasPrefix("từ1 từ2") } else { false } } == true)
    }

    @Test func longRewrittenTextFallsBackToParagraphs() {
        let old = (1...3000).map { "cũ\($0)" }.joined(separator: " ") + "\nđoạn cuối"
        let new = (1...3000).map { "mới\($0)" }.joined(separator: " ") + "\nđoạn cuối"
        let diff = TextDiff.diff(old, new)
        #expect(diff?.count == 3)
        #expect(diff?.last == .same("đoạn cuối\n"))
    }

    @Test func twoHugeDifferentDraftsAreTooLargeToCompare() {
        let old = (1...60000).map { "a\($0)" }.joined(separator: "\n")
        let new = (1...60000).map { "b\($0)" }.joined(separator: "\n")
        #expect(TextDiff.diff(old, new) == nil)
    }
}
