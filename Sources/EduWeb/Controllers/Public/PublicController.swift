import EduCore
import EduData
import Fluent
import Vapor

/// The unit's public portal. Issue #4 grows this into the full theme; for now the home page
/// shows who the unit is, how to reach it, and the links up and down the tree (A10.1).
struct PublicController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.home.routePath, use: home)
    }

    struct UnitHome {
        struct Link {
            let name: String
            let url: String
            let typeLabel: String
        }

        let layout: LayoutVM
        let name: String
        let nameEn: String
        let typeLabel: String
        let address: String
        let phone: String
        let email: String
        let headName: String
        let headTitle: String
        let parent: Link?
        let children: [Link]
    }

    @Sendable func home(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let links = UnitLinks(req: req)
        var parent: UnitHome.Link?
        if let parentID = unit.parentID, let parentUnit = try await OrgUnit.find(parentID, on: req.db) {
            parent = try await links.links(for: [parentUnit]).first
        }
        let children = try await links.links(for: OrgUnit.children(of: try unit.requireID(), on: req.db))
        let page = UnitHome(
            layout: LayoutVM.make(req, title: "Trang chủ", admin: false),
            name: unit.name, nameEn: unit.nameEn, typeLabel: unit.type.label, address: unit.address, phone: unit.phone,
            email: unit.email, headName: unit.headName, headTitle: unit.headTitle, parent: parent, children: children)
        return req.theme.render("home", page)
    }
}

/// Public URLs of other units, on the same scheme and port as the current request.
struct UnitLinks {
    let req: Request

    /// A unit's preferred public host: its first named hostname (not an IP address), else
    /// `<code>.<base domain>`.
    static func preferredHost(of unit: OrgUnit, hostnames: [String], baseDomain: String) -> String {
        hostnames.first { !($0.first?.isNumber ?? true) && !$0.hasPrefix("[") } ?? hostnames.first ?? (unit.code + "." + baseDomain)
    }

    func url(host: String) -> String {
        let rawHost = req.headers.first(name: .host) ?? ""
        var port = ""
        if let colon = rawHost.lastIndex(of: ":"), !rawHost.hasSuffix("]") {
            port = String(rawHost[colon...])
        }
        return (req.config.tls ? "https://" : "http://") + host + port + "/"
    }

    func url(for unit: OrgUnit) async throws -> String {
        try await links(for: [unit]).first?.url ?? "/"
    }

    /// Links for many units with one hostname query.
    func links(for units: [OrgUnit]) async throws -> [PublicController.UnitHome.Link] {
        let ids = units.compactMap(\.id)
        let rows = ids.isEmpty ? [] : try await UnitHostname.query(on: req.db).filter(\.$unitID ~~ ids).sort(\.$hostname).all()
        let hostnames = Dictionary(grouping: rows, by: \.unitID)
        return units.map { unit in
            let names = unit.id.flatMap { hostnames[$0]?.map(\.hostname) } ?? []
            let host = Self.preferredHost(of: unit, hostnames: names, baseDomain: req.config.baseDomain)
            return .init(name: unit.name, url: url(host: host), typeLabel: unit.type.label)
        }
    }
}
