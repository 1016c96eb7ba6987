import Vapor

/// A page: a plain model that Mustache reads by reflection (stored properties only, never a
/// Fluent model) and that names its own template. Each lives in `Views/<Page>/` with the query
/// that builds it; a handler only ever calls `req.render(model)`.
protocol PageView {
    static var template: String { get }
}

extension Request {
    func render<Page: PageView>(_ page: Page, status: HTTPResponseStatus = .ok) -> Response {
        theme.render(Page.template, page, status: status)
    }
}
