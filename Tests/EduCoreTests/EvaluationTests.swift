import EduCore
import Testing

/// The arithmetic of inspection and ranking (#17, A16): bands, totals out of 100 over what was
/// measured, shared ranks, grades, and the default set's weights.
@Suite struct EvaluationTests {
    let posts = Evaluation.Criterion(code: "TC03", clause: "A8.2", title: "Số tin bài", measure: .platform, check: "bai-viet-nam-hoc", weight: 10,
                                     bands: [.init(40, 1), .init(30, 0.75), .init(20, 0.5), .init(10, 0.25)])
    let speed = Evaluation.Criterion(code: "TC13", clause: "QG", title: "FCP", measure: .browser, check: "fcp", weight: 5,
                                     bands: [.init(3000, 1), .init(4500, 0.5)], lowerIsBetter: true)

    @Test func bandsGiveTheBestShareReached() {
        #expect(posts.points(for: 45) == 10 && posts.points(for: 40) == 10)
        #expect(posts.points(for: 39) == 7.5 && posts.points(for: 20) == 5 && posts.points(for: 9) == 0)
        #expect(posts.points(for: nil) == nil && posts.points(for: .nan) == nil)
        // Lower is better: at or under the threshold.
        #expect(speed.points(for: 2100) == 5 && speed.points(for: 3000) == 5 && speed.points(for: 4000) == 2.5 && speed.points(for: 9000) == 0)
    }

    @Test func totalsCountOnlyWhatWasMeasured() {
        let total = Evaluation.total([posts, speed], values: ["TC03": 30])
        #expect(total.points == 7.5 && total.possible == 10 && total.unmeasured == 1 && total.score == 75)
        #expect(Evaluation.total([posts, speed], values: ["TC03": 45, "TC13": 4000]).score == 83.33)
        #expect(Evaluation.total([posts], values: [:]).score == 0)
    }

    @Test func equalScoresShareARank() {
        let ranks = Evaluation.rank([(id: "c", name: "Trường C", score: 80), (id: "a", name: "Trường A", score: 92.5),
                                     (id: "b", name: "Trường B", score: 80), (id: "d", name: "Trường D", score: 61)])
        #expect(ranks.map(\.id) == ["a", "b", "c", "d"])
        #expect(ranks.map(\.rank) == [1, 2, 2, 4])
        #expect(Evaluation.grade(92.5) == "Xuất sắc" && Evaluation.grade(80) == "Tốt" && Evaluation.grade(60) == "Khá"
                && Evaluation.grade(50) == "Trung bình" && Evaluation.grade(49.99) == "Chưa đạt")
    }

    @Test func bandsAreReadAsEvaluatorsWriteThem() {
        #expect(Evaluation.parseBands("40 → 1; 30 → 0,75; ≥ 20 -> 0.5\n10:0,25") == [.init(40, 1), .init(30, 0.75), .init(20, 0.5), .init(10, 0.25)])
        #expect(Evaluation.parseBands("40 → một") == nil && Evaluation.parseBands("") == nil && Evaluation.parseBands("40") == nil)
        let text = Evaluation.describe(posts.bands, lowerIsBetter: false)
        #expect(text == "≥ 40 → 1; ≥ 30 → 0,75; ≥ 20 → 0,5; ≥ 10 → 0,25" && Evaluation.parseBands(text) == posts.bands)
        var bad = posts
        bad.bands = [.init(40, 1.5)]
        #expect(bad.problem?.contains("ngoài 0–1") == true)
        bad = posts
        bad.weight = 0
        #expect(bad.problem?.contains("trọng số") == true)
        #expect(posts.problem == nil)
    }

    @Test func theDefaultSetWeighsAHundredForEveryKindOfUnit() {
        for type in UnitType.allCases where type != .bo {
            let weights = Evaluation.defaultCriteria.filter { $0.scope.includes(type) }.map(\.weight).reduce(0, +)
            #expect(weights == 100, "\(type)")
        }
        #expect(Evaluation.defaultCriteria.allSatisfy { $0.problem == nil })
        #expect(Set(Evaluation.defaultCriteria.map(\.code)).count == Evaluation.defaultCriteria.count)
        #expect(Evaluation.auditCriteria.map(\.weight).reduce(0, +) == 100 && Evaluation.auditCriteria.allSatisfy { $0.problem == nil })
    }

    /// Schedules of reports and rounds: counted from the first date, so the end of a month stays
    /// the end of a month; periods named as a report title says them.
    @Test func cadencesCountFromTheFirstDate() throws {
        let first = try #require(VietnameseDate.parse("31/01/2027 23:59"))
        #expect(VietnameseDate.day(Cadence.monthly.occurrence(1, from: first)) == "28/02/2027")
        #expect(VietnameseDate.day(Cadence.monthly.occurrence(2, from: first)) == "31/03/2027")
        #expect(VietnameseDate.day(Cadence.quarterly.occurrence(1, from: first)) == "30/04/2027")
        #expect(VietnameseDate.day(Cadence.yearly.occurrence(1, from: first)) == "31/01/2028")
        #expect(Cadence.once.next(after: first, from: first) == nil)
        let later = try #require(VietnameseDate.parse("15/05/2027"))
        #expect(Cadence.quarterly.next(after: later, from: first).map(VietnameseDate.day) == "31/07/2027")
        #expect(Cadence.monthly.next(after: first.addingTimeInterval(-60), from: first) == first)
        #expect(Cadence.quarterly.occurrences(from: first, through: later, limit: 4).map(VietnameseDate.day) == ["30/04/2027", "31/01/2027"])
        #expect(Cadence.monthly.occurrences(from: first, through: later, limit: 2).map(VietnameseDate.day) == ["30/04/2027", "31/03/2027"])
        #expect(Cadence.once.occurrences(from: first, through: later, limit: 4) == [first])
        let december = try #require(VietnameseDate.parse("31/12/2026"))
        #expect(Cadence.quarterly.periodLabel(of: december) == "quý IV/2026" && Cadence.monthly.periodLabel(of: december) == "tháng 12/2026")
        #expect(Cadence.halfYearly.periodLabel(of: december) == "6 tháng cuối năm 2026" && Cadence.yearly.periodLabel(of: december) == "năm 2026")
        #expect(Cadence.once.periodLabel(of: december).isEmpty)
        // A day typed as a due date is due through its last second, Vietnam time.
        #expect(VietnameseDate.dateTime(Cadence.endOfDay(december)) == "31/12/2026 23:59")
        #expect(Cadence.endOfDay(december).timeIntervalSince(december) == 86_399)
    }
}
