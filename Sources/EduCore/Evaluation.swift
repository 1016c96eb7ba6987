import Foundation

/// Inspection, evaluation and ranking of the units below (A16): criteria as data, each scored
/// from a measured value through bands, totals out of 100, ranks and grades. The measuring lives
/// elsewhere (the platform's data, a crawl, a browser run, an inspector); this is the arithmetic
/// every evaluator shares, so a Sở's and a commune office's rankings are computed the same way.
public enum Evaluation {
    /// Where a criterion's value comes from.
    public enum Measure: String, Sendable, CaseIterable, Codable {
        /// The platform's own data about a unit on it.
        case platform = "he-thong"
        /// A crawl of the portal (links, feeds, metadata, DNS).
        case crawl = "thu-thap"
        /// A headless browser run (speed, accessibility).
        case browser = "trinh-duyet"
        /// An inspector, with evidence.
        case inspector = "kiem-tra"

        public var label: String {
            switch self {
            case .platform: "Dữ liệu hệ thống"
            case .crawl: "Thu thập từ cổng"
            case .browser: "Đo bằng trình duyệt"
            case .inspector: "Cán bộ kiểm tra chấm"
            }
        }
    }

    /// A value at or past `threshold` earns `share` of the criterion's weight; the best band
    /// reached counts. With `lowerIsBetter` (a time in milliseconds) "past" means at or below.
    public struct Band: Sendable, Equatable, Codable {
        public let threshold: Double
        public let share: Double

        public init(_ threshold: Double, _ share: Double) {
            self.threshold = threshold
            self.share = share
        }
    }

    /// Which units a criterion applies to.
    public enum Scope: String, Sendable, CaseIterable, Codable {
        case all = "tat-ca"
        case schools = "truong"
        case agencies = "co-quan"

        public var label: String {
            switch self {
            case .all: "Mọi đơn vị"
            case .schools: "Cơ sở giáo dục"
            case .agencies: "Cơ quan quản lý"
            }
        }

        public func includes(_ type: UnitType) -> Bool {
            switch self {
            case .all: true
            case .schools: !type.isManagementAgency
            case .agencies: type.isManagementAgency
            }
        }
    }

    public struct Criterion: Sendable, Equatable, Codable {
        public var code: String
        /// The clause it checks ("A8.2", "Tiêu chí quốc gia 2025").
        public var clause: String
        public var title: String
        public var measure: Measure
        /// The automatic check that measures it (`EvaluationChecks`); empty for an inspector's criterion.
        public var check: String
        public var weight: Double
        public var bands: [Band]
        public var lowerIsBetter: Bool
        /// What the value counts ("bài", "%", "ms"), for the scorecard.
        public var unitLabel: String
        public var scope: Scope

        public init(code: String, clause: String, title: String, measure: Measure, check: String, weight: Double, bands: [Band],
                    lowerIsBetter: Bool = false, unitLabel: String = "", scope: Scope = .all) {
            self.code = code
            self.clause = clause
            self.title = title
            self.measure = measure
            self.check = check
            self.weight = weight
            self.bands = bands
            self.lowerIsBetter = lowerIsBetter
            self.unitLabel = unitLabel
            self.scope = scope
        }

        /// Points for a measured value; nil when it was not measured.
        public func points(for value: Double?) -> Double? {
            guard let value, value.isFinite else { return nil }
            let reached = bands.filter { lowerIsBetter ? value <= $0.threshold : value >= $0.threshold }.map(\.share).max() ?? 0
            return (weight * min(max(reached, 0), 1) * 100).rounded() / 100
        }

        /// What is wrong with it as an evaluator typed it, in Vietnamese; nil when it is usable.
        public var problem: String? {
            if code.isEmpty || code.count > 40 { return "Mã tiêu chí phải có từ 1 đến 40 ký tự." }
            if title.count < 3 { return "Tiêu chí \(code): nhập tên tiêu chí." }
            if !(weight > 0 && weight <= 100) { return "Tiêu chí \(code): trọng số phải lớn hơn 0 và không quá 100." }
            if bands.isEmpty { return "Tiêu chí \(code): cần ít nhất một mức (ngưỡng → tỉ lệ điểm)." }
            if let bad = bands.first(where: { !($0.share >= 0 && $0.share <= 1) || !$0.threshold.isFinite }) {
                return "Tiêu chí \(code): mức «\(Evaluation.format(bad.threshold)) → \(Evaluation.format(bad.share))» có tỉ lệ điểm ngoài 0–1."
            }
            if measure != .inspector && check.isEmpty { return "Tiêu chí \(code): chọn cách đo tự động hoặc để cán bộ kiểm tra chấm." }
            return nil
        }
    }

