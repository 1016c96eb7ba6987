import EduCore
import Vapor

/// `/tra-cuu-diem-thi`: the form, with the unit's published sessions to choose from.
struct ExamLookupPage: PageView {
    static let template = "exam-lookup"

    struct SessionRow {
        let id: String
        let label: String
        let name: String
        let kind: String
        let year: Int
        let candidates: String
        let version: Int
        let updated: String
        let statisticsURL: String
        let selected: Bool
    }

    let layout: LayoutVM
    let sessions: [SessionRow]
    let action: String
    let sbd: String
    let birth: String
    let error: String?
    let needsBirth: Bool

    init(layout: LayoutVM, sessions: [ExamStore.Entry], selected: UUID?, sbd: String = "", birth: String = "", error: String? = nil) {
        let chosen = selected ?? sessions.first?.sessionID
        self.layout = layout
        self.sessions = sessions.map { entry in
            let id = entry.sessionID.uuidString.lowercased()
            return SessionRow(
                id: id, label: "\(entry.name) (\(entry.kind.label) \(entry.year))", name: entry.name, kind: entry.kind.label,
                year: entry.year, candidates: VietnameseNumber.grouped(entry.candidateCount), version: entry.version,
                updated: entry.importedAt.map(VietnameseDate.dateTime) ?? "", statisticsURL: SiteURL.examStatistics(id: .value(id)).path,
                selected: entry.sessionID == chosen)
        }
        action = SiteURL.examResult.path
        self.sbd = sbd
        self.birth = birth
        self.error = error
        needsBirth = sessions.contains { $0.requireBirthDate } || sessions.isEmpty
    }
}
