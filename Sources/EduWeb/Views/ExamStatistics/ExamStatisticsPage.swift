import EduCore
import EduImport
import Vapor

/// `/tra-cuu-diem-thi/pho-diem/{id}`: score distribution charts with counts, mean and median.
struct ExamStatisticsPage: PageView {
    static let template = "exam-statistics"

    struct SubjectRow {
        let name: String
        let count: String
        let mean: String
        let median: String
        let belowOne: String
        let atLeastHalf: String
        let chart: String
        let bins: [Bin]
        let tableID: String
    }

    struct Bin {
        let range: String
        let count: String
    }

    let layout: LayoutVM
    let examName: String
    let version: Int
    let candidates: String
    let subjects: [SubjectRow]
    let lookupURL: String
    let half: String

    init(layout: LayoutVM, entry: ExamStore.Entry, statistics: ExamStatistics) {
        self.layout = layout
        examName = entry.name
        version = entry.version
        candidates = VietnameseNumber.grouped(entry.candidateCount)
        subjects = statistics.subjects.enumerated().map { i, subject in
            SubjectRow(
                name: subject.name, count: VietnameseNumber.grouped(subject.count), mean: ExamScore.text(points: subject.mean),
                median: ExamScore.text(points: subject.median), belowOne: VietnameseNumber.grouped(subject.belowOne),
                atLeastHalf: VietnameseNumber.grouped(subject.atLeastHalf), chart: i < entry.charts.count ? entry.charts[i] : "",
                bins: ScoreChart.bins(subject, maxScore: statistics.maxScore).map {
                    Bin(
                        range: "\(ExamScore.text(points: Double($0.from) / 100)) – \(ExamScore.text(points: Double($0.to) / 100))",
                        count: VietnameseNumber.grouped($0.count))
                },
                tableID: "bang-pho-diem-\(i + 1)")
        }
        lookupURL = SiteURL.examLookup.path
        half = ExamScore.text(points: statistics.maxScore / 2)
    }
}
