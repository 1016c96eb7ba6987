import EduData
import Vapor

/// Picks the unit from the `Host` header: an exact hostname, else `<code>.<base domain>`, else
/// 404. `/healthz`, `/static` and `/api` answer on any host.
struct UnitResolverMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        let hostIndependent = path == SiteURL.healthz.path || path.hasPrefix("/static/") || path.hasPrefix("/api/")
        let host = request.requestedHost
        let unit = try await request.application.unitCache.unit(for: host) {
            try await OrgUnit.find(host: host, baseDomain: request.config.baseDomain, on: request.db)
        }
        if let unit {
            request.unit = unit
        } else if !hostIndependent {
            throw AppError.unknownHost
        }
        return try await next.respond(to: request)
    }
}
