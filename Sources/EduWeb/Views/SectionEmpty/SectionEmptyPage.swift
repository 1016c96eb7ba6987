import EduCore
import EduData
import Fluent
import Vapor

struct SectionEmptyPage: PageView {
    static let template = "section-empty"

    let layout: LayoutVM
    let title: String
    let clause: String
}

extension SectionEmptyPage {
    /// The query that builds the page.
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> SectionEmptyPage {
        let path = req.url.path.hasSuffix("/") ? String(req.url.path.dropLast()) : req.url.path
        let section = (PortalSections.forType(unit.type) + PortalSections.services(for: unit.type)).first { $0.path == path }
            ?? PortalSection(path: path, title: path == "/binh-chon" ? "Bình chọn" : "Chuyên mục", clause: "")
        let page = SectionEmptyPage(layout: LayoutVM.make(req, title: section.title, admin: false), title: section.title, clause: section.clause)
        return page
    }
}
