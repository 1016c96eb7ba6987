import EduCore
import EduImport
import Vapor

/// `/tra-cuu-diem-thi/ket-qua`: one candidate's scores.
struct ExamResultPage: PageView {
    static let template = "exam-result"

    struct Score {
        let subject: String
        let score: String
        let absent: Bool
    }

    let layout: LayoutVM
    let examName: String
    let examKind: String
    let version: Int
    let updated: String
    let sbd: String
    let fullName: String
    let birthDate: String
    let gender: String
    let council: String
    let note: String
    let scores: [Score]
    let total: String
    let lookupURL: String
    let statisticsURL: String

    init(layout: LayoutVM, entry: ExamStore.Entry, candidate: ExamCandidate) {
        let subjects = entry.snapshot?.subjects ?? []
        self.layout = layout
        examName = entry.name
        examKind = "\(entry.kind.label) \(entry.year)"
        version = entry.version
        updated = entry.importedAt.map(VietnameseDate.dateTime) ?? ""
        sbd = candidate.sbd
        // Looked up by SBD alone: scores and SBD only, never who the candidate is.
        let identified = entry.requireBirthDate
        fullName = identified ? candidate.fullName : ""
        birthDate = identified ? ExamDate.vietnamese(candidate.birthDate) : ""
        gender = identified ? candidate.genderText : ""
        council = candidate.council
        note = candidate.note
        // Subjects the candidate has no score in (electives not taken) are left out; the note says why when it matters.
        scores = subjects.enumerated().compactMap { i, subject in
            let score = candidate.scores[i]
            return score == ExamScore.absent ? nil : Score(subject: subject, score: ExamScore.text(score), absent: false)
        }
        total = candidate.total == ExamScore.absent ? "" : ExamScore.text(candidate.total)
        lookupURL = SiteURL.examLookup.path
        statisticsURL = SiteURL.examStatistics(id: .value(entry.sessionID.uuidString.lowercased())).path
    }
}
