import EduCore
import EduData
import Fluent
import EduImport
import Foundation
import Vapor

/// Inspection, evaluation and ranking (A16): an evaluator keeps its criteria, opens rounds over
/// the units directly below it, fills in what can be measured automatically, lets inspectors
/// score the rest with evidence, shows each unit its draft and takes its response, then publishes
/// the ranking on its portal. Every write is scoped to the evaluator and audited.
enum EvaluationService {
    // MARK: - Criteria

    /// The evaluator's criteria in order; the default set is written the first time it is asked for.
    static func criteria(of evaluator: ResolvedUnit, on db: any Database) async throws -> [EvaluationCriterion] {
        let stored = try await EvaluationCriterion.query(in: evaluator, on: db).sort(\.$position).all()
        if !stored.isEmpty { return stored }
        return try await db.transaction { tx in
            let rows = Evaluation.defaultCriteria.enumerated().map { EvaluationCriterion(unitID: evaluator.id, position: $0.offset, $0.element) }
            for row in rows { try await row.create(on: tx) }
            return rows
        }
    }

    struct CriterionInput: Sendable {
        var code = ""
        var clause = ""
        var title = ""
        var measure = ""
        var check = ""
        var weight = ""
        var bands = ""
        var lowerIsBetter = false
        var unitLabel = ""
        var scope = Evaluation.Scope.all.rawValue

        init() {}

        init(form: [String: String]) {
            func line(_ key: String, _ max: Int = 300) -> String { TextNormalizer.normalize(form[key] ?? "", maxLength: max) }
            code = line("code", 40).uppercased()
            clause = line("clause", 120)
            title = line("title", 500)
            measure = form["measure"] ?? ""
            check = form["check"] ?? ""
            weight = line("weight", 20)
            bands = line("bands", 500)
            lowerIsBetter = form.isChecked("lowerIsBetter")
            unitLabel = line("unitLabel", 40)
            scope = form["scope"] ?? ""
        }

        init(_ row: EvaluationCriterion) {
            code = row.code
            clause = row.clause
            title = row.title
            measure = row.measure
            check = row.check
            weight = Evaluation.format(row.weight)
            bands = row.bands
            lowerIsBetter = row.lowerIsBetter
            unitLabel = row.unitLabel
            scope = row.scope
        }

        /// The criterion it describes, or its faults by field.
        func criterion() -> Result<Evaluation.Criterion, FormErrors> {
            var errors: FormErrors = [:]
            let measure = Evaluation.Measure(rawValue: measure)
            if measure == nil { errors["measure"] = "Chọn cách đo." }
            let scope = Evaluation.Scope(rawValue: scope)
            if scope == nil { errors["scope"] = "Chọn đối tượng áp dụng." }
            let weight = Double(weight.replacingOccurrences(of: ",", with: "."))
            if weight == nil { errors["weight"] = "«\(self.weight)» không phải số (ví dụ 10 hoặc 7,5)." }
            let bands = Evaluation.parseBands(bands)
            if bands == nil { errors["bands"] = "Viết các mức dạng «ngưỡng → tỉ lệ điểm», cách nhau bởi dấu chấm phẩy, ví dụ: 40 → 1; 30 → 0,75; 20 → 0,5." }
            if measure != nil && measure != .inspector && !EvaluationChecks.catalogue.contains(where: { $0.key == check }) {
                errors["check"] = "Chọn cách đo tự động (hoặc chọn «Cán bộ kiểm tra chấm»)."
            }
            guard errors.isEmpty, let measure, let scope, let weight, let bands else { return .failure(errors) }
            let criterion = Evaluation.Criterion(code: code, clause: clause, title: title, measure: measure, check: measure == .inspector ? "" : check,
                                                 weight: weight, bands: bands, lowerIsBetter: lowerIsBetter, unitLabel: unitLabel, scope: scope)
            if let problem = criterion.problem {
                return .failure(FormErrors([problem.contains("trọng số") ? "weight" : problem.contains("mức") ? "bands" : problem.contains("Mã") ? "code" : "title": problem]))
            }
            return .success(criterion)
        }
    }

