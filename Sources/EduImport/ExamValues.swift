import EduCore
import Foundation

/// The kinds of exam a unit publishes results for.
public enum ExamKind: String, CaseIterable, Sendable, Codable {
    case tuyenSinhLop10 = "tuyen-sinh-lop-10"
    case totNghiepTHPT = "tot-nghiep-thpt"
    case hocSinhGioi = "hoc-sinh-gioi"
    case nghePhoThong = "nghe-pho-thong"
    case tuyenSinhLop6 = "tuyen-sinh-lop-6"
    case khac = "khac"

    public var label: String {
        switch self {
        case .tuyenSinhLop10: "Tuyển sinh lớp 10"
        case .totNghiepTHPT: "Tốt nghiệp THPT"
        case .hocSinhGioi: "Học sinh giỏi"
        case .nghePhoThong: "Nghề phổ thông"
        case .tuyenSinhLop6: "Tuyển sinh lớp 6"
        case .khac: "Kỳ thi khác"
        }
    }

    /// Accepts the code or the Vietnamese label, with or without diacritics.
    public init?(text: String) {
        let folded = SearchFolding.fold(text).replacingOccurrences(of: " ", with: "-")
        if let kind = ExamKind(rawValue: folded) { self = kind; return }
        if let kind = ExamKind.allCases.first(where: { SearchFolding.fold($0.label).replacingOccurrences(of: " ", with: "-") == folded }) {
            self = kind
            return
        }
        return nil
    }
}

/// Dates as Vietnamese spreadsheets write them, as `yyyymmdd` integers.
public enum ExamDate {
    /// `dd/mm/yyyy` (also with `-` or `.`, one-digit day or month), ISO `yyyy-mm-dd`, or Excel's
    /// serial day number (what a date-formatted XLSX cell holds). Two-digit years are refused:
    /// a birth year must not be guessed.
    public static func parse(_ text: String) -> Int32? {
        // The two everyday shapes without allocating (lookups parse one per request).
        if let fast = text.utf8.withContiguousStorageIfAvailable(parseFixed), let date = fast { return date }
        guard let (year, month, day) = components(text), isValid(year: year, month: month, day: day) else { return nil }
        return Int32(year * 10_000 + month * 100 + day)
    }

    /// What a date cell holds, judged for a date that cannot be later than `today` (a birth, an
    /// issue date): the message says which fault, showing the date as dd/mm/yyyy even when the
    /// cell held Excel's serial number.
    public enum Checked: Equatable {
        case empty
        case date(Int32)
        /// dd/mm/yyyy
        case future(String)
        /// dd/mm/yyyy
        case tooOld(String)
        case invalid
    }

    public static func check(_ text: String, notAfter today: Int32) -> Checked {
        if text.isEmpty { return .empty }
        guard let (year, month, day) = components(text), exists(year: year, month: month, day: day) else { return .invalid }
        let value = Int32(year * 10_000 + month * 100 + day)
        if value > today { return .future(vietnamese(value)) }
        if year < 1900 { return .tooOld(vietnamese(value)) }
        return .date(value)
    }

