import EduCore
import EduData
import Fluent
import SQLKit
import Vapor

/// `/sitemap.xml`: every public page of a unit's portal.
struct Sitemap {
    let xml: String

    static func query(base: String, unit: ResolvedUnit, on db: any Database) async throws -> Sitemap {
        let unitID = unit.id
        var urls: [(String, Date?)] = [("/", nil)]
        urls += PortalSections.forType(unit.type).map { ($0.path, nil) }
        urls += try await Category.list(unitID: unitID, on: db).map { (SiteURL.newsCategory(slug: .value($0.slug)).path, nil) }
        // Read with SQLKit, only the columns the map needs: Fluent's models (whole rows, decoded by
        // reflection) made a sitemap of 40,000 items take 5 s at a Sở with 100,000.
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        for row in try await Article.publicSelect(sql, unitID: unitID).column("slug").column("updated_at")
            .orderBy("published_at", .descending).orderBy("created_at", .descending).limit(20_000).all()
        {
            urls.append((SiteURL.article(slug: .value(try row.decode(column: "slug", as: String.self))).path,
                         try row.decode(column: "updated_at", as: Date?.self)))
        }
        for row in try await LegalDocument.publicSelect(sql, unitID: unitID).column("id").column("updated_at")
            .orderBy("issued_on", .descending).orderBy("created_at", .descending).limit(20_000).all()
        {
            urls.append((SiteURL.document(id: .value(try row.decode(column: "id", as: UUID.self).uuidString.lowercased())).path,
                         try row.decode(column: "updated_at", as: Date?.self)))
        }
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
