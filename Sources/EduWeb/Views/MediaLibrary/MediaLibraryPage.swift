import EduCore
import EduData
import Fluent
import Vapor

struct MediaLibraryPage: PageView {
    static let template = "admin/media"

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
    let pager: Pager
}

extension MediaLibraryPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, errors: FormErrors = [:],
                 alt: String = "", title: String = "") async throws -> MediaLibraryPage {
        let unitID = unit.id
        let query = Media.query(in: unitID, on: req.db)
        let total = try await query.copy().count()
        let paging = Paging(total: total, size: MediaController.pageSize, requested: try? req.query.get(Int.self, at: "trang"))
        let items = try await query.sort(\.$createdAt, .descending).range(paging.range).all()
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Thư viện tệp", url: SiteURL.adminMedia(code: .value(unit.code)).path)])
        let layout = LayoutVM.make(req, title: "Thư viện tệp – \(unit.name)", admin: true, breadcrumbs: crumbs)
        let base = SiteURL.adminMedia(code: .value(unit.code)).path
        let libraryPage = MediaLibraryPage(
            layout: layout, unitName: unit.name,
            items: items.map {
                .init(url: MediaService.publicPath($0), name: $0.title, type: $0.mimeType, size: MediaController.size($0.size), alt: $0.altText,
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
            pager: Pager(paging) { base + "?trang=\($0)" })
        return libraryPage
    }
}