    @discardableResult
    static func saveCriterion(_ input: CriterionInput, existing: EvaluationCriterion?, evaluator: ResolvedUnit, by actor: AuditActor,
                              on db: any Database) async throws -> EvaluationCriterion {
        let criterion: Evaluation.Criterion
        switch input.criterion() {
        case .success(let value): criterion = value
        case .failure(let errors): throw errors
        }
        let current = try await criteria(of: evaluator, on: db)
        if current.contains(where: { $0.code == criterion.code && $0.id != existing?.id }) {
            throw FormErrors.field("code", "Mã «\(criterion.code)» đã có trong bộ tiêu chí.")
        }
        let row = existing ?? EvaluationCriterion(unitID: evaluator.id, position: (current.map(\.position).max() ?? -1) + 1, criterion)
        row.set(criterion)
        try await db.transaction { tx in
            try await row.save(on: tx)
            try await AuditEntry.record(actor, unitID: evaluator.id, action: existing == nil ? "evaluation.criterion.create" : "evaluation.criterion.update",
                                        target: criterion.code + " " + String(criterion.title.prefix(100)), on: tx)
        }
        return row
    }

    // MARK: - Criteria from a spreadsheet

    static let criteriaSheet = CatalogueSheet(columns: [
        .init(key: "code", header: "Mã tiêu chí", aliases: ["Mã", "Ký hiệu"]),
        .init(key: "title", header: "Tên tiêu chí", aliases: ["Tiêu chí", "Nội dung tiêu chí", "Nội dung"]),
        .init(key: "clause", header: "Căn cứ", aliases: ["Điều khoản", "Căn cứ pháp lý"]),
        .init(key: "measure", header: "Cách đo", aliases: ["Phương pháp đánh giá", "Cách chấm", "Hình thức đánh giá"]),
        .init(key: "check", header: "Phép đo tự động", aliases: ["Mã phép đo"]),
        .init(key: "weight", header: "Trọng số", aliases: ["Điểm tối đa", "Điểm chuẩn", "Điểm"]),
        .init(key: "bands", header: "Các mức", aliases: ["Thang điểm", "Mức điểm", "Các mức điểm"]),
        .init(key: "lowerIsBetter", header: "Càng nhỏ càng tốt", aliases: []),
        .init(key: "unitLabel", header: "Đơn vị đo", aliases: []),
        .init(key: "scope", header: "Áp dụng cho", aliases: ["Đối tượng", "Đối tượng áp dụng"]),
    ], requiredKey: "title", noun: "tiêu chí")

    /// «Cán bộ kiểm tra chấm», «hệ thống», «Thu thập từ cổng» → a way of measuring, as a sheet writes it.
    static func readMeasure(_ text: String) -> Evaluation.Measure? {
        let folded = SearchFolding.foldWords(text)
        if folded.isEmpty { return nil }
        if folded.contains("trinh duyet") { return .browser }
        if folded.contains("thu thap") || folded.contains("crawl") { return .crawl }
        if folded.contains("he thong") || folded.contains("tu dong") { return .platform }
        if folded.contains("kiem tra") || folded.contains("thu cong") || folded.contains("can bo") { return .inspector }
        return Evaluation.Measure(rawValue: text.trimmingCharacters(in: .whitespaces))
    }

    static func readScope(_ text: String) -> Evaluation.Scope? {
        let folded = SearchFolding.foldWords(text)
        if folded.isEmpty || folded.contains("moi") || folded.contains("tat ca") { return .all }
        if folded.contains("co quan") || folded.contains("phong") { return .agencies }
        if folded.contains("truong") || folded.contains("co so giao duc") { return .schools }
        return Evaluation.Scope(rawValue: text.trimmingCharacters(in: .whitespaces))
    }

    /// The evaluator's criteria as a workbook to edit and import back.
    static func criteriaWorkbook(of evaluator: ResolvedUnit, on db: any Database) async throws -> Data {
        let rows = try await criteria(of: evaluator, on: db).map(\.criterion)
        let note = "Bộ tiêu chí đánh giá – mỗi tiêu chí một dòng. Cách đo: Dữ liệu hệ thống, Thu thập từ cổng, Đo bằng trình duyệt hoặc Cán bộ kiểm tra chấm. "
            + "Các mức: «ngưỡng → tỉ lệ điểm», cách nhau bởi dấu chấm phẩy. Tiêu chí có mã đã có thì được cập nhật."
        var sheet: [[XLSXWriter.Cell]] = [[.text(note)], criteriaSheet.columns.map { .text($0.header) }]
        for c in rows {
            sheet.append([.text(c.code), .text(c.title), .text(c.clause), .text(c.measure.label), .text(c.check), .number(c.weight),
                          .text(Evaluation.describe(c.bands, lowerIsBetter: c.lowerIsBetter)), .text(c.lowerIsBetter ? "Có" : ""), .text(c.unitLabel), .text(c.scope.label)])
        }
        return try XLSXWriter.workbook(sheetName: "Tiêu chí", rows: sheet, merges: ["A1:J1"])
    }

