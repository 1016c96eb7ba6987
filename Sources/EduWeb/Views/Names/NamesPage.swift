import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/don-vi/:code/ten-mien`: the unit's names, the suffixes handed to its subtree, its
/// own requests, and the requests from units below that this person may decide.
struct NamesPage: PageView {
    static let template = "admin/names"

    struct Delegation {
        let suffix: String
        let removeURL: String?
    }

    struct OwnRequest {
        let name: String
        let kind: String
        let state: String
        let reason: String
        let date: String
    }

    struct Decision {
        let name: String
        let kind: String
        let unitName: String
        let requestedBy: String
        let date: String
        let action: String
        let reasonID: String
    }

    let layout: LayoutVM
    let unitName: String
    let ownNamespace: String
    let hostnames: [String]
    let mailDomains: [String]
    let inherited: [String]
    let delegations: [Delegation]
    let mayDelegate: Bool
    let delegateAction: String
    let requests: [OwnRequest]
    let decisions: [Decision]
    let error: String?

    // Mustache reads stored properties only: the "is there any" flags for the sections.
    var hasNames = false
    var hasInherited = false
    var hasDelegations = false
    var hasRequests = false
    var hasDecisions = false
}

extension NamesPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, error: String? = nil) async throws -> NamesPage {
        let path = SiteURL.adminNames(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Tên miền", url: path)])
        let mayDelegate = NameService.mayDelegate(admin, in: unit)
        let own = try await NameDelegation.query(in: unit, on: req.db).sort(\.$suffix).all()
        let ancestors = unit.ancestorIDs
        let inherited = ancestors.isEmpty ? [] : try await NameDelegation.query(on: req.db).filter(\.$unitID ~~ ancestors).sort(\.$suffix).all()
        let requests = try await NameRequest.query(in: unit, on: req.db).sort(\.$createdAt, .descending).limit(50).all()
        // Requests from units below this one that this person may decide.
        let decidable = try await NameService.pendingRequests(decidableBy: admin, on: req.db).filter { _, requester in
            requester.id != unit.id && requester.ancestorIDs.contains(unit.id)
        }
        let mailDomains = try await MailDomainRecord.query(in: unit.id, on: req.db).sort(\.$domain).all().map(\.domain)
        var page = NamesPage(
            layout: LayoutVM.make(req, title: "Tên miền – \(unit.name)", admin: true, breadcrumbs: crumbs),
            unitName: unit.name,
            ownNamespace: NameRules.ownNamespace(code: unit.code, baseDomain: req.config.baseDomain),
            hostnames: unit.hostnames,
            mailDomains: mailDomains,
            inherited: inherited.map(\.suffix),
            delegations: try own.map {
                .init(suffix: $0.suffix,
                      removeURL: mayDelegate ? SiteURL.adminNameDelegation(code: .value(unit.code), id: .value(try $0.requireID().uuidString)).path : nil)
            },
            mayDelegate: mayDelegate,
            delegateAction: SiteURL.adminNameDelegations(code: .value(unit.code)).path,
            requests: requests.map {
                .init(name: $0.name, kind: $0.kind.label, state: $0.state.label, reason: $0.reason, date: VietnameseDate.format($0.createdAt, "dd/MM/yyyy HH:mm"))
            },
            decisions: try decidable.map { request, requester in
                let id = try request.requireID().uuidString
                return .init(name: request.name, kind: request.kind.label, unitName: requester.name, requestedBy: request.requestedBy,
                             date: VietnameseDate.format(request.createdAt, "dd/MM/yyyy HH:mm"),
                             action: SiteURL.adminNameRequest(code: .value(unit.code), id: .value(id)).path, reasonID: "f-reason-" + id)
            },
            error: error)
        page.hasNames = !page.hostnames.isEmpty || !page.mailDomains.isEmpty
        page.hasInherited = !page.inherited.isEmpty
        page.hasDelegations = !page.delegations.isEmpty
        page.hasRequests = !page.requests.isEmpty
        page.hasDecisions = !page.decisions.isEmpty
        return page
    }
}
