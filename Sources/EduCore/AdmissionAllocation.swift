/// Places in a joint admission (#13 point 5): candidates ranked by score (then the plan's
/// tie-break key), each in turn given the first of their ranked choices that still has a place.
/// With one ranking shared by every school this is the only stable allocation: nobody is kept
/// out of a school they ranked higher by someone with a lower score. Deterministic for the same
/// input, whatever its order, and explained per candidate.
public enum AdmissionAllocation {
    public struct Candidate: Sendable, Equatable {
        public let id: String
        /// Hundredths of a point (38,25 → 3825).
        public let score: Int
        /// Orders equal scores: smaller first (for example a priority rank, then a code).
        public let tieBreak: String
        /// School ids, first choice first.
        public let choices: [String]

        public init(id: String, score: Int, tieBreak: String, choices: [String]) {
            self.id = id
            self.score = score
            self.tieBreak = tieBreak
            self.choices = choices
        }
    }

    public struct School: Sendable, Equatable {
        public let id: String
        public let name: String
        public let quota: Int

        public init(id: String, name: String, quota: Int) {
            self.id = id
            self.name = name
            self.quota = quota
        }
    }

    public struct Placement: Sendable, Equatable {
        /// The school admitting the candidate, nil when none does.
        public let schoolID: String?
        /// 1-based rank of that choice.
        public let choice: Int?
        /// Why, in Vietnamese: "Đỗ nguyện vọng 2 (…)" or "Không đỗ nguyện vọng 1 (…) vì điểm 37,50 dưới điểm chuẩn 38,25; …".
        public let explanation: String

        public init(schoolID: String?, choice: Int?, explanation: String) {
            self.schoolID = schoolID
            self.choice = choice
            self.explanation = explanation
        }
    }

    public struct Result: Sendable, Equatable {
        public let placements: [String: Placement]
        /// The lowest admitted score of every school that filled its quota; nil for one that did not
        /// (everyone who chose it and reached it was admitted).
        public let cutoffs: [String: Int?]
        public let admittedCounts: [String: Int]
    }

    /// "38,25" from 3825.
    public static func points(_ hundredths: Int) -> String {
        let whole = hundredths / 100, part = abs(hundredths % 100)
        return "\(whole),\(part < 10 ? "0" : "")\(part)"
    }

    public static func allocate(_ candidates: [Candidate], schools: [School]) -> Result {
        let byID = Dictionary(schools.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ordered = candidates.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.tieBreak != b.tieBreak { return a.tieBreak < b.tieBreak }
            return a.id < b.id
        }
        var admitted: [String: [Candidate]] = [:]
        var chosen: [String: (school: String, rank: Int)] = [:]
        for candidate in ordered {
            for (index, schoolID) in candidate.choices.enumerated() {
                guard let school = byID[schoolID] else { continue }
                if admitted[schoolID, default: []].count < school.quota {
                    admitted[schoolID, default: []].append(candidate)
                    chosen[candidate.id] = (schoolID, index + 1)
                    break
                }
            }
        }
        // A school that filled its places has a cut-off: the score of the last one it admitted.
        var cutoffs: [String: Int?] = [:]
        for school in schools {
            let list = admitted[school.id] ?? []
            cutoffs[school.id] = list.count >= school.quota && school.quota > 0 ? list.last?.score : nil
        }
        var placements: [String: Placement] = [:]
        for candidate in candidates {
            let got = chosen[candidate.id]
            var reasons: [String] = []
            for (index, schoolID) in candidate.choices.enumerated() {
                if let got, index + 1 >= got.rank { break }
                guard let school = byID[schoolID] else { reasons.append("Nguyện vọng \(index + 1): trường không thuộc kế hoạch."); continue }
                let cutoff = cutoffs[schoolID] ?? nil
                if let cutoff, candidate.score < cutoff {
                    reasons.append("Không đỗ nguyện vọng \(index + 1) (\(school.name)) vì điểm \(points(candidate.score)) dưới điểm chuẩn \(points(cutoff)).")
                } else if let cutoff {
                    reasons.append("Không đỗ nguyện vọng \(index + 1) (\(school.name)): điểm \(points(candidate.score)) bằng điểm chuẩn \(points(cutoff)) nhưng xếp sau theo tiêu chí phụ, trường đã đủ \(school.quota) chỉ tiêu.")
                } else {
                    reasons.append("Không đỗ nguyện vọng \(index + 1) (\(school.name)): trường đã đủ \(school.quota) chỉ tiêu.")
                }
            }
            if let got, let school = byID[got.school] {
                reasons.append("Đỗ nguyện vọng \(got.rank) (\(school.name)).")
                placements[candidate.id] = Placement(schoolID: got.school, choice: got.rank, explanation: reasons.joined(separator: " "))
            } else {
                if candidate.choices.isEmpty { reasons.append("Không có nguyện vọng.") }
                placements[candidate.id] = Placement(schoolID: nil, choice: nil, explanation: reasons.joined(separator: " "))
            }
        }
        return Result(placements: placements, cutoffs: cutoffs, admittedCounts: admitted.mapValues(\.count))
    }
}
