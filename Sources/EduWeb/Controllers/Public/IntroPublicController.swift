import EduCore
import EduData
import Fluent
import Vapor

/// `/gioi-thieu` and its pages: the introduction, leadership directory and organisation (A8.1a, A9.1a).
struct IntroPublicController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.intro.routePath, use: overview)
        routes.get(["gioi-thieu", "lanh-dao"], use: leaders)
        routes.get(["gioi-thieu", "co-cau-to-chuc"], use: departments)
        routes.get(SiteURL.introPage(slug: .key).routePath, use: page)
    }

    struct Link {
        let title: String
        let url: String
    }

    struct OverviewPage {
        let layout: LayoutVM
        let name: String
        let body: String
        let links: [Link]
        let headTitle: String
        let headName: String
    }

    static func links(_ unit: ResolvedUnit, pages: [IntroPage]) -> [Link] {
        pages.filter { $0.published && $0.slug != "tong-quan" }.map { Link(title: $0.title, url: SiteURL.introPage(slug: .value($0.slug)).path) }
            + [Link(title: "Cơ cấu tổ chức", url: "/gioi-thieu/co-cau-to-chuc"), Link(title: "Lãnh đạo", url: "/gioi-thieu/lanh-dao")]
    }

    @Sendable func overview(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let pages = try await IntroPage.query(on: req.db).filter(\.$unitID == unit.id).sort(\.$position).all()
        let main = pages.first { $0.slug == "tong-quan" && $0.published }
        let page = OverviewPage(
            layout: LayoutVM.make(req, title: "Giới thiệu", admin: false), name: unit.name, body: main?.bodyHTML ?? "",
            links: Self.links(unit, pages: pages), headTitle: unit.headTitle, headName: unit.headName)
        return req.theme.render("intro", page)
    }

    struct LeadersPage {
        struct Person {
            let fullName: String
            let title: String
            let phone: String
            let phoneHref: String
            let email: String
            let duties: String
            let photo: String?
        }

        let layout: LayoutVM
        let people: [Person]
    }

    @Sendable func leaders(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let leaders = try await IntroService.leaders(unitID: unit.id, on: req.db)
        let photoIDs = leaders.compactMap(\.photoMediaID)
        let photos = photoIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await Media.query(on: req.db).filter(\.$id ~~ photoIDs).all().compactMap { m in m.id.map { ($0, m) } })
        let page = LeadersPage(
            layout: LayoutVM.make(req, title: "Lãnh đạo", admin: false),
            people: leaders.map { leader in
                .init(fullName: leader.fullName, title: leader.title, phone: leader.phone,
                      phoneHref: "tel:" + leader.phone.filter { $0.isNumber || $0 == "+" }, email: leader.email, duties: leader.duties,
                      photo: leader.photoMediaID.flatMap { photos[$0] }.map(MediaService.publicPath))
            })
        return req.theme.render("leaders", page)
    }

    struct DepartmentsPage {
        struct Item {
            let name: String
            let functions: String
            let headName: String
            let phone: String
            let email: String
        }

        let layout: LayoutVM
        let departments: [Item]
        let unitName: String
    }

    @Sendable func departments(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let page = DepartmentsPage(
            layout: LayoutVM.make(req, title: "Cơ cấu tổ chức", admin: false),
            departments: try await IntroService.departments(unitID: unit.id, on: req.db).map {
                .init(name: $0.name, functions: $0.functions, headName: $0.headName, phone: $0.phone, email: $0.email)
            },
            unitName: unit.name)
        return req.theme.render("departments", page)
    }

    struct SinglePage {
        let layout: LayoutVM
        let title: String
        let body: String
    }

    @Sendable func page(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        guard let slug = req.parameters.get("slug"), let page = try await IntroService.page(unitID: unit.id, slug: slug, on: req.db),
            page.published
        else { throw AppError.notFound }
        return req.theme.render("intro-page", SinglePage(layout: LayoutVM.make(req, title: page.title, admin: false), title: page.title, body: page.bodyHTML))
    }
}
