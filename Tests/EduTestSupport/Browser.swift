import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

/// Drives the app like a browser: keeps cookies, sends `Host`, and posts forms with the CSRF
/// token taken from the last page it saw.
public final class Browser: @unchecked Sendable {
    public let app: Application
    public var host: String
    public var cookies: [String: String] = [:]
    public private(set) var lastCSRF: String?

    public init(app: Application, host: String) {
        self.app = app
        self.host = host
    }

    public struct Page: Sendable {
        public let status: HTTPStatus
        public let headers: HTTPHeaders
        public let body: String
        /// The body's bytes as sent (downloads are not text).
        public var bytes: [UInt8] = []
        public var location: String? { headers.first(name: .location) }
    }

    @discardableResult
    public func get(_ path: String) async throws -> Page {
        try await send(.GET, path, body: nil)
    }

    /// Posts a form. `csrf: nil` uses the token of the last page seen; pass `""` to send none.
    @discardableResult
    public func post(_ path: String, _ fields: [String: String], csrf: String? = nil) async throws -> Page {
        var fields = fields
        let token = csrf ?? lastCSRF ?? ""
        if !token.isEmpty { fields["_csrf"] = token }
        let body = fields.map { key, value in
            "\(Self.formEscape(key))=\(Self.formEscape(value))"
        }.joined(separator: "&")
        return try await send(.POST, path, body: ByteBuffer(string: body), contentType: "application/x-www-form-urlencoded")
    }

    /// Posts a form whose fields may repeat (checkboxes named `x[]`), in order, without a CSRF token.
    @discardableResult
    public func post(_ path: String, pairs: [(String, String)]) async throws -> Page {
        let body = pairs.map { "\(Self.formEscape($0.0))=\(Self.formEscape($0.1))" }.joined(separator: "&")
        return try await send(.POST, path, body: ByteBuffer(string: body), contentType: "application/x-www-form-urlencoded")
    }

    /// Posts a multipart form with one file, as a browser uploads.
    @discardableResult
    public func upload(
        _ path: String, fields: [String: String], fileField: String = "file", filename: String, bytes: [UInt8],
        contentType: String = "application/octet-stream", csrf: String? = nil
    ) async throws -> Page {
        try await upload(path, fields: fields, files: [(fileField, filename, bytes)], contentType: contentType, csrf: csrf)
    }

    /// Posts a multipart form with any number of files (field, file name, bytes), in order.
    @discardableResult
    public func upload(
        _ path: String, fields: [String: String], files: [(field: String, filename: String, bytes: [UInt8])],
        contentType: String = "application/octet-stream", csrf: String? = nil
    ) async throws -> Page {
        let boundary = "----EduPortalBoundary" + UUID().uuidString
        var body = ByteBuffer()
        var all = fields
        let token = csrf ?? lastCSRF ?? ""
        if !token.isEmpty { all["_csrf"] = token }
        for (key, value) in all {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\n")
            body.writeString("Content-Type: \(contentType)\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        // The upload forms carry the token in their action URL too, so it is checked before the
        // file is read.
        let action = token.isEmpty ? path : path + (path.contains("?") ? "&" : "?") + "_csrf=" + Self.formEscape(token)
        return try await send(.POST, action, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Logs in through the login form (password only).
    @discardableResult
    public func login(_ email: String, _ password: String) async throws -> Page {
        try await get("/quan-tri/dang-nhap")
        return try await post("/quan-tri/dang-nhap", ["email": email, "password": password])
    }

    static func formEscape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "").replacingOccurrences(of: "%20", with: "+")
    }

    func send(_ method: HTTPMethod, _ path: String, body: ByteBuffer?, contentType: String? = nil) async throws -> Page {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .host, value: host)
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let contentType { headers.replaceOrAdd(name: .contentType, value: contentType) }
        var page: Page?
        try await app.testing().test(method, path, headers: headers, body: body) { response in
            page = Page(status: response.status, headers: response.headers, body: response.body.string, bytes: Array(response.body.readableBytesView))
        }
        guard let page else { throw Abort(.internalServerError) }
        for header in page.headers[.setCookie] {
            let pair = header.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[1].isEmpty || header.contains("Max-Age=0") { cookies[parts[0]] = nil } else { cookies[parts[0]] = parts[1] }
        }
        if let token = Self.csrfToken(in: page.body) { lastCSRF = token }
        return page
    }

    public static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}
