import EduCore
import EduData
import Fluent
import Vapor

/// The unit's home page, its list of units below, the contact page, the English page, and the
/// sections whose modules are still to come (they say so plainly rather than disappearing).
struct PublicController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.home.routePath, use: home)
        routes.get(SiteURL.subUnits.routePath, use: subUnits)
        routes.get(SiteURL.contact.routePath, use: contact)
        routes.get(SiteURL.english.routePath, use: english)
        routes.get(SiteURL.englishPage(slug: .key).routePath, use: english)
        for path in PortalSections.placeholders {
            routes.get(PathComponent(stringLiteral: String(path.dropFirst())), use: placeholder)
        }
    }

    struct HomePage {
        struct Service {
            let title: String
            let url: String
        }

        let layout: LayoutVM
        let name: String
        let news: [NewsController.Item]
        let notices: [NewsController.Item]
        let documents: [DocumentsController.Row]
        let services: [Service]
        let newsURL: String
        let noticesURL: String
        let documentsURL: String
    }

    @Sendable func home(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let unitID = unit.id
        let categories = try await Category.list(unitID: unitID, on: req.db)
        let names = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name) } })
        let notice = categories.first { $0.slug == "thong-bao" }
        let news = try await Article.publicQuery(unitID: unitID, on: req.db)
            .filter(\.$categoryID != (notice?.id ?? UUID())).sort(\.$publishedAt, .descending).limit(6).all()
        let notices = try await notice.asyncMap { category in
            try await Article.publicQuery(unitID: unitID, on: req.db).filter(\.$categoryID == category.requireID())
                .sort(\.$publishedAt, .descending).limit(5).all()
        } ?? []
        let documents = try await LegalDocument.publicQuery(unitID: unitID, on: req.db).sort(\.$issuedOn, .descending).limit(5).all()
        let page = HomePage(
            layout: LayoutVM.make(req, title: "Trang chủ", admin: false),
            name: unit.name,
            news: news.map { NewsController.item($0, categoryName: names[$0.categoryID] ?? "") },
            notices: notices.map { NewsController.item($0, categoryName: notice?.name ?? "") },
            documents: documents.map(DocumentsController.row),
            services: PortalSections.services(for: unit.type).map { .init(title: $0.title, url: $0.path) },
            newsURL: SiteURL.newsIndex.path, noticesURL: SiteURL.newsCategory(slug: .value("thong-bao")).path, documentsURL: SiteURL.documents.path)
        return req.theme.render("home", page)
    }

    struct SubUnitsPage {
        let layout: LayoutVM
        let name: String
        let units: [UnitLink]
    }

    @Sendable func subUnits(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let children = try await OrgUnit.children(of: unit.id, on: req.db)
        let page = SubUnitsPage(
            layout: LayoutVM.make(req, title: "Đơn vị trực thuộc", admin: false), name: unit.name,
            units: try await req.publicLinks.links(for: children, on: req.db))
        return req.theme.render("sub-units", page)
    }

    struct ContactPage {
        struct Person {
            let name: String
            let title: String
            let phone: String
            let email: String
        }

        let layout: LayoutVM
        let name: String
        let address: String
        let phone: String
        let email: String
        let leaders: [Person]
        let portalContact: String
        let mailContact: String
        let form: FormPage
        let sent: Bool
        let challengeURL: String
    }

    /// The unit's official address for the public's feedback (A4.2), its leaders' contacts and
    /// the contact form.
    @Sendable func contact(req: Request) async throws -> Response {
        try await contactPage(req, unit: try req.requireUnit(), input: .init())
    }

    func contactPage(
        _ req: Request, unit: ResolvedUnit, input: ContactController.Input, errors: FormErrors = [:], sent: Bool = false,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let leaders = try await IntroService.leaders(unitID: unit.id, on: req.db)
        let layout = LayoutVM.make(req, title: "Liên hệ", admin: false, notice: sent ? "Đã nhận ý kiến của bạn. Đơn vị sẽ trả lời qua thư điện tử." : nil)
        let page = ContactPage(
            layout: layout, name: unit.name, address: unit.address, phone: unit.phone,
            email: unit.email,
            leaders: leaders.map { .init(name: $0.fullName, title: $0.title, phone: $0.phone, email: $0.email) },
            portalContact: [unit.portalContactName, unit.portalContactEmail].filter { !$0.isEmpty }.joined(separator: " – "),
            mailContact: [unit.mailContactName, unit.mailContactEmail].filter { !$0.isEmpty }.joined(separator: " – "),
            form: FormPage(layout: layout, heading: "Gửi ý kiến", intro: nil, action: SiteURL.contact.path, submitLabel: "Gửi ý kiến",
                           fields: ContactController.fields(input, errors: errors), cancelURL: SiteURL.home.path),
            sent: sent, challengeURL: SiteURL.contactChallenge.path)
        return req.theme.render("contact", page, status: status)
    }

    struct EnglishPage {
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

    /// The English version of the introduction, contact and online-services pages (A8.15):
    /// `/en/`, `/en/contact`, `/en/online-services`.
    @Sendable func english(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
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
        return req.theme.render("english", page)
    }

    struct PlaceholderPage {
        let layout: LayoutVM
        let title: String
        let clause: String
    }

    @Sendable func placeholder(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let path = req.url.path.hasSuffix("/") ? String(req.url.path.dropLast()) : req.url.path
        let section = (PortalSections.forType(unit.type) + PortalSections.services(for: unit.type)).first { $0.path == path }
            ?? PortalSection(path: path, title: path == "/binh-chon" ? "Bình chọn" : "Chuyên mục", clause: "")
        let page = PlaceholderPage(layout: LayoutVM.make(req, title: section.title, admin: false), title: section.title, clause: section.clause)
        return req.theme.render("section-empty", page)
    }
}
