import EduCore
import EduData
import Fluent
import Vapor

/// `/sitemap.xml`: every public page of a unit's portal.
struct Sitemap {
    let xml: String

    static func query(base: String, unit: ResolvedUnit, on db: any Database) async throws -> Sitemap {
        let unitID = unit.id
        var urls: [(String, Date?)] = [("/", nil)]
        urls += PortalSections.forType(unit.type).map { ($0.path, nil) }
        urls += try await Category.list(unitID: unitID, on: db).map { (SiteURL.newsCategory(slug: .value($0.slug)).path, nil) }
        urls += try await Article.publicQuery(unitID: unitID, on: db).sort(\.$publishedAt, .descending).limit(20_000).all()
            .map { (SiteURL.article(slug: .value($0.slug)).path, $0.updatedAt) }
        urls += try await LegalDocument.publicQuery(unitID: unitID, on: db).sort(\.$issuedOn, .descending).limit(20_000).all()
            .map { (SiteURL.document(id: .value($0.id!.uuidString.lowercased())).path, $0.updatedAt) }
        urls += try await IntroPage.query(in: unit, on: db).filter(\.$published == true).all()
            .filter { $0.slug != "tong-quan" }.map { (SiteURL.introPage(slug: .value($0.slug)).path, $0.updatedAt) }
        var seen = Set<String>()
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for (path, modified) in urls where seen.insert(path).inserted {
            xml += "<url><loc>\(Escape.xml(base + path))</loc>"
            if let modified { xml += "<lastmod>\(VietnameseDate.format(modified, "yyyy-MM-dd"))</lastmod>" }
            xml += "</url>\n"
        }
        xml += "</urlset>\n"
        return Sitemap(xml: xml)
    }
}
