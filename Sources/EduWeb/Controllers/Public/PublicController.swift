import EduCore
import EduData
import Fluent
import Vapor

/// The unit's public portal. Issue #4 grows this into the full theme; for now the home page
/// shows who the unit is, how to reach it, and the links up and down the tree (A10.1).
struct PublicController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.home.pathComponents.map(PathComponent.init(stringLiteral:)), use: home)
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
            parent = try await links.link(parentUnit)
        }
        var children: [UnitHome.Link] = []
        for child in try await OrgUnit.children(of: try unit.requireID(), on: req.db) {
            children.append(try await links.link(child))
        }
        let page = UnitHome(
            layout: LayoutVM.make(req, title: unit.name, admin: false),
            name: unit.name, nameEn: unit.nameEn, typeLabel: unit.type.label, address: unit.address, phone: unit.phone,
            email: unit.email, headName: unit.headName, headTitle: unit.headTitle, parent: parent, children: children)
        return req.theme.render("home", page)
    }
}

/// Public URLs of other units, on the same scheme and port as the current request.
struct UnitLinks {
    let req: Request

    func url(for unit: OrgUnit) async throws -> String {
        let hostnames = try await unit.hostnames(on: req.db)
        let host = hostnames.first { !$0.first!.isNumber } ?? hostnames.first ?? (unit.code + "." + req.config.baseDomain)
        let rawHost = req.headers.first(name: .host) ?? ""
        var port = ""
        if let colon = rawHost.lastIndex(of: ":"), !rawHost.hasSuffix("]") {
            port = String(rawHost[colon...])
        }
        return (req.config.tls ? "https://" : "http://") + host + port + "/"
    }

    func link(_ unit: OrgUnit) async throws -> PublicController.UnitHome.Link {
        .init(name: unit.name, url: try await url(for: unit), typeLabel: unit.type.label)
    }
}
