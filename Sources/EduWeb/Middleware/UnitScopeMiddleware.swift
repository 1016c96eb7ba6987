import EduCore
import EduData
import Vapor

/// What an admin route under `/quan-tri/don-vi/:code` receives: the signed-in person and the
/// unit named in the path, resolved once by `UnitScopeMiddleware`, with the right the route
/// declared already checked.
struct AdminScope: Sendable {
    let admin: AdminContext
    let unit: ResolvedUnit
}

struct AdminScopeKey: StorageKey { typealias Value = AdminScope }

extension Request {
    /// The scope `UnitScopeMiddleware` resolved; a handler outside `UnitRoutes` has none.
    var scope: AdminScope {
        get throws {
            guard let scope = storage[AdminScopeKey.self] else { throw AppError.notFound }
            return scope
        }
    }

    /// The article or document named in the path (`:id`), within the scoped unit, if this person
    /// may see it: the unit's editorial board sees all, a contributor only their own.
    func scopedItem<Item: WorkflowItem>(_ type: Item.Type) async throws -> (AdminContext, ResolvedUnit, Item) {
        let (admin, unit) = try scoped()
        guard let item = try await Item.find(parameters.get("id").flatMap(UUID.init(uuidString:)), in: unit, on: db),
            admin.may(.reviewContent, on: unit) || admin.isAuthor(of: item)
        else { throw AppError.notFound }
        return (admin, unit, item)
    }

    /// The person and the unit of this admin route.
    func scoped() throws -> (AdminContext, ResolvedUnit) {
        let scope = try scope
        return (scope.admin, scope.unit)
    }
}

/// Resolves the person and the unit of `/quan-tri/don-vi/:code/…` and checks the right the route
/// declared (`UnitRoutes`): 404 for a unit outside the person's subtree (its existence is not
/// confirmed), 403 for a missing right. A route that declared no right is refused.
struct UnitScopeMiddleware: AsyncMiddleware {
    static let rightKey = "eduportal.unit-right"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let admin = request.admin else { return request.redirect(to: SiteURL.login.path) }
        guard let action = request.route?.userInfo[Self.rightKey] as? Action else { throw AppError.forbidden }
        guard let code = request.parameters.get("code"), let unit = try await ResolvedUnit.find(code: code, on: request.db),
            admin.may(.viewUnit, on: unit)
        else { throw AppError.notFound }
        if unit.state != .active {
            // An ended unit's content lives at its successor now; nothing is done in its name.
            let successor = try await unit.successorID.asyncMap { try await OrgUnit.find($0, on: request.db) } ?? nil
            throw AppError(.gone, "\(unit.name) \(unit.state.label.lowercased())\(successor.map { "; nội dung đã chuyển về \($0.name) (mã \($0.code))" } ?? "").")
        }
        try admin.require(action, on: unit)
        request.storage[AdminScopeKey.self] = AdminScope(admin: admin, unit: unit)
        return try await next.respond(to: request)
    }
}

/// The one group of admin routes under a unit. Every route names the right it needs; there is no
/// way to register one here without it.
struct UnitRoutes {
    private let routes: any RoutesBuilder

    init(_ routes: any RoutesBuilder) {
        self.routes = routes.grouped(UnitScopeMiddleware())
    }

    @discardableResult
    func get(
        _ url: SiteURL, requires action: Action, use closure: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable
    ) -> Route {
        declare(routes.get(url.routePath, use: closure), action)
    }

    @discardableResult
    func post(
        _ url: SiteURL, requires action: Action, body: HTTPBodyStreamStrategy = .collect,
        use closure: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable
    ) -> Route {
        declare(routes.on(.POST, url.routePath, body: body, use: closure), action)
    }

    private func declare(_ route: Route, _ action: Action) -> Route {
        route.userInfo[UnitScopeMiddleware.rightKey] = action
        return route
    }
}