    /// Imports criteria all or nothing: each row checked like the form, every fault at its row and
    /// column; a row whose code the set has updates that criterion.
    static func importCriteria(_ bytes: [UInt8], evaluator: ResolvedUnit, by actor: AuditActor, on db: any Database) async throws -> ProcedureService.ImportSummary {
        var seen: [String: Int] = [:]
        let rows = try criteriaSheet.read(bytes) { line, form -> Result<Evaluation.Criterion, FormErrors> in
            var input = CriterionInput(form: form)
            let measureText = form["measure"] ?? "", scopeText = form["scope"] ?? ""
            input.measure = readMeasure(measureText)?.rawValue ?? ""
            input.scope = readScope(scopeText)?.rawValue ?? ""
            input.lowerIsBetter = ["co", "x", "1", "dung", "yes"].contains(SearchFolding.foldWords(form["lowerIsBetter"] ?? ""))
            var errors: FormErrors = [:]
            if case .failure(let faults) = input.criterion() { errors = faults }
            if input.measure.isEmpty { errors["measure"] = "cách đo «\(Spreadsheet.clean(measureText, maxLength: 40))» không có (Dữ liệu hệ thống, Thu thập từ cổng, Đo bằng trình duyệt, Cán bộ kiểm tra chấm)." }
            if input.scope.isEmpty { errors["scope"] = "đối tượng «\(Spreadsheet.clean(scopeText, maxLength: 40))» không có (Mọi đơn vị, Cơ sở giáo dục, Cơ quan quản lý)." }
            if let earlier = seen[input.code], !input.code.isEmpty { errors["code"] = "mã \(input.code) đã có ở dòng \(earlier)." } else if !input.code.isEmpty { seen[input.code] = line }
            guard errors.isEmpty, case .success(let criterion) = input.criterion() else { return .failure(errors) }
            return .success(criterion)
        }
        let existing = try await criteria(of: evaluator, on: db)
        let byCode = Dictionary(existing.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var summary = ProcedureService.ImportSummary()
        var position = (existing.map(\.position).max() ?? -1) + 1
        let targets: [EvaluationCriterion] = rows.map { _, criterion in
            if let row = byCode[criterion.code] {
                summary.updated += 1
                row.set(criterion)
                return row
            }
            summary.added += 1
            defer { position += 1 }
            return EvaluationCriterion(unitID: evaluator.id, position: position, criterion)
        }
        let counts = summary
        try await db.transaction { tx in
            for row in targets { try await row.save(on: tx) }
            try await AuditEntry.record(actor, unitID: evaluator.id, action: "evaluation.criteria.import", target: "\(counts.added) thêm, \(counts.updated) cập nhật", on: tx)
        }
        return summary
    }

    // MARK: - Rounds

    /// The units a round evaluates: the active units directly below the evaluator (A16.4, A16.5).
    static func evaluated(by evaluator: ResolvedUnit, on db: any Database) async throws -> [OrgUnit] {
        try await OrgUnit.query(on: db).filter(\.$parentID == evaluator.id).filter(\.$stateCode == UnitState.active.rawValue).sort(\.$name).all()
    }

    static func startRound(title raw: String, kind: String, evaluator: ResolvedUnit, by actor: AuditActor, who: String, now: Date = Date(),
                           on db: any Database) async throws -> EvaluationRound {
        let title = TextNormalizer.normalize(raw, maxLength: 300)
        var errors: FormErrors = [:]
        if title.count < 5 { errors["title"] = "Nhập tên đợt đánh giá (ví dụ «Đánh giá cổng thông tin năm học 2025–2026»)." }
        if !["dinh-ky", "dot-xuat"].contains(kind) { errors["kind"] = "Chọn định kỳ hoặc đột xuất." }
        guard errors.isEmpty else { throw errors }
        let criteria = try await criteria(of: evaluator, on: db).map(\.criterion)
        let round = EvaluationRound()
        round.unitID = evaluator.id
        round.title = title
        round.kind = kind
        round.state = EvaluationRound.State.scoring.rawValue
        round.criteriaJSON = String(decoding: try JSONEncoder().encode(criteria), as: UTF8.self)
        round.createdAt = now
        round.createdBy = who
        try await db.transaction { tx in
            try await round.create(on: tx)
            try await AuditEntry.record(actor, unitID: evaluator.id, action: "evaluation.round.start", target: title, on: tx)
        }
        return round
    }

    /// Measures every automatic criterion for every unit the round evaluates, keeping what
    /// inspectors scored. Returns the results written.
    @discardableResult
    static func computeAutomatic(_ round: EvaluationRound, evaluator: ResolvedUnit, context: EvaluationChecks.Context, by actor: AuditActor) async throws -> Int {
        guard round.roundState != .published else { throw FormErrors(form: "Đợt đánh giá đã công bố; không chấm lại được.") }
        let db = context.db
        let roundID = try round.requireID()
        var written = 0
        for unit in try await evaluated(by: evaluator, on: db) {
            let resolved = try await unit.resolved(on: db)
            let existing = Dictionary(try await EvaluationScore.query(on: db).filter(\.$roundID == roundID).filter(\.$unitID == resolved.id).all().map { ($0.code, $0) },
                                      uniquingKeysWith: { first, _ in first })
            for criterion in round.criteria where criterion.measure != .inspector && criterion.scope.includes(unit.type) {
                if existing[criterion.code]?.source == "kiem-tra" { continue }
                let result = try await EvaluationChecks.measure(criterion.check, unit: resolved, context: context)
                let score = existing[criterion.code] ?? EvaluationScore()
                score.roundID = roundID
                score.unitID = resolved.id
                score.code = criterion.code
                score.value = result.value
                score.evidence = result.evidence
                score.evidenceURL = result.url
                score.source = "tu-dong"
                score.measuredAt = context.now
                score.measuredBy = "tự động"
                try await score.save(on: db)
                written += 1
            }
        }
        round.computedAt = context.now
        let count = written
        try await db.transaction { tx in
            try await round.save(on: tx)
            try await AuditEntry.record(actor, unitID: evaluator.id, action: "evaluation.round.compute", target: round.title, detail: "\(count) kết quả", on: tx)
        }
        return count
    }

    /// An inspector's score for one criterion of one unit, with the evidence it rests on.
    static func scoreManually(_ round: EvaluationRound, unit: OrgUnit, code: String, value raw: String, evidence rawEvidence: String, url rawURL: String,
                              evaluator: ResolvedUnit, by actor: AuditActor, who: String, now: Date = Date(), on db: any Database) async throws {
        guard round.roundState != .published else { throw FormErrors(form: "Đợt đánh giá đã công bố; không sửa điểm được.") }
        guard unit.parentID == evaluator.id, let unitID = unit.id else { throw AppError.notFound }
        guard let criterion = round.criteria.first(where: { $0.code == code }), criterion.scope.includes(unit.type) else {
            throw FormErrors.field("code", "Tiêu chí «\(code)» không có trong đợt này hoặc không áp dụng cho đơn vị.")
        }
        var errors: FormErrors = [:]
        let text = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        let value = text.isEmpty ? nil : Double(text)
        if value == nil || !(value!.isFinite) { errors["value"] = "Nhập giá trị đo được (số; với tiêu chí đạt/không đạt: 1 hoặc 0)." }
        let evidence = TextNormalizer.normalize(rawEvidence, mode: .multiLine, maxLength: 2000)
        if evidence.count < 5 { errors["evidence"] = "Ghi căn cứ chấm (biên bản, văn bản, trang đã xem)." }
        let url = TextNormalizer.normalize(rawURL, maxLength: 1000)
        if !url.isEmpty, URL(string: url).map({ ["http", "https"].contains($0.scheme?.lowercased() ?? "") && $0.host != nil }) != true {
            errors["url"] = "Đường dẫn minh chứng phải là địa chỉ http:// hoặc https:// đầy đủ."
        }
        guard errors.isEmpty, let value else { throw errors }
        let roundID = try round.requireID()
        let score = try await EvaluationScore.query(on: db).filter(\.$roundID == roundID).filter(\.$unitID == unitID).filter(\.$code == code).first() ?? EvaluationScore()
        score.roundID = roundID
        score.unitID = unitID
        score.code = code
        score.value = value
        score.evidence = evidence
        score.evidenceURL = url
        score.source = "kiem-tra"
        score.measuredAt = now
        score.measuredBy = who
        try await db.transaction { tx in
            try await score.save(on: tx)
            try await AuditEntry.record(actor, unitID: evaluator.id, action: "evaluation.score", target: "\(unit.code) \(code)",
                                        detail: "giá trị \(Evaluation.format(value))", on: tx)
        }
    }

    /// Moves the round on: scoring → review (each unit sees its draft) → published.
    static func advance(_ round: EvaluationRound, to state: EvaluationRound.State, evaluator: ResolvedUnit, by actor: AuditActor, now: Date = Date(),
                        on db: any Database) async throws {
        let allowed: [EvaluationRound.State: [EvaluationRound.State]] = [.scoring: [.review, .published], .review: [.scoring, .published], .published: []]
        guard allowed[round.roundState]?.contains(state) == true else {
            throw FormErrors(form: "Đợt «\(round.title)» đang ở bước «\(round.roundState.label)»; không chuyển sang «\(state.label)» được.")
        }
        if state == .published && round.computedAt == nil { throw FormErrors(form: "Chưa chấm tự động: chạy chấm trước khi công bố.") }
        round.state = state.rawValue
        if state == .published { round.publishedAt = now }
        try await db.transaction { tx in
            try await round.save(on: tx)
            try await AuditEntry.record(actor, unitID: evaluator.id, action: "evaluation.round." + state.rawValue, target: round.title, on: tx)
            if state == .published { try await OrgUnit.touch(evaluator.id, on: tx) }
        }
    }

    /// The evaluated unit's response to its draft result (while the round is in review).
    static func respond(_ round: EvaluationRound, unit: ResolvedUnit, body raw: String, by actor: AuditActor, who: String, now: Date = Date(),
                        on db: any Database) async throws {
        guard round.roundState == .review else { throw FormErrors(form: "Chỉ phản hồi được khi đợt đánh giá đang lấy ý kiến đơn vị.") }
        guard unit.parentID == round.unitID else { throw AppError.notFound }
        let body = TextNormalizer.normalize(raw, mode: .multiLine, maxLength: 5000)
        guard body.count >= 5 else { throw FormErrors.field("body", "Nhập nội dung phản hồi.") }
        let response = EvaluationResponse()
        response.roundID = try round.requireID()
        response.unitID = unit.id
        response.body = body
        response.createdAt = now
        response.createdBy = who
        try await db.transaction { tx in
            try await response.create(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: "evaluation.response", target: round.title, on: tx)
        }
    }

    // MARK: - Results

    struct Row: Sendable {
        let unit: OrgUnit
        let total: Evaluation.Total
        let rank: Int
        let grade: String
    }

    /// Every evaluated unit's total, rank and grade in a round, best first.
    /// A published round keeps the units it scored, whatever has changed below since; an open one
    /// covers the units below now.
    static func table(_ round: EvaluationRound, evaluator: ResolvedUnit, on db: any Database) async throws -> [Row] {
        let roundID = try round.requireID()
        let scores = try await EvaluationScore.query(on: db).filter(\.$roundID == roundID).all()
        var values: [UUID: [String: Double]] = [:]
        for score in scores {
            if let value = score.value { values[score.unitID, default: [:]][score.code] = value }
        }
        let units = round.roundState == .published
            ? try await OrgUnit.query(on: db).filter(\.$id ~~ Array(Set(scores.map(\.unitID)))).all()
            : try await evaluated(by: evaluator, on: db)
        let criteria = round.criteria
        let totals = Dictionary(uniqueKeysWithValues: units.compactMap { unit in
            unit.id.map { id in (id, Evaluation.total(criteria.filter { $0.scope.includes(unit.type) }, values: values[id] ?? [:])) }
        })
        let ranks = Evaluation.rank(units.compactMap { unit in unit.id.map { (id: $0, name: unit.name, score: totals[$0]?.score ?? 0) } })
        let byID = Dictionary(uniqueKeysWithValues: units.compactMap { u in u.id.map { ($0, u) } })
        return ranks.compactMap { entry in
            guard let unit = byID[entry.id], let total = totals[entry.id] else { return nil }
            return Row(unit: unit, total: total, rank: entry.rank, grade: Evaluation.grade(total.score))
        }
    }
}

// MARK: - Rounds on a schedule

extension EvaluationService {
    /// The evaluator's schedule for periodic rounds: the rounds' title, how often, when the next
    /// opens; switched off by `active == false`. One per evaluator.
    @discardableResult
    static func saveSchedule(title raw: String, cadence rawCadence: String, next rawNext: String, active: Bool, evaluator: ResolvedUnit,
                             by actor: AuditActor, who: String, now: Date = Date(), on db: any Database) async throws -> RoundSchedule {
        let existing = try await RoundSchedule.query(in: evaluator, on: db).first()
        var errors: FormErrors = [:]
        let title = TextNormalizer.normalize(raw, maxLength: 250)
        if title.count < 5 { errors["title"] = "Nhập tên các đợt (ví dụ «Đánh giá cổng thông tin, thư điện tử»); mỗi đợt thêm kỳ vào tên." }
        let cadence = Cadence(rawValue: rawCadence)
        if cadence == nil || cadence == .once { errors["cadence"] = "Chọn hằng tháng, hằng quý, sáu tháng hoặc hằng năm." }
        let day = VietnameseDate.parse(rawNext)
        if rawNext.trimmingCharacters(in: .whitespaces).isEmpty {
            errors["next"] = "Nhập ngày mở đợt tiếp theo (ngày/tháng/năm)."
        } else if day == nil {
            errors["next"] = "«\(String(rawNext.prefix(30)))» không phải ngày (viết ngày/tháng/năm, ví dụ 01/05/2027)."
        } else if let day, active, VietnameseDate.calendar.startOfDay(for: day) < VietnameseDate.calendar.startOfDay(for: now) {
            errors["next"] = "Ngày \(VietnameseDate.day(day)) đã qua; chọn từ hôm nay trở đi."
        }
        guard errors.isEmpty, let cadence, let day else { throw errors }
        // Rounds open at 07:00 on the day, Vietnam time.
        let opens = VietnameseDate.calendar.date(byAdding: .hour, value: 7, to: VietnameseDate.calendar.startOfDay(for: day)) ?? day
        let schedule = existing ?? RoundSchedule()
        schedule.unitID = evaluator.id
        schedule.title = title
        schedule.cadence = cadence.rawValue
        schedule.firstAt = opens
        schedule.nextAt = opens
        schedule.active = active
        schedule.updatedAt = now
        schedule.updatedBy = who
        try await db.transaction { tx in
            try await schedule.save(on: tx)
            try await AuditEntry.record(actor, unitID: evaluator.id, action: "evaluation.schedule", target: title,
                                        detail: active ? "\(cadence.label), đợt tới \(VietnameseDate.dateTime(opens))" : "tắt", on: tx)
        }
        return schedule
    }

