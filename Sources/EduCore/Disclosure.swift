import Foundation

/// Public disclosure (công khai, A9.7). The circular cites Circular 36/2017; the rules are now
/// Circular 09/2024/TT-BGDĐT: a general part for every school (general information; income and
/// spending, fees, exemptions; staff; facilities; quality accreditation; the year's plan and the
/// previous year's results) and a part per level, and, for a school with a portal, an annual
/// report as PDF with figures to 31 December. The circular's text was not available here: the
/// items, the yearly publication date (30/6), the update window after a change (10 working days)
/// and the retention (5 years) come from REQUIREMENTS.md, which marks the dates as uncertain, so
/// every one of them is data in `DisclosureCatalogue` and `DisclosurePolicy`, not code.
/// One structured figure of a disclosure item (the fees, the number of teachers, the date the
/// annual report's figures run to), read from what a clerk types and shown the same way everywhere.
public struct DisclosureField: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// A whole number of people, rooms, machines (`1.234` accepted).
        case count
        /// A sum in đồng (`1.500.000`, `1 500 000 đ`).
        case money
        /// 0–100, a comma or a point before the decimals.
        case percent
        /// dd/mm/yyyy.
        case date
        /// A year such as 2019.
        case year
        /// A short line of text.
        case text
    }

    public let key: String
    public let label: String
    public let kind: Kind
    public let required: Bool
    /// Yearbook values (`truong.giao_vien`) whose sum fills the field in when the school has filed
    /// the yearbook for that school year and not yet this item.
    public let yearbookKeys: [String]

    public init(_ key: String, _ label: String, _ kind: Kind, required: Bool = true, yearbook: [String] = []) {
        self.key = key
        self.label = label
        self.kind = kind
        self.required = required
        self.yearbookKeys = yearbook
    }

    /// The value as stored (digits, `95.5`, `yyyy-MM-dd`, the text), or what is wrong in Vietnamese.
    /// An empty text is `.success("")`; whether that is allowed is `required`'s business.
    public func read(_ raw: String) -> Result<String, DisclosureFieldError> {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\u{00A0}", with: " ")
        if text.isEmpty { return .success("") }
        switch kind {
        case .count, .money:
            guard let number = VietnameseNumber.readWhole(text, limit: kind == .money ? 1_000_000_000_000_000 : 10_000_000) else {
                return .failure(.init("«\(text.prefix(30))» không phải \(kind == .money ? "số tiền (đồng, số nguyên không âm)" : "số nguyên không âm")."))
            }
            return .success(String(number))
        case .percent:
            var number = text.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
            if number.hasPrefix(".") { number = "0" + number }
            guard number.range(of: #"^\d{1,3}(\.\d{1,2})?$"#, options: .regularExpression) != nil, let value = Double(number), value <= 100 else {
                return .failure(.init("«\(text.prefix(30))» không phải tỉ lệ phần trăm từ 0 đến 100 (tối đa hai chữ số thập phân)."))
            }
            return .success(number)
        case .date:
            guard let date = VietnameseDate.parse(text), !text.contains(":") else { return .failure(.init("Ngày viết dạng dd/mm/yyyy.")) }
            return .success(VietnameseDate.format(date, "yyyy-MM-dd"))
        case .year:
            guard let year = Int(text), (1900...2100).contains(year) else { return .failure(.init("«\(text.prefix(30))» không phải năm (ví dụ 2019).")) }
            return .success(String(year))
        case .text:
            return .success(String(text.prefix(300)))
        }
    }

    /// A stored value as the pages show it: `1.500.000 đồng`, `95,5 %`, `31/12/2025`.
    public func display(_ stored: String) -> String {
        guard !stored.isEmpty else { return "" }
        switch kind {
        case .count: return Int(stored).map(VietnameseNumber.grouped) ?? stored
        case .money: return Int(stored).map { VietnameseNumber.grouped($0) + " đồng" } ?? stored
        case .percent: return stored.replacingOccurrences(of: ".", with: ",") + " %"
        case .date: return VietnameseDate.parse(stored).map(VietnameseDate.day) ?? stored
        case .year, .text: return stored
        }
    }

    /// How the form shows a stored value for editing (`1.500.000`, `95,5`, `31/12/2025`).
    public func editable(_ stored: String) -> String {
        switch kind {
        case .count, .money: Int(stored).map(VietnameseNumber.grouped) ?? stored
        case .percent: stored.replacingOccurrences(of: ".", with: ",")
        case .date: VietnameseDate.parse(stored).map(VietnameseDate.day) ?? stored
        case .year, .text: stored
        }
    }
}

