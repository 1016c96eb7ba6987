import EduCore
import EduData
import Fluent
import Vapor

/// Projects, tenders and purchases (A8.13): `/dau-thau` and each item in public; the unit's
/// list, form, documents and publishing in the admin.
struct ProcurementController {
    func register(public routes: any RoutesBuilder) {
        routes.get(SiteURL.procurement.routePath, use: list)
        routes.get(SiteURL.procurementItem(id: .key).routePath, use: show)
    }

    func register(admin units: UnitRoutes) {
        units.get(.adminProcurement(code: .key), requires: .submitContent, use: adminList)
        units.get(.adminProcurementNew(code: .key), requires: .submitContent, use: newForm)
        units.post(.adminProcurementNew(code: .key), requires: .submitContent, use: create)
        units.get(.adminProcurementItem(code: .key, id: .key), requires: .submitContent, use: edit)
        units.post(.adminProcurementItem(code: .key, id: .key), requires: .submitContent, use: update)
        units.post(.adminProcurementPublish(code: .key, id: .key), requires: .publishContent, use: publish)
        units.post(.adminProcurementFiles(code: .key, id: .key), requires: .submitContent, body: MediaController.uploadBody, use: attach)
    }

    @Sendable func list(req: Request) async throws -> Response {
        req.render(try await ProcurementListPage.query(req, unit: try req.requireUnit()))
    }

    @Sendable func show(req: Request) async throws -> Response {
        req.render(try await ProcurementItemPage.query(req, unit: try req.requireUnit()))
    }

    func item(_ req: Request, unit: ResolvedUnit) async throws -> ProcurementItem {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let item = try await ProcurementItem.query(in: unit, on: req.db).filter(\.$id == id).first() else { throw AppError.notFound }
        return item
    }

    func form(_ req: Request) -> [String: String] { (try? req.content.decode([String: String].self)) ?? [:] }

    @Sendable func adminList(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await ProcurementAdminPage.query(req, admin: admin, unit: unit))
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await ProcurementAdminPage.edit(req, admin: admin, unit: unit, item: nil, input: .init()))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let input = ProcurementService.Input(form: form(req))
        do {
            let item = try await ProcurementService.save(input, existing: nil, unit: unit, mayPublish: admin.may(.publishContent, on: unit),
                                                         by: req.actor(admin), who: admin.user.email, on: req.db)
            return req.redirect(to: SiteURL.adminProcurementItem(code: .value(unit.code), id: .value(try item.requireID().uuidString.lowercased())).path + "?ok=procurement-saved")
        } catch let errors as FormErrors {
            return req.render(try await ProcurementAdminPage.edit(req, admin: admin, unit: unit, item: nil, input: input, errors: errors), status: .unprocessableEntity)
        }
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let item = try await item(req, unit: unit)
        return req.render(try await ProcurementAdminPage.edit(req, admin: admin, unit: unit, item: item, input: .init(item)))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let item = try await item(req, unit: unit)
        let input = ProcurementService.Input(form: form(req))
        do {
            try await ProcurementService.save(input, existing: item, unit: unit, mayPublish: admin.may(.publishContent, on: unit),
                                              by: req.actor(admin), who: admin.user.email, on: req.db)
            return req.redirect(to: SiteURL.adminProcurement(code: .value(unit.code)).path + "?ok=procurement-saved")
        } catch let errors as FormErrors {
            return req.render(try await ProcurementAdminPage.edit(req, admin: admin, unit: unit, item: item, input: input, errors: errors), status: .unprocessableEntity)
        }
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let item = try await item(req, unit: unit)
        let published = form(req)["publish"] == "1"
        try await Publishing.set(item, published, unit: unit, by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminProcurement(code: .value(unit.code)).path + "?ok=" + (published ? "procurement-published" : "procurement-withdrawn"))
    }

    @Sendable func attach(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let item = try await item(req, unit: unit)
        let upload = try? req.content.decode(MediaController.UploadForm.self)
        do {
            try await AttachedFiles.attach(ProcurementFile.self, owner: try item.requireID(), bytes: upload?.file.map { Array($0.data.readableBytesView) } ?? [],
                                           originalName: upload?.file?.filename ?? "", title: upload?.title ?? "", unit: unit, by: req.actor(admin),
                                           audit: ("procurement.file", String(item.title.prefix(120))), config: req.config, on: req.db)
            return req.redirect(to: SiteURL.adminProcurementItem(code: .value(unit.code), id: .value(try item.requireID().uuidString.lowercased())).path + "?ok=file-attached")
        } catch let errors as FormErrors {
            return req.render(try await ProcurementAdminPage.edit(req, admin: admin, unit: unit, item: item, input: .init(item), uploadErrors: errors),
                              status: .unprocessableEntity)
        }
    }
}
