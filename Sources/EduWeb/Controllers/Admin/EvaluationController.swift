import EduCore
import EduData
import Fluent
import Vapor

/// Inspection, evaluation and ranking (A16): the evaluator's criteria, rounds, automatic and
/// inspectors' scores, steps and export in the admin; each evaluated unit's own results and
/// response; the published ranking and scorecards on the evaluator's portal.
struct EvaluationController {
    func register(public routes: any RoutesBuilder) {
        routes.get(SiteURL.ranking.routePath) { req in req.render(try await RankingPage.query(req, unit: try req.requireUnit())) }
        routes.get(SiteURL.rankingRound(id: .key).routePath) { req in req.render(try await RankingPage.query(req, unit: try req.requireUnit())) }
        routes.get(SiteURL.rankingScorecard(id: .key, unit: .key).routePath) { req in req.render(try await ScorecardPage.query(req, unit: try req.requireUnit())) }
    }

    func register(admin units: UnitRoutes) {
        units.get(.adminEvaluation(code: .key), requires: .evaluateUnits, use: overview)
        units.get(.adminEvaluationCriterionNew(code: .key), requires: .evaluateUnits, use: criterionForm)
        units.post(.adminEvaluationCriterionNew(code: .key), requires: .evaluateUnits, use: saveCriterion)
        units.get(.adminEvaluationCriterion(code: .key, id: .key), requires: .evaluateUnits, use: criterionForm)
        units.post(.adminEvaluationCriterion(code: .key, id: .key), requires: .evaluateUnits, use: saveCriterion)
        units.get(.adminEvaluationCriteriaTemplate(code: .key), requires: .evaluateUnits, use: criteriaWorkbook)
        units.post(.adminEvaluationCriteriaImport(code: .key), requires: .evaluateUnits, body: .collect(maxSize: ByteCount(value: 10 << 20)), use: importCriteria)
        units.get(.adminEvaluationAudit(code: .key), requires: .evaluateUnits, use: auditForm)
        units.post(.adminEvaluationAudit(code: .key), requires: .evaluateUnits, use: audit)
        units.post(.adminEvaluationRounds(code: .key), requires: .evaluateUnits, use: startRound)
        units.post(.adminEvaluationSchedule(code: .key), requires: .evaluateUnits, use: saveSchedule)
        units.get(.adminEvaluationRound(code: .key, id: .key), requires: .evaluateUnits, use: round)
        units.post(.adminEvaluationCompute(code: .key, id: .key), requires: .evaluateUnits, use: compute)
        units.post(.adminEvaluationAdvance(code: .key, id: .key), requires: .evaluateUnits, use: advance)
        units.get(.adminEvaluationXLSX(code: .key, id: .key), requires: .evaluateUnits, use: export)
        units.get(.adminEvaluationUnit(code: .key, id: .key, unit: .key), requires: .evaluateUnits, use: unitCard)
        units.post(.adminEvaluationUnit(code: .key, id: .key, unit: .key), requires: .evaluateUnits, use: score)
        units.get(.adminEvaluationResults(code: .key), requires: .viewUnit, use: results)
        units.post(.adminEvaluationRespond(code: .key, id: .key), requires: .editUnit, use: respond)
    }

    /// The person and the unit for the evaluator's pages: only a management agency evaluates the
    /// units below it (A16.4, A16.5); a school has none and its address for them is not there.
    func evaluator(_ req: Request) throws -> (AdminContext, ResolvedUnit) {
        let (admin, unit) = try req.scoped()
        guard unit.type.isManagementAgency else { throw AppError.notFound }
        return (admin, unit)
    }

    func form(_ req: Request) -> [String: String] { (try? req.content.decode([String: String].self)) ?? [:] }

    /// The round, only among the evaluator's own.
    func round(_ req: Request, unit: ResolvedUnit) async throws -> EvaluationRound {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let round = try await EvaluationRound.query(in: unit, on: req.db).filter(\.$id == id).first() else { throw AppError.notFound }
        return round
    }

