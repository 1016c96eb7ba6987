import Vapor

/// Turns every error into a page: a friendly Vietnamese HTML page, or JSON under `/api`.
/// Unexpected errors are logged with the request id and shown without internals; a fault's page
/// (5xx) shows the same id, so a visitor's report leads to its log line.
struct ErrorPageMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapErrorThrowing { error in render(error, for: request) }
    }

    func render(_ error: any Error, for request: Request) -> Response {
        let status: HTTPResponseStatus
        let message: String
        var headers = HTTPHeaders()
        switch error {
        case let error as AppError:
            status = error.status
            message = error.message
            headers = error.headers
        case let abort as any AbortError:
            status = abort.status
            headers = abort.headers
            switch abort.status {
            case .notFound: message = AppError.notFound.message
            case .forbidden: message = AppError.forbidden.message
            case .payloadTooLarge: message = "Dữ liệu gửi lên quá lớn."
            case .badRequest: message = "Yêu cầu không hợp lệ. Vui lòng kiểm tra lại dữ liệu đã nhập."
            case .methodNotAllowed: message = "Phương thức không được hỗ trợ cho địa chỉ này."
            case .unsupportedMediaType: message = "Định dạng dữ liệu không được hỗ trợ."
            case .tooManyRequests: message = "Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút."
            default:
                message = abort.status.code >= 500 ? "Hệ thống gặp sự cố. Vui lòng thử lại sau." : "Yêu cầu không thực hiện được."
            }
        default:
            status = .internalServerError
            message = "Hệ thống gặp sự cố. Vui lòng thử lại sau."
        }
        // A refusal the code chose (503 busy) is not a fault to report, and under load it would flood the log.
        if status.code >= 500 && !(error is AppError && status == .serviceUnavailable) {
            request.logger.report(error: error)
        }
        // Redirects raised as errors (Abort.redirect) pass through unchanged.
        if (300..<400).contains(status.code) {
            return Response(status: status, headers: headers)
        }
        if request.path.hasPrefix("/api/") {
            let response = Response(status: status, headers: headers)
            var body = ["error": message, "status": String(status.code)]
            if status.code >= 500 { body["requestId"] = request.id }
            try? response.content.encode(body, as: .json)
            return response
        }
        let heading: String
        switch status.code {
        case 404: heading = "Không tìm thấy trang"
        case 403: heading = "Không được phép"
        case 429: heading = "Quá nhiều yêu cầu"
        case 503: heading = "Hệ thống đang bận"
        case 400..<500: heading = "Yêu cầu không hợp lệ"
        default: heading = "Lỗi hệ thống"
        }
        let page = ErrorPage(
            layout: LayoutVM.make(request, title: heading, admin: request.path.hasPrefix("/quan-tri")),
            status: Int(status.code), heading: heading, message: message, requestID: status.code >= 500 ? request.id : nil)
        let response = request.theme.render("error", page, status: status)
        for (name, value) in headers where name.lowercased() != "content-type" && name.lowercased() != "content-length" {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        return response
    }
}
