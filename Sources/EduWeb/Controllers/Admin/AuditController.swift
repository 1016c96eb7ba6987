import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/nhat-ky`: the audit log of the units the person may audit, filterable and paged.
struct AuditController {
    static let pageSize = 50

    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.adminAudit.routePath, use: index)
    }

    struct Filters: Content {
        var donVi: String?
        var hanhDong: String?
        var nguoi: String?
        var tu: String?
        var den: String?
        var trang: Int?

        enum CodingKeys: String, CodingKey {
            case donVi = "don-vi", hanhDong = "hanh-dong", nguoi, tu, den, trang
        }
    }

    static let actionLabels: [(String, String)] = [
        ("login.success", "Đăng nhập thành công"), ("login.failure", "Đăng nhập sai"),
        ("login.locked", "Tạm khóa đăng nhập"), ("login.refused-locked", "Đăng nhập khi đang bị khóa"),
        ("logout", "Đăng xuất"), ("unit.create", "Tạo đơn vị"), ("unit.update", "Sửa đơn vị"),
        ("user.create", "Tạo tài khoản"), ("user.disable", "Khóa tài khoản"), ("user.enable", "Mở khóa tài khoản"),
        ("role.grant", "Cấp quyền"), ("role.revoke", "Thu hồi quyền"),
        ("totp.enable", "Bật xác thực hai bước"), ("totp.disable", "Tắt xác thực hai bước"),
        ("article.create", "Tạo bài viết"), ("article.update", "Sửa bài viết"), ("article.restore", "Khôi phục phiên bản"),
        ("article.takeover", "Tiếp quản quyền sửa"), ("article.gui-duyet", "Gửi duyệt bài"), ("article.tra-lai", "Trả lại bài"),
        ("article.duyet", "Duyệt bài"), ("article.dang", "Đăng bài"), ("article.go-xuong", "Gỡ bài"),
        ("article.luu-tru", "Lưu trữ bài"), ("article.mo-lai", "Mở lại bài"),
        ("document.create", "Tạo văn bản"), ("document.update", "Sửa văn bản"), ("document.gui-duyet", "Gửi duyệt văn bản"),
        ("document.tra-lai", "Trả lại văn bản"), ("document.duyet", "Duyệt văn bản"), ("document.dang", "Đăng văn bản"),
        ("document.go-xuong", "Gỡ văn bản"), ("media.upload", "Tải tệp lên"), ("page.update", "Sửa trang giới thiệu"),
        ("leader.update", "Sửa danh bạ lãnh đạo"), ("department.update", "Sửa cơ cấu tổ chức"), ("category.update", "Sửa chuyên mục"),
    ]

    @Sendable func index(req: Request) async throws -> Response {
        req.render(try await AuditPage.query(req, admin: try req.requireAdmin()))
    }

    static func parseDate(_ text: String?) -> Date? {
        text.flatMap(VietnameseDate.parse)
    }
}