    /// Opens every scheduled round that has come due: the round is started with the evaluator's
    /// criteria as they are, scored automatically, and the evaluator's admins are told; the
    /// schedule moves to its next date (missed dates are not opened one by one). Returns the
    /// rounds opened.
    @discardableResult
    static func runDueSchedules(context: EvaluationChecks.Context) async throws -> [EvaluationRound] {
        let db = context.db
        var opened: [EvaluationRound] = []
        for schedule in try await RoundSchedule.query(on: db).filter(\.$active == true).filter(\.$nextAt <= context.now).all() {
            guard let unit = try await OrgUnit.find(schedule.unitID, on: db), unit.type.isManagementAgency else { continue }
            let evaluator = try await unit.resolved(on: db)
            let period = schedule.nextAt
            // Claimed before the work, so a second worker or a crash never opens the same period twice.
            schedule.nextAt = schedule.schedule.next(after: max(period, context.now), from: schedule.firstAt) ?? period.addingTimeInterval(86_400 * 365)
            try await schedule.save(on: db)
            let title = "\(schedule.title) \(schedule.schedule.periodLabel(of: period))"
            let round = try await startRound(title: title, kind: "dinh-ky", evaluator: evaluator, by: .system, who: "Hệ thống (theo lịch)", now: context.now, on: db)
            let count = try await computeAutomatic(round, evaluator: evaluator, context: context, by: .system)
            schedule.lastRoundID = round.id
            try await schedule.save(on: db)
            let link = context.links.base(of: evaluator) + SiteURL.adminEvaluationRound(code: .value(evaluator.code), id: .value(round.id?.uuidString.lowercased() ?? "")).path
            try await DeploymentReport.tell(evaluator, subject: "Đã mở đợt đánh giá theo lịch: \(title)",
                                            body: "Hệ thống đã mở đợt «\(title)» và chấm tự động \(count) kết quả. Cán bộ kiểm tra chấm các tiêu chí còn lại, rồi cho đơn vị xem kết quả dự kiến.\n\n"
                                                + "Đợt tiếp theo: \(VietnameseDate.dateTime(schedule.nextAt)).\n\nXem đợt: \(link)\n", on: db)
            opened.append(round)
        }
        return opened
    }
}

// MARK: - An audit from outside as a unit's scores

extension EvaluationService {
    /// The open rounds and their units an audit can be written into, as the form offers them.
    static func auditTargets(evaluator: ResolvedUnit, on db: any Database) async throws -> [(value: String, label: String)] {
        let rounds = try await EvaluationRound.query(in: evaluator, on: db).filter(\.$state != EvaluationRound.State.published.rawValue)
            .sort(\.$createdAt, .descending).all()
        guard !rounds.isEmpty else { return [] }
        let units = try await evaluated(by: evaluator, on: db)
        return rounds.flatMap { round in
            units.map { unit in ((round.id?.uuidString.lowercased() ?? "") + ":" + unit.code, "\(round.title) – \(unit.name)") }
        }
    }

