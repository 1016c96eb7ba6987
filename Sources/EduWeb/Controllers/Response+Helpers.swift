import Vapor

/// Small response shapes the controllers share.
extension Response {
    /// Marks a personal answer as never to be stored by a cache.
    func noStore() -> Response {
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return self
    }

    /// A JSON body built elsewhere; `no-store` unless told otherwise.
    static func json(_ status: HTTPResponseStatus, _ body: String, cache: String = "no-store") -> Response {
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: "application/json; charset=utf-8")
        headers.add(name: .cacheControl, value: cache)
        return Response(status: status, headers: headers, body: .init(string: body))
    }

    /// A workbook to download as `filename` (`.xlsx` added); `no-store` unless told otherwise (nil: no rule).
    static func xlsx(_ data: Data, filename: String, cache: String? = "no-store") -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename).xlsx\"")
        if let cache { headers.replaceOrAdd(name: .cacheControl, value: cache) }
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
