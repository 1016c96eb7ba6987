import EduCore
import EduData
import EduImport
import Fluent
import Vapor

/// One unit's result in a round, line by line: what each criterion measured, the points it
/// earned, and what it rests on. The same for the evaluator, the unit and the public.
struct ScorecardVM {
    struct Line {
        let code: String
        let title: String
        let clause: String
        let measure: String
        let value: String
        let points: String
        let evidence: String
        let evidenceURL: String
        let source: String
    }

    let unitName: String
    let score: String
    let grade: String
    let rank: Int
    let unmeasured: Int
    let lines: [Line]
}

extension ScorecardVM {
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value).replacingOccurrences(of: ".", with: ",")
    }

    static func make(_ round: EvaluationRound, row: EvaluationService.Row, on db: any Database) async throws -> ScorecardVM {
        let scores = Dictionary(try await EvaluationScore.query(on: db).filter(\.$roundID == round.requireID()).filter(\.$unitID == row.unit.requireID()).all()
            .map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        let lines = round.criteria.filter { $0.scope.includes(row.unit.type) }.map { criterion -> Line in
            let score = scores[criterion.code]
            let points = criterion.points(for: score?.value)
            return Line(code: criterion.code, title: criterion.title, clause: criterion.clause, measure: criterion.measure.label,
                        value: score?.value.map { number($0) + (criterion.unitLabel.isEmpty ? "" : " " + criterion.unitLabel) } ?? "Chưa đo",
                        points: points.map { number($0) + "/" + number(criterion.weight) } ?? "—",
                        evidence: score?.evidence ?? (criterion.measure == .inspector ? "Chưa chấm." : "Chưa chấm tự động."),
                        evidenceURL: score?.evidenceURL ?? "", source: score.map { $0.source == "kiem-tra" ? "Cán bộ kiểm tra: \($0.measuredBy)" : "Tự động" } ?? "")
        }
        return ScorecardVM(unitName: row.unit.name, score: number(row.total.score), grade: row.grade, rank: row.rank, unmeasured: row.total.unmeasured, lines: lines)
    }
}

/// A unit's results over the evaluator's published rounds, newest first (its trend).
struct HistoryVM {
    let title: String
    let url: String
    let date: String
    let score: String
    let place: String
    let grade: String
    let change: String
}

extension HistoryVM {
    static func of(_ unit: OrgUnit, evaluator: ResolvedUnit, on db: any Database) async throws -> [HistoryVM] {
        let rounds = try await EvaluationRound.query(in: evaluator, on: db).filter(\.$state == EvaluationRound.State.published.rawValue)
            .sort(\.$publishedAt, .descending).all()
        var found: [(round: EvaluationRound, row: EvaluationService.Row, of: Int)] = []
        for round in rounds {
            let table = try await EvaluationService.table(round, evaluator: evaluator, on: db)
            if let row = table.first(where: { $0.unit.id == unit.id }) { found.append((round, row, table.count)) }
        }
        return found.enumerated().map { index, entry in
            let previous = index + 1 < found.count ? found[index + 1].row.total.score : nil
            let delta = previous.map { entry.row.total.score - $0 }
            return HistoryVM(title: entry.round.title, url: SiteURL.rankingScorecard(id: .value(entry.round.id?.uuidString.lowercased() ?? ""), unit: .value(unit.code)).path,
                             date: entry.round.publishedAt.map(VietnameseDate.day) ?? "", score: ScorecardVM.number(entry.row.total.score),
                             place: "\(entry.row.rank)/\(entry.of)", grade: entry.row.grade,
                             change: delta.map { $0 == 0 ? "không đổi" : ($0 > 0 ? "tăng " : "giảm ") + ScorecardVM.number(abs($0)) } ?? "")
        }
    }
}

/// A round's table as pages show it.
struct RankingRowVM {
    let rank: Int
    let name: String
    let url: String
    let score: String
    let grade: String
    let unmeasured: Int
}

/// `/quan-tri/don-vi/<code>/danh-gia`: the evaluator's criteria, its rounds, and a new round.
struct EvaluationAdminPage: PageView {
    static let template = "admin/evaluation"

    struct CriterionRow {
        let code: String
        let title: String
        let clause: String
        let measure: String
        let weight: String
        let bands: String
        let scope: String
        let editURL: String
    }

