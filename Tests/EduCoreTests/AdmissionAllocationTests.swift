import EduCore
import Testing

/// Allocation for joint admissions: by score, each candidate to the first ranked choice with a
/// place; quotas kept; stable; the same whatever the input order; explained per candidate.
@Suite struct AdmissionAllocationTests {
    let schools = [AdmissionAllocation.School(id: "A", name: "THPT Chu Văn An", quota: 2), .init(id: "B", name: "THPT Kim Sơn A", quota: 1)]

    func candidate(_ id: String, _ score: Int, _ choices: [String], tie: String = "") -> AdmissionAllocation.Candidate {
        .init(id: id, score: score, tieBreak: tie, choices: choices)
    }

    @Test func aWorkedExample() {
        // Worked by hand: A takes 39,00 and 38,50 (cut-off 38,50); 38,25 misses A and takes B's one
        // place (cut-off 38,25); 37,00 and 36,00 find both full.
        let result = AdmissionAllocation.allocate([
            candidate("c4", 3700, ["B", "A"]), candidate("c1", 3900, ["A", "B"]), candidate("c3", 3825, ["A", "B"]),
            candidate("c5", 3600, ["A"]), candidate("c2", 3850, ["A", "B"]),
        ], schools: schools)
        #expect(result.placements["c1"]?.schoolID == "A" && result.placements["c2"]?.schoolID == "A")
        #expect(result.placements["c3"] == .init(schoolID: "B", choice: 2, explanation:
            "Không đỗ nguyện vọng 1 (THPT Chu Văn An) vì điểm 38,25 dưới điểm chuẩn 38,50. Đỗ nguyện vọng 2 (THPT Kim Sơn A)."))
        #expect(result.placements["c4"] == .init(schoolID: nil, choice: nil, explanation:
            "Không đỗ nguyện vọng 1 (THPT Kim Sơn A) vì điểm 37,00 dưới điểm chuẩn 38,25. Không đỗ nguyện vọng 2 (THPT Chu Văn An) vì điểm 37,00 dưới điểm chuẩn 38,50."))
        #expect(result.placements["c5"]?.schoolID == nil)
        #expect(result.cutoffs["A"] == .some(3850) && result.cutoffs["B"] == .some(3825))
        #expect(result.admittedCounts == ["A": 2, "B": 1])
    }

    @Test func aSchoolWithPlacesLeftHasNoCutOffAndTiesGoByTheTieBreak() {
        let result = AdmissionAllocation.allocate([
            candidate("x", 3000, ["B"], tie: "2"), candidate("y", 3000, ["B"], tie: "1"), candidate("z", 2000, ["A"]),
        ], schools: schools)
        #expect(result.placements["y"]?.schoolID == "B")
        #expect(result.placements["x"]?.explanation == "Không đỗ nguyện vọng 1 (THPT Kim Sơn A): điểm 30,00 bằng điểm chuẩn 30,00 nhưng xếp sau theo tiêu chí phụ, trường đã đủ 1 chỉ tiêu.")
        #expect(result.placements["z"]?.schoolID == "A")
        #expect(result.cutoffs["A"] == .some(nil))
    }

    @Test func quotasKeptStableAndIndependentOfInputOrder() {
        var rng = FuzzGenerator(seed: 2026)
        for _ in 0..<200 {
            let schools = (0..<Int(rng.next() % 4 + 1)).map { AdmissionAllocation.School(id: "S\($0)", name: "Trường \($0)", quota: Int(rng.next() % 4)) }
            let candidates = (0..<Int(rng.next() % 25)).map { index in
                let choices = schools.map(\.id).shuffled(using: &rng).prefix(Int(rng.next() % 4))
                return AdmissionAllocation.Candidate(id: "c\(index)", score: Int(rng.next() % 8) * 25, tieBreak: String(rng.next() % 5), choices: Array(choices))
            }
            let result = AdmissionAllocation.allocate(candidates, schools: schools)
            #expect(AdmissionAllocation.allocate(candidates.shuffled(using: &rng), schools: schools) == result)
            func before(_ a: AdmissionAllocation.Candidate, _ b: AdmissionAllocation.Candidate) -> Bool {
                (a.score, b.tieBreak, b.id) > (b.score, a.tieBreak, a.id)
            }
            for school in schools {
                let admitted = candidates.filter { result.placements[$0.id]?.schoolID == school.id }
                #expect(admitted.count <= school.quota)
                for candidate in candidates {
                    // Stability: whoever ranked this school above what they got finds it full of
                    // candidates ranked before them.
                    guard let rank = candidate.choices.firstIndex(of: school.id) else { continue }
                    let got = result.placements[candidate.id]?.choice.map { $0 - 1 } ?? Int.max
                    guard rank < got else { continue }
                    #expect(admitted.count == school.quota)
                    #expect(admitted.allSatisfy { before($0, candidate) })
                }
            }
            // Nobody is placed at a school they did not choose.
            for candidate in candidates {
                if let school = result.placements[candidate.id]?.schoolID { #expect(candidate.choices.contains(school)) }
            }
        }
    }
}

/// The sanitiser fuzz's seeded SplitMix64, so the random cases are the same on every run.
extension FuzzGenerator: RandomNumberGenerator {}