    /// A unit the evaluator evaluates (directly below it), by code.
    func evaluated(_ req: Request, evaluator: ResolvedUnit) async throws -> OrgUnit {
        guard let code = req.parameters.get("unit"),
              let unit = try await EvaluationService.evaluated(by: evaluator, on: req.db).first(where: { $0.code == code }) else { throw AppError.notFound }
        return unit
    }

    /// Automatic scoring from the admin: the server is running, so a Chromium on this machine can
    /// load the units' home pages at their public addresses.
    func context(_ req: Request) -> EvaluationChecks.Context {
        var context = EvaluationChecks.Context(serving: req)
        context.browser = ChromiumProbe.find(eventLoopGroup: req.application.eventLoopGroup).map(EvaluationChecks.BrowserRuns.init)
        return context
    }

    @Sendable func overview(req: Request) async throws -> Response {
        let (admin, unit) = try evaluator(req)
        return req.render(try await EvaluationAdminPage.query(req, admin: admin, unit: unit))
    }

    @Sendable func criterionForm(req: Request) async throws -> Response {
        let (admin, unit) = try evaluator(req)
        let existing = try await criterion(req, unit: unit)
        return req.render(try await EvaluationAdminPage.criterionForm(req, admin: admin, unit: unit, existing: existing,
                                                                      input: existing.map(EvaluationService.CriterionInput.init) ?? .init()))
    }

    func criterion(_ req: Request, unit: ResolvedUnit) async throws -> EvaluationCriterion? {
        guard let raw = req.parameters.get("id") else { return nil }
        _ = try await EvaluationService.criteria(of: unit, on: req.db)
        guard let id = UUID(uuidString: raw), let row = try await EvaluationCriterion.query(in: unit, on: req.db).filter(\.$id == id).first() else { throw AppError.notFound }
        return row
    }

    @Sendable func saveCriterion(req: Request) async throws -> Response {
        let (admin, unit) = try evaluator(req)
        let existing = try await criterion(req, unit: unit)
        let input = EvaluationService.CriterionInput(form: form(req))
        do {
            try await EvaluationService.saveCriterion(input, existing: existing, evaluator: unit, by: req.actor(admin), on: req.db)
            return req.redirect(to: SiteURL.adminEvaluation(code: .value(unit.code)).path + "?ok=criterion-saved")
        } catch let errors as FormErrors {
            return req.render(try await EvaluationAdminPage.criterionForm(req, admin: admin, unit: unit, existing: existing, input: input, errors: errors),
                              status: .unprocessableEntity)
        }
    }

    @Sendable func criteriaWorkbook(req: Request) async throws -> Response {
        let (_, unit) = try evaluator(req)
        return .xlsx(try await EvaluationService.criteriaWorkbook(of: unit, on: req.db), filename: "tieu-chi-\(unit.code)")
    }

    @Sendable func importCriteria(req: Request) async throws -> Response {
        let (admin, unit) = try evaluator(req)
        do {
            let summary = try await EvaluationService.importCriteria(req.uploadedFileBytes, evaluator: unit,
                                                                     by: req.actor(admin), on: req.db)
            return req.redirect(to: SiteURL.adminEvaluation(code: .value(unit.code)).path + "?ok=criteria-imported&them=\(summary.added)&sua=\(summary.updated)")
        } catch let errors as FormErrors {
            return req.render(try await EvaluationAdminPage.query(req, admin: admin, unit: unit, importErrors: errors), status: .unprocessableEntity)
        }
    }

    @Sendable func auditForm(req: Request) async throws -> Response {
        let (admin, unit) = try evaluator(req)
        return req.render(try await ExternalAuditPage.make(req, admin: admin, unit: unit))
    }

