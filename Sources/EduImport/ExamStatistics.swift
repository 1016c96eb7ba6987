import EduCore
import Foundation

/// The score distribution (phổ điểm) of every subject of one import.
public struct ExamStatistics: Sendable, Codable, Equatable {
    public struct Subject: Sendable, Codable, Equatable {
        public let name: String
        /// Candidates with a score in this subject.
        public let count: Int
        public let mean: Double
        public let median: Double
        public let minimum: Double
        public let maximum: Double
        /// Candidates below 1 point (điểm liệt in the graduation exam).
        public let belowOne: Int
        /// Candidates at or above half the maximum.
        public let atLeastHalf: Int
        /// (score in hundredths, candidates) for every score that occurs, ascending.
        public let histogram: [[Int]]
    }

    public let maxScore: Double
    public let subjects: [Subject]
}

struct StatisticsBuilder {
    let subjects: [String]
    let maxHundredths: Int
    /// counts[subject][hundredths]
    var counts: [[Int]]

    init(subjects: [String], maxHundredths: Int) {
        self.subjects = subjects
        self.maxHundredths = maxHundredths
        counts = Array(repeating: Array(repeating: 0, count: maxHundredths + 1), count: subjects.count)
    }

    mutating func add(_ scores: [UInt16]) {
        for (i, score) in scores.enumerated() where score != ExamScore.absent && Int(score) <= maxHundredths {
            counts[i][Int(score)] += 1
        }
    }

    func finish() -> ExamStatistics {
        ExamStatistics(maxScore: Double(maxHundredths) / 100, subjects: subjects.enumerated().map { i, name in
            let histogram = counts[i]
            let count = histogram.reduce(0, +)
            var sum = 0
            for (value, n) in histogram.enumerated() { sum += value * n }
            func quantileValue(_ rank: Int) -> Int {
                var seen = 0
                for (value, n) in histogram.enumerated() {
                    seen += n
                    if seen > rank { return value }
                }
                return 0
            }
            let median: Double
            if count == 0 {
                median = 0
            } else if count % 2 == 1 {
                median = Double(quantileValue(count / 2)) / 100
            } else {
                median = Double(quantileValue(count / 2 - 1) + quantileValue(count / 2)) / 200
            }
            let present = histogram.enumerated().filter { $0.element > 0 }
            let half = (maxHundredths + 1) / 2
            return ExamStatistics.Subject(
                name: name, count: count, mean: count == 0 ? 0 : (Double(sum) / Double(count) / 100 * 100).rounded() / 100,
                median: median, minimum: Double(present.first?.offset ?? 0) / 100, maximum: Double(present.last?.offset ?? 0) / 100,
                belowOne: histogram.prefix(min(100, histogram.count)).reduce(0, +),
                atLeastHalf: histogram.suffix(from: min(half, histogram.count)).reduce(0, +),
                histogram: present.map { [$0.offset, $0.element] })
        })
    }
}

/// A bar chart of one subject's distribution as accessible SVG: a title and description for
/// screen readers, bars grouped into bins (0.25 point on a 10-point scale), axis labels, and
/// presentation attributes only (no inline style, which the CSP forbids).
public enum ScoreChart {
    public struct Bin: Sendable, Equatable {
        public let from: Int
        public let to: Int
        public let count: Int
    }

    /// 40 bins across the scale; the last one includes the maximum.
    public static func bins(_ subject: ExamStatistics.Subject, maxScore: Double) -> [Bin] {
        let maxHundredths = Int((maxScore * 100).rounded())
        let width = max(1, maxHundredths / 40)
        let binCount = (maxHundredths + width - 1) / width
        var counts = Array(repeating: 0, count: max(1, binCount))
        for pair in subject.histogram where pair.count == 2 {
            let index = min(counts.count - 1, pair[0] / width)
            counts[index] += pair[1]
        }
        return counts.enumerated().map { i, n in Bin(from: i * width, to: min(maxHundredths, (i + 1) * width), count: n) }
    }


