import EduCore
import EduData
import Foundation
import Vapor

/// Machine-readable description of a public page (A8.7, A9.6, A12.6): canonical URL, Dublin Core,
/// Open Graph and schema.org JSON-LD (the organisation, breadcrumbs and, for articles, NewsArticle).
struct PageMeta: Sendable {
    struct Tag: Sendable {
        let name: String
        let content: String
    }

    /// What a page adds to the defaults.
    struct Details: Sendable {
        var description: String?
        var isArticle = false
        var published: Date?
        var modified: Date?
        var author: String?
        var source: String?
        var section: String?
        var image: String?
    }

    let canonical: String
    let description: String
    let ogType: String
    let image: String?
    let dublinCore: [Tag]
    let jsonLD: String

    static func make(req: Request, frame: PublicFrame, title: String, crumbs: [LayoutVM.Crumb], details: Details?) -> PageMeta {
        let base = frame.baseURL
        var path = req.url.path
        if let page = try? req.query.get(Int.self, at: "trang"), page > 1 { path += "?trang=\(page)" }
        let canonical = base + path
        let description = String((details?.description ?? "").prefix(300)).isEmpty ? "\(title) – \(frame.unitName)" : String(details!.description!.prefix(300))
        let image = details?.image.map { $0.hasPrefix("http") ? $0 : base + $0 }
        var dc: [Tag] = [
            .init(name: "DC.title", content: title), .init(name: "DC.publisher", content: frame.unitName),
            .init(name: "DC.language", content: "vi"), .init(name: "DC.identifier", content: canonical),
            .init(name: "DC.type", content: details?.isArticle == true ? "Text" : "InteractiveResource"),
            .init(name: "DC.description", content: description),
        ]
        if let author = details?.author, !author.isEmpty { dc.append(.init(name: "DC.creator", content: author)) }
        if let source = details?.source, !source.isEmpty { dc.append(.init(name: "DC.source", content: source)) }
        if let published = details?.published { dc.append(.init(name: "DC.date", content: VietnameseDate.iso(published))) }
        if let section = details?.section { dc.append(.init(name: "DC.subject", content: section)) }

        var organization: [String: Any] = [
            "@type": frame.isSchool ? "EducationalOrganization" : "GovernmentOrganization",
            "@id": base + "/#to-chuc", "name": frame.unitName, "url": base + "/",
        ]
        if !frame.unitNameEn.isEmpty { organization["alternateName"] = frame.unitNameEn }
        if !frame.email.isEmpty { organization["email"] = frame.email }
        if !frame.phone.isEmpty { organization["telephone"] = frame.phone }
        if !frame.address.isEmpty { organization["address"] = ["@type": "PostalAddress", "streetAddress": frame.address, "addressCountry": "VN"] }
        if let parent = frame.parent { organization["parentOrganization"] = ["@type": "Organization", "name": parent.name, "url": parent.url] }
        var graph: [[String: Any]] = [organization]
        var items: [[String: Any]] = [["@type": "ListItem", "position": 1, "name": "Trang chủ", "item": base + "/"]]
        for (index, crumb) in crumbs.enumerated() {
            items.append(["@type": "ListItem", "position": index + 2, "name": crumb.label, "item": base + crumb.url])
        }
        graph.append(["@type": "BreadcrumbList", "itemListElement": items])
        if details?.isArticle == true {
            var article: [String: Any] = [
                "@type": "NewsArticle", "headline": String(title.prefix(110)), "mainEntityOfPage": canonical, "inLanguage": "vi",
                "publisher": ["@id": base + "/#to-chuc"], "description": description,
            ]
            if let published = details?.published { article["datePublished"] = VietnameseDate.iso(published) }
            if let modified = details?.modified { article["dateModified"] = VietnameseDate.iso(modified) }
            if let author = details?.author, !author.isEmpty { article["author"] = ["@type": "Person", "name": author] }
            if let image { article["image"] = image }
            if let section = details?.section { article["articleSection"] = section }
            graph.append(article)
        }
        let json = (try? JSONSerialization.data(withJSONObject: ["@context": "https://schema.org", "@graph": graph], options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // Inside <script>, "<" must not open a tag.
        let safe = json.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
        return PageMeta(canonical: canonical, description: description, ogType: details?.isArticle == true ? "article" : "website",
                        image: image, dublinCore: dc, jsonLD: safe)
    }
}
