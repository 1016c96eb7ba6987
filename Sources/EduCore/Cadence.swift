import Foundation

/// How often something recurs: a report a unit above asks for, an evaluation round opened on a
/// schedule. The n-th occurrence is counted from the first, in Vietnam's calendar, so a series
/// due on the 31st falls on the last day of the shorter months and comes back to the 31st
/// (adding a month at a time would drift to the 28th for good).
public enum Cadence: String, Sendable, CaseIterable, Codable {
    case once = "mot-lan"
    case monthly = "hang-thang"
    case quarterly = "hang-quy"
    case halfYearly = "sau-thang"
    case yearly = "hang-nam"

    public var label: String {
        switch self {
        case .once: "Một lần"
        case .monthly: "Hằng tháng"
        case .quarterly: "Hằng quý"
        case .halfYearly: "Sáu tháng một lần"
        case .yearly: "Hằng năm"
        }
    }

    public var months: Int {
        switch self {
        case .once: 0
        case .monthly: 1
        case .quarterly: 3
        case .halfYearly: 6
        case .yearly: 12
        }
    }

    /// The n-th occurrence (0 is `first`).
    public func occurrence(_ n: Int, from first: Date) -> Date {
        guard n > 0, months > 0 else { return first }
        return VietnameseDate.calendar.date(byAdding: .month, value: n * months, to: first) ?? first
    }

    /// The first occurrence later than `date`; nil for a one-off.
    public func next(after date: Date, from first: Date) -> Date? {
        guard months > 0 else { return nil }
        if first > date { return first }
        var n = 1
        while occurrence(n, from: first) <= date, n < 100_000 { n += 1 }
        return occurrence(n, from: first)
    }

    /// Occurrences from `first` up to and including `last`, newest first, at most `limit`.
    public func occurrences(from first: Date, through last: Date, limit: Int) -> [Date] {
        guard months > 0 else { return first <= last ? [first] : [] }
        var all: [Date] = []
        var n = 0
        while true {
            let date = occurrence(n, from: first)
            if date > last || n > 100_000 { break }
            all.append(date)
            n += 1
        }
        return Array(all.reversed().prefix(limit))
    }

    /// What period an occurrence stands for, as a report title says it: «tháng 12/2026»,
    /// «quý IV/2026», «6 tháng đầu năm 2026», «năm 2026»; a one-off has none.
    public func periodLabel(of date: Date) -> String {
        let c = VietnameseDate.calendar.dateComponents([.year, .month], from: date)
        let year = c.year ?? 2000, month = c.month ?? 1
        switch self {
        case .once: return ""
        case .monthly: return "tháng \(month)/\(year)"
        case .quarterly: return "quý \(["I", "II", "III", "IV"][(month - 1) / 3])/\(year)"
        case .halfYearly: return month <= 6 ? "6 tháng đầu năm \(year)" : "6 tháng cuối năm \(year)"
        case .yearly: return "năm \(year)"
        }
    }

    /// The end of the day `date` falls on, in Vietnam: a due date typed as a day is due through it.
    public static func endOfDay(_ date: Date) -> Date {
        let calendar = VietnameseDate.calendar
        let start = calendar.startOfDay(for: date)
        return calendar.date(byAdding: DateComponents(day: 1, second: -1), to: start) ?? date
    }
}