    /// The audit check that measures the same thing as a round's criterion, seen from outside.
    static func auditCheck(for check: String) -> String { check == "muc-bat-buoc" ? "muc-tim-thay" : check }

    /// Writes what an audit of the unit's own portal measured into an open round as that unit's
    /// scores for the criteria measuring the same thing (kept when the round is scored again, as
    /// an inspector's are); what the audit could not see is left as it was. Returns the count.
    @discardableResult
    static func recordAudit(_ report: PortalAuditor.Report, target: String, evaluator: ResolvedUnit, by actor: AuditActor, who: String,
                            now: Date = Date(), on db: any Database) async throws -> (round: EvaluationRound, unit: OrgUnit, written: Int) {
        let parts = target.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let id = UUID(uuidString: parts[0]),
              let round = try await EvaluationRound.query(in: evaluator, on: db).filter(\.$id == id).first(),
              let unit = try await evaluated(by: evaluator, on: db).first(where: { $0.code == parts[1] }), let unitID = unit.id else {
            throw FormErrors.field("target", "Chọn một đợt đang mở và một đơn vị trực thuộc.")
        }
        guard round.roundState != .published else { throw FormErrors.field("target", "Đợt «\(round.title)» đã công bố; không ghi thêm kết quả được.") }
        let roundID = try round.requireID()
        let measured = Dictionary(report.results.map { ($0.criterion.check, $0.result) }, uniquingKeysWith: { a, _ in a })
        let written = try await db.transaction { tx -> Int in
            var written = 0
            for criterion in round.criteria where criterion.measure != .inspector && criterion.scope.includes(unit.type) {
                guard let result = measured[auditCheck(for: criterion.check)], let value = result.value else { continue }
                let score = try await EvaluationScore.query(on: tx).filter(\.$roundID == roundID).filter(\.$unitID == unitID)
                    .filter(\.$code == criterion.code).first() ?? EvaluationScore()
                score.roundID = roundID
                score.unitID = unitID
                score.code = criterion.code
                score.value = value
                score.evidence = String("Kiểm tra cổng \(report.url) lúc \(VietnameseDate.dateTime(now)): \(result.evidence)".prefix(2000))
                score.evidenceURL = result.url.hasPrefix("http") ? result.url : report.url
                score.source = "kiem-tra"
                score.measuredAt = now
                score.measuredBy = who
                try await score.save(on: tx)
                written += 1
            }
            try await AuditEntry.record(actor, unitID: evaluator.id, action: "evaluation.audit.record", target: "\(unit.code) \(report.url)",
                                        detail: "\(written) kết quả vào «\(round.title)»", on: tx)
            return written
        }
        return (round, unit, written)
    }
}
