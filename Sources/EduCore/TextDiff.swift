/// A readable word-level diff between two revisions' plain text.
public enum TextDiff {
    public enum Segment: Equatable, Sendable {
        case same(String)
        case added(String)
        case removed(String)
    }

    /// The most cells the comparison table may have (after the common beginning and end are
    /// set aside): 4 million, 16 MB. Two drafts of 60,000 one-word paragraphs would need 3.6
    /// billion.
    public static let maxCells = 4_000_000

    /// Longest-common-subsequence diff over words (whitespace kept with each word); when that
    /// is too large, paragraph by paragraph; when that is too large too, nil ("too large to
    /// compare"), so memory and time stay bounded whatever two revisions hold.
    public static func diff(_ old: String, _ new: String, maxCells: Int = TextDiff.maxCells) -> [Segment]? {
        if let words = lcs(tokens(old), tokens(new), maxCells: maxCells) { return merge(words) }
        if let paragraphs = lcs(paragraphs(old), paragraphs(new), maxCells: maxCells) { return merge(paragraphs) }
        return nil
    }

    static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text {
            current.append(ch)
            if ch.isWhitespace {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    static func paragraphs(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "\n" }
    }

    static func lcs(_ a: [String], _ b: [String], maxCells: Int) -> [Segment]? {
        // Trim the common prefix and suffix first: revisions usually change a little.
        var start = 0
        while start < a.count, start < b.count, a[start] == b[start] { start += 1 }
        var endA = a.count, endB = b.count
        while endA > start, endB > start, a[endA - 1] == b[endB - 1] {
            endA -= 1
            endB -= 1
        }
        let x = Array(a[start..<endA]), y = Array(b[start..<endB])
        let (rows, columns) = x.count.multipliedReportingOverflow(by: y.count).overflow ? (Int.max, 1) : (x.count + 1, y.count + 1)
        guard x.count == 0 || y.count == 0 || x.count.multipliedReportingOverflow(by: y.count).partialValue <= maxCells, rows < Int.max else {
            return nil
        }
        // One flat table of 32-bit counts: cell (i, j) at i * columns + j.
        var table = [Int32](repeating: 0, count: (x.isEmpty || y.isEmpty) ? 0 : rows * columns)
        if !x.isEmpty && !y.isEmpty {
            for i in stride(from: x.count - 1, through: 0, by: -1) {
                for j in stride(from: y.count - 1, through: 0, by: -1) {
                    table[i * columns + j] = x[i] == y[j]
                        ? table[(i + 1) * columns + j + 1] + 1 : max(table[(i + 1) * columns + j], table[i * columns + j + 1])
                }
            }
        }
        var segments: [Segment] = a[0..<start].map { .same($0) }
        var i = 0, j = 0
        while i < x.count || j < y.count {
            if i < x.count, j < y.count, x[i] == y[j] {
                segments.append(.same(x[i]))
                i += 1
                j += 1
            } else if i < x.count, j == y.count || table[(i + 1) * columns + j] >= table[i * columns + j + 1] {
                segments.append(.removed(x[i]))  // removals before additions, as people read a change
                i += 1
            } else {
                segments.append(.added(y[j]))
                j += 1
            }
        }
        segments += a[endA...].map { .same($0) }
        return segments
    }

    /// Joins neighbouring segments of the same kind.
    static func merge(_ segments: [Segment]) -> [Segment] {
        var out: [Segment] = []
        for segment in segments {
            switch (out.last, segment) {
            case (.same(let a)?, .same(let b)): out[out.count - 1] = .same(a + b)
            case (.added(let a)?, .added(let b)): out[out.count - 1] = .added(a + b)
            case (.removed(let a)?, .removed(let b)): out[out.count - 1] = .removed(a + b)
            default: out.append(segment)
            }
        }
        return out
    }
}