    /// "40 → 1; 30 → 0,75" as the admin shows and reads bands.
    public static func describe(_ bands: [Band], lowerIsBetter: Bool) -> String {
        bands.map { (lowerIsBetter ? "≤ " : "≥ ") + format($0.threshold) + " → " + format($0.share) }.joined(separator: "; ")
    }

    /// Reads "40 → 1; 30 → 0,75; 20 → 0,5" (also "40:1", "≥40 → 1", decimal commas); nil if any part is unreadable.
    public static func parseBands(_ text: String) -> [Band]? {
        let parts = text.split(whereSeparator: { $0 == ";" || $0 == "\n" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return nil }
        var bands: [Band] = []
        for part in parts {
            let sides = part.replacingOccurrences(of: "→", with: ":").replacingOccurrences(of: "->", with: ":").split(separator: ":", maxSplits: 1)
            guard sides.count == 2 else { return nil }
            func number(_ s: Substring) -> Double? {
                Double(s.trimmingCharacters(in: CharacterSet(charactersIn: " ≥≤<>=")).replacingOccurrences(of: ",", with: "."))
            }
            guard let threshold = number(sides[0]), let share = number(sides[1]) else { return nil }
            bands.append(Band(threshold, share))
        }
        return bands
    }

    /// A threshold, share or weight as a Vietnamese reader writes it: `40`, `0,75`.
    public static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(value).replacingOccurrences(of: ".", with: ",")
    }

    /// A unit's total: points over the weight of the criteria that were measured, out of 100.
    /// Criteria not measured are left out of both (and counted, so the scorecard can say so).
    public struct Total: Sendable, Equatable {
        public let points: Double
        public let possible: Double
        public let unmeasured: Int

        public var score: Double { possible > 0 ? (points / possible * 10_000).rounded() / 100 : 0 }
    }

    public static func total(_ criteria: [Criterion], values: [String: Double]) -> Total {
        var points = 0.0, possible = 0.0, unmeasured = 0
        for criterion in criteria {
            if let earned = criterion.points(for: values[criterion.code]) {
                points += earned
                possible += criterion.weight
            } else {
                unmeasured += 1
            }
        }
        return Total(points: (points * 100).rounded() / 100, possible: possible, unmeasured: unmeasured)
    }

    /// Standard competition ranking ("1, 2, 2, 4"): equal scores share a rank, ties listed by name.
    public static func rank<ID: Hashable>(_ scores: [(id: ID, name: String, score: Double)]) -> [(id: ID, rank: Int)] {
        let sorted = scores.sorted { $0.score != $1.score ? $0.score > $1.score : $0.name.localizedCompare($1.name) == .orderedAscending }
        var result: [(id: ID, rank: Int)] = []
        for (index, entry) in sorted.enumerated() {
            let rank = index > 0 && sorted[index - 1].score == entry.score ? result[index - 1].rank : index + 1
            result.append((entry.id, rank))
        }
        return result
    }

    /// The grade a score earns.
    public static func grade(_ score: Double) -> String {
        switch score {
        case 90...: "Xuất sắc"
        case 75..<90: "Tốt"
        case 60..<75: "Khá"
        case 50..<60: "Trung bình"
        default: "Chưa đạt"
        }
    }