    struct RoundRow {
        let title: String
        let url: String
        let state: String
        let created: String
    }

    let layout: LayoutVM
    let unitName: String
    let evaluatedCount: Int
    let criteria: [CriterionRow]
    let newCriterionURL: String
    let rounds: [RoundRow]
    let startForm: FormPage
    /// The schedule of periodic rounds, and what it says now.
    let scheduleForm: FormPage
    let scheduleSummary: String
    let templateURL: String
    let auditURL: String
    let importForm: FormPage
    let notice: String
}

extension EvaluationAdminPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, errors: FormErrors = [:], input: [String: String] = [:],
                      importErrors: FormErrors = [:], scheduleErrors: FormErrors = [:], scheduleInput: [String: String] = [:]) async throws -> EvaluationAdminPage {
        let base = SiteURL.adminEvaluation(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Kiểm tra, đánh giá, xếp hạng", url: base)])
        let layout = LayoutVM.make(req, title: "Kiểm tra, đánh giá, xếp hạng – \(unit.name)", admin: true, breadcrumbs: crumbs)
        let criteria = try await EvaluationService.criteria(of: unit, on: req.db)
        let rounds = try await EvaluationRound.query(in: unit, on: req.db).sort(\.$createdAt, .descending).all()
        let kind = input["kind"] ?? "dinh-ky"
        let fields = [
            FormField(name: "title", label: "Tên đợt", value: input["title"] ?? "", error: errors["title"],
                      hint: "Ví dụ: Đánh giá cổng thông tin, thư điện tử năm học 2025–2026", required: true),
            FormField(name: "kind", label: "Loại đợt", value: kind, error: errors["kind"], type: "select", required: true,
                      options: [.init(value: "dinh-ky", label: "Định kỳ", selected: kind == "dinh-ky"), .init(value: "dot-xuat", label: "Đột xuất", selected: kind == "dot-xuat")]),
        ]
        let schedule = try await RoundSchedule.query(in: unit, on: req.db).first()
        let cadence = scheduleInput["cadence"] ?? schedule?.cadence ?? Cadence.yearly.rawValue
        let scheduleFields = [
            FormField(name: "title", label: "Tên các đợt", value: scheduleInput["title"] ?? schedule?.title ?? "", error: scheduleErrors["title"],
                      hint: "Mỗi đợt thêm kỳ vào tên, ví dụ «Đánh giá cổng thông tin, thư điện tử năm 2027».", required: true, idPrefix: "lich-"),
            FormField(name: "cadence", label: "Lặp lại", value: cadence, error: scheduleErrors["cadence"], type: "select", required: true,
                      options: Cadence.allCases.filter { $0 != .once }.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == cadence) },
                      idPrefix: "lich-"),
            FormField(name: "next", label: "Ngày mở đợt tiếp theo", value: scheduleInput["next"] ?? schedule.map { VietnameseDate.day($0.nextAt) } ?? "",
                      error: scheduleErrors["next"], hint: "Ngày/tháng/năm; đợt mở lúc 07:00, được chấm tự động ngay và quản trị được báo qua thư.",
                      required: true, inputmode: "numeric", maxlength: 10, idPrefix: "lich-"),
            FormField(name: "active", label: "Tự mở đợt theo lịch", value: "1", error: scheduleErrors["active"], type: "checkbox",
                      checked: scheduleInput.isEmpty ? (schedule?.active ?? true) : scheduleInput.isChecked("active"), idPrefix: "lich-"),
        ]
        let scheduleSummary = schedule.map { s in
            s.active ? "Đang bật: \(s.schedule.label.lowercased()), đợt tiếp theo mở lúc \(VietnameseDate.dateTime(s.nextAt))."
                : "Đang tắt (không tự mở đợt)."
        } ?? "Chưa đặt lịch: đợt chỉ mở khi quản trị mở."
        return EvaluationAdminPage(
            layout: layout, unitName: unit.name, evaluatedCount: try await EvaluationService.evaluated(by: unit, on: req.db).count,
            criteria: criteria.map { row in
                let c = row.criterion
                return CriterionRow(code: c.code, title: c.title, clause: c.clause, measure: c.measure.label, weight: ScorecardVM.number(c.weight),
                                    bands: row.bands, scope: c.scope.label,
                                    editURL: SiteURL.adminEvaluationCriterion(code: .value(unit.code), id: .value(row.id?.uuidString.lowercased() ?? "")).path)
            },
            newCriterionURL: SiteURL.adminEvaluationCriterionNew(code: .value(unit.code)).path,
            rounds: rounds.map { round in
                RoundRow(title: round.title, url: SiteURL.adminEvaluationRound(code: .value(unit.code), id: .value(round.id?.uuidString.lowercased() ?? "")).path,
                         state: round.roundState.label, created: VietnameseDate.day(round.createdAt))
            },
            startForm: FormPage(layout: layout, heading: "Mở đợt đánh giá", intro: errors.form ?? (errors.isEmpty ? nil : "Chưa mở: sửa các ô được chỉ ra."),
                                action: SiteURL.adminEvaluationRounds(code: .value(unit.code)).path, submitLabel: "Mở đợt", fields: fields, cancelURL: base),
            scheduleForm: FormPage(layout: layout, heading: "Lịch đánh giá định kỳ",
                                   intro: scheduleErrors.form ?? (scheduleErrors.isEmpty ? nil : "Chưa lưu lịch: sửa các ô được chỉ ra."),
                                   action: SiteURL.adminEvaluationSchedule(code: .value(unit.code)).path, submitLabel: "Lưu lịch", fields: scheduleFields,
                                   cancelURL: base),
            scheduleSummary: scheduleSummary,
            templateURL: SiteURL.adminEvaluationCriteriaTemplate(code: .value(unit.code)).path,
            auditURL: SiteURL.adminEvaluationAudit(code: .value(unit.code)).path,
            importForm: FormPage(layout: layout, heading: "Nhập bộ tiêu chí từ tệp", intro: importErrors.form,
                                 action: SiteURL.adminEvaluationCriteriaImport(code: .value(unit.code)).path + "?_csrf="
                                    + (req.csrfToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                                 submitLabel: "Nhập tiêu chí",
                                 fields: [FormField(name: "file", label: "Tệp tiêu chí (XLSX hoặc CSV theo mẫu)", error: importErrors["file"],
                                                    hint: "Tiêu chí có mã đã có thì được cập nhật; tệp còn lỗi thì không tiêu chí nào được lưu.",
                                                    type: "file", required: true, accept: ".xlsx,.csv")], cancelURL: base),
            notice: req.textParameter("ok") == "criteria-imported"
                ? "Đã nhập bộ tiêu chí: thêm \(Int(req.textParameter("them")) ?? 0), cập nhật \(Int(req.textParameter("sua")) ?? 0)."
                : ["criterion-saved": "Đã lưu tiêu chí.", "schedule-saved": "Đã lưu lịch đánh giá định kỳ."][req.textParameter("ok")] ?? "")
    }

    /// A criterion's form (new or existing).
    static func criterionForm(_ req: Request, admin: AdminContext, unit: ResolvedUnit, existing: EvaluationCriterion?, input: EvaluationService.CriterionInput,
                              errors: FormErrors = [:]) async throws -> FormPage {
        let base = SiteURL.adminEvaluation(code: .value(unit.code)).path
        let action = existing.map { SiteURL.adminEvaluationCriterion(code: .value(unit.code), id: .value($0.id?.uuidString.lowercased() ?? "")).path }
            ?? SiteURL.adminEvaluationCriterionNew(code: .value(unit.code)).path
        let heading = existing.map { "Sửa tiêu chí \($0.code)" } ?? "Thêm tiêu chí"
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Kiểm tra, đánh giá, xếp hạng", url: base), .init(label: heading, url: action),
        ])
        let layout = LayoutVM.make(req, title: heading, admin: true, breadcrumbs: crumbs)
        let fields = [
            FormField(name: "code", label: "Mã tiêu chí", value: input.code, error: errors["code"], hint: "Ví dụ TC17", required: true, maxlength: 40),
            FormField(name: "title", label: "Tên tiêu chí", value: input.title, error: errors["title"], required: true, maxlength: 500),
            FormField(name: "clause", label: "Căn cứ (điều, khoản)", value: input.clause, error: errors["clause"], hint: "Ví dụ: A8.2; Thông tư 37/2020 Điều 8 khoản 2", maxlength: 120),
            FormField(name: "measure", label: "Cách đo", value: input.measure, error: errors["measure"], type: "select", required: true,
                      options: Evaluation.Measure.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.measure) }),
            FormField(name: "check", label: "Phép đo tự động", value: input.check, error: errors["check"], hint: "Bỏ trống khi cán bộ kiểm tra chấm.", type: "select",
                      options: [.init(value: "", label: "Không (cán bộ kiểm tra chấm)", selected: input.check.isEmpty)]
                        + EvaluationChecks.catalogue.map { .init(value: $0.key, label: $0.label, selected: $0.key == input.check) }),
            FormField(name: "weight", label: "Trọng số (điểm tối đa)", value: input.weight, error: errors["weight"], required: true, inputmode: "decimal", maxlength: 20),
            FormField(name: "bands", label: "Các mức (ngưỡng → tỉ lệ điểm)", value: input.bands, error: errors["bands"],
                      hint: "Ví dụ: 40 → 1; 30 → 0,75; 20 → 0,5. Với tiêu chí đạt/không đạt: 1 → 1.", required: true, maxlength: 500),
            FormField(name: "lowerIsBetter", label: "Giá trị càng nhỏ càng tốt (thời gian, số lỗi)", value: "1", error: errors["lowerIsBetter"], type: "checkbox",
                      checked: input.lowerIsBetter),
            FormField(name: "unitLabel", label: "Đơn vị đo", value: input.unitLabel, error: errors["unitLabel"], hint: "Ví dụ: bài, %, ms", maxlength: 40),
            FormField(name: "scope", label: "Áp dụng cho", value: input.scope, error: errors["scope"], type: "select", required: true,
                      options: Evaluation.Scope.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.scope) }),
        ]
        return FormPage(layout: layout, heading: heading, intro: errors.form ?? (errors.isEmpty ? nil : "Chưa lưu: sửa các ô được chỉ ra."),
                        action: action, submitLabel: "Lưu tiêu chí", fields: fields, cancelURL: base)
    }
}

