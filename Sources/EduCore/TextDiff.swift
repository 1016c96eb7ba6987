/// A readable word-level diff between two revisions' plain text.
public enum TextDiff {
    public enum Segment: Equatable, Sendable {
        case same(String)
        case added(String)
        case removed(String)
    }

    /// Longest-common-subsequence diff over words (whitespace kept with each word). Inputs past
    /// `limit` words on both sides are compared paragraph by paragraph instead, to bound work.
    public static func diff(_ old: String, _ new: String, limit: Int = 3000) -> [Segment] {
        let a = tokens(old), b = tokens(new)
        if a.count > limit || b.count > limit {
            return merge(lcs(paragraphs(old), paragraphs(new)))
        }
        return merge(lcs(a, b))
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

    static func lcs(_ a: [String], _ b: [String]) -> [Segment] {
        // Trim the common prefix and suffix first: revisions usually change a little.
        var start = 0
        while start < a.count, start < b.count, a[start] == b[start] { start += 1 }
        var endA = a.count, endB = b.count
        while endA > start, endB > start, a[endA - 1] == b[endB - 1] {
            endA -= 1
            endB -= 1
        }
        let x = Array(a[start..<endA]), y = Array(b[start..<endB])
        var table = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        if !x.isEmpty && !y.isEmpty {
            for i in stride(from: x.count - 1, through: 0, by: -1) {
                for j in stride(from: y.count - 1, through: 0, by: -1) {
                    table[i][j] = x[i] == y[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
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
            } else if i < x.count, j == y.count || table[i + 1][j] >= table[i][j + 1] {
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