    /// Two drawings of the same chart: a wide one, and one drawn for a phone's width (fewer units
    /// across, larger type) so its labels stay readable at 320–375 px instead of shrinking with a
    /// wide drawing. The stylesheet shows one of them (`.score-chart-wide`, `.score-chart-narrow`);
    /// the other is not displayed, so a screen reader meets one chart.
    public static func svg(_ subject: ExamStatistics.Subject, maxScore: Double, id: String) -> String {
        let maxWhole = Int(maxScore.rounded(.down))
        return draw(subject, maxScore: maxScore, id: id, layout: Layout(width: 640, height: 260, left: 52, fontSize: 11,
                                                                       labelEvery: maxWhole > 20 ? 5 : 1, kind: "wide"))
            + "\n"
            + draw(subject, maxScore: maxScore, id: id + "-hep", layout: Layout(width: 340, height: 240, left: 44, fontSize: 14,
                                                                               labelEvery: maxWhole > 20 ? 10 : 2, kind: "narrow"))
    }

    struct Layout {
        let width: Double, height: Double, left: Double, fontSize: Int, labelEvery: Int, kind: String
    }

    static func draw(_ subject: ExamStatistics.Subject, maxScore: Double, id: String, layout: Layout) -> String {
        let bins = bins(subject, maxScore: maxScore)
        let width = layout.width, height = layout.height, left = layout.left, font = layout.fontSize
        let bottom = Double(font) * 3 + 3, top = 16.0, right = 12.0
        let plotW = width - left - right, plotH = height - top - bottom
        let peak = max(1, bins.map(\.count).max() ?? 1)
        let barW = plotW / Double(bins.count)
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="100%" role="img" \
        aria-labelledby="\(id)-title \(id)-desc" class="score-chart score-chart-\(layout.kind)">
        <title id="\(id)-title">Phổ điểm môn \(Escape.attribute(subject.name))</title>
        <desc id="\(id)-desc">\(subject.count) thí sinh có điểm; điểm trung bình \(ExamScore.text(points: subject.mean)), trung vị \(ExamScore.text(points: subject.median)). \
        Số thí sinh theo từng khoảng điểm có trong bảng bên dưới.</desc>
        <rect x="\(Int(left))" y="\(Int(top))" width="\(Int(plotW))" height="\(Int(plotH))" fill="#ffffff" stroke="#6b7280" stroke-width="1"/>

        """
        // Horizontal grid with counts.
        for step in 0...4 {
            let value = Double(peak) * Double(step) / 4
            let y = top + plotH - plotH * Double(step) / 4
            svg += "<line x1=\"\(Int(left))\" y1=\"\(String(format: "%.1f", y))\" x2=\"\(Int(left + plotW))\" y2=\"\(String(format: "%.1f", y))\" stroke=\"#d1d5db\" stroke-width=\"1\"/>"
            svg += "<text x=\"\(Int(left) - 6)\" y=\"\(String(format: "%.1f", y + Double(font) / 3))\" text-anchor=\"end\" font-size=\"\(font)\" fill=\"#111827\">\(Int(value.rounded()))</text>\n"
        }
        for (i, bin) in bins.enumerated() where bin.count > 0 {
            let h = plotH * Double(bin.count) / Double(peak)
            let x = left + Double(i) * barW
            svg += "<rect x=\"\(String(format: "%.2f", x + 0.5))\" y=\"\(String(format: "%.2f", top + plotH - h))\" width=\"\(String(format: "%.2f", max(0.5, barW - 1)))\" height=\"\(String(format: "%.2f", h))\" fill=\"#1d4ed8\"><title>\(ExamScore.text(points: Double(bin.from) / 100))–\(ExamScore.text(points: Double(bin.to) / 100)): \(bin.count) thí sinh</title></rect>\n"
        }
        // Score axis: whole points.
        let maxWhole = Int(maxScore.rounded(.down))
        for point in stride(from: 0, through: maxWhole, by: layout.labelEvery) {
            let x = left + plotW * Double(point) / maxScore
            svg += "<text x=\"\(String(format: "%.1f", x))\" y=\"\(Int(top + plotH) + font + 4)\" text-anchor=\"middle\" font-size=\"\(font)\" fill=\"#111827\">\(point)</text>"
        }
        svg += "\n<text x=\"\(Int(left + plotW / 2))\" y=\"\(Int(height - 4))\" text-anchor=\"middle\" font-size=\"\(font + 1)\" fill=\"#111827\">Điểm</text>"
        svg += "<text x=\"\(font)\" y=\"\(Int(top + plotH / 2))\" text-anchor=\"middle\" font-size=\"\(font + 1)\" fill=\"#111827\" transform=\"rotate(-90 \(font) \(Int(top + plotH / 2)))\">Số thí sinh</text>\n"
        svg += "</svg>"
        return svg
    }
}