/// `/quan-tri/don-vi/<code>/danh-gia/dot/<id>`: a round's table, its steps and the units' responses.
struct EvaluationRoundAdminPage: PageView {
    static let template = "admin/evaluation-round"

    struct Step {
        let action: String
        let state: String
        let label: String
    }

    struct ResponseRow {
        let unitName: String
        let body: String
        let date: String
    }

    let layout: LayoutVM
    let title: String
    let state: String
    let computed: String
    let isOpen: Bool
    let computeAction: String
    let steps: [Step]
    let rows: [RankingRowVM]
    let xlsxURL: String
    let publicURL: String
    let responses: [ResponseRow]
    let notice: String
    let error: String
}

extension EvaluationRoundAdminPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, round: EvaluationRound, error: String = "") async throws -> EvaluationRoundAdminPage {
        let id = try round.requireID().uuidString.lowercased()
        let base = SiteURL.adminEvaluation(code: .value(unit.code)).path
        let url = SiteURL.adminEvaluationRound(code: .value(unit.code), id: .value(id)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Kiểm tra, đánh giá, xếp hạng", url: base), .init(label: round.title, url: url),
        ])
        let table = try await EvaluationService.table(round, evaluator: unit, on: req.db)
        let names = Dictionary(table.compactMap { row in row.unit.id.map { ($0, row.unit.name) } }, uniquingKeysWith: { first, _ in first })
        let responses = try await EvaluationResponse.query(on: req.db).filter(\.$roundID == round.requireID()).sort(\.$createdAt).all()
        let next: [EvaluationRound.State] = switch round.roundState {
        case .scoring: [.review, .published]
        case .review: [.scoring, .published]
        case .published: []
        }
        let stepLabels: [EvaluationRound.State: String] = [.review: "Gửi kết quả dự kiến cho các đơn vị", .scoring: "Trở lại chấm", .published: "Công bố kết quả"]
        let notices = ["computed": "Đã chấm tự động.", "advanced": "Đã chuyển bước.", "scored": "Đã lưu điểm."]
        return EvaluationRoundAdminPage(
            layout: LayoutVM.make(req, title: round.title, admin: true, breadcrumbs: crumbs), title: round.title, state: round.roundState.label,
            computed: round.computedAt.map(VietnameseDate.dateTime) ?? "", isOpen: round.roundState != .published,
            computeAction: SiteURL.adminEvaluationCompute(code: .value(unit.code), id: .value(id)).path,
            steps: next.map { Step(action: SiteURL.adminEvaluationAdvance(code: .value(unit.code), id: .value(id)).path, state: $0.rawValue, label: stepLabels[$0] ?? $0.label) },
            rows: table.map { row in
                RankingRowVM(rank: row.rank, name: row.unit.name,
                             url: SiteURL.adminEvaluationUnit(code: .value(unit.code), id: .value(id), unit: .value(row.unit.code)).path,
                             score: ScorecardVM.number(row.total.score), grade: row.grade, unmeasured: row.total.unmeasured)
            },
            xlsxURL: SiteURL.adminEvaluationXLSX(code: .value(unit.code), id: .value(id)).path,
            publicURL: round.roundState == .published ? SiteURL.rankingRound(id: .value(id)).path : "",
            responses: responses.map { ResponseRow(unitName: names[$0.unitID] ?? "", body: $0.body, date: VietnameseDate.dateTime($0.createdAt)) },
            notice: notices[req.textParameter("ok")] ?? "", error: error)
    }

    /// The round as a workbook: rank, unit, score, grade, then each criterion's points.
    static func workbook(_ round: EvaluationRound, evaluator: ResolvedUnit, on db: any Database) async throws -> Data {
        let table = try await EvaluationService.table(round, evaluator: evaluator, on: db)
        let criteria = round.criteria
        var values: [String: Double] = [:]
        for score in try await EvaluationScore.query(on: db).filter(\.$roundID == round.requireID()).all() {
            if let value = score.value { values["\(score.unitID)|\(score.code)"] = value }
        }
        var rows: [[XLSXWriter.Cell]] = [[.text(round.title)], ["Hạng", "Đơn vị", "Điểm (/100)", "Xếp loại"] + criteria.map { .text($0.code + " (" + ScorecardVM.number($0.weight) + ")") }]
        for row in table {
            let id = row.unit.id?.uuidString ?? ""
            rows.append([.number(Double(row.rank)), .text(row.unit.name), .number(row.total.score), .text(row.grade)]
                + criteria.map { c in
                    guard c.scope.includes(row.unit.type) else { return .text("không áp dụng") }
                    return c.points(for: values["\(id)|\(c.code)"]).map { .number($0) } ?? .text("chưa đo")
                })
        }
        return try XLSXWriter.workbook(sheetName: "Xếp hạng", rows: rows, merges: ["A1:D1"])
    }
}

