import Foundation

/// Public disclosure (công khai, A9.7). The circular cites Circular 36/2017; the rules are now
/// Circular 09/2024/TT-BGDĐT: a general part for every school (general information; income and
/// spending, fees, exemptions; staff; facilities; quality accreditation; the year's plan and the
/// previous year's results) and a part per level, and, for a school with a portal, an annual
/// report as PDF with figures to 31 December. The circular's text was not available here: the
/// items, the yearly publication date (30/6), the update window after a change (10 working days)
/// and the retention (5 years) come from REQUIREMENTS.md, which marks the dates as uncertain, so
/// every one of them is data in `DisclosureCatalogue` and `DisclosurePolicy`, not code.
public struct DisclosureItem: Sendable, Hashable {
    public enum Form: String, Sendable {
        /// Text the school writes (fees, the list of exemptions…), optionally with a file.
        case text
        /// A document (PDF) is required; text is optional.
        case file
    }

    public let key: String
    public let title: String
    /// Clause of Circular 09/2024 (or "chung" for the general part), as the UI cites it.
    public let clause: String
    public let form: Form
    /// The school levels the item applies to; empty: every school.
    public let levels: Set<YearbookLevel>

    public init(_ key: String, _ title: String, clause: String, form: Form, levels: Set<YearbookLevel> = []) {
        self.key = key
        self.title = title
        self.clause = clause
        self.form = form
        self.levels = levels
    }

    public func applies(to type: UnitType) -> Bool {
        levels.isEmpty || !levels.isDisjoint(with: YearbookLevel.levels(of: type))
    }
}

/// When disclosures are due. Every value is uncertain in REQUIREMENTS.md and kept here as data.
public struct DisclosurePolicy: Sendable, Equatable {
    /// The yearly publication date: day and month of the school year's second calendar year.
    public var dueDay = 30
    public var dueMonth = 6
    /// Working days after a change within which the disclosure is to be updated.
    public var updateWorkingDays = 10
    /// Years a disclosure stays published.
    public var retentionYears = 5
    /// Days before a due date when the school's responsible person is reminded.
    public var reminderDays = 14

    public init() {}

    public static let standard = DisclosurePolicy()

    /// The yearly due date of school year `start`–`start+1` (end of that day, Vietnam time).
    public func yearlyDue(schoolYear start: Int) -> Date {
        var components = DateComponents()
        components.year = start + 1
        components.month = dueMonth
        components.day = dueDay
        components.hour = 23
        components.minute = 59
        return VietnameseDate.calendar.date(from: components) ?? Date.distantFuture
    }
}

public enum DisclosureCatalogue {
    public static let items: [DisclosureItem] = [
        .init("thong-tin-chung", "Thông tin chung về cơ sở giáo dục (tên, địa chỉ, loại hình, cơ cấu tổ chức, người đứng đầu, đầu mối liên hệ)", clause: "phần chung", form: .text),
        .init("tai-chinh", "Thu, chi tài chính; học phí, các khoản thu; chính sách miễn, giảm, hỗ trợ", clause: "phần chung", form: .file),
        .init("doi-ngu", "Đội ngũ nhà giáo, cán bộ quản lý, nhân viên", clause: "phần chung", form: .text),
        .init("co-so-vat-chat", "Cơ sở vật chất, thiết bị dạy học", clause: "phần chung", form: .text),
        .init("kiem-dinh", "Kết quả kiểm định chất lượng giáo dục, công nhận đạt chuẩn quốc gia", clause: "phần chung", form: .text),
        .init("ke-hoach", "Kế hoạch giáo dục năm học; kết quả năm học trước", clause: "phần chung", form: .file),
        .init("cham-soc-nuoi-duong", "Chế độ chăm sóc, nuôi dưỡng trẻ; kết quả đánh giá sự phát triển của trẻ", clause: "phần riêng: mầm non", form: .text, levels: [.mamNon]),
        .init("ket-qua-hoc-tap", "Kết quả đánh giá, xếp loại học sinh; tỉ lệ lên lớp, tốt nghiệp", clause: "phần riêng: phổ thông", form: .text, levels: [.tieuHoc, .thcs, .thpt]),
        .init("bao-cao-thuong-nien", "Báo cáo thường niên (PDF, số liệu đến 31 tháng 12)", clause: "báo cáo thường niên", form: .file),
    ]

