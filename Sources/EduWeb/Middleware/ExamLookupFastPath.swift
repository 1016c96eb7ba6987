import Vapor

/// Answers `GET /api/v1/exams/{id}/results` before Vapor's router: on result day this is nearly
/// every request, and the router percent-decodes each path component through Foundation. The
/// route stays registered (same answer) for anything this shortcut does not recognise.
struct ExamLookupFastPath: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method == .GET, request.unit != nil, let key = ExamLookup.resultsSessionKey(path: request.path[...]) else {
            return next.respond(to: request)
        }
        return request.eventLoop.makeSucceededFuture(ExamAPIController.results(request, sessionKey: key))
    }
}
