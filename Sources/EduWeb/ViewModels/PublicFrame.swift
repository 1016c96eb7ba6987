import EduCore
import EduData
import Fluent
import Vapor

/// What frames every public page of a unit: its name and emblem, the navigation over every
/// section the circular lists for its type, and the footer with its contacts and the links up and
/// down the unit tree (A10.1), generated from the tree, never typed by hand.
struct PublicFrame: Sendable {
    struct NavItem: Sendable {
        let title: String
        let url: String
        let current: Bool
    }

    /// One group of the navigation: a link when it holds one section, a menu of links otherwise.
    struct NavGroupItem: Sendable {
        let title: String
        let lang: String?
        /// The page belongs to one of its sections.
        let current: Bool
        let link: NavItem?
        let items: [NavItem]
    }

    struct Link: Sendable {
        let name: String
        let url: String
    }

    let unitName: String
    let unitNameEn: String
    /// `scheme://preferred-host[:port]`: canonical links and feeds use it.
    let baseURL: String
    let isSchool: Bool
    let typeLabel: String
    let emblem: String
    let siteScript: String
    /// The navigation's bar for wide screens (`nav-wide.css`), linked for them only.
    let navStylesheet: String
    let nav: [NavGroupItem]
    let sectionIndexURL: String
    let address: String
    let phone: String
    let email: String
    let parent: Link?
    let children: [Link]
    let moreChildrenURL: String?
    let searchURL: String
    let rssURL: String
    /// The national monitoring system's script (`MonitoringScript`), loaded from its address.
    let monitoringScript: String?

    static let footerChildren = 12

    /// The navigation, with the one section the page belongs to (the longest matching path) marked.
    static func nav(_ groups: [PortalGroup], path: String) -> [NavGroupItem] {
        let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let current = groups.flatMap(\.sections).map(\.path).filter { section in
            let base = section.hasSuffix("/") ? String(section.dropLast()) : section
            return trimmed == base || trimmed.hasPrefix(base + "/")
        }.max { $0.count < $1.count }
        return groups.map { group in
            let items = group.sections.map { NavItem(title: $0.title, url: $0.path, current: $0.path == current) }
            let link = items.count == 1 ? NavItem(title: group.title, url: items[0].url, current: items[0].current) : nil
            return NavGroupItem(title: group.title, lang: group.group.lang, current: items.contains { $0.current }, link: link, items: items)
        }
    }

    static func make(_ req: Request, unit: ResolvedUnit) async throws -> PublicFrame {
        let path = req.path
        let links = req.publicLinks
        let parent = try await unit.parentID.asyncMap { try await OrgUnit.find($0, on: req.db) } ?? nil
        let own = links.url(for: unit)
        let children = try await OrgUnit.query(on: req.db).filter(\.$parentID == (unit.id)).filter(\.$stateCode == UnitState.active.rawValue).sort(\.$name)
            .limit(footerChildren + 1).all()
        let linked = try await links.links(for: (parent.map { [$0] } ?? []) + children.prefix(footerChildren), on: req.db)
        let parentLink = parent == nil ? nil : linked.first.map { Link(name: $0.name, url: $0.url) }
        let childLinks = linked.dropFirst(parent == nil ? 0 : 1).map { Link(name: $0.name, url: $0.url) }
        return PublicFrame(
            unitName: unit.name, unitNameEn: unit.nameEn, baseURL: String(own.dropLast()), isSchool: !unit.type.isManagementAgency,
            typeLabel: unit.type.label,
            emblem: req.theme.assetURL("emblem.svg"), siteScript: req.theme.assetURL("site.js"), navStylesheet: req.theme.assetURL("nav-wide.css"),
            nav: nav(PortalSections.groups(for: unit.type), path: path), sectionIndexURL: SiteURL.sectionIndex.path,
            address: unit.address, phone: unit.phone, email: unit.email,
            parent: parentLink, children: Array(childLinks),
            moreChildrenURL: children.count > footerChildren ? SiteURL.subUnits.path : nil,
            searchURL: SiteURL.search.path, rssURL: SiteURL.rss.path,
            monitoringScript: unit.monitoringOrigin == nil ? nil : unit.monitoringScript)
    }
}

struct PublicFrameKey: StorageKey { typealias Value = PublicFrame }

/// Builds the public frame for pages of a unit's portal (not for the admin, the API or files).
/// Future-based: the API and `/healthz` pass straight through without an async hop (the exam
/// lookup API is the hottest path on result day).
struct PublicFrameMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let path = request.path
        guard let unit = request.unit, request.method == .GET || request.method == .HEAD || request.method == .POST,
            !path.hasPrefix("/quan-tri"), !path.hasPrefix("/api/"), !path.hasPrefix("/static/"), !path.hasPrefix("/tep/"),
            path != SiteURL.healthz.path, path != SiteURL.contactChallenge.path
        else { return next.respond(to: request) }
        return request.eventLoop.makeFutureWithTask {
            try await PublicFrame.make(request, unit: unit)
        }.flatMap { frame in
            request.storage[PublicFrameKey.self] = frame
            return next.respond(to: request)
        }
    }
}
