import EduCore
import EduData
import Fluent
import Vapor

/// Consultations (A8.1b, A10.5): the public lists, the draft with its comments and the comment
/// form; the admin's list, creation, moderation and summary (`publishContent` holders).
struct ConsultationController {
    func register(public routes: any RoutesBuilder) {
        routes.get(SiteURL.consultations.routePath, use: list)
        routes.get(SiteURL.consultation(id: .key).routePath, use: show)
        // Streamed: the body (up to the attachment's limit) is read only after the consultation is found.
        routes.on(.POST, SiteURL.consultation(id: .key).routePath, body: .stream, use: comment)
    }

    func register(admin units: UnitRoutes) {
        units.get(.adminConsultations(code: .key), requires: .publishContent, use: adminList)
        units.post(.adminConsultations(code: .key), requires: .publishContent, use: create)
        units.get(.adminConsultation(code: .key, id: .key), requires: .publishContent, use: moderation)
        units.post(.adminConsultationComment(code: .key, id: .key, comment: .key, step: .key), requires: .publishContent, use: moderate)
        units.post(.adminConsultationSummary(code: .key, id: .key), requires: .publishContent, use: summary)
        units.get(.adminConsultationFile(code: .key, id: .key, comment: .key, file: .key), requires: .publishContent, use: attachment)
    }

    /// `…/gop-y/<comment>/tep/<file>`: a comment's file, to the unit's staff only, always downloaded.
    @Sendable func attachment(req: Request) async throws -> Response {
        let (_, unit) = try req.scoped()
        let consultation = try await consultation(req, unit: unit)
        guard let commentID = req.parameters.get("comment").flatMap(UUID.init(uuidString:)),
              let fileID = req.parameters.get("file").flatMap(UUID.init(uuidString:)),
              try await ConsultationComment.query(on: req.db).filter(\.$id == commentID).filter(\.$consultationID == consultation.requireID()).first() != nil,
              let file = try await ConsultationFile.query(on: req.db).filter(\.$id == fileID).filter(\.$commentID == commentID).first()
        else { throw AppError.notFound }
        let url = ConsultationService.attachmentsRoot(req.config).appendingPathComponent(try consultation.requireID().uuidString.lowercased())
            .appendingPathComponent(file.storedName)
        guard FileManager.default.fileExists(atPath: url.path) else { throw AppError.notFound }
        return try await req.privateDownload(url, contentType: file.mime, filename: file.name)
    }

    func consultation(_ req: Request, unit: ResolvedUnit) async throws -> Consultation {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let consultation = try await Consultation.query(in: unit, on: req.db).filter(\.$id == id).first()
        else { throw AppError.notFound }
        return consultation
    }

    @Sendable func list(req: Request) async throws -> Response {
        req.render(try await ConsultationsPage.query(req, unit: try req.requireUnit()))
    }

    @Sendable func show(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        return req.render(try await ConsultationPage.query(req, unit: unit, consultation: try await consultation(req, unit: unit)))
    }

    @Sendable func comment(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let consultation = try await consultation(req, unit: unit)
        let submitted = try await SubmittedForm.read(req, max: ConsultationService.maxAttachmentBytes + (1 << 20),
                                                     tooLarge: "Góp ý quá lớn: tệp đính kèm tối đa \(ConsultationService.maxAttachmentBytes >> 20) MB.")
        let form = submitted.fields
        let input = ConsultationService.CommentInput(form: form)
        if !(form["website"] ?? "").isEmpty {  // a robot: answered as if all went well, nothing kept
            return req.render(try await ConsultationPage.query(req, unit: unit, consultation: consultation, sent: true))
        }
        let response: Response
        do {
            _ = try await ConsultationService.comment(input, on: consultation, proof: .init(token: form["pow-token"] ?? "", nonce: form["pow-nonce"] ?? ""),
                                                      key: req.serverKey, addressKey: ClientAddress.rateLimitKey(req.clientAddress),
                                                      attachment: submitted.files.first, attachmentsRoot: ConsultationService.attachmentsRoot(req.config), on: req.db)
            response = req.render(try await ConsultationPage.query(req, unit: unit, consultation: consultation, sent: true))
        } catch let errors as FormErrors {
            response = req.render(try await ConsultationPage.query(req, unit: unit, consultation: consultation, input: input, errors: errors), status: errors.status)
        }
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable func adminList(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await ConsultationsAdminPage.query(req, admin: admin, unit: unit))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let input = ConsultationService.Input(form: (try? req.content.decode([String: String].self)) ?? [:])
        do {
            let consultation = try await ConsultationService.create(input, unit: unit, by: req.actor(admin), on: req.db)
            return req.redirect(to: SiteURL.adminConsultation(code: .value(unit.code), id: .value(try consultation.requireID().uuidString.lowercased())).path + "?ok=consultation-created")
        } catch let errors as FormErrors {
            return req.render(try await ConsultationsAdminPage.query(req, admin: admin, unit: unit, input: input, errors: errors), status: .unprocessableEntity)
        }
    }

    @Sendable func moderation(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await ConsultationAdminPage.query(req, admin: admin, unit: unit, consultation: try await consultation(req, unit: unit)))
    }

    @Sendable func moderate(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let consultation = try await consultation(req, unit: unit)
        guard let id = req.parameters.get("comment").flatMap(UUID.init(uuidString:)),
              let comment = try await ConsultationComment.query(on: req.db).filter(\.$id == id).filter(\.$consultationID == consultation.requireID()).first(),
              let step = ConsultationService.Moderation(rawValue: req.parameters.get("step") ?? "")
        else { throw AppError.notFound }
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let page = SiteURL.adminConsultation(code: .value(unit.code), id: .value(try consultation.requireID().uuidString.lowercased())).path
        do {
            try await ConsultationService.moderate(comment, step: step, form: form, consultation: consultation, unit: unit, by: req.actor(admin), on: req.db)
            return req.redirect(to: page + "?ok=consultation-moderated")
        } catch let errors as FormErrors {
            return req.render(try await ConsultationAdminPage.query(req, admin: admin, unit: unit, consultation: consultation, errors: errors), status: .unprocessableEntity)
        }
    }

    @Sendable func summary(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let consultation = try await consultation(req, unit: unit)
        let text = (try? req.content.get(String.self, at: "summary")) ?? ""
        do {
            try await ConsultationService.publishSummary(consultation, text: text, unit: unit, by: req.actor(admin), on: req.db)
            return req.redirect(to: SiteURL.adminConsultation(code: .value(unit.code), id: .value(try consultation.requireID().uuidString.lowercased())).path + "?ok=consultation-summary")
        } catch let errors as FormErrors {
            return req.render(try await ConsultationAdminPage.query(req, admin: admin, unit: unit, consultation: consultation, errors: errors, summary: text),
                              status: .unprocessableEntity)
        }
    }
}