    public static func items(for type: UnitType) -> [DisclosureItem] {
        YearbookLevel.levels(of: type).isEmpty ? [] : items.filter { $0.applies(to: type) }
    }

    public static func item(_ key: String) -> DisclosureItem? { items.first { $0.key == key } }
}

/// Working days in Vietnam: Monday to Friday, less the public holidays (Labour Code 2019,
/// Article 112, and each year's decision on Tết and compensatory days), which are data: the
/// caller passes the holidays it has (`yyyy-MM-dd`).
public struct WorkingCalendar: Sendable {
    public let holidays: Set<String>

    public init(holidays: Set<String>) {
        self.holidays = holidays
    }

    static func key(_ date: Date) -> String {
        let c = VietnameseDate.calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    public func isWorkingDay(_ date: Date) -> Bool {
        let weekday = VietnameseDate.calendar.component(.weekday, from: date)  // 1 = Sunday, 7 = Saturday
        return weekday != 1 && weekday != 7 && !holidays.contains(Self.key(date))
    }

    /// The end (23:59) of the `count`-th working day after the day of `date` (that day not counted).
    public func addingWorkingDays(_ count: Int, to date: Date) -> Date {
        let calendar = VietnameseDate.calendar
        var day = calendar.startOfDay(for: date)
        var left = count
        while left > 0 {
            day = calendar.date(byAdding: .day, value: 1, to: day) ?? day
            if isWorkingDay(day) { left -= 1 }
        }
        return calendar.date(byAdding: .minute, value: 23 * 60 + 59, to: day) ?? day
    }
}

/// Vietnam's public holidays (Labour Code 2019, Article 112): 1/1; Tết (the last day of the lunar
/// year and the first four of the new one); the Hùng Kings' day (10/3 lunar); 30/4 and 1/5; 2/9
/// and one adjacent day. Lunar dates are converted here for 2024–2030 (the new year's first day:
/// 10/02/2024, 29/01/2025, 17/02/2026, 06/02/2027, 26/01/2028, 13/02/2029, 03/02/2030). Each
/// year the government also moves days (compensatory days, swapped working days) by decision;
/// those decisions were not available here, so a deployment adds them as data
/// (`EDUPORTAL_EXTRA_HOLIDAYS`, `yyyy-MM-dd` separated by commas).
public enum VietnameseHolidays {
    static let tet: [Int: (month: Int, day: Int)] = [2024: (2, 10), 2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3)]
    static let hungKings: [Int: (month: Int, day: Int)] = [2024: (4, 18), 2025: (4, 7), 2026: (4, 26), 2027: (4, 16), 2028: (4, 4), 2029: (4, 23), 2030: (4, 12)]

    public static func days(extra: [String] = []) -> Set<String> {
        var days = Set(extra)
        let calendar = VietnameseDate.calendar
        func add(_ year: Int, _ month: Int, _ day: Int, plus: Int = 0) {
            var c = DateComponents()
            c.year = year
            c.month = month
            c.day = day
            guard let date = calendar.date(from: c), let shifted = calendar.date(byAdding: .day, value: plus, to: date) else { return }
            days.insert(WorkingCalendar.key(shifted))
        }
        for year in 2024...2030 {
            add(year, 1, 1)
            add(year, 4, 30)
            add(year, 5, 1)
            add(year, 9, 1)
            add(year, 9, 2)
            if let t = tet[year] { for offset in -1...3 { add(year, t.month, t.day, plus: offset) } }
            if let h = hungKings[year] { add(year, h.month, h.day) }
        }
        return days
    }
}
