import EduCore
import EduData
import Fluent
import Vapor

struct EnglishPage: PageView {
    static let template = "english"

    struct Link {
        let title: String
        let url: String
        let current: Bool
    }

    let layout: LayoutVM
    let name: String
    let address: String
    let phone: String
    let email: String
    let head: String
    let headTitle: String
    let leaders: [ContactPage.Person]
    let services: [Link]
    let sections: [Link]
    let isIntroduction: Bool
    let isContact: Bool
    let isServices: Bool
}

extension EnglishPage {
    /// The query that builds the page.
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> EnglishPage {
        let slug = req.parameters.get("slug") ?? ""
        let pages = [("", "Introduction"), ("contact", "Contact"), ("online-services", "Online services")]
        guard let current = pages.first(where: { $0.0 == slug }) else { throw AppError.notFound }
        let englishTitles = [
            "/tra-cuu-diem-thi": "Exam score lookup", "/tra-cuu-van-bang": "Diploma and certificate lookup",
            "/thu-tuc-hanh-chinh": "Administrative procedures and online public services", "/tuyen-sinh": "Online admission",
            "/van-ban": "Legal documents", "/lien-he": "Send us a message",
        ]
        let englishTitle = ["Giám đốc": "Director", "Phó Giám đốc": "Deputy Director", "Trưởng phòng": "Head of Office",
                            "Phó Trưởng phòng": "Deputy Head of Office", "Hiệu trưởng": "Principal", "Phó Hiệu trưởng": "Vice Principal"]
        let leaders = try await IntroService.leaders(unitID: unit.id, on: req.db)
        let page = EnglishPage(
            layout: LayoutVM.make(req, title: current.1, admin: false).inEnglish(),
            name: unit.nameEn.isEmpty ? unit.name : unit.nameEn, address: unit.address, phone: unit.phone, email: unit.email,
            head: unit.headName, headTitle: englishTitle[unit.headTitle] ?? "Head",
            leaders: leaders.map { .init(name: $0.fullName, title: englishTitle[$0.title] ?? $0.title, phone: $0.phone, email: $0.email) },
            services: PortalSections.services(for: unit.type).map { .init(title: englishTitles[$0.path] ?? $0.title, url: $0.path, current: false) },
            sections: pages.map { .init(title: $0.1, url: $0.0.isEmpty ? "/en/" : "/en/" + $0.0, current: $0.0 == slug) },
            isIntroduction: slug.isEmpty, isContact: slug == "contact", isServices: slug == "online-services")
        return page
    }
}
