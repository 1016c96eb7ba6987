import EduCore
import EduData
import Vapor

/// A unit's visit counts for its staff (`/quan-tri/don-vi/:code/luot-truy-cap`): anyone who may
/// open the unit's admin page, for that unit and the units below it, never a sibling's.
struct VisitsController {
    func register(_ units: UnitRoutes) {
        units.get(.adminVisits(code: .key), requires: .viewUnit, use: page)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        // This node's counts of the last minute are written first, so the page is up to date
        // for what this node saw (the other nodes write theirs within a minute).
        do { try await req.application.visitCounter.flush(on: req.db) } catch { req.logger.warning("Không ghi được số lượt truy cập: \(String(reflecting: error))") }
        return req.render(try await VisitsPage.query(req, admin: admin, unit: unit))
    }
}