    /// Today in Việt Nam (UTC+7), as yyyymmdd.
    public static func today(_ now: Date = Date()) -> Int32 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return Int32((c.year ?? 2000) * 10_000 + (c.month ?? 1) * 100 + (c.day ?? 1))
    }

    /// Year, month and day as written (or as Excel's serial number), before any range check.
    static func components(_ text: String) -> (Int, Int, Int)? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 24 else { return nil }
        var parts: [Int] = []
        var digits: [Int] = []
        var current = 0, length = 0
        for byte in bytes {
            if byte >= 0x30 && byte <= 0x39 {
                current = current * 10 + Int(byte - 0x30)
                length += 1
                if length > 8 { return nil }
            } else if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") {
                guard length > 0 else { return nil }
                parts.append(current)
                digits.append(length)
                current = 0
                length = 0
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "T") {
                // "2008-05-01 00:00:00" or "...T00:00": the time is ignored.
                break
            } else {
                return nil
            }
        }
        if length > 0 {
            parts.append(current)
            digits.append(length)
        }
        let year, month, day: Int
        switch parts.count {
        case 1:
            // An Excel serial number (1900 date system): 1 = 1900-01-01, with Excel's phantom 29/02/1900.
            guard digits[0] <= 6, let serial = Int(text.split(separator: ".").first ?? ""), (2...2_958_465).contains(serial) else { return nil }
            let days = serial - 25_569 + (serial < 61 ? 1 : 0)
            let date = Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            guard let y = c.year, let m = c.month, let d = c.day else { return nil }
            (year, month, day) = (y, m, d)
        case 3:
            if digits[0] == 4 {
                (year, month, day) = (parts[0], parts[1], parts[2])
            } else if digits[2] == 4 {
                (day, month, year) = (parts[0], parts[1], parts[2])
            } else {
                return nil
            }
        default:
            return nil
        }
        return (year, month, day)
    }

    /// `yyyy-mm-dd` or `dd/mm/yyyy` exactly (10 bytes); nil for anything else.
    static func parseFixed(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard b.count == 10 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in from..<(from + count) {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                value = value * 10 + Int(b[i] - 0x30)
            }
            return value
        }
        let ymd: (Int, Int, Int)?
        if b[4] == UInt8(ascii: "-") && b[7] == UInt8(ascii: "-"), let y = number(0, 4), let m = number(5, 2), let d = number(8, 2) {
            ymd = (y, m, d)
        } else if b[2] == UInt8(ascii: "/") && b[5] == UInt8(ascii: "/"), let d = number(0, 2), let m = number(3, 2), let y = number(6, 4) {
            ymd = (y, m, d)
        } else {
            ymd = nil
        }
        guard let (y, m, d) = ymd, isValid(year: y, month: m, day: d) else { return nil }
        return Int32(y * 10_000 + m * 100 + d)
    }

    /// A date of 1900–2100 that exists (what the lookups and imports accept).
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        (1900...2100).contains(year) && exists(year: year, month: month, day: day)
    }

    /// A calendar date that exists, in any year 1–9999 (31/02 does not).
    static func exists(year: Int, month: Int, day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let days = [31, (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// `yyyy-mm-dd`.
    public static func iso(_ value: Int32) -> String {
        let v = Int(value)
        return digits(v / 10_000, 4) + "-" + digits(v / 100 % 100, 2) + "-" + digits(v % 100, 2)
    }

    /// `dd/mm/yyyy`.
    public static func vietnamese(_ value: Int32) -> String {
        let v = Int(value)
        return digits(v % 100, 2) + "/" + digits(v / 100 % 100, 2) + "/" + digits(v / 10_000, 4)
    }

    /// Zero-padded decimal without `String(format:)` (this runs on every lookup).
    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// Scores kept as hundredths in a `UInt16` (`absent` when the candidate has none).
public enum ExamScore {
    public static let absent: UInt16 = 0xFFFF

    public enum Parsed: Equatable {
        case empty
        case value(UInt16)
        case invalid
    }

    /// `8,25` or `8.25` (one decimal separator, at most enough digits to round to hundredths);
    /// an empty cell, `-`, `v`, `vắng`, `vắng thi`, `miễn` mean no score.
    public static func parse(_ text: String) -> Parsed {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return .empty }
        var whole = 0, fraction = 0, fractionDigits = 0
        var seenSeparator = false, seenDigit = false
        var roundUp = false
        for byte in bytes {
            switch byte {
            case 0x30...0x39:
                seenDigit = true
                let digit = Int(byte - 0x30)
                if seenSeparator {
                    fractionDigits += 1
                    if fractionDigits <= 2 {
                        fraction = fraction * 10 + digit
                    } else if fractionDigits == 3 {
                        roundUp = digit >= 5
                    }
                } else {
                    whole = whole * 10 + digit
                    if whole > 10_000 { return .invalid }
                }
            case UInt8(ascii: ","), UInt8(ascii: "."):
                if seenSeparator { return .invalid }
                seenSeparator = true
            default:
                let folded = SearchFolding.fold(text)
                return ["-", "v", "vang", "vang thi", "vt", "mien", "mien thi", "x", "k", "khong thi"].contains(folded) ? .empty : .invalid
            }
        }
        guard seenDigit else { return .invalid }
        if fractionDigits == 1 { fraction *= 10 }
        var hundredths = whole * 100 + fraction + (roundUp ? 1 : 0)
        if hundredths >= Int(absent) { return .invalid }
        hundredths = max(0, hundredths)
        return .value(UInt16(hundredths))
    }

    /// `8.25` → "8,25", `7` → "7", `7.5` → "7,5" (Vietnamese decimal comma).
    public static func text(_ hundredths: UInt16) -> String { format(hundredths, separator: ",") }

    /// A score in points (a mean, a bin edge), rounded to hundredths: `6.4567` → "6,46".
    public static func text(points: Double) -> String {
        text(UInt16(max(0, min(65_000, (points * 100).rounded()))))
    }

    /// For JSON: `8.25`.
    public static func decimal(_ hundredths: UInt16) -> String { format(hundredths, separator: ".") }

    static func format(_ hundredths: UInt16, separator: String) -> String {
        let whole = Int(hundredths) / 100, fraction = Int(hundredths) % 100
        if fraction == 0 { return String(whole) }
        if fraction % 10 == 0 { return String(whole) + separator + String(fraction / 10) }
        return String(whole) + separator + (fraction < 10 ? "0" : "") + String(fraction)
    }
}
