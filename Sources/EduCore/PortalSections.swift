/// The sections a unit's portal must carry (A8 for management agencies, A9 for schools), in the
/// order of its navigation. A section without content still appears and says so (issue #4).
public struct PortalSection: Sendable, Equatable {
    public let path: String
    public let title: String
    /// The clause that asks for it.
    public let clause: String

    public init(path: String, title: String, clause: String) {
        self.path = path
        self.title = title
        self.clause = clause
    }
}

public enum PortalSections {
    public static func forType(_ type: UnitType) -> [PortalSection] {
        var sections: [PortalSection] = [
            .init(path: "/gioi-thieu", title: "Giới thiệu", clause: type.isManagementAgency ? "A8.1a" : "A9.1a"),
            .init(path: "/tin-tuc", title: "Tin tức - Sự kiện", clause: type.isManagementAgency ? "A8.2" : "A9.2"),
            .init(path: "/van-ban", title: "Văn bản", clause: type.isManagementAgency ? "A8.3" : "A9.3"),
        ]
        if type.isManagementAgency {
            sections += [
                .init(path: "/thu-tuc-hanh-chinh", title: "Thủ tục hành chính", clause: "A8.4"),
                .init(path: "/tin-tuc/pho-bien-phap-luat", title: "Phổ biến pháp luật", clause: "A8.5"),
                .init(path: "/lay-y-kien", title: "Lấy ý kiến", clause: "A8.6"),
                .init(path: "/thong-ke", title: "Niên giám thống kê", clause: "A8.8"),
                .init(path: "/tai-nguyen", title: "Tài nguyên số", clause: "A8.9"),
                .init(path: "/tin-tuc/kiem-dinh-chat-luong", title: "Kiểm định chất lượng, phổ cập", clause: "A8.10"),
                .init(path: "/tra-cuu-diem-thi", title: "Tra cứu điểm thi", clause: "A8.11"),
                .init(path: "/tra-cuu-van-bang", title: "Tra cứu văn bằng", clause: "A8.12"),
                .init(path: "/dau-thau", title: "Dự án, đấu thầu", clause: "A8.13"),
            ]
            if type == .so { sections.append(.init(path: "/trung-tam", title: "Trung tâm ngoại ngữ, tin học", clause: "A8.16")) }
            // The ranking of the units below, published on the evaluator's portal (A16.4, A16.5).
            sections.append(.init(path: "/xep-hang", title: "Xếp hạng cổng thông tin, thư điện tử", clause: "A16"))
        } else {
            sections += [
                .init(path: "/tuyen-sinh", title: "Tuyển sinh", clause: "A9.4"),
                .init(path: "/lay-y-kien", title: "Lấy ý kiến", clause: "A9.5"),
                .init(path: "/cong-khai", title: "Công khai", clause: "A9.7"),
            ]
            // A centre without pupils in the yearbook's levels (a language centre) reports no figures.
            if !YearbookLevel.levels(of: type).isEmpty { sections.append(.init(path: "/thong-ke", title: "Thống kê", clause: "A9.9")) }
            sections.append(.init(path: "/tai-nguyen", title: "Tài nguyên số", clause: "A9.10"))
        }
        // Web conferences (A8.14) and the other information of Article 10.
        sections += InfoSection.forType(type).map { .init(path: $0.path, title: $0.title, clause: $0.clause) }
        sections += [
            .init(path: "/hoi-dap", title: "Hỏi đáp", clause: type.isManagementAgency ? "A8.1b" : "A9.1b"),
            .init(path: "/lien-he", title: "Liên hệ", clause: type.isManagementAgency ? "A8.1b" : "A9.1b"),
            .init(path: "/en/", title: "English", clause: "A8.15"),
        ]
        return sections
    }

    /// Online services, each one click from the home page (A2.1: all services within reach).
    public static func services(for type: UnitType) -> [PortalSection] {
        var services: [PortalSection] = []
        if type.isManagementAgency {
            services += [
                .init(path: "/tra-cuu-diem-thi", title: "Tra cứu điểm thi", clause: "A8.11"),
                .init(path: "/tra-cuu-van-bang", title: "Tra cứu văn bằng, chứng chỉ", clause: "A8.12"),
                .init(path: "/thu-tuc-hanh-chinh", title: "Thủ tục hành chính, dịch vụ công", clause: "A8.4"),
            ]
        } else {
            services += [.init(path: "/tuyen-sinh", title: "Tuyển sinh trực tuyến", clause: "A9.4")]
        }
        services += [
            .init(path: "/van-ban", title: "Tra cứu văn bản", clause: "A8.3"),
            .init(path: "/lien-he", title: "Gửi ý kiến, liên hệ", clause: "A8.1b"),
        ]
        return services
    }
}
