/// The circular's other information (A8.14, Article 10): web conferences and online learning,
/// Party and union organisations, press releases and spokespeople, scholarships and careers
/// advice. Each is a section with its own page structure, written as data: the kinds of entry it
/// holds, the fields its form asks for (and which are required), and how its public page groups
/// the entries. One model and one service serve all four (`SectionEntry`, `SectionEntryService`).
public struct InfoSection: Sendable {
    public enum Key: String, Sendable, CaseIterable {
        case online = "truc-tuyen"
        case organisations = "doan-the"
        case press = "phat-ngon"
        case support = "hoc-bong"
    }

    /// How the public page orders what it shows.
    public enum Layout: Sendable {
        /// Upcoming and ongoing events first (soonest first), then past ones (newest first).
        case schedule
        /// Every entry, by kind in the order of `kinds`, then by title.
        case directory
        /// People (kinds with `isPerson`) first, then dated items, newest first.
        case bulletin
        /// Entries still open (no deadline or not yet past) first, soonest deadline first; then closed ones.
        case deadlines
    }

    public struct Kind: Sendable, Equatable {
        public let value: String
        public let label: String
        /// An entry about a person or body (a spokesperson, an organisation), not a dated item.
        public let isPerson: Bool

        init(_ value: String, _ label: String, isPerson: Bool = false) {
            self.value = value
            self.label = label
            self.isPerson = isPerson
        }
    }

    /// The fields an entry may have; each section names the ones its form shows.
    public enum Field: String, Sendable, CaseIterable {
        case organiser, person, personTitle, phone, email, audience, amount, place, startsAt, endsAt, link, secondLink, summary

        /// What the form sends and checks: a line, a paragraph, a moment, a day, an address.
        public enum Input: Sendable { case line, paragraph, moment, day, url, email, phone }
    }

    public enum Requirement: Sendable, Equatable {
        case optional
        case required
        /// Required for these kinds only.
        case requiredFor([String])
        /// Required for dated kinds (not `isPerson`), not shown as required for people.
        case requiredForDated

        public func isRequired(kind: Kind?) -> Bool {
            switch self {
            case .optional: false
            case .required: true
            case .requiredFor(let kinds): kind.map { kinds.contains($0.value) } ?? false
            case .requiredForDated: kind.map { !$0.isPerson } ?? false
            }
        }
    }

    public struct FieldSpec: Sendable {
        public let field: Field
        public let label: String
        public let hint: String
        public let input: Field.Input
        public let requirement: Requirement

        init(_ field: Field, _ label: String, _ input: Field.Input, hint: String = "", _ requirement: Requirement = .optional) {
            self.field = field
            self.label = label
            self.hint = hint
            self.input = input
            self.requirement = requirement
        }
    }

    public let key: Key
    public let title: String
    /// The clauses it answers.
    public let clause: String
    /// One sentence under the heading of the public page.
    public let lead: String
    /// What one entry is called in the admin ("buổi hội nghị, lớp học").
    public let entryName: String
    public let titleLabel: String
    public let kinds: [Kind]
    public let fields: [FieldSpec]
    public let layout: Layout
    /// Headings of the two groups of the public page (the first unpaged, the second paged).
    public let groupHeadings: (first: String, second: String)
    /// A news category whose latest articles the page shows beneath, when the unit has it.
    public let relatedCategory: String?

    public var path: String { "/" + key.rawValue }

    public func kind(_ value: String) -> Kind? { kinds.first { $0.value == value } }
    public func spec(_ field: Field) -> FieldSpec? { fields.first { $0.field == field } }

    /// The sections a unit of this type carries, in the order of its navigation. Web conferences
    /// are required of management agencies (A8.14) and serve every school's online learning
    /// (A10.2); scholarships and careers advice are not for preschools.
    public static func forType(_ type: UnitType) -> [InfoSection] {
        Key.allCases.map(section).filter { !($0.key == .support && type == .mamNon) }
    }

