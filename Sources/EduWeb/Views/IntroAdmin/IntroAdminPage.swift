import EduCore
import EduData
import Fluent
import Vapor

struct IntroAdminPage: PageView {
    static let template = "admin/intro"

    struct PageRow {
        let title: String
        let url: String
        let published: Bool
    }

    struct Entry {
        let id: String
        let fields: [FormField]
    }

    let layout: LayoutVM
    let unitName: String
    let pages: [PageRow]
    let leaders: [Entry]
    let newLeader: [FormField]
    let departments: [Entry]
    let newDepartment: [FormField]
    let leadersURL: String
    let departmentsURL: String
    let publicURL: String
    let action: String
}

extension IntroAdminPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit) async throws -> IntroAdminPage {
        let unitID = unit.id
        let pages = try await IntroService.ensurePages(for: unit, on: req.db)
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Giới thiệu", url: SiteURL.adminIntro(code: .value(unit.code)).path)])
        let leaders = try await IntroService.leaders(unitID: unitID, on: req.db)
        let images = try await Media.query(in: unitID, on: req.db).filter(\.$isImage == true).sort(\.$createdAt, .descending).limit(200).all()
        let departments = try await IntroService.departments(unitID: unitID, on: req.db)
        let page = IntroAdminPage(
            layout: LayoutVM.make(req, title: "Giới thiệu – \(unit.name)", admin: true, breadcrumbs: crumbs),
            unitName: unit.name,
            pages: pages.map { .init(title: $0.title, url: SiteURL.adminIntroPage(code: .value(unit.code), slug: .value($0.slug)).path, published: $0.published) },
            leaders: leaders.map { .init(id: $0.id!.uuidString, fields: IntroController.leaderFields($0, images: images, prefix: "")) },
            newLeader: IntroController.leaderFields(nil, images: images, prefix: ""),
            departments: departments.map { .init(id: $0.id!.uuidString, fields: IntroController.departmentFields($0, prefix: "")) },
            newDepartment: IntroController.departmentFields(nil, prefix: ""),
            leadersURL: SiteURL.adminLeaders(code: .value(unit.code)).path, departmentsURL: SiteURL.adminDepartments(code: .value(unit.code)).path,
            publicURL: req.publicLinks.url(for: unit).dropLast() + SiteURL.intro.path,
            action: SiteURL.adminIntro(code: .value(unit.code)).path)
        return page
    }
}
