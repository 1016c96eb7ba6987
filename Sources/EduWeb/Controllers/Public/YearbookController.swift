import EduCore
import EduData
import Fluent
import Vapor

/// The statistics yearbook (A8.8, A9.9): `/thong-ke` and its CSV on every portal; the admin's
/// periods, filing status and a school's entry form.
struct YearbookController {
    func register(public routes: any RoutesBuilder) {
        routes.get(SiteURL.yearbook.routePath, use: show)
        routes.get(SiteURL.yearbookCSV.routePath, use: csv)
        routes.get(SiteURL.yearbookXLSX.routePath, use: xlsx)
    }

    func register(admin units: UnitRoutes) {
        units.get(.adminYearbook(code: .key), requires: .viewUnit, use: adminPage)
        units.post(.adminYearbook(code: .key), requires: .editUnit, use: createPeriod)
        units.get(.adminYearbookPeriod(code: .key, period: .key), requires: .editUnit, use: entryForm)
        units.post(.adminYearbookPeriod(code: .key, period: .key), requires: .editUnit, use: save)
        units.get(.adminYearbookTemplate(code: .key, period: .key), requires: .editUnit, use: template)
        units.post(.adminYearbookImport(code: .key), requires: .editUnit, body: .collect(maxSize: ByteCount(value: 10 << 20)), use: importFile)
    }

    @Sendable func show(req: Request) async throws -> Response {
        req.render(try await YearbookPage.query(req, unit: try req.requireUnit()))
    }

    @Sendable func csv(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let response = Response(status: .ok, body: .init(string: try await YearbookPage.csv(req, unit: unit)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"nien-giam-\(unit.code).csv\"")
        return response
    }

    @Sendable func xlsx(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        // Public figures: no cache rule of their own (the page cache's apply).
        return .xlsx(try await YearbookPage.xlsx(req, unit: unit), filename: "nien-giam-\(unit.code)", cache: nil)
    }

    @Sendable func adminPage(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await YearbookAdminPage.query(req, admin: admin, unit: unit))
    }

    @Sendable func createPeriod(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let input = YearbookService.PeriodInput(form: (try? req.content.decode([String: String].self)) ?? [:])
        do {
            _ = try await YearbookService.createPeriod(input, unit: unit, by: req.actor(admin), on: req.db)
            return req.redirect(to: SiteURL.adminYearbook(code: .value(unit.code)).path + "?ok=yearbook-period")
        } catch let errors as FormErrors {
            return req.render(try await YearbookAdminPage.query(req, admin: admin, unit: unit, input: input, errors: errors), status: .unprocessableEntity)
        }
    }

    func period(_ req: Request) async throws -> YearbookPeriod {
        guard let id = req.parameters.get("period").flatMap(UUID.init(uuidString:)), let period = try await YearbookPeriod.find(id, on: req.db) else {
            throw AppError.notFound
        }
        return period
    }

    @Sendable func entryForm(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard !YearbookLevel.levels(of: unit.type).isEmpty else { throw AppError.notFound }
        return req.render(try await YearbookPage.entryForm(req, admin: admin, unit: unit, period: try await period(req)))
    }

    @Sendable func save(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let period = try await period(req)
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        do {
            try await YearbookService.save(form, unit: unit, period: period, by: req.actor(admin), who: admin.user.email, on: req.db)
            return req.redirect(to: SiteURL.adminYearbook(code: .value(unit.code)).path + "?ok=yearbook-saved")
        } catch let errors as FormErrors {
            return req.render(try await YearbookPage.entryForm(req, admin: admin, unit: unit, period: period, typed: form, errors: errors),
                              status: .unprocessableEntity)
        }
    }

    @Sendable func template(req: Request) async throws -> Response {
        let (_, unit) = try req.scoped()
        let period = try await period(req)
        return .xlsx(try await YearbookService.template(for: unit, period: period, on: req.db), filename: "nien-giam-\(unit.code)-\(period.schoolYear)-\(period.kind)")
    }

    struct Upload: Content {
        var period: String?
        var file: File?
    }

    @Sendable func importFile(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let upload = try? req.content.decode(Upload.self)
        do {
            guard let id = upload?.period.flatMap(UUID.init(uuidString:)), let period = try await YearbookPeriod.find(id, on: req.db) else {
                throw FormErrors.field("period", "Chọn kỳ báo cáo.")
            }
            let count = try await YearbookService.importFile(upload?.file.map { Array($0.data.readableBytesView) } ?? [], unit: unit, period: period,
                                                             by: req.actor(admin), who: admin.user.email, on: req.db)
            return req.redirect(to: SiteURL.adminYearbook(code: .value(unit.code)).path + "?ok=yearbook-imported&so=\(count)")
        } catch let errors as FormErrors {
            return req.render(try await YearbookAdminPage.query(req, admin: admin, unit: unit, importErrors: errors, importPeriod: upload?.period ?? ""),
                              status: .unprocessableEntity)
        }
    }
}
