import EduCore
import EduData
import Fluent
import Vapor

/// The introduction section (A8.1a, A9.1a): intro pages, the leadership directory, departments.
enum IntroService {
    struct DefaultPage {
        let slug: String
        let title: String
    }

    /// The pages every unit has; schools also keep their history (A9.1a).
    static func defaultPages(for type: UnitType) -> [DefaultPage] {
        var pages = [DefaultPage(slug: "tong-quan", title: "Giới thiệu chung"), DefaultPage(slug: "chuc-nang-nhiem-vu", title: "Chức năng, nhiệm vụ")]
        if !type.isManagementAgency { pages.append(DefaultPage(slug: "lich-su", title: "Lịch sử")) }
        return pages
    }

    /// Makes sure the unit's default pages exist (unpublished until someone writes them).
    static func ensurePages(for unit: OrgUnit, on db: any Database) async throws -> [IntroPage] {
        let unitID = try unit.requireID()
        var pages = try await IntroPage.query(on: db).filter(\.$unitID == unitID).sort(\.$position).all()
        for (position, page) in defaultPages(for: unit.type).enumerated() where !pages.contains(where: { $0.slug == page.slug }) {
            let created = IntroPage()
            created.unitID = unitID
            created.slug = page.slug
            created.title = page.title
            created.bodyHTML = ""
            created.position = position
            created.published = false
            try await created.create(on: db)
            pages.append(created)
        }
        return pages.sorted { $0.position < $1.position }
    }

    static func page(unitID: UUID, slug: String, on db: any Database) async throws -> IntroPage? {
        try await IntroPage.query(on: db).filter(\.$unitID == unitID).filter(\.$slug == slug).first()
    }

    static func leaders(unitID: UUID, on db: any Database) async throws -> [Leader] {
        try await Leader.query(on: db).filter(\.$unitID == unitID).sort(\.$position).sort(\.$fullName).all()
    }

    static func departments(unitID: UUID, on db: any Database) async throws -> [Department] {
        try await Department.query(on: db).filter(\.$unitID == unitID).sort(\.$position).sort(\.$name).all()
    }
}