/// `/quan-tri/don-vi/<code>/danh-gia/dot/<id>/don-vi/<unit>`: one unit's scorecard and an
/// inspector's score with its evidence.
struct EvaluationUnitAdminPage: PageView {
    static let template = "admin/evaluation-unit"

    let layout: LayoutVM
    let card: ScorecardVM
    let form: FormPage?
    let responses: [EvaluationRoundAdminPage.ResponseRow]
}

extension EvaluationUnitAdminPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, round: EvaluationRound, evaluated: OrgUnit, errors: FormErrors = [:],
                      input: [String: String] = [:]) async throws -> EvaluationUnitAdminPage {
        let id = try round.requireID().uuidString.lowercased()
        let url = SiteURL.adminEvaluationUnit(code: .value(unit.code), id: .value(id), unit: .value(evaluated.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Kiểm tra, đánh giá, xếp hạng", url: SiteURL.adminEvaluation(code: .value(unit.code)).path),
            .init(label: round.title, url: SiteURL.adminEvaluationRound(code: .value(unit.code), id: .value(id)).path), .init(label: evaluated.name, url: url),
        ])
        let layout = LayoutVM.make(req, title: "\(evaluated.name) – \(round.title)", admin: true, breadcrumbs: crumbs)
        guard let row = try await EvaluationService.table(round, evaluator: unit, on: req.db).first(where: { $0.unit.id == evaluated.id }) else { throw AppError.notFound }
        let criteria = round.criteria.filter { $0.scope.includes(evaluated.type) }
        let code = input["code"] ?? criteria.first { $0.measure == .inspector }?.code ?? ""
        let form = round.roundState == .published ? nil : FormPage(
            layout: layout, heading: "Chấm điểm của cán bộ kiểm tra", intro: errors.form ?? (errors.isEmpty ? nil : "Chưa lưu: sửa các ô được chỉ ra."),
            action: url, submitLabel: "Lưu điểm", fields: [
                FormField(name: "code", label: "Tiêu chí", value: code, error: errors["code"], type: "select", required: true,
                          options: criteria.map { .init(value: $0.code, label: "\($0.code) – \($0.title)", selected: $0.code == code) }),
                FormField(name: "value", label: "Giá trị", value: input["value"] ?? "", error: errors["value"],
                          hint: "Số đo được; với tiêu chí đạt/không đạt: 1 hoặc 0. Điểm của cán bộ thay kết quả tự động của tiêu chí đó.", required: true,
                          inputmode: "decimal", maxlength: 20),
                FormField(name: "evidence", label: "Căn cứ chấm", value: input["evidence"] ?? "", error: errors["evidence"], type: "textarea", required: true, maxlength: 2000),
                FormField(name: "url", label: "Đường dẫn minh chứng", value: input["url"] ?? "", error: errors["url"], type: "url", maxlength: 1000),
            ], cancelURL: SiteURL.adminEvaluationRound(code: .value(unit.code), id: .value(id)).path)
        let responses = try await EvaluationResponse.query(on: req.db).filter(\.$roundID == round.requireID()).filter(\.$unitID == evaluated.requireID()).all()
        return EvaluationUnitAdminPage(layout: layout, card: try await ScorecardVM.make(round, row: row, on: req.db), form: form,
                                       responses: responses.map { .init(unitName: evaluated.name, body: $0.body, date: VietnameseDate.dateTime($0.createdAt)) })
    }
}

