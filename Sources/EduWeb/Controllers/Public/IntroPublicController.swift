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

    static func links(_ unit: ResolvedUnit, pages: [IntroPage]) -> [Link] {
        pages.filter { $0.published && $0.slug != "tong-quan" }.map { Link(title: $0.title, url: SiteURL.introPage(slug: .value($0.slug)).path) }
            + [Link(title: "Cơ cấu tổ chức", url: "/gioi-thieu/co-cau-to-chuc"), Link(title: "Lãnh đạo", url: "/gioi-thieu/lanh-dao")]
    }

    @Sendable func overview(req: Request) async throws -> Response {
        req.render(try await IntroOverviewPage.query(req, unit: try req.requireUnit()))
    }

    @Sendable func leaders(req: Request) async throws -> Response {
        req.render(try await LeadersPage.query(req, unit: try req.requireUnit()))
    }

    @Sendable func departments(req: Request) async throws -> Response {
        req.render(try await DepartmentsPage.query(req, unit: try req.requireUnit()))
    }

    @Sendable func page(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        guard let slug = req.parameters.get("slug"), let page = try await IntroService.page(unitID: unit.id, slug: slug, on: req.db),
            page.published
        else { throw AppError.notFound }
        return req.render(IntroSinglePage(layout: LayoutVM.make(req, title: page.title, admin: false), title: page.title, body: page.bodyHTML))
    }
}
