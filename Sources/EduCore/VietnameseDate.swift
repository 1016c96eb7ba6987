import Foundation

/// Dates as Vietnamese users read and type them, in Vietnam's time zone (UTC+7, no DST).
public enum VietnameseDate {
    public static let timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!

    /// The school year a moment falls in, by its first calendar year (`2025` for 2025–2026; a
    /// school year is counted from August).
    public static func schoolYear(of date: Date) -> Int {
        let c = calendar.dateComponents([.year, .month], from: date)
        return (c.month ?? 1) >= 8 ? (c.year ?? 2000) : (c.year ?? 2000) - 1
    }

    public static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// `dd/mm/yyyy`, `dd/mm/yyyy hh:mm`, `yyyy-mm-dd`, `yyyy-mm-ddThh:mm` (what `datetime-local`
    /// sends). Nil for anything else or an impossible date (31/02).
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 25 else { return nil }
        let pieces = trimmed.split(whereSeparator: { $0 == " " || $0 == "T" }).map(String.init)
        guard (1...2).contains(pieces.count) else { return nil }
        var components = DateComponents()
        if pieces[0].contains("/") {
            let parts = pieces[0].split(separator: "/").compactMap { Int($0) }
            guard parts.count == 3 else { return nil }
            (components.day, components.month, components.year) = (parts[0], parts[1], parts[2])
        } else {
            let parts = pieces[0].split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { return nil }
            (components.year, components.month, components.day) = (parts[0], parts[1], parts[2])
        }
        components.hour = 0
        components.minute = 0
        if pieces.count == 2 {
            let time = pieces[1].split(separator: ":").compactMap { Int($0) }
            guard (2...3).contains(time.count), (0...23).contains(time[0]), (0...59).contains(time[1]) else { return nil }
            components.hour = time[0]
            components.minute = time[1]
        }
        let calendar = calendar
        guard let year = components.year, (1900...2200).contains(year), components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    /// `27/11/2026`
    public static func day(_ date: Date) -> String { format(date, "dd/MM/yyyy") }

    /// `27/11/2026 09:30`
    public static func dateTime(_ date: Date) -> String { format(date, "dd/MM/yyyy HH:mm") }

    /// `2026-11-27T09:30`, the value a `datetime-local` input shows.
    public static func inputValue(_ date: Date) -> String { format(date, "yyyy-MM-dd'T'HH:mm") }

    /// ISO 8601 with offset, for machine-readable metadata.
    public static func iso(_ date: Date) -> String { format(date, "yyyy-MM-dd'T'HH:mm:ssxxx") }

    public static func format(_ date: Date, _ pattern: String) -> String {
        formatters.with(pattern) { $0.string(from: date) }
    }

    /// Making a `DateFormatter` costs more than a page's database work (a tenth of a search
    /// page's time in a profile): made formatters are kept, each used by one caller at a time.
    private static let formatters = FormatterPool()

    private final class FormatterPool: @unchecked Sendable {
        private let lock = NSLock()
        private var idle: [String: [DateFormatter]] = [:]

        func with<T>(_ pattern: String, _ body: (DateFormatter) -> T) -> T {
            let kept = lock.withLock { idle[pattern]?.popLast() }
            let formatter = kept ?? {
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = VietnameseDate.timeZone
                formatter.dateFormat = pattern
                return formatter
            }()
            let result = body(formatter)
            lock.withLock {
                if idle[pattern, default: []].count < 32 { idle[pattern, default: []].append(formatter) }
            }
            return result
        }
    }
}
