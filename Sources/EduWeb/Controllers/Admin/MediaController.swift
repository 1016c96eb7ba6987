import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/don-vi/:code/tep`: the unit's media library; `/tep/<name>`: files served to the public.
struct MediaController {
    static let pageSize = 40
    static let uploadBody = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(value: MediaService.maxFileBytes + (1 << 20)))

    func register(admin units: UnitRoutes) {
        units.get(.adminMedia(code: .key), requires: .submitContent, use: index)
        units.post(.adminMedia(code: .key), requires: .submitContent, body: Self.uploadBody, use: upload)
    }

    func register(public routes: any RoutesBuilder) {
        routes.get(SiteURL.media(name: .key).routePath, use: serve)
    }

    func library(_ req: Request, admin: AdminContext, unit: ResolvedUnit, errors: FormErrors = [:],
                 alt: String = "", title: String = "", status: HTTPResponseStatus = .ok) async throws -> Response {
        req.render(try await MediaLibraryPage.query(req, admin: admin, unit: unit, errors: errors, alt: alt, title: title), status: status)
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / Double(1 << 20)) : "\(max(1, bytes >> 10)) KB"
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return try await library(req, admin: admin, unit: unit)
    }

    struct UploadForm: Content {
        var file: File?
        var alt: String?
        var title: String?
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard let form = try? req.content.decode(UploadForm.self) else {
            return try await library(req, admin: admin, unit: unit, errors: ["file": "Không đọc được tệp gửi lên. Hãy chọn lại tệp."], status: .badRequest)
        }
        do {
            let bytes = form.file.map { Array($0.data.readableBytesView) } ?? []
            _ = try await MediaService.store(
                bytes, originalName: form.file?.filename ?? "", alt: form.alt ?? "", title: form.title ?? "", unit: unit,
                by: req.actor(admin), config: req.config, on: req.db)
        } catch let errors as FormErrors {
            return try await library(req, admin: admin, unit: unit, errors: errors, alt: form.alt ?? "", title: form.title ?? "",
                                     status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminMedia(code: .value(unit.code)).path + "?ok=media-uploaded")
    }

    /// A stored file or one of a photo's copies, on its own unit's host only, with the type it
    /// was recognised as (a copy: JPEG or WebP).
    @Sendable func serve(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        guard let name = req.parameters.get("name"),
            let found = try await MediaService.find(requested: name, in: unit, on: req.db)
        else { throw AppError.notFound }
        let media = found.media
        let url = MediaService.directory(for: media.unitID, config: req.config).appendingPathComponent(found.file)
        guard FileManager.default.fileExists(atPath: url.path) else { throw AppError.notFound }
        // Streamed in chunks (a 50 MB file is never held whole), with Range and ETag answered.
        let response = try await req.fileio.asyncStreamFile(at: url.path)
        var headers = response.headers
        headers.replaceOrAdd(name: .contentType, value: found.mimeType)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=31536000, immutable")
        let inline = media.isImage || media.mimeType == "application/pdf"
        let filename = media.originalName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "tep"
        headers.replaceOrAdd(name: .contentDisposition, value: "\(inline ? "inline" : "attachment"); filename*=UTF-8''\(filename)")
        headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
        response.headers = headers
        return response
    }
}