/// `/quan-tri/don-vi/<code>/ket-qua-danh-gia`: the unit's own results in the rounds of the unit
/// above it (drafts while they are shown for comment, then the published ones), and its response.
struct EvaluationResultsPage: PageView {
    static let template = "admin/evaluation-results"

    struct Round {
        let title: String
        let state: String
        let card: ScorecardVM
        let form: FormPage?
    }

    let layout: LayoutVM
    let unitName: String
    let rounds: [Round]
    let history: [HistoryVM]
    let notice: String
    /// A refusal about a round the page does not show (one not open for responses).
    let error: String
}

extension EvaluationResultsPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, errors: FormErrors = [:], failedRound: UUID? = nil,
                      input: String = "") async throws -> EvaluationResultsPage {
        let url = SiteURL.adminEvaluationResults(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Kết quả đánh giá", url: url)])
        let layout = LayoutVM.make(req, title: "Kết quả đánh giá – \(unit.name)", admin: true, breadcrumbs: crumbs)
        var rounds: [Round] = []
        var history: [HistoryVM] = []
        if let parentID = unit.parentID, let parent = try await OrgUnit.find(parentID, on: req.db) {
            let evaluator = try await parent.resolved(on: req.db)
            if let own = try await OrgUnit.find(unit.id, on: req.db) { history = try await HistoryVM.of(own, evaluator: evaluator, on: req.db) }
            let shown = try await EvaluationRound.query(in: evaluator, on: req.db)
                .filter(\.$state ~~ [EvaluationRound.State.review.rawValue, EvaluationRound.State.published.rawValue]).sort(\.$createdAt, .descending).all()
            for round in shown {
                guard let row = try await EvaluationService.table(round, evaluator: evaluator, on: req.db).first(where: { $0.unit.id == unit.id }) else { continue }
                let id = try round.requireID()
                let mine = failedRound == id
                let form = round.roundState == .review && admin.may(.editUnit, on: unit) ? FormPage(
                    layout: layout, heading: "Phản hồi kết quả dự kiến", intro: mine ? (errors.form ?? (errors.isEmpty ? nil : "Chưa gửi: sửa các ô được chỉ ra.")) : nil,
                    action: SiteURL.adminEvaluationRespond(code: .value(unit.code), id: .value(id.uuidString.lowercased())).path, submitLabel: "Gửi phản hồi",
                    fields: [FormField(name: "body", label: "Nội dung phản hồi", value: mine ? input : "", error: mine ? errors["body"] : nil,
                                       hint: "Nêu tiêu chí, điều chưa đúng và minh chứng (đường dẫn, văn bản).", type: "textarea", required: true, maxlength: 5000,
                                       idPrefix: "r\(rounds.count)-")],
                    cancelURL: url) : nil
                rounds.append(Round(title: round.title, state: round.roundState.label, card: try await ScorecardVM.make(round, row: row, on: req.db), form: form))
            }
        }
        let shownFailed = rounds.contains { $0.form != nil } && failedRound != nil
        return EvaluationResultsPage(layout: layout, unitName: unit.name, rounds: rounds, history: history, notice: ["responded": "Đã gửi phản hồi."][req.textParameter("ok")] ?? "",
                                     error: shownFailed ? "" : errors.form ?? errors.fields.values.first ?? "")
    }
}

