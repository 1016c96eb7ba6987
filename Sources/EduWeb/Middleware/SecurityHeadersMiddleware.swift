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
            add(to: response)
            return response
        }
    }

    func add(to response: Response) {
        let headers = [
            ("Content-Security-Policy",
             "default-src 'self'; script-src 'self'; style-src 'self' \(inlineStyleSource); img-src 'self' data:; font-src 'self'; "
                + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
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
