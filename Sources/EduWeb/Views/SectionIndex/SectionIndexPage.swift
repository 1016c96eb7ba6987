import EduCore
import EduData
import Fluent
import Vapor

/// `/so-do-trang`: every section of the unit's portal in the navigation's groups, with the pages
/// below the two sections that have their own (introduction pages, news categories), the units
/// below and the feeds. The navigation's last entry and the footer link here.
struct SectionIndexPage: PageView {
    static let template = "section-index"

    struct Entry: Sendable {
        let title: String
        let url: String
        let lang: String?
        let children: [Entry]
    }

    struct Group: Sendable {
        let id: String
        let title: String
        let lang: String?
        let entries: [Entry]
    }

    let layout: LayoutVM
    let name: String
    let groups: [Group]
    let others: [Entry]
}

extension SectionIndexPage {
    /// The query that builds the page.
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> SectionIndexPage {
        let intro = try await IntroPage.query(in: unit.id, on: req.db).sort(\.$position).all()
        let categories = try await Category.list(unitID: unit.id, on: req.db)
        let hasChildren = try await OrgUnit.query(on: req.db).filter(\.$parentID == unit.id)
            .filter(\.$stateCode == UnitState.active.rawValue).first() != nil
        func below(_ section: PortalSection) -> [Entry] {
            switch section.path {
            case SiteURL.intro.path:
                IntroPublicController.links(unit, pages: intro).map { Entry(title: $0.title, url: $0.url, lang: nil, children: []) }
            case SiteURL.newsIndex.path:
                categories.map { Entry(title: $0.name, url: SiteURL.newsCategory(slug: .value($0.slug)).path, lang: nil, children: []) }
            default: []
            }
        }
        let groups = PortalSections.groups(for: unit.type).enumerated().map { index, group in
            Group(id: "nhom-\(index + 1)", title: group.title, lang: group.group.lang, entries: group.sections.map {
                Entry(title: $0.title, url: $0.path, lang: $0.group.lang, children: below($0))
            })
        }
        var others = [Entry(title: "Tìm kiếm", url: SiteURL.search.path, lang: nil, children: [])]
        if hasChildren { others.append(Entry(title: "Đơn vị trực thuộc", url: SiteURL.subUnits.path, lang: nil, children: [])) }
        others += [
            Entry(title: "Tin RSS", url: SiteURL.rss.path, lang: nil, children: []),
            Entry(title: "Sơ đồ trang cho máy tìm kiếm (sitemap.xml)", url: SiteURL.sitemap.path, lang: nil, children: []),
        ]
        return SectionIndexPage(
            layout: LayoutVM.make(req, title: "Sơ đồ trang", admin: false), name: unit.name, groups: groups, others: others)
    }
}