/// `/xep-hang` and `/xep-hang/<id>`: the evaluator's published rankings (A16.4, A16.5).
struct RankingPage: PageView {
    static let template = "ranking"

    struct RoundLink {
        let title: String
        let url: String
        let date: String
        let current: Bool
    }

    let layout: LayoutVM
    let title: String
    let published: String
    let rows: [RankingRowVM]
    let rounds: [RoundLink]
    let criteriaCount: Int
}

extension RankingPage {
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> RankingPage {
        let rounds = try await EvaluationRound.query(in: unit, on: req.db).filter(\.$state == EvaluationRound.State.published.rawValue)
            .sort(\.$publishedAt, .descending).all()
        let requested = req.parameters.get("id").flatMap(UUID.init(uuidString:))
        if req.parameters.get("id") != nil && (requested == nil || !rounds.contains { $0.id == requested }) { throw AppError.notFound }
        let round = requested.flatMap { id in rounds.first { $0.id == id } } ?? rounds.first
        var rows: [RankingRowVM] = []
        if let round, let id = round.id?.uuidString.lowercased() {
            rows = try await EvaluationService.table(round, evaluator: unit, on: req.db).map { row in
                RankingRowVM(rank: row.rank, name: row.unit.name, url: SiteURL.rankingScorecard(id: .value(id), unit: .value(row.unit.code)).path,
                             score: ScorecardVM.number(row.total.score), grade: row.grade, unmeasured: row.total.unmeasured)
            }
        }
        var crumbs = [LayoutVM.Crumb(label: "Xếp hạng cổng thông tin, thư điện tử", url: SiteURL.ranking.path)]
        if let round, requested != nil { crumbs.append(.init(label: round.title, url: SiteURL.rankingRound(id: .value(round.id?.uuidString.lowercased() ?? "")).path)) }
        return RankingPage(
            layout: LayoutVM.make(req, title: round?.title ?? "Xếp hạng cổng thông tin, thư điện tử", admin: false, breadcrumbs: crumbs),
            title: round?.title ?? "Xếp hạng cổng thông tin, thư điện tử", published: round?.publishedAt.map(VietnameseDate.day) ?? "", rows: rows,
            rounds: rounds.map { r in
                RoundLink(title: r.title, url: SiteURL.rankingRound(id: .value(r.id?.uuidString.lowercased() ?? "")).path,
                          date: r.publishedAt.map(VietnameseDate.day) ?? "", current: r.id == round?.id)
            },
            criteriaCount: round?.criteria.count ?? 0)
    }
}

