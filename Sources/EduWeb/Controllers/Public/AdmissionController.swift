import EduCore
import EduData
import Fluent
import Vapor

/// Online admission on the public portal (A9.4): the plans, the form, the receipt (shown only
/// after the registration has committed) and the status page by tracking code and birth date.
struct AdmissionController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.admissions.routePath, use: index)
        routes.get(SiteURL.admissionStatus.routePath, use: status)
        routes.post(SiteURL.admissionChoices.routePath, use: changeChoices)
        routes.get(SiteURL.admissionPlan(id: .key).routePath, use: plan)
        routes.get(SiteURL.admissionRegister(id: .key).routePath, use: form)
        routes.get(SiteURL.admissionResults(id: .key).routePath, use: results)
        // Streamed: the body (up to the attachments' limit) is read only after the rate limit passed.
        routes.on(.POST, SiteURL.admissionRegister(id: .key).routePath, body: .stream, use: submit)
    }

    /// The largest body the form may send: its files at their limit and the text.
    static let maxFormBytes = AdmissionService.maxAttachments * AdmissionService.maxAttachmentBytes + (1 << 20)

    /// Registrations, status lookups and changes count against the lookup limits of the
    /// client's address (their own counters): 429 with `Retry-After` past them.
    func limit(_ req: Request) throws {
        let limiter = req.application.lookupLimiter
        guard limiter.perMinute > 0,
              let wait = limiter.check(ClientAddress.limitKeys(req.clientAddress).map { (key: "tuyen-sinh:" + $0.key, factor: $0.factor) })
        else { return }
        var error = AppError(.tooManyRequests, "Có quá nhiều lượt gửi từ địa chỉ mạng của bạn. Vui lòng thử lại sau \(wait) giây.")
        error.headers = ["Retry-After": String(wait)]
        throw error
    }

    @Sendable func index(req: Request) async throws -> Response {
        req.render(try await AdmissionsPage.query(req, unit: try req.requireUnit()))
    }

    /// The plan named in the path, if this portal shows it (its own, or one giving it a quota).
    func plan(_ req: Request, unit: ResolvedUnit) async throws -> AdmissionPlan {
        guard let plan = try await AdmissionService.plan(req.parameters.get("id").flatMap(UUID.init(uuidString:)), shownAt: unit.id, on: req.db)
        else { throw AppError.notFound }
        return plan
    }

    @Sendable func plan(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        return req.render(try await AdmissionPlanPage.query(req, unit: unit, plan: try await plan(req, unit: unit)))
    }

    @Sendable func results(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let plan = try await plan(req, unit: unit)
        let page = try await AdmissionResultsPage.query(req, unit: unit, plan: plan)
        return req.render(page, status: page.shown || plan.publishedAt == nil ? .ok : .gone)
    }

    @Sendable func form(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let plan = try await plan(req, unit: unit)
        return req.render(try await AdmissionRegisterPage.query(req, unit: unit, plan: plan, input: .init()))
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        // The plan's rules from memory (deadline day's busiest path); a plan this portal does not show is 404.
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let rules = try await req.application.admissionRules.rules(id, on: req.db), rules.shownAt.contains(unit.id)
        else { throw AppError.notFound }
        try limit(req)
        let form = try await SubmittedForm.read(req, max: Self.maxFormBytes, tooLarge:
            "Đơn đăng ký quá lớn: mỗi tệp đính kèm tối đa \(AdmissionService.maxAttachmentBytes >> 20) MB, tối đa \(AdmissionService.maxAttachments) tệp.")
        let input = AdmissionService.RegistrationInput(form: form.fields, maxChoices: rules.maxChoices)
        do {
            let statusURL = req.publicLinks.base(of: unit) + SiteURL.admissionStatus.path
            let registration = try await AdmissionService.register(input, rules: rules, statusURL: statusURL, attachments: form.files,
                                                                   attachmentsRoot: AdmissionService.attachmentsRoot(req.config), on: req.db)
            let response = req.render(AdmissionReceiptPage(
                layout: LayoutVM.make(req, title: "Đã nhận đơn đăng ký", admin: false), trackingCode: registration.trackingCode,
                pupilName: registration.pupilName, planTitle: rules.title, storedAt: VietnameseDate.dateTime(registration.createdAt),
                emailed: !registration.parentEmail.isEmpty, statusURL: SiteURL.admissionStatus.path))
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        } catch let errors as FormErrors {
            // The form again, as typed (the refusal is rare: read the plan for the full page).
            return req.render(try await AdmissionRegisterPage.query(req, unit: unit, plan: try await plan(req, unit: unit), input: input, errors: errors),
                              status: .unprocessableEntity)
        }
    }

    @Sendable func status(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        if !req.textParameter("ma").isEmpty { try limit(req) }
        let response = req.render(try await AdmissionStatusPage.query(req, unit: unit, code: req.textParameter("ma"), birth: req.textParameter("ngay-sinh")))
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable func changeChoices(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        try limit(req)
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let code = TextNormalizer.normalize(form["ma"] ?? "", maxLength: 20), birth = TextNormalizer.normalize(form["ngay-sinh"] ?? "", maxLength: 10)
        guard let registration = try await AdmissionService.find(trackingCode: code, birthDate: birth, on: req.db),
              let plan = try await AdmissionService.plan(registration.planID, shownAt: unit.id, on: req.db)
        else { throw AppError.notFound }
        let choices = AdmissionService.RegistrationInput.choices(form: form, maxChoices: plan.maxChoices)
        var page: AdmissionStatusPage
        var status = HTTPResponseStatus.ok
        do {
            try await AdmissionService.changeChoices(choices, of: registration, plan: plan, on: req.db)
            page = try await AdmissionStatusPage.query(req, unit: unit, code: code, birth: birth, changed: true)
        } catch let errors as FormErrors {
            page = try await AdmissionStatusPage.query(req, unit: unit, code: code, birth: birth, changeInput: choices, changeErrors: errors)
            status = .unprocessableEntity
        }
        let response = req.render(page, status: status)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
