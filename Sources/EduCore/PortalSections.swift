/// The sections a unit's portal must carry (A8 for management agencies, A9 for schools), in the
/// order of its navigation. A section without content still appears and says so (issue #4).
public struct PortalSection: Sendable, Equatable {
    public let path: String
    public let title: String
    /// The clause that asks for it.
    public let clause: String
    /// Where the navigation puts it.
    public let group: NavGroup

    public init(path: String, title: String, clause: String, group: NavGroup) {
        self.path = path
        self.title = title
        self.clause = clause
        self.group = group
    }
}

/// The navigation's groups, in its order: the way people look for things (issue #19) rather than
/// the circular's clause order, which made twenty entries in a row.
public enum NavGroup: Sendable, CaseIterable, Equatable {
    case about, news, documents, services, figures, participation, contact, english

    public func title(for type: UnitType) -> String {
        switch self {
        case .about: "Giới thiệu"
        case .news: "Tin tức"
        case .documents: type.isManagementAgency ? "Văn bản, thủ tục" : "Văn bản"
        case .services: "Dịch vụ, tra cứu"
        case .figures: type.isManagementAgency ? "Thống kê, xếp hạng" : "Tuyển sinh, công khai"
        case .participation: "Ý kiến, hỏi đáp"
        case .contact: "Liên hệ"
        case .english: "English"
        }
    }

    /// The language of the group's name when it is not Vietnamese.
    public var lang: String? { self == .english ? "en" : nil }

    /// The group of one of the circular's other sections (Article 10, A8.14).
    static func of(_ key: InfoSection.Key) -> NavGroup {
        switch key {
        case .organisations, .press: .about
        case .online, .support: .services
        }
    }
}

/// One group of the navigation with the sections of a unit's portal it holds, in their order.
public struct PortalGroup: Sendable, Equatable {
    public let group: NavGroup
    public let title: String
    public let sections: [PortalSection]
}

public enum PortalSections {
    public static func forType(_ type: UnitType) -> [PortalSection] {
        var sections: [PortalSection] = [
            .init(path: "/gioi-thieu", title: "Giới thiệu", clause: type.isManagementAgency ? "A8.1a" : "A9.1a", group: .about),
            .init(path: "/tin-tuc", title: "Tin tức - Sự kiện", clause: type.isManagementAgency ? "A8.2" : "A9.2", group: .news),
            .init(path: "/van-ban", title: "Văn bản", clause: type.isManagementAgency ? "A8.3" : "A9.3", group: .documents),
        ]
        if type.isManagementAgency {
            sections += [
                .init(path: "/thu-tuc-hanh-chinh", title: "Thủ tục hành chính", clause: "A8.4", group: .documents),
                .init(path: "/tin-tuc/pho-bien-phap-luat", title: "Phổ biến pháp luật", clause: "A8.5", group: .news),
                .init(path: "/lay-y-kien", title: "Lấy ý kiến", clause: "A8.6", group: .participation),
                .init(path: "/thong-ke", title: "Niên giám thống kê", clause: "A8.8", group: .figures),
                .init(path: "/tai-nguyen", title: "Tài nguyên số", clause: "A8.9", group: .services),
                .init(path: "/tin-tuc/kiem-dinh-chat-luong", title: "Kiểm định chất lượng, phổ cập", clause: "A8.10", group: .news),
                .init(path: "/tra-cuu-diem-thi", title: "Tra cứu điểm thi", clause: "A8.11", group: .services),
                .init(path: "/tra-cuu-van-bang", title: "Tra cứu văn bằng", clause: "A8.12", group: .services),
                .init(path: "/dau-thau", title: "Dự án, đấu thầu", clause: "A8.13", group: .documents),
            ]
            if type == .so { sections.append(.init(path: "/trung-tam", title: "Trung tâm ngoại ngữ, tin học", clause: "A8.16", group: .services)) }
            // The ranking of the units below, published on the evaluator's portal (A16.4, A16.5).
            sections.append(.init(path: "/xep-hang", title: "Xếp hạng cổng thông tin, thư điện tử", clause: "A16", group: .figures))
        } else {
            sections += [
                .init(path: "/tuyen-sinh", title: "Tuyển sinh", clause: "A9.4", group: .figures),
                .init(path: "/lay-y-kien", title: "Lấy ý kiến", clause: "A9.5", group: .participation),
                .init(path: "/cong-khai", title: "Công khai", clause: "A9.7", group: .figures),
            ]
            // A centre without pupils in the yearbook's levels (a language centre) reports no figures.
            if !YearbookLevel.levels(of: type).isEmpty { sections.append(.init(path: "/thong-ke", title: "Thống kê", clause: "A9.9", group: .figures)) }
            sections.append(.init(path: "/tai-nguyen", title: "Tài nguyên số", clause: "A9.10", group: .services))
        }
        // Web conferences (A8.14) and the other information of Article 10.
        sections += InfoSection.forType(type).map { .init(path: $0.path, title: $0.title, clause: $0.clause, group: .of($0.key)) }
        sections += [
            .init(path: "/hoi-dap", title: "Hỏi đáp", clause: type.isManagementAgency ? "A8.1b" : "A9.1b", group: .participation),
            .init(path: "/lien-he", title: "Liên hệ", clause: type.isManagementAgency ? "A8.1b" : "A9.1b", group: .contact),
            .init(path: "/en/", title: "English", clause: "A8.15", group: .english),
        ]
        return sections
    }

    /// The sections grouped for the navigation: every section in exactly one group, groups
    /// without a section left out.
    public static func groups(for type: UnitType) -> [PortalGroup] {
        let sections = forType(type)
        return NavGroup.allCases.compactMap { group in
            let held = sections.filter { $0.group == group }
            return held.isEmpty ? nil : PortalGroup(group: group, title: group.title(for: type), sections: held)
        }
    }

    /// Online services, each one click from the home page (A2.1: all services within reach).
    public static func services(for type: UnitType) -> [PortalSection] {
        var services: [PortalSection] = []
        if type.isManagementAgency {
            services += [
                .init(path: "/tra-cuu-diem-thi", title: "Tra cứu điểm thi", clause: "A8.11", group: .services),
                .init(path: "/tra-cuu-van-bang", title: "Tra cứu văn bằng, chứng chỉ", clause: "A8.12", group: .services),
                .init(path: "/thu-tuc-hanh-chinh", title: "Thủ tục hành chính, dịch vụ công", clause: "A8.4", group: .documents),
            ]
        } else {
            services += [.init(path: "/tuyen-sinh", title: "Tuyển sinh trực tuyến", clause: "A9.4", group: .figures)]
        }
        services += [
            .init(path: "/van-ban", title: "Tra cứu văn bản", clause: "A8.3", group: .documents),
            .init(path: "/lien-he", title: "Gửi ý kiến, liên hệ", clause: "A8.1b", group: .contact),
        ]
        return services
    }
}