/// `/xep-hang/<id>/<unit>`: a unit's published scorecard.
struct ScorecardPage: PageView {
    static let template = "scorecard"

    let layout: LayoutVM
    let roundTitle: String
    let roundURL: String
    let card: ScorecardVM
    let history: [HistoryVM]
}

extension ScorecardPage {
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> ScorecardPage {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let round = try await EvaluationRound.query(in: unit, on: req.db).filter(\.$id == id).filter(\.$state == EvaluationRound.State.published.rawValue).first(),
              let row = try await EvaluationService.table(round, evaluator: unit, on: req.db).first(where: { $0.unit.code == req.parameters.get("unit") })
        else { throw AppError.notFound }
        let roundURL = SiteURL.rankingRound(id: .value(id.uuidString.lowercased())).path
        let crumbs = [LayoutVM.Crumb(label: "Xếp hạng cổng thông tin, thư điện tử", url: SiteURL.ranking.path), .init(label: round.title, url: roundURL),
                      .init(label: row.unit.name, url: SiteURL.rankingScorecard(id: .value(id.uuidString.lowercased()), unit: .value(row.unit.code)).path)]
        return ScorecardPage(layout: LayoutVM.make(req, title: "\(row.unit.name) – \(round.title)", admin: false, breadcrumbs: crumbs),
                             roundTitle: round.title, roundURL: roundURL, card: try await ScorecardVM.make(round, row: row, on: req.db),
                             history: try await HistoryVM.of(row.unit, evaluator: unit, on: req.db))
    }
}

