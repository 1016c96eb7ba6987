/// The article categories a unit starts with, by type: what the circular asks each kind of
/// portal to publish (A8.2, A8.5, A8.10, A8.14 for agencies; A9.2, A10.3, A10.6 for schools).
public enum DefaultCategories {
    public struct Category: Sendable, Equatable {
        public let slug: String
        public let name: String
        /// Days within which something new should appear (A11.2c); nil when there is no rule.
        public let updateIntervalDays: Int?
    }

    public static func forType(_ type: UnitType) -> [Category] {
        if type.isManagementAgency {
            return [
                .init(slug: "tin-tuc-su-kien", name: "Tin tức - Sự kiện", updateIntervalDays: 7),
                .init(slug: "thong-bao", name: "Thông báo", updateIntervalDays: 14),
                .init(slug: "pho-bien-phap-luat", name: "Phổ biến, giáo dục pháp luật", updateIntervalDays: 30),
                .init(slug: "kiem-dinh-chat-luong", name: "Kiểm định chất lượng, phổ cập giáo dục, xóa mù chữ", updateIntervalDays: 90),
                .init(slug: "hoi-nghi-truc-tuyen", name: "Hội nghị truyền hình trực tuyến", updateIntervalDays: nil),
                .init(slug: "chi-dao-dieu-hanh", name: "Chỉ đạo - Điều hành", updateIntervalDays: 30),
            ]
        }
        var categories: [Category] = [
            .init(slug: "tin-tuc-su-kien", name: "Tin tức - Sự kiện", updateIntervalDays: 14),
            .init(slug: "thong-bao", name: "Thông báo", updateIntervalDays: 30),
            .init(slug: "hoat-dong-doan-doi", name: "Hoạt động Đoàn - Đội", updateIntervalDays: 60),
        ]
        if type != .mamNon {
            categories.append(.init(slug: "tu-van-huong-nghiep", name: "Học bổng, tư vấn tuyển sinh, hướng nghiệp", updateIntervalDays: 90))
        }
        categories.append(.init(slug: "kiem-dinh-chat-luong", name: "Kiểm định chất lượng giáo dục", updateIntervalDays: 180))
        return categories
    }
}
