import EduCore
import Vapor

/// Errors that reach the user. Each carries its status and a Vietnamese message; one
/// middleware renders them (HTML for pages, JSON for `/api`).
public struct AppError: Error, AbortError, Sendable {
    public let status: HTTPResponseStatus
    public let message: String
    public var headers: HTTPHeaders = [:]

    public init(_ status: HTTPResponseStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var reason: String { message }

    public static let unknownHost = AppError(
        .notFound, "Không tìm thấy cổng thông tin nào ứng với tên miền này. Vui lòng kiểm tra lại địa chỉ.")
    public static let notFound = AppError(.notFound, "Không tìm thấy trang bạn yêu cầu.")
    public static let forbidden = AppError(.forbidden, "Bạn không có quyền thực hiện thao tác này.")
    public static let csrf = AppError(
        .forbidden,
        "Yêu cầu không hợp lệ hoặc phiên làm việc đã hết hạn (mã chống giả mạo CSRF không khớp). Vui lòng tải lại trang và thử lại.")
}

extension FormErrors {
    /// The status a form shown again with these errors answers: 429 past a rate limit, else 422.
    var status: HTTPResponseStatus { isRateLimited ? .tooManyRequests : .unprocessableEntity }
}
