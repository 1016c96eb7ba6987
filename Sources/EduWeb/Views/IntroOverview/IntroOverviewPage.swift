import EduCore
import EduData
import Fluent
import Vapor

struct IntroOverviewPage: PageView {
    static let template = "intro"

    let layout: LayoutVM
    let name: String
    let body: String
    let links: [IntroPublicController.Link]
    let headTitle: String
    let headName: String
}

extension IntroOverviewPage {
    /// The query that builds the page.
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> IntroOverviewPage {
        let pages = try await IntroPage.query(in: unit.id, on: req.db).sort(\.$position).all()
        let main = pages.first { $0.slug == "tong-quan" && $0.published }
        let page = IntroOverviewPage(
            layout: LayoutVM.make(req, title: "Giới thiệu", admin: false), name: unit.name, body: main?.bodyHTML ?? "",
            links: IntroPublicController.links(unit, pages: pages), headTitle: unit.headTitle, headName: unit.headName)
        return page
    }
}
