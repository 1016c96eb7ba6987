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

    struct LibraryPage {
        struct Item {
            let url: String
            let name: String
            let type: String
            let size: String
            let alt: String
            let isImage: Bool
            let uploaded: String
        }

        let layout: LayoutVM
        let unitName: String
        let items: [Item]
        let form: FormPage
        let page: Int
        let pages: Int
        let previousURL: String?
        let nextURL: String?
    }

    func library(_ req: Request, admin: AdminContext, unit: ResolvedUnit, errors: FormErrors = [:],
                 alt: String = "", title: String = "", status: HTTPResponseStatus = .ok) async throws -> Response {
        let unitID = unit.id
        let query = Media.query(on: req.db).filter(\.$unitID == unitID)
        let total = try await query.copy().count()
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let page = min(max(1, (try? req.query.get(Int.self, at: "trang")) ?? 1), pages)
        let items = try await query.sort(\.$createdAt, .descending).range(((page - 1) * Self.pageSize)..<(page * Self.pageSize)).all()
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Thư viện tệp", url: SiteURL.adminMedia(code: .value(unit.code)).path)])
        let layout = LayoutVM.make(req, title: "Thư viện tệp – \(unit.name)", admin: true, breadcrumbs: crumbs)
        let base = SiteURL.adminMedia(code: .value(unit.code)).path
        let libraryPage = LibraryPage(
            layout: layout, unitName: unit.name,
            items: items.map {
                .init(url: MediaService.publicPath($0), name: $0.title, type: $0.mimeType, size: Self.size($0.size), alt: $0.altText,
                      isImage: $0.isImage, uploaded: $0.createdAt.map(VietnameseDate.dateTime) ?? "")
            },
            form: FormPage(
                layout: layout, heading: "Tải tệp lên", intro: nil, action: base, submitLabel: "Tải lên",
                fields: [
                    FormField(name: "file", label: "Tệp", error: errors["file"],
                              hint: "Ảnh tối đa 10 MB; tài liệu tối đa 50 MB. Loại tệp được nhận biết theo nội dung.",
                              type: "file", required: true),
                    FormField(name: "alt", label: "Mô tả ảnh (văn bản thay thế)", value: alt, error: errors["alt"],
                              hint: "Bắt buộc với ảnh: mô tả ngắn nội dung ảnh cho người khiếm thị."),
                    FormField(name: "title", label: "Tên hiển thị", value: title, error: errors["title"]),
                ],
                cancelURL: SiteURL.adminUnit(code: .value(unit.code)).path),
            page: page, pages: pages,
            previousURL: page > 1 ? base + "?trang=\(page - 1)" : nil, nextURL: page < pages ? base + "?trang=\(page + 1)" : nil)
        return req.theme.render("admin/media", libraryPage, status: status)
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
        } catch MediaService.UploadError.field(let field, let message) {
            return try await library(req, admin: admin, unit: unit, errors: [field: message], alt: form.alt ?? "", title: form.title ?? "",
                                     status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminMedia(code: .value(unit.code)).path + "?ok=media-uploaded")
    }

    /// A stored file, on its own unit's host only, with the type it was recognised as.
    @Sendable func serve(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        guard let name = req.parameters.get("name"),
            let media = try await Media.query(on: req.db).filter(\.$storedName == name).filter(\.$unitID == unit.id).first()
        else { throw AppError.notFound }
        let url = MediaService.fileURL(media, config: req.config)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw AppError.notFound }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: media.mimeType)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=31536000, immutable")
        let inline = media.isImage || media.mimeType == "application/pdf"
        let filename = media.originalName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "tep"
        headers.replaceOrAdd(name: .contentDisposition, value: "\(inline ? "inline" : "attachment"); filename*=UTF-8''\(filename)")
        headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