    /// The default set: every clause of Circular 37/2020 the platform can check about a unit on it,
    /// the national criteria for state portals (2025: speed and metadata), and the province's own
    /// (posts per school year); what only a person can judge is left to an inspector. Weights sum
    /// to 100 for a school and for an office (criteria outside a unit's scope are left out).
    public static let defaultCriteria: [Criterion] = {
        let share: [Band] = [.init(100, 1), .init(90, 0.75), .init(75, 0.5), .init(50, 0.25)]
        let yes: [Band] = [.init(1, 1)]
        return [
            .init(code: "TC01", clause: "A8, A9", title: "Có đủ các chuyên mục bắt buộc và chuyên mục nào cũng có nội dung", measure: .platform,
                  check: "muc-bat-buoc", weight: 10, bands: share, unitLabel: "%"),
            .init(code: "TC02", clause: "A11.2c", title: "Cập nhật đúng hạn từng chuyên mục tin bài", measure: .platform, check: "cap-nhat",
                  weight: 5, bands: share, unitLabel: "%"),
            .init(code: "TC03", clause: "A8.2, A9.2", title: "Số tin bài đăng trong năm học (ít nhất 40)", measure: .platform, check: "bai-viet-nam-hoc",
                  weight: 5, bands: [.init(40, 1), .init(30, 0.75), .init(20, 0.5), .init(10, 0.25)], unitLabel: "bài"),
            .init(code: "TC04", clause: "A9.7", title: "Công khai đủ và đúng hạn các mục của năm học", measure: .platform, check: "cong-khai",
                  weight: 10, bands: share, unitLabel: "%", scope: .schools),
            .init(code: "TC05", clause: "A8.8, A9.9", title: "Báo cáo số liệu niên giám kỳ gần nhất", measure: .platform, check: "nien-giam",
                  weight: 5, bands: yes, scope: .schools),
            .init(code: "TC06", clause: "A8.4", title: "Danh mục thủ tục hành chính được công bố", measure: .platform, check: "thu-tuc",
                  weight: 10, bands: [.init(3, 1), .init(1, 0.5)], unitLabel: "thủ tục", scope: .agencies),
            .init(code: "TC07", clause: "A8.8", title: "Các trường trực thuộc đã báo cáo niên giám kỳ gần nhất", measure: .platform, check: "nien-giam-truc-thuoc",
                  weight: 5, bands: share, unitLabel: "%", scope: .agencies),
            .init(code: "TC08", clause: "A4, A5.1", title: "Địa chỉ thư điện tử chính thức trên tên miền của đơn vị, hộp thư đang dùng", measure: .platform,
                  check: "thu-chinh-thuc", weight: 5, bands: yes),
            .init(code: "TC18", clause: "A5.2", title: "Thư của thủ trưởng và văn thư đã đăng ký vào nhóm thư của đơn vị cấp trên", measure: .platform,
                  check: "nhom-cap-tren", weight: 5, bands: [.init(100, 1), .init(50, 0.5)], unitLabel: "%"),
            .init(code: "TC09", clause: "A11.3, A6", title: "Có đầu mối quản lý cổng thông tin và đầu mối thư điện tử", measure: .platform,
                  check: "dau-moi", weight: 2.5, bands: [.init(100, 1), .init(50, 0.5)], unitLabel: "%"),
            .init(code: "TC10", clause: "A11.1", title: "Có Ban Biên tập với trưởng ban", measure: .platform, check: "ban-bien-tap", weight: 2.5, bands: yes),
            .init(code: "TC11", clause: "A12.5", title: "Tin RSS và sơ đồ trang hợp lệ", measure: .crawl, check: "rss-sitemap", weight: 5,
                  bands: share, unitLabel: "%"),
            .init(code: "TC12", clause: "A12.6; tiêu chí quốc gia 2025", title: "Dữ liệu đặc tả trang chủ (mô tả, Open Graph, Dublin Core, ngôn ngữ, viewport)",
                  measure: .crawl, check: "sieu-du-lieu", weight: 5, bands: share, unitLabel: "%"),
            .init(code: "TC13", clause: "Tiêu chí quốc gia 2025", title: "Nội dung đầu tiên hiển thị trong 3 giây (di động, mạng chậm)", measure: .browser,
                  check: "fcp", weight: 5, bands: [.init(3000, 1), .init(4500, 0.5)], lowerIsBetter: true, unitLabel: "ms"),
            .init(code: "TC14", clause: "Tiêu chí quốc gia 2025", title: "Phần tử lớn nhất hiển thị trong 4 giây", measure: .browser, check: "lcp",
                  weight: 5, bands: [.init(4000, 1), .init(6000, 0.5)], lowerIsBetter: true, unitLabel: "ms"),
            .init(code: "TC15", clause: "A12.3", title: "Không có lỗi truy cập cho người khuyết tật (axe-core, WCAG 2.1 AA)", measure: .browser, check: "axe",
                  weight: 5, bands: [.init(0, 1), .init(3, 0.5)], lowerIsBetter: true, unitLabel: "lỗi"),
            .init(code: "TC17", clause: "Tiêu chí quốc gia 2025", title: "Không có tác vụ nào quá 0,6 giây khi tải trang", measure: .browser, check: "long-task",
                  weight: 5, bands: [.init(600, 1)], lowerIsBetter: true, unitLabel: "ms"),
            .init(code: "TC21", clause: "Tiêu chí quốc gia 2025", title: "Trang hiển thị đầy đủ (tải xong) trong 5,8 giây", measure: .browser, check: "load",
                  weight: 5, bands: [.init(5800, 1), .init(8700, 0.5)], lowerIsBetter: true, unitLabel: "ms"),
            .init(code: "TC16", clause: "A11.2", title: "Ban hành Quy chế quản lý, vận hành cổng thông tin điện tử", measure: .inspector, check: "",
                  weight: 5, bands: yes),
            .init(code: "TC19", clause: "Tiêu chí quốc gia 2025; Nghị định 85/2016", title: "Hệ thống được phê duyệt hồ sơ cấp độ an toàn (từ cấp độ 3)",
                  measure: .platform, check: "cap-do-an-toan", weight: 5, bands: [.init(3, 1), .init(2, 0.5)], unitLabel: "cấp độ"),
            .init(code: "TC20", clause: "Thông tư 22/2023/TT-BTTTT; tiêu chí quốc gia 2025", title: "Kết nối hệ thống giám sát quốc gia (EMC, giám sát an toàn thông tin)",
                  measure: .platform, check: "giam-sat", weight: 5, bands: yes),
        ]
    }()

