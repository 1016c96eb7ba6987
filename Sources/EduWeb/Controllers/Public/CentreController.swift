import EduCore
import EduData
import Fluent
import Vapor

/// Foreign-language and IT centres (A8.16, a Sở's portal): `/trung-tam` in public; the Sở's list,
/// form and import in the admin, kept by its editorial heads and admins.
struct CentreController {
    func register(public routes: any RoutesBuilder) {
        routes.get(SiteURL.centres.routePath, use: list)
    }

    func register(admin units: UnitRoutes) {
        units.get(.adminCentres(code: .key), requires: .publishContent, use: adminList)
        units.get(.adminCentreTemplate(code: .key), requires: .publishContent, use: template)
        units.post(.adminCentreImport(code: .key), requires: .publishContent, body: .collect(maxSize: ByteCount(value: 10 << 20)), use: importFile)
        units.get(.adminCentreNew(code: .key), requires: .publishContent, use: newForm)
        units.post(.adminCentreNew(code: .key), requires: .publishContent, use: create)
        units.get(.adminCentre(code: .key, id: .key), requires: .publishContent, use: edit)
        units.post(.adminCentre(code: .key, id: .key), requires: .publishContent, use: update)
    }

    @Sendable func list(req: Request) async throws -> Response {
        req.render(try await CentresPage.query(req, unit: try req.requireUnit()))
    }

    func centre(_ req: Request, unit: ResolvedUnit) async throws -> Centre {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let centre = try await Centre.query(in: unit, on: req.db).filter(\.$id == id).first() else { throw AppError.notFound }
        return centre
    }

    func form(_ req: Request) -> [String: String] { (try? req.content.decode([String: String].self)) ?? [:] }

    @Sendable func adminList(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await CentresAdminPage.query(req, admin: admin, unit: unit))
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard unit.type == .so else { throw AppError.notFound }
        return req.render(try await CentresAdminPage.form(req, admin: admin, unit: unit, centre: nil, input: .init()))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard unit.type == .so else { throw AppError.notFound }
        let input = CentreService.Input(form: form(req))
        do {
            try await CentreService.save(input, existing: nil, unit: unit, by: req.actor(admin), who: admin.user.email, on: req.db)
            return req.redirect(to: SiteURL.adminCentres(code: .value(unit.code)).path + "?ok=centre-saved")
        } catch let errors as FormErrors {
            return req.render(try await CentresAdminPage.form(req, admin: admin, unit: unit, centre: nil, input: input, errors: errors), status: .unprocessableEntity)
        }
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let centre = try await centre(req, unit: unit)
        return req.render(try await CentresAdminPage.form(req, admin: admin, unit: unit, centre: centre, input: .init(centre)))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let centre = try await centre(req, unit: unit)
        let input = CentreService.Input(form: form(req))
        do {
            try await CentreService.save(input, existing: centre, unit: unit, by: req.actor(admin), who: admin.user.email, on: req.db)
            return req.redirect(to: SiteURL.adminCentres(code: .value(unit.code)).path + "?ok=centre-saved")
        } catch let errors as FormErrors {
            return req.render(try await CentresAdminPage.form(req, admin: admin, unit: unit, centre: centre, input: input, errors: errors), status: .unprocessableEntity)
        }
    }

    @Sendable func template(req: Request) async throws -> Response {
        let (_, unit) = try req.scoped()
        guard unit.type == .so else { throw AppError.notFound }
        return .xlsx(try CentreService.sheet.template(
            sheetName: "Trung tâm", note: "Trung tâm ngoại ngữ, tin học – mỗi trung tâm một dòng; ngày dd/mm/yyyy; tình trạng: Đang hoạt động, Đình chỉ hoặc Chấm dứt."),
            filename: "trung-tam-\(unit.code)")
    }

    @Sendable func importFile(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        do {
            let summary = try await CentreService.importFile(req.uploadedFileBytes, unit: unit,
                                                             by: req.actor(admin), who: admin.user.email, on: req.db)
            return req.redirect(to: SiteURL.adminCentres(code: .value(unit.code)).path + "?ok=centre-imported&them=\(summary.added)&sua=\(summary.updated)")
        } catch let errors as FormErrors {
            return req.render(try await CentresAdminPage.query(req, admin: admin, unit: unit, importErrors: errors), status: .unprocessableEntity)
        }
    }
}