public struct DisclosureFieldError: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

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
    /// Figures published as structured fields (beside the text or the file).
    public let fields: [DisclosureField]

    public init(_ key: String, _ title: String, clause: String, form: Form, levels: Set<YearbookLevel> = [], fields: [DisclosureField] = []) {
        self.key = key
        self.title = title
        self.clause = clause
        self.form = form
        self.levels = levels
        self.fields = fields
    }

    /// Reads every field of the form (`values[key]` as typed) into stored values, with the faults
    /// by field key: a value that does not read, a required one left empty, figures that disagree,
    /// an annual report whose figures do not run to the cut-off day of the school year `year`.
    public func read(_ typed: [String: String], year: Int, policy: DisclosurePolicy = .standard) -> (values: [String: String], faults: [String: String]) {
        var values: [String: String] = [:], faults: [String: String] = [:]
        for field in fields {
            switch field.read(typed[field.key] ?? "") {
            case .success(let value):
                if value.isEmpty && field.required { faults[field.key] = "Nhập \(field.label.prefix(1).lowercased() + field.label.dropFirst())." }
                else if !value.isEmpty { values[field.key] = value }
            case .failure(let error):
                faults[field.key] = error.message
            }
        }
        if let teachers = values["giao_vien"].flatMap(Int.init), let qualified = values["gv_dat_chuan"].flatMap(Int.init), qualified > teachers {
            faults["gv_dat_chuan"] = "Giáo viên đạt chuẩn trở lên (\(qualified)) nhiều hơn tổng số giáo viên (\(teachers))."
        }
        if let date = values["so_lieu_den_ngay"] {
            let cutoff = String(format: "%04d-%02d-%02d", year, policy.annualReportCutoffMonth, policy.annualReportCutoffDay)
            if date != cutoff {
                faults["so_lieu_den_ngay"] = "Báo cáo thường niên năm học \(year)–\(year + 1) có số liệu đến ngày \(String(format: "%02d/%02d/%04d", policy.annualReportCutoffDay, policy.annualReportCutoffMonth, year)), không phải \(fields.first { $0.key == "so_lieu_den_ngay" }?.display(date) ?? date)."
            }
        }
        return (values, faults)
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
    /// The annual report's figures run to this day and month of the school year's first calendar
    /// year (31 December; REQUIREMENTS.md: "annual report as a PDF with figures to 31 December").
    public var annualReportCutoffDay = 31
    public var annualReportCutoffMonth = 12

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
    /// The fields are what the item's heading names and a parent compares between schools; the
    /// circular's own forms were not available here (see above), so they are data too.
    public static let items: [DisclosureItem] = [
        .init("thong-tin-chung", "Thông tin chung về cơ sở giáo dục (tên, địa chỉ, loại hình, cơ cấu tổ chức, người đứng đầu, đầu mối liên hệ)", clause: "phần chung", form: .text, fields: [
            .init("dia_chi", "Địa chỉ", .text), .init("nguoi_dung_dau", "Người đứng đầu (họ tên, chức vụ)", .text),
            .init("dau_moi", "Đầu mối liên hệ (điện thoại, thư điện tử)", .text),
        ]),
        .init("tai-chinh", "Thu, chi tài chính; học phí, các khoản thu; chính sách miễn, giảm, hỗ trợ", clause: "phần chung", form: .file, fields: [
            .init("hoc_phi_thang", "Học phí một học sinh một tháng", .money), .init("tong_thu", "Tổng thu năm trước", .money),
            .init("tong_chi", "Tổng chi năm trước", .money), .init("mien_giam", "Số học sinh được miễn, giảm học phí", .count),
        ]),
        .init("doi-ngu", "Đội ngũ nhà giáo, cán bộ quản lý, nhân viên", clause: "phần chung", form: .text, fields: [
            .init("can_bo_quan_ly", "Cán bộ quản lý", .count, yearbook: ["truong.can_bo_quan_ly"]),
            .init("giao_vien", "Giáo viên", .count, yearbook: ["truong.giao_vien"]),
            .init("gv_dat_chuan", "Giáo viên đạt chuẩn trình độ đào tạo trở lên", .count, yearbook: ["truong.gv_dat_chuan", "truong.gv_tren_chuan"]),
            .init("nhan_vien", "Nhân viên", .count, yearbook: ["truong.nhan_vien"]),
        ]),
        .init("co-so-vat-chat", "Cơ sở vật chất, thiết bị dạy học", clause: "phần chung", form: .text, fields: [
            .init("phong_hoc", "Phòng học", .count, yearbook: ["truong.phong_hoc"]),
            .init("phong_bo_mon", "Phòng học bộ môn", .count, yearbook: ["truong.phong_bo_mon"]),
            .init("thu_vien", "Thư viện", .count, yearbook: ["truong.thu_vien"]),
            .init("may_tinh", "Máy tính dùng cho dạy học", .count, yearbook: ["truong.may_tinh"]),
        ]),
        .init("kiem-dinh", "Kết quả kiểm định chất lượng giáo dục, công nhận đạt chuẩn quốc gia", clause: "phần chung", form: .text, fields: [
            .init("cap_do_kiem_dinh", "Cấp độ kiểm định chất lượng (hoặc «chưa kiểm định»)", .text),
            .init("muc_chuan_quoc_gia", "Mức đạt chuẩn quốc gia (hoặc «chưa đạt»)", .text),
            .init("nam_cong_nhan", "Năm công nhận", .year, required: false),
        ]),
        .init("ke-hoach", "Kế hoạch giáo dục năm học; kết quả năm học trước", clause: "phần chung", form: .file),
        .init("cham-soc-nuoi-duong", "Chế độ chăm sóc, nuôi dưỡng trẻ; kết quả đánh giá sự phát triển của trẻ", clause: "phần riêng: mầm non", form: .text, levels: [.mamNon], fields: [
            .init("tre_ban_tru", "Số trẻ ăn bán trú", .count), .init("muc_an_ngay", "Mức tiền ăn một trẻ một ngày", .money),
        ]),
        .init("ket-qua-hoc-tap", "Kết quả đánh giá, xếp loại học sinh; tỉ lệ lên lớp, tốt nghiệp", clause: "phần riêng: phổ thông", form: .text, levels: [.tieuHoc, .thcs, .thpt], fields: [
            .init("ti_le_len_lop", "Tỉ lệ học sinh lên lớp, hoàn thành chương trình (%)", .percent),
            .init("ti_le_tot_nghiep", "Tỉ lệ tốt nghiệp (%), lớp cuối cấp", .percent, required: false),
        ]),
        .init("bao-cao-thuong-nien", "Báo cáo thường niên (PDF, số liệu đến 31 tháng 12)", clause: "báo cáo thường niên", form: .file, fields: [
            .init("so_lieu_den_ngay", "Số liệu tính đến ngày", .date),
        ]),
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