    /// What the auditor scores on any portal, on the platform or not, from outside: what a crawl
    /// of its pages finds, its transport security, its domain's DNS and mail records, and its home
    /// page in a real browser when there is one. Weights sum to 100.
    public static let auditCriteria: [Criterion] = {
        let share: [Band] = [.init(100, 1), .init(75, 0.75), .init(50, 0.5), .init(25, 0.25)]
        let yes: [Band] = [.init(1, 1)]
        return [
            .init(code: "KT01", clause: "A8, A9", title: "Các chuyên mục chính tìm thấy qua liên kết", measure: .crawl, check: "muc-tim-thay", weight: 10,
                  bands: share, unitLabel: "%"),
            .init(code: "KT02", clause: "A12.5", title: "Tin RSS và sơ đồ trang hợp lệ", measure: .crawl, check: "rss-sitemap", weight: 10, bands: share, unitLabel: "%"),
            .init(code: "KT03", clause: "A12.6; tiêu chí quốc gia 2025", title: "Dữ liệu đặc tả trang chủ (mô tả, Open Graph, Dublin Core, schema.org, ngôn ngữ, viewport)",
                  measure: .crawl, check: "sieu-du-lieu", weight: 10, bands: share, unitLabel: "%"),
            .init(code: "KT04", clause: "A12.3", title: "Ảnh thiếu văn bản thay thế", measure: .crawl, check: "anh-thieu-mo-ta", weight: 5,
                  bands: [.init(0, 1), .init(3, 0.5)], lowerIsBetter: true, unitLabel: "ảnh"),
            .init(code: "KT05", clause: "Tiêu chí quốc gia 2025", title: "Truy cập qua HTTPS", measure: .crawl, check: "https", weight: 10, bands: yes),
            .init(code: "KT06", clause: "Tiêu chí quốc gia 2025", title: "Bắt buộc HTTPS (HSTS)", measure: .crawl, check: "hsts", weight: 5, bands: yes),
            .init(code: "KT07", clause: "A12.7", title: "Tên miền có địa chỉ IPv6 (AAAA)", measure: .crawl, check: "ipv6", weight: 5, bands: yes),
            .init(code: "KT08", clause: "A12.7", title: "Vùng tên miền được ký DNSSEC", measure: .crawl, check: "dnssec", weight: 5, bands: yes),
            .init(code: "KT09", clause: "A4", title: "Tên miền thư có bản ghi MX", measure: .crawl, check: "mx", weight: 5, bands: yes),
            .init(code: "KT10", clause: "A4", title: "Tên miền thư có bản ghi SPF", measure: .crawl, check: "spf", weight: 5, bands: yes),
            .init(code: "KT11", clause: "A4", title: "Tên miền thư có chính sách DMARC", measure: .crawl, check: "dmarc", weight: 5, bands: yes),
            .init(code: "KT12", clause: "Tiêu chí quốc gia 2025", title: "Nội dung đầu tiên hiển thị trong 3 giây (di động, mạng chậm)", measure: .browser,
                  check: "fcp", weight: 5, bands: [.init(3000, 1), .init(4500, 0.5)], lowerIsBetter: true, unitLabel: "ms"),
            .init(code: "KT13", clause: "Tiêu chí quốc gia 2025", title: "Phần tử lớn nhất hiển thị trong 4 giây", measure: .browser, check: "lcp",
                  weight: 5, bands: [.init(4000, 1), .init(6000, 0.5)], lowerIsBetter: true, unitLabel: "ms"),
            .init(code: "KT14", clause: "Tiêu chí quốc gia 2025", title: "Không có tác vụ nào quá 0,6 giây khi tải trang", measure: .browser, check: "long-task",
                  weight: 5, bands: [.init(600, 1)], lowerIsBetter: true, unitLabel: "ms"),
            .init(code: "KT16", clause: "Tiêu chí quốc gia 2025", title: "Trang hiển thị đầy đủ (tải xong) trong 5,8 giây", measure: .browser, check: "load",
                  weight: 5, bands: [.init(5800, 1), .init(8700, 0.5)], lowerIsBetter: true, unitLabel: "ms"),
            .init(code: "KT15", clause: "A12.3", title: "Không có lỗi truy cập cho người khuyết tật (axe-core, WCAG 2.1 AA)", measure: .browser, check: "axe",
                  weight: 5, bands: [.init(0, 1), .init(3, 0.5)], lowerIsBetter: true, unitLabel: "lỗi"),
        ]
    }()
}
