import EduCore
import EduData
import EduMail
import Fluent
import Vapor

/// `/quan-tri/hop-thu-di` (the notice outbox) and `/quan-tri/han-cap-nhat` (overdue sections),
/// each over the units the person may see.
struct OperationsController {
    static let pageSize = 50

    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.adminOutbox.routePath, use: outbox)
        routes.get(SiteURL.adminDeadlines.routePath, use: deadlines)
    }

    /// Every unit in the subtrees where `action` is allowed.
    static func visibleUnits(_ req: Request, admin: AdminContext, action: Action) async throws -> [OrgUnit] {
        var units: [OrgUnit] = []
        for root in Permissions.roots(for: action, in: admin.grants) {
            if let id = UUID(uuidString: root.id), let unit = try await OrgUnit.find(id, on: req.db) {
                units += try await OrgUnit.subtree(of: unit, on: req.db)
            }
        }
        return units
    }

    @Sendable func outbox(req: Request) async throws -> Response {
        req.render(try await OutboxPage.query(req, admin: try req.requireAdmin()))
    }

    @Sendable func deadlines(req: Request) async throws -> Response {
        req.render(try await DeadlinesPage.query(req, admin: try req.requireAdmin()))
    }
}