/// `/quan-tri/don-vi/<code>/danh-gia/kiem-tra-cong-ngoai`: the auditor run from the admin on a
/// portal not on the platform (a school still on its old site), its scorecard shown at once.
struct ExternalAuditPage: PageView {
    static let template = "admin/external-audit"

    let layout: LayoutVM
    let form: FormPage
    let summary: String
    let lines: [ScorecardVM.Line]
    /// What was written into a round, when the audit was for a unit of one.
    let recorded: String
}

extension ExternalAuditPage {
    static func make(_ req: Request, admin: AdminContext, unit: ResolvedUnit, input: [String: String] = [:], errors: FormErrors = [:],
                     report: PortalAuditor.Report? = nil, recorded: String = "") async throws -> ExternalAuditPage {
        let url = SiteURL.adminEvaluationAudit(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Kiểm tra, đánh giá, xếp hạng", url: SiteURL.adminEvaluation(code: .value(unit.code)).path), .init(label: "Kiểm tra cổng ngoài hệ thống", url: url),
        ])
        let layout = LayoutVM.make(req, title: "Kiểm tra cổng ngoài hệ thống", admin: true, breadcrumbs: crumbs)
        let targets = try await EvaluationService.auditTargets(evaluator: unit, on: req.db)
        let chosen = input["target"] ?? ""
        let form = FormPage(layout: layout, heading: "Kiểm tra cổng ngoài hệ thống", intro: errors.form ?? (errors.isEmpty ? nil : "Chưa kiểm tra: sửa các ô được chỉ ra."),
                            action: url, submitLabel: "Kiểm tra", fields: [
                                FormField(name: "url", label: "Địa chỉ cổng", value: input["url"] ?? "", error: errors["url"], hint: "Ví dụ https://thcs-abc.edu.vn/",
                                          type: "url", required: true, maxlength: 500),
                                FormField(name: "mailDomain", label: "Tên miền thư (nếu khác tên miền cổng)", value: input["mailDomain"] ?? "", error: errors["mailDomain"], maxlength: 253),
                            ] + (targets.isEmpty ? [] : [
                                FormField(name: "target", label: "Ghi kết quả vào đợt đánh giá", value: chosen, error: errors["target"],
                                          hint: "Với đơn vị có cổng riêng ngoài hệ thống: các tiêu chí đo được từ bên ngoài được ghi cho đơn vị, chấm tự động lại không ghi đè.",
                                          type: "select", options: [.init(value: "", label: "Không ghi, chỉ xem kết quả", selected: chosen.isEmpty)]
                                            + targets.map { .init(value: $0.value, label: $0.label, selected: $0.value == chosen) }),
                            ]), cancelURL: SiteURL.adminEvaluation(code: .value(unit.code)).path)
        let lines = report?.results.map { criterion, result in
            ScorecardVM.Line(code: criterion.code, title: criterion.title, clause: criterion.clause, measure: criterion.measure.label,
                             value: result.value.map { ScorecardVM.number($0) + (criterion.unitLabel.isEmpty ? "" : " " + criterion.unitLabel) } ?? "Chưa đo",
                             points: criterion.points(for: result.value).map { ScorecardVM.number($0) + "/" + ScorecardVM.number(criterion.weight) } ?? "—",
                             evidence: result.evidence, evidenceURL: result.url.hasPrefix("http") ? result.url : "", source: "")
        } ?? []
        let summary = report.map {
            "\($0.url): \(ScorecardVM.number($0.total.score))/100 (\(Evaluation.grade($0.total.score))); đọc \($0.pagesRead.count) trang"
                + ($0.skippedByRobots.isEmpty ? "" : ", bỏ qua \($0.skippedByRobots.count) trang theo robots.txt")
                + ($0.total.unmeasured > 0 ? "; \($0.total.unmeasured) tiêu chí chưa đo, không tính vào tổng." : ".")
        } ?? ""
        return ExternalAuditPage(layout: layout, form: form, summary: summary, lines: lines, recorded: recorded)
    }
}
