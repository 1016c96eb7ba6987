import EduCore
import EduData
import Fluent
import Vapor

struct LeadersPage: PageView {
    static let template = "leaders"

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

extension LeadersPage {
    /// The query that builds the page.
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> LeadersPage {
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
        return page
    }
}
