import Vapor

/// Security headers on every response, errors included. The CSP allows no inline script and
/// no framing; pages load only our own styles and scripts, and the one style element the public
/// pages carry (the theme's stylesheet, by its SHA-256).
struct SecurityHeadersMiddleware: Middleware {
    let tls: Bool
    /// The theme's stylesheet as public pages inline it, allowed by its hash (no `unsafe-inline`).
    let inlineStyleSource: String

    // Future-based, like the other middleware on the cached-page path: an async middleware costs a
    // task hop per request, a fifth of a cached page's throughput across the chain (bench/pages.sh).
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            // A unit's public pages may load its monitoring script (`MonitoringScript`): that one
            // origin joins script-src, and connect-src and img-src for what the script sends back.
            // The admin never loads it.
            if let origin = request.unit?.monitoringOrigin, !request.url.path.hasPrefix("/quan-tri") {
                add(to: response, csp: Self.policy(style: inlineStyleSource, monitoring: origin))
            } else {
                add(to: response, csp: policy)
            }
            return response
        }
    }

    init(tls: Bool, inlineStyleSource: String) {
        self.tls = tls
        self.inlineStyleSource = inlineStyleSource
        self.policy = Self.policy(style: inlineStyleSource, monitoring: nil)
    }

    /// The policy of every page but those of a unit with a monitoring script, built once.
    let policy: String

    static func policy(style: String, monitoring origin: String?) -> String {
        let extra = origin.map { " " + $0 } ?? ""
        return "default-src 'self'; script-src 'self'\(extra); style-src 'self' \(style); img-src 'self' data:\(extra); font-src 'self'; "
            + "connect-src 'self'\(extra); object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    }

    func add(to response: Response, csp: String) {
        let headers = [
            ("Content-Security-Policy", csp),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "strict-origin-when-cross-origin"),
            ("X-Frame-Options", "DENY"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ]
        for (name, value) in headers where !response.headers.contains(name: name) {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        if tls {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000")
        }
    }
}