    /// Audits a portal from the admin: a small page budget and the system's resolver, so the answer
    /// comes within seconds; `eduportal audit` reads more.
    @Sendable func audit(req: Request) async throws -> Response {
        let (admin, unit) = try evaluator(req)
        let input = form(req)
        let raw = TextNormalizer.normalize(input["url"] ?? "", maxLength: 500)
        guard let url = URL(string: raw), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), let host = url.host, host.contains(".") || host == "localhost" else {
            return req.render(try await ExternalAuditPage.make(req, admin: admin, unit: unit, input: input,
                                                               errors: ["url": "Nhập địa chỉ đầy đủ, bắt đầu bằng http:// hoặc https://."]), status: .unprocessableEntity)
        }
        if let target = input["target"], !target.isEmpty, !(try await EvaluationService.auditTargets(evaluator: unit, on: req.db).contains { $0.value == target }) {
            return req.render(try await ExternalAuditPage.make(req, admin: admin, unit: unit, input: input,
                                                               errors: FormErrors(form: "Không ghi được kết quả: chọn một đợt đang mở và một đơn vị trực thuộc.")),
                              status: .unprocessableEntity)
        }
        let dns = DNSClient.system()
        var auditor = PortalAuditor(get: PortalAuditor.client(req.client), resolve: { try await dns.query($0, $1) })
        auditor.pageBudget = 15
        auditor.pause = 0.2
        auditor.browser = ChromiumProbe.find(eventLoopGroup: req.application.eventLoopGroup).map(EvaluationChecks.BrowserRuns.init)
        do {
            let mail = TextNormalizer.normalize(input["mailDomain"] ?? "", maxLength: 253).lowercased()
            let report = try await auditor.audit(url, mailDomain: mail.isEmpty ? nil : mail)
            try await AuditEntry.record(req.actor(admin), unitID: unit.id, action: "evaluation.audit", target: url.absoluteString,
                                        detail: ScorecardVM.number(report.total.score) + "/100", on: req.db)
            var recorded = ""
            if let target = input["target"], !target.isEmpty {
                let result = try await EvaluationService.recordAudit(report, target: target, evaluator: unit, by: req.actor(admin), who: admin.user.email, on: req.db)
                recorded = "Đã ghi \(result.written) kết quả cho \(result.unit.name) vào đợt «\(result.round.title)»."
            }
            return req.render(try await ExternalAuditPage.make(req, admin: admin, unit: unit, input: input, report: report, recorded: recorded))
        } catch let errors as FormErrors {
            return req.render(try await ExternalAuditPage.make(req, admin: admin, unit: unit, input: input, errors: errors), status: .unprocessableEntity)
        }
    }

    @Sendable func saveSchedule(req: Request) async throws -> Response {
        let (admin, unit) = try evaluator(req)
        let input = form(req)
        do {
            try await EvaluationService.saveSchedule(title: input["title"] ?? "", cadence: input["cadence"] ?? "", next: input["next"] ?? "",
                                                     active: input.isChecked("active"), evaluator: unit, by: req.actor(admin), who: admin.user.email, on: req.db)
            return req.redirect(to: SiteURL.adminEvaluation(code: .value(unit.code)).path + "?ok=schedule-saved#lich")
        } catch let errors as FormErrors {
            return req.render(try await EvaluationAdminPage.query(req, admin: admin, unit: unit, scheduleErrors: errors, scheduleInput: input),
                              status: .unprocessableEntity)
        }
    }

    @Sendable func startRound(req: Request) async throws -> Response {
        let (admin, unit) = try evaluator(req)
        let input = form(req)
        do {
            let round = try await EvaluationService.startRound(title: input["title"] ?? "", kind: input["kind"] ?? "", evaluator: unit, by: req.actor(admin),
                                                               who: admin.user.email, on: req.db)
            return req.redirect(to: SiteURL.adminEvaluationRound(code: .value(unit.code), id: .value(try round.requireID().uuidString.lowercased())).path)
        } catch let errors as FormErrors {
            return req.render(try await EvaluationAdminPage.query(req, admin: admin, unit: unit, errors: errors, input: input), status: .unprocessableEntity)
        }
    }

    @Sendable func round(req: Request) async throws -> Response {
        let (admin, unit) = try evaluator(req)
        return req.render(try await EvaluationRoundAdminPage.query(req, admin: admin, unit: unit, round: try await round(req, unit: unit)))
    }

    @Sendable func compute(req: Request) async throws -> Response {
        let (admin, unit) = try evaluator(req)
        let round = try await round(req, unit: unit)
        do {
            try await EvaluationService.computeAutomatic(round, evaluator: unit, context: context(req), by: req.actor(admin))
        } catch let errors as FormErrors {
            return req.render(try await EvaluationRoundAdminPage.query(req, admin: admin, unit: unit, round: round, error: errors.form ?? ""), status: .conflict)
        }
        return req.redirect(to: SiteURL.adminEvaluationRound(code: .value(unit.code), id: .value(try round.requireID().uuidString.lowercased())).path + "?ok=computed")
    }

    @Sendable func advance(req: Request) async throws -> Response {
        let (admin, unit) = try evaluator(req)
        let round = try await round(req, unit: unit)
        guard let state = EvaluationRound.State(rawValue: form(req)["state"] ?? "") else { throw AppError(.badRequest, "Bước chuyển của đợt đánh giá không hợp lệ.") }
        do {
            try await EvaluationService.advance(round, to: state, evaluator: unit, by: req.actor(admin), on: req.db)
        } catch let errors as FormErrors {
            return req.render(try await EvaluationRoundAdminPage.query(req, admin: admin, unit: unit, round: round, error: errors.form ?? ""), status: .conflict)
        }
        return req.redirect(to: SiteURL.adminEvaluationRound(code: .value(unit.code), id: .value(try round.requireID().uuidString.lowercased())).path + "?ok=advanced")
    }

    @Sendable func export(req: Request) async throws -> Response {
        let (_, unit) = try evaluator(req)
        let round = try await round(req, unit: unit)
        return .xlsx(try await EvaluationRoundAdminPage.workbook(round, evaluator: unit, on: req.db), filename: "xep-hang-\(unit.code)")
    }

    @Sendable func unitCard(req: Request) async throws -> Response {
        let (admin, unit) = try evaluator(req)
        let round = try await round(req, unit: unit)
        return req.render(try await EvaluationUnitAdminPage.query(req, admin: admin, unit: unit, round: round, evaluated: try await evaluated(req, evaluator: unit)))
    }

    @Sendable func score(req: Request) async throws -> Response {
        let (admin, unit) = try evaluator(req)
        let round = try await round(req, unit: unit)
        let evaluated = try await evaluated(req, evaluator: unit)
        let input = form(req)
        do {
            try await EvaluationService.scoreManually(round, unit: evaluated, code: input["code"] ?? "", value: input["value"] ?? "", evidence: input["evidence"] ?? "",
                                                      url: input["url"] ?? "", evaluator: unit, by: req.actor(admin), who: admin.user.fullName, on: req.db)
            return req.redirect(to: SiteURL.adminEvaluationUnit(code: .value(unit.code), id: .value(try round.requireID().uuidString.lowercased()),
                                                              unit: .value(evaluated.code)).path + "?ok=scored")
        } catch let errors as FormErrors {
            return req.render(try await EvaluationUnitAdminPage.query(req, admin: admin, unit: unit, round: round, evaluated: evaluated, errors: errors, input: input),
                              status: .unprocessableEntity)
        }
    }

    @Sendable func results(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await EvaluationResultsPage.query(req, admin: admin, unit: unit))
    }

    @Sendable func respond(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        // The round must be the parent's: a unit answers only rounds that evaluate it.
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let parentID = unit.parentID,
              let round = try await EvaluationRound.query(in: parentID, on: req.db).filter(\.$id == id).first() else { throw AppError.notFound }
        let body = form(req)["body"] ?? ""
        do {
            try await EvaluationService.respond(round, unit: unit, body: body, by: req.actor(admin), who: admin.user.email, on: req.db)
            return req.redirect(to: SiteURL.adminEvaluationResults(code: .value(unit.code)).path + "?ok=responded")
        } catch let errors as FormErrors {
            return req.render(try await EvaluationResultsPage.query(req, admin: admin, unit: unit, errors: errors, failedRound: id, input: body), status: .unprocessableEntity)
        }
    }
}