    public static func section(_ key: Key) -> InfoSection {
        switch key {
        case .online:
            InfoSection(
                key: key, title: "Hội nghị, học tập trực tuyến", clause: "A8.14, A10.2",
                lead: "Hội nghị truyền hình của Bộ và của đơn vị, hội thảo, phòng họp ảo và các lớp học trực tuyến: thời gian, điểm cầu, đường dẫn tham dự và bản ghi.",
                entryName: "hội nghị, buổi học trực tuyến", titleLabel: "Tên hội nghị, buổi học",
                kinds: [.init("hoi-nghi-bo", "Hội nghị truyền hình của Bộ GD&ĐT"), .init("hoi-nghi", "Hội nghị, hội thảo trực tuyến"),
                        .init("hop-ao", "Phòng họp ảo"), .init("hoc-truc-tuyen", "Lớp học, bài giảng trực tuyến (E-learning)")],
                fields: [
                    .init(.organiser, "Đơn vị chủ trì", .line, .required),
                    .init(.startsAt, "Bắt đầu", .moment, hint: "dd/mm/yyyy hh:mm", .required),
                    .init(.endsAt, "Kết thúc", .moment, hint: "dd/mm/yyyy hh:mm"),
                    .init(.place, "Điểm cầu, nơi tham dự", .line, hint: "Ví dụ: Điểm cầu chính tại Bộ GD&ĐT; điểm cầu Sở GD&ĐT Ninh Bình, phòng họp tầng 3."),
                    .init(.audience, "Thành phần tham dự", .line),
                    .init(.link, "Đường dẫn tham dự, phát trực tiếp", .url, hint: "https://…"),
                    .init(.secondLink, "Bản ghi, tài liệu sau hội nghị", .url, hint: "https://…"),
                    .init(.summary, "Nội dung", .paragraph),
                ],
                layout: .schedule, groupHeadings: ("Sắp diễn ra, đang diễn ra", "Đã diễn ra"), relatedCategory: "hoi-nghi-truc-tuyen")
        case .organisations:
            InfoSection(
                key: key, title: "Tổ chức Đảng, đoàn thể", clause: "A10.3",
                lead: "Chi bộ, Đảng bộ, Công đoàn, Đoàn Thanh niên, Đội Thiếu niên và các đoàn thể của đơn vị: người đứng đầu, cách liên hệ và hoạt động.",
                entryName: "tổ chức", titleLabel: "Tên tổ chức",
                kinds: [.init("dang", "Tổ chức Đảng", isPerson: true), .init("cong-doan", "Công đoàn", isPerson: true),
                        .init("doan-thanh-nien", "Đoàn TNCS Hồ Chí Minh", isPerson: true), .init("doi-thieu-nien", "Đội TNTP Hồ Chí Minh", isPerson: true),
                        .init("hoi", "Hội, đoàn thể khác", isPerson: true)],
                fields: [
                    .init(.person, "Người đứng đầu", .line, .required),
                    .init(.personTitle, "Chức danh", .line, hint: "Ví dụ: Bí thư Chi bộ, Chủ tịch Công đoàn, Tổng phụ trách Đội.", .required),
                    .init(.phone, "Điện thoại", .phone),
                    .init(.email, "Thư điện tử", .email),
                    .init(.audience, "Số thành viên, đoàn viên", .line),
                    .init(.link, "Trang riêng của tổ chức", .url, hint: "https://…"),
                    .init(.summary, "Chức năng, nhiệm vụ, hoạt động", .paragraph),
                ],
                layout: .directory, groupHeadings: ("Các tổ chức", ""), relatedCategory: "hoat-dong-doan-doi")
        case .press:
            InfoSection(
                key: key, title: "Phát ngôn, thông cáo báo chí", clause: "A10.4",
                lead: "Người phát ngôn của đơn vị và cách liên hệ; thông cáo báo chí, phát ngôn chính thức và trả lời phỏng vấn.",
                entryName: "người phát ngôn, thông cáo", titleLabel: "Tiêu đề (với người phát ngôn: họ và tên)",
                kinds: [.init("nguoi-phat-ngon", "Người phát ngôn", isPerson: true), .init("thong-cao", "Thông cáo báo chí"),
                        .init("phat-ngon", "Phát ngôn chính thức"), .init("phong-van", "Trả lời phỏng vấn")],
                fields: [
                    .init(.personTitle, "Chức vụ (người phát ngôn)", .line, .requiredFor(["nguoi-phat-ngon"])),
                    .init(.phone, "Điện thoại (người phát ngôn)", .phone, .requiredFor(["nguoi-phat-ngon"])),
                    .init(.email, "Thư điện tử (người phát ngôn)", .email, .requiredFor(["nguoi-phat-ngon"])),
                    .init(.startsAt, "Ngày phát hành", .day, hint: "dd/mm/yyyy", .requiredForDated),
                    .init(.organiser, "Cơ quan báo chí (trả lời phỏng vấn)", .line),
                    .init(.link, "Bài đăng trên báo, đường dẫn", .url, hint: "https://…"),
                    .init(.summary, "Nội dung", .paragraph, .requiredForDated),
                ],
                layout: .bulletin, groupHeadings: ("Người phát ngôn", "Thông cáo, phát ngôn, trả lời phỏng vấn"), relatedCategory: nil)
        case .support:
            InfoSection(
                key: key, title: "Học bổng, hỗ trợ, hướng nghiệp", clause: "A10.6",
                lead: "Học bổng, tín dụng cho học sinh, sinh viên, các khoản hỗ trợ và chương trình tư vấn hướng nghiệp: đối tượng, giá trị, hạn đăng ký và cách nộp hồ sơ.",
                entryName: "học bổng, chương trình hỗ trợ", titleLabel: "Tên học bổng, chương trình",
                kinds: [.init("hoc-bong", "Học bổng"), .init("tin-dung", "Tín dụng, vay vốn học tập"), .init("ho-tro", "Hỗ trợ khác"),
                        .init("huong-nghiep", "Tư vấn hướng nghiệp")],
                fields: [
                    .init(.organiser, "Đơn vị cấp, tổ chức", .line, .required),
                    .init(.audience, "Đối tượng", .line, .required),
                    .init(.amount, "Giá trị, mức hỗ trợ", .line, hint: "Ví dụ: 5.000.000 đồng/suất; tối đa 4.000.000 đồng/tháng."),
                    .init(.endsAt, "Hạn đăng ký", .day, hint: "dd/mm/yyyy; để trống nếu không có hạn"),
                    .init(.phone, "Điện thoại liên hệ", .phone),
                    .init(.email, "Thư điện tử liên hệ", .email),
                    .init(.link, "Đăng ký, thông tin chi tiết", .url, hint: "https://…"),
                    .init(.summary, "Điều kiện, hồ sơ, cách đăng ký", .paragraph, .required),
                ],
                layout: .deadlines, groupHeadings: ("Đang nhận đăng ký", "Đã hết hạn"), relatedCategory: "tu-van-huong-nghiep")
        }
    }
}
