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
        if let unit, unit.state == .active {
            request.unit = unit
            return next.respond(to: request)
        }
        // The URI's path is computed on each access; only an unknown or ended unit's host needs it here.
        let path = request.path
        let hostIndependent = path == SiteURL.healthz.path || path == SiteURL.metrics.path || path.hasPrefix("/static/") || path.hasPrefix("/api/")
        if hostIndependent { return next.respond(to: request) }
        guard let unit else { return request.eventLoop.makeFailedFuture(AppError.unknownHost) }
        // A merged or dissolved unit's hostnames lead to the unit that took it over, same path.
        let target = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
        let links = PublicLinks(config: request.config, port: request.config.publicPort)
        let db = request.db
        return request.eventLoop.makeFutureWithTask {
            guard let successor = try await UnitChangeService.finalSuccessor(of: unit, on: db) else { throw AppError.unknownHost }
            let response = Response(status: .movedPermanently)
            response.headers.replaceOrAdd(name: .location, value: links.base(of: successor) + target)
            return response
        }
    }
}
