import EduCore
import EduData
import Fluent
import Vapor

/// The administrative procedures catalogue (A8.4): `/thu-tuc-hanh-chinh` and each procedure in
/// public; the unit's list, form, forms to download, publishing and import in the admin.
struct ProcedureController {
    func register(public routes: any RoutesBuilder) {
        routes.get(SiteURL.procedures.routePath, use: list)
        routes.get(SiteURL.procedure(id: .key).routePath, use: show)
    }

    func register(admin units: UnitRoutes) {
        units.get(.adminProcedures(code: .key), requires: .submitContent, use: adminList)
        units.get(.adminProcedureTemplate(code: .key), requires: .submitContent, use: template)
        units.post(.adminProcedureImport(code: .key), requires: .submitContent, body: .collect(maxSize: ByteCount(value: 10 << 20)), use: importFile)
        units.get(.adminProcedureNew(code: .key), requires: .submitContent, use: newForm)
        units.post(.adminProcedureNew(code: .key), requires: .submitContent, use: create)
        units.get(.adminProcedure(code: .key, id: .key), requires: .submitContent, use: edit)
        units.post(.adminProcedure(code: .key, id: .key), requires: .submitContent, use: update)
        units.post(.adminProcedurePublish(code: .key, id: .key), requires: .publishContent, use: publish)
        units.post(.adminProcedureFiles(code: .key, id: .key), requires: .submitContent, body: MediaController.uploadBody, use: attach)
    }

    @Sendable func list(req: Request) async throws -> Response {
        req.render(try await ProceduresPage.query(req, unit: try req.requireUnit()))
    }

    @Sendable func show(req: Request) async throws -> Response {
        req.render(try await ProcedurePage.query(req, unit: try req.requireUnit()))
    }

    /// The unit's procedure named in the path; another unit's is not found.
    func procedure(_ req: Request, unit: ResolvedUnit) async throws -> Procedure {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let procedure = try await Procedure.query(in: unit, on: req.db).filter(\.$id == id).first() else { throw AppError.notFound }
        return procedure
    }

    func form(_ req: Request) -> [String: String] { (try? req.content.decode([String: String].self)) ?? [:] }

    @Sendable func adminList(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await ProceduresAdminPage.query(req, admin: admin, unit: unit))
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await ProcedureEditPage.query(req, admin: admin, unit: unit, procedure: nil, input: .init()))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let input = ProcedureService.Input(form: form(req))
        do {
            let procedure = try await ProcedureService.save(input, existing: nil, unit: unit, mayPublish: admin.may(.publishContent, on: unit),
                                                            by: req.actor(admin), who: admin.user.email, on: req.db)
            return req.redirect(to: SiteURL.adminProcedure(code: .value(unit.code), id: .value(try procedure.requireID().uuidString.lowercased())).path + "?ok=procedure-saved")
        } catch let errors as FormErrors {
            return req.render(try await ProcedureEditPage.query(req, admin: admin, unit: unit, procedure: nil, input: input, errors: errors), status: .unprocessableEntity)
        }
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let procedure = try await procedure(req, unit: unit)
        return req.render(try await ProcedureEditPage.query(req, admin: admin, unit: unit, procedure: procedure, input: .init(procedure)))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let procedure = try await procedure(req, unit: unit)
        let input = ProcedureService.Input(form: form(req))
        do {
            try await ProcedureService.save(input, existing: procedure, unit: unit, mayPublish: admin.may(.publishContent, on: unit),
                                            by: req.actor(admin), who: admin.user.email, on: req.db)
            return req.redirect(to: SiteURL.adminProcedures(code: .value(unit.code)).path + "?ok=procedure-saved")
        } catch let errors as FormErrors {
            return req.render(try await ProcedureEditPage.query(req, admin: admin, unit: unit, procedure: procedure, input: input, errors: errors),
                              status: .unprocessableEntity)
        }
    }

    @Sendable func publish(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let procedure = try await procedure(req, unit: unit)
        let published = form(req)["publish"] == "1"
        try await Publishing.set(procedure, published, unit: unit, by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminProcedures(code: .value(unit.code)).path + "?ok=" + (published ? "procedure-published" : "procedure-withdrawn"))
    }

    @Sendable func attach(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let procedure = try await procedure(req, unit: unit)
        let upload = try? req.content.decode(MediaController.UploadForm.self)
        do {
            try await ProcedureService.attach(upload?.file.map { Array($0.data.readableBytesView) } ?? [], originalName: upload?.file?.filename ?? "",
                                              title: upload?.title ?? "", to: procedure, unit: unit, by: req.actor(admin), config: req.config, on: req.db)
            return req.redirect(to: SiteURL.adminProcedure(code: .value(unit.code), id: .value(try procedure.requireID().uuidString.lowercased())).path + "?ok=file-attached")
        } catch let errors as FormErrors {
            return req.render(try await ProcedureEditPage.query(req, admin: admin, unit: unit, procedure: procedure, input: .init(procedure), uploadErrors: errors),
                              status: .unprocessableEntity)
        }
    }

    @Sendable func template(req: Request) async throws -> Response {
        let (_, unit) = try req.scoped()
        return .xlsx(try ProcedureService.template(), filename: "thu-tuc-hanh-chinh-\(unit.code)")
    }

    struct Upload: Content {
        var file: File?
        var publish: String?
    }

    @Sendable func importFile(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let upload = try? req.content.decode(Upload.self)
        let publish = upload?.publish != nil && admin.may(.publishContent, on: unit)
        do {
            let summary = try await ProcedureService.importFile(upload?.file.map { Array($0.data.readableBytesView) } ?? [], unit: unit, publish: publish,
                                                                by: req.actor(admin), who: admin.user.email, on: req.db)
            return req.redirect(to: SiteURL.adminProcedures(code: .value(unit.code)).path + "?ok=procedure-imported&them=\(summary.added)&sua=\(summary.updated)")
        } catch let errors as FormErrors {
            return req.render(try await ProceduresAdminPage.query(req, admin: admin, unit: unit, importErrors: errors), status: .unprocessableEntity)
        }
    }
}
