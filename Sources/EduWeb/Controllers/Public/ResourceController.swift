import EduCore
import EduData
import Fluent
import Vapor

/// The digital resource library (A8.9, A9.10): `/tai-nguyen` and each item in public, the unit's
/// items as JSON for the libraries below it (`GET /api/v1/resources`), and in the admin a
/// teacher's contribution through the editorial workflow.
struct ResourceController {
    func register(public routes: any RoutesBuilder) {
        routes.get(SiteURL.resources.routePath, use: list)
        routes.get(SiteURL.resource(id: .key).routePath, use: show)
        routes.get(SiteURL.apiResources.routePath, use: api)
    }

    func register(admin units: UnitRoutes) {
        units.get(.adminResources(code: .key), requires: .submitContent, use: adminList)
        units.get(.adminResourceNew(code: .key), requires: .submitContent, use: newForm)
        units.post(.adminResourceNew(code: .key), requires: .submitContent, body: MediaController.uploadBody, use: create)
        units.get(.adminResource(code: .key, id: .key), requires: .submitContent, use: edit)
        units.post(.adminResource(code: .key, id: .key), requires: .submitContent, body: MediaController.uploadBody, use: update)
        units.post(.adminResourceTransition(code: .key, id: .key), requires: .submitContent, use: transition)
    }

    @Sendable func list(req: Request) async throws -> Response {
        req.render(try await ResourcesPage.query(req, unit: try req.requireUnit()))
    }

    @Sendable func show(req: Request) async throws -> Response {
        req.render(try await ResourcePage.query(req, unit: try req.requireUnit()))
    }

    /// `GET /api/v1/resources?q=&mon=&lop=&loai=&so=&trang=`: the host's unit's public items, newest first.
    @Sendable func api(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let parameters = QueryString.parse(req.url.query ?? "")
        // The API says what is wrong with a parameter rather than guessing (the pages are lenient).
        if let problem = QueryString.problem(req.url.query ?? "") { throw AppError(.badRequest, problem) }
        func number(_ name: String, _ range: ClosedRange<Int>, default value: Int?, _ label: String) throws -> Int? {
            guard let text = parameters[name] else { return value }
            guard let number = Int(text), range.contains(number) else {
                throw AppError(.badRequest, "Tham số «\(name)» (\(label)) phải là số nguyên từ \(range.lowerBound) đến \(range.upperBound).")
            }
            return number
        }
        let size = try number("so", 1...50, default: 20, "số mục mỗi trang")!
        let page = try number("trang", 1...10_000, default: 1, "trang")!
        _ = try number("lop", 0...12, default: nil, "lớp")
        let listing = try await ResourceService.listing(of: unit, filter: ResourceService.Filter(parameters), range: (page - 1) * size..<(page * size),
                                                        base: req.publicLinks.base(of: unit), on: req.db)
        let response = Response(status: .ok, body: .init(data: try ResourceFederation.encoder.encode(listing)))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        return response
    }

    @Sendable func adminList(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await ResourcesAdminPage.query(req, admin: admin, unit: unit))
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await ResourceEditPage.query(req, admin: admin, unit: unit, resource: nil, input: .init()))
    }

    struct Upload: Content {
        var file: File?
    }

    func save(_ req: Request, admin: AdminContext, unit: ResolvedUnit, resource: LearningResource?) async throws -> Response {
        let input = ResourceService.Input(form: (try? req.content.decode([String: String].self)) ?? [:])
        let upload = try? req.content.decode(Upload.self)
        let file = upload?.file.flatMap { $0.data.readableBytes > 0 ? (bytes: Array($0.data.readableBytesView), name: $0.filename) : nil }
        do {
            let saved = try await ResourceService.save(input, file: file, existing: resource, unit: unit, by: req.actor(admin), config: req.config, on: req.db)
            return req.redirect(to: SiteURL.adminResource(code: .value(unit.code), id: .value(try saved.requireID().uuidString.lowercased())).path + "?ok=resource-saved")
        } catch let errors as FormErrors {
            return req.render(try await ResourceEditPage.query(req, admin: admin, unit: unit, resource: resource, input: input, errors: errors), status: .unprocessableEntity)
        }
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return try await save(req, admin: admin, unit: unit, resource: nil)
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let (admin, unit, resource) = try await req.scopedItem(LearningResource.self)
        return req.render(try await ResourceEditPage.query(req, admin: admin, unit: unit, resource: resource, input: .init(resource)))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let (admin, unit, resource) = try await req.scopedItem(LearningResource.self)
        guard admin.mayEdit(resource, in: unit) else {
            throw AppError(.forbidden, "Tài nguyên đang ở trạng thái «\(resource.state.label)»; bạn không được sửa lúc này.")
        }
        return try await save(req, admin: admin, unit: unit, resource: resource)
    }

    @Sendable func transition(req: Request) async throws -> Response {
        let (admin, unit, resource) = try await req.scopedItem(LearningResource.self)
        let path = SiteURL.adminResource(code: .value(unit.code), id: .value(try resource.requireID().uuidString.lowercased())).path
        if let error = try await WorkflowVM.handle(req, item: resource, admin: admin, unit: unit, adminPath: path) {
            return req.render(try await ResourceEditPage.query(req, admin: admin, unit: unit, resource: resource, input: .init(resource), transitionError: error),
                              status: .unprocessableEntity)
        }
        return req.redirect(to: path + "?ok=resource-moved")
    }
}
