import EduCore
import EduData
import EduImport
import Fluent
import Vapor

/// Admission plans in the admin: created by the unit that runs them (a school, a commune
/// office or the Sở), their registrations listed to each school they name.
struct AdmissionAdminController {
    func register(_ units: UnitRoutes) {
        units.get(.adminAdmissions(code: .key), requires: .manageAdmissions, use: index)
        units.post(.adminAdmissions(code: .key), requires: .manageAdmissions, use: create)
        units.get(.adminAdmissionPlan(code: .key, id: .key), requires: .manageAdmissions, use: show)
        units.post(.adminAdmissionReview(code: .key, id: .key, registration: .key), requires: .manageAdmissions, use: review)
        units.get(.adminAdmissionExport(code: .key, id: .key, file: .key), requires: .manageAdmissions, use: export)
        units.post(.adminAdmissionStep(code: .key, id: .key, step: .key), requires: .manageAdmissions, body: Self.uploadBody, use: step)
        units.get(.adminAdmissionAttachment(code: .key, id: .key, registration: .key, file: .key), requires: .manageAdmissions, use: attachment)
    }

    static let uploadBody = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(value: 20 << 20))

    struct ScoreUpload: Content {
        var file: File?
    }

    /// The runner's steps after the review: `diem` (a score file), `phan-bo` (allocate), `cong-bo`
    /// (publish, with the confirmation ticked). Any other unit gets the refusal on its page.
    @Sendable func step(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let plan = try await plan(req, unit: unit)
        let base = SiteURL.adminAdmissionPlan(code: .value(unit.code), id: .value(try plan.requireID().uuidString.lowercased())).path
        do {
            switch req.parameters.get("step") ?? "" {
            case "diem":
                let file = (try? req.content.decode(ScoreUpload.self))?.file
                _ = try await AdmissionService.importScores(file.map { Array($0.data.readableBytesView) } ?? [], plan: plan, at: unit, by: req.actor(admin), on: req.db)
                return req.redirect(to: base + "?ok=admission-scores")
            case "phan-bo":
                _ = try await AdmissionService.allocate(plan, at: unit, by: req.actor(admin), on: req.db)
                return req.redirect(to: base + "?ok=admission-allocated")
            case "cong-bo":
                guard (try? req.content.get(String.self, at: "confirm")) == "on" else {
                    throw FormErrors(form: "Đánh dấu ô xác nhận đã kiểm tra kết quả phân bổ trước khi công bố.")
                }
                _ = try await AdmissionService.publish(plan, at: unit, statusURL: req.publicLinks.base(of: unit) + SiteURL.admissionStatus.path,
                                                       by: req.actor(admin), on: req.db)
                return req.redirect(to: base + "?ok=admission-published")
            default:
                throw AppError.notFound
            }
        } catch let errors as FormErrors {
            let message = errors.messagesWithoutFields.joined(separator: " ")
            return req.render(try await AdmissionPlanAdminPage.query(req, admin: admin, unit: unit, plan: plan, error: message), status: .unprocessableEntity)
        }
    }

    /// A file a parent attached, to staff who may see the registration: always downloaded, never
    /// shown inside the admin's origin; every opening audited (it is a child's document).
    @Sendable func attachment(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let plan = try await plan(req, unit: unit)
        guard let id = req.parameters.get("registration").flatMap(UUID.init(uuidString:)),
              let registration = try await AdmissionService.registrations(of: plan, visibleTo: unit.id, on: req.db).filter(\.$id == id).first(),
              let file = req.parameters.get("file"),
              let attachment = try await AdmissionAttachment.query(on: req.db).filter(\.$registrationID == id).filter(\.$storedName == file).first()
        else { throw AppError.notFound }
        let url = AdmissionService.attachmentURL(attachment, planID: try plan.requireID(), root: AdmissionService.attachmentsRoot(req.config))
        guard FileManager.default.fileExists(atPath: url.path) else { throw AppError.notFound }
        try await AuditEntry.record(req.actor(admin), unitID: unit.id, action: "admission.attachment", target: registration.trackingCode,
                                    detail: attachment.originalName, on: req.db)
        return try await req.privateDownload(url, contentType: attachment.mimeType, filename: attachment.originalName)
    }

    /// `ho-so.xlsx` or `ho-so.csv`: the registrations this unit may see.
    @Sendable func export(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let plan = try await plan(req, unit: unit)
        let file = req.parameters.get("file") ?? ""
        guard file == "ho-so.xlsx" || file == "ho-so.csv" else { throw AppError.notFound }
        let rows = try await AdmissionService.exportRows(of: plan, visibleTo: unit, by: req.actor(admin), on: req.db)
        var headers = HTTPHeaders()
        let body: Response.Body
        if file.hasSuffix(".csv") {
            headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            body = .init(string: AdmissionService.csv(rows))
        } else {
            headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            body = .init(data: try XLSXWriter.workbook(sheetName: "Hồ sơ", rows: rows.map { $0.map { XLSXWriter.Cell.text($0) } }))
        }
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"ho-so-\(unit.code).\(file.hasSuffix(".csv") ? "csv" : "xlsx")\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: body)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await AdmissionsAdminPage.query(req, admin: admin, unit: unit))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let input = AdmissionService.PlanInput(form: (try? req.content.decode([String: String].self)) ?? [:])
        do {
            let plan = try await AdmissionService.createPlan(input, owner: unit, by: req.actor(admin), on: req.db)
            return req.redirect(to: SiteURL.adminAdmissionPlan(code: .value(unit.code), id: .value(try plan.requireID().uuidString.lowercased())).path)
        } catch let errors as FormErrors {
            return req.render(try await AdmissionsAdminPage.query(req, admin: admin, unit: unit, input: input, errors: errors), status: .unprocessableEntity)
        }
    }

    func plan(_ req: Request, unit: ResolvedUnit) async throws -> AdmissionPlan {
        guard let plan = try await AdmissionService.plan(req.parameters.get("id").flatMap(UUID.init(uuidString:)), shownAt: unit.id, on: req.db)
        else { throw AppError.notFound }
        return plan
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await AdmissionPlanAdminPage.query(req, admin: admin, unit: unit, plan: try await plan(req, unit: unit)))
    }

    /// A decision on one registration the unit may see; another plan's or one it may not see is 404.
    @Sendable func review(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let plan = try await plan(req, unit: unit)
        guard let id = req.parameters.get("registration").flatMap(UUID.init(uuidString:)),
              let registration = try await AdmissionService.registrations(of: plan, visibleTo: unit.id, on: req.db).filter(\.$id == id).first()
        else { throw AppError.notFound }
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let base = SiteURL.adminAdmissionPlan(code: .value(unit.code), id: .value(try plan.requireID().uuidString.lowercased())).path
        guard let decision = AdmissionService.Decision(rawValue: form["decision"] ?? "") else {
            return req.render(try await AdmissionPlanAdminPage.query(req, admin: admin, unit: unit, plan: plan, error: "Chọn kết quả xét hồ sơ."), status: .unprocessableEntity)
        }
        do {
            try await AdmissionService.review(registration, decision: decision, reason: form["reason"] ?? "", plan: plan, at: unit,
                                              statusURL: req.publicLinks.base(of: unit) + SiteURL.admissionStatus.path, by: req.actor(admin), on: req.db)
            return req.redirect(to: base + "?ok=admission-reviewed")
        } catch let errors as FormErrors {
            return req.render(try await AdmissionPlanAdminPage.query(req, admin: admin, unit: unit, plan: plan,
                                                                      error: "\(registration.trackingCode): " + errors.messagesWithoutFields.joined(separator: " ")),
                              status: .unprocessableEntity)
        }
    }
}
