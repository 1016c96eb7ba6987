import EduData
import Vapor

/// Picks the unit from the `Host` header: an exact hostname, else `<code>.<base domain>`, else
/// 404. `/healthz`, `/static` and `/api` answer on any host.
struct UnitResolverMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        switch request.application.unitCache.resolve(request.requestedHost, on: request.eventLoop) {
        case .known(let unit): resolved(unit, request: request, next: next)
        case .pending(let future): future.flatMap { unit in resolved(unit, request: request, next: next) }
        }
    }

    func resolved(_ unit: ResolvedUnit?, request: Request, next: any Responder) -> EventLoopFuture<Response> {
        if let unit {
            request.unit = unit
            return next.respond(to: request)
        }
        // The URI's path is computed on each access; only an unknown host needs it here.
        let path = request.path
        let hostIndependent = path == SiteURL.healthz.path || path.hasPrefix("/static/") || path.hasPrefix("/api/")
        return hostIndependent ? next.respond(to: request) : request.eventLoop.makeFailedFuture(AppError.unknownHost)
    }
}
