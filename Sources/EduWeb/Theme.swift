import Crypto
import Foundation
import Mustache
import Vapor

/// Templates of the active theme, and the static assets served under `/static`.
final class Theme: Sendable {
    let library: MustacheLibrary
    /// Asset name (plain and fingerprinted) → bytes and content type.
    let assets: [String: (body: ByteBuffer, contentType: HTTPMediaType, immutable: Bool)]
    /// Plain asset name → fingerprinted URL path.
    let assetURLs: [String: String]
    /// `app.css` as public pages carry it in their head: on a phone over slow 4G a stylesheet
    /// fetched after the page costs a second round trip (about 0.6 s) before anything is painted
    /// (bench/vitals.sh). Admin pages link it (cached across their many visits).
    let inlineStyle: String
    /// The CSP source that allows exactly that style element: `'sha256-…'`.
    let inlineStyleSource: String

    init(themeDirectory: String) async throws {
        self.library = try await MustacheLibrary(directory: themeDirectory)
        guard library.getTemplate(named: "layout") != nil else { throw ThemeError.missing(themeDirectory) }
        var assets: [String: (ByteBuffer, HTTPMediaType, Bool)] = [:]
        var urls: [String: String] = [:]
        let staticDirectory = URL(fileURLWithPath: themeDirectory).appendingPathComponent("static")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: staticDirectory.path)) ?? []
        for name in names.sorted() {
            guard let data = FileManager.default.contents(atPath: staticDirectory.appendingPathComponent(name).path) else { continue }
            let ext = (name as NSString).pathExtension
            let type = HTTPMediaType.fileExtension(ext) ?? .binary
            let hash = Insecure.SHA1.hash(data: data).prefix(5).map { String(format: "%02x", $0) }.joined()
            let fingerprinted = (name as NSString).deletingPathExtension + "." + hash + "." + ext
            let buffer = ByteBuffer(data: data)
            assets[name] = (buffer, type, false)
            assets[fingerprinted] = (buffer, type, true)
            urls[name] = SiteURL.staticAsset(file: .value(fingerprinted)).path
        }
        self.assets = assets
        self.assetURLs = urls
        let style = (assets["app.css"]?.0).map { String(buffer: $0) } ?? ""
        self.inlineStyle = style
        self.inlineStyleSource = "'sha256-" + Data(SHA256.hash(data: Data(style.utf8))).base64EncodedString() + "'"
    }

    /// The bundled default theme, or the operator's folder.
    static func themeDirectory(override: String?) -> String {
        if let override { return override }
        return Bundle.module.bundleURL.appendingPathComponent("Resources/themes/default").path
    }

    func render(_ template: String, _ context: Any, status: HTTPResponseStatus = .ok) -> Response {
        guard let html = library.render(ReflectedContext.wrap(context) ?? context, withTemplate: template) else {
            return Response(status: .internalServerError, body: .init(string: "Thiếu mẫu trang: \(template)"))
        }
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: html))
    }

    func assetURL(_ name: String) -> String { assetURLs[name] ?? SiteURL.staticAsset(file: .value(name)).path }
}

enum ThemeError: Error, CustomStringConvertible {
    case missing(String)

    var description: String {
        switch self {
        case .missing(let path): "Không tìm thấy giao diện (layout.mustache) trong thư mục \(path)."
        }
    }
}

struct ThemeKey: StorageKey { typealias Value = Theme }

extension Application {
    var theme: Theme {
        guard let views = storage[ThemeKey.self] else { fatalError("Theme are not configured: call configure(_:) first") }
        return views
    }
}

extension Request {
    var theme: Theme { application.theme }
}

/// An empty string is "nothing" to a template: `{{#address}}…{{/address}}` shows nothing when the
/// address is empty (swift-mustache otherwise treats any string, even "", as present).
extension String: @retroactive MustacheCustomRenderable {
    public var renderText: String { self }
    public var isNull: Bool { isEmpty }
}
