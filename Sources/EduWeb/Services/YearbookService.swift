import EduCore
import EduData
import Fluent
import Vapor

/// The statistics yearbook (A8.8, A9.9): each school files its figures per reporting period
/// (checked: whole numbers, sums that must agree, pupils per class); offices and the Sở see their
/// subtree summed, also per type and per managing office; five school years side by side.
enum YearbookService {
    /// Figures of one unit (a school's own, or a subtree's sum) for one period.
    struct Figures: Sendable, Equatable {
        var values: [String: Int] = [:]
        /// Schools that filed, by level and ownership (`tieu-hoc|cong-lap` → count).
        var schools: [String: Int] = [:]
        /// The same values by ownership (`cong-lap` → key → sum): public and non-public schools apart.
        var byOwnership: [String: [String: Int]] = [:]
        var filed = 0

        mutating func add(_ report: YearbookReport) {
            for (key, value) in report.values {
                values[key, default: 0] += value
                byOwnership[report.ownership, default: [:]][key, default: 0] += value
            }
            let type = UnitType(rawValue: report.unitType) ?? .trungTam
            let levels = YearbookLevel.levels(of: type)
            // An inter-level school counts at each level it has pupils in.
            for level in levels where levels.count == 1 || (report.values["\(level.rawValue).hoc_sinh"] ?? 0) > 0 {
                schools["\(level.rawValue)|\(report.ownership)", default: 0] += 1
            }
            filed += 1
        }

        func value(_ key: String) -> Int { values[key] ?? 0 }

        /// A value summed over the non-public schools (private and people-founded).
        func nonPublic(_ key: String) -> Int {
            byOwnership.filter { $0.key != YearbookOwnership.congLap.rawValue }.values.reduce(0) { $0 + ($1[key] ?? 0) }
        }

        /// Level-scoped indicators summed over the levels (all pupils, all classes).
        func total(_ indicator: String) -> Int {
            YearbookLevel.allCases.reduce(0) { $0 + value("\($1.rawValue).\(indicator)") }
        }
    }

    /// Field names in forms: `thcs.hoc_sinh` → `thcs__hoc_sinh` (a dot would read as nesting).
    static func fieldName(_ key: String) -> String { key.replacingOccurrences(of: ".", with: "__") }

    static func periods(on db: any Database) async throws -> [YearbookPeriod] {
        try await YearbookPeriod.query(on: db).sort(\.$schoolYear, .descending).sort(\.$kind).all()
    }

    /// The last `count` school years' start-of-year periods, oldest first (the yearbook's columns).
    static func yearColumns(_ count: Int = 5, on db: any Database) async throws -> [YearbookPeriod] {
        Array(try await YearbookPeriod.query(on: db).filter(\.$kind == YearbookPeriod.Kind.startOfYear.rawValue)
            .sort(\.$schoolYear, .descending).limit(count).all().reversed())
    }

    // MARK: - Periods (the Sở)

    struct PeriodInput: Sendable {
        var schoolYear = ""
        var kind = ""
        var referenceDate = ""
        var dueAt = ""

        init() {}

        init(form: [String: String]) {
            schoolYear = TextNormalizer.normalize(form["schoolYear"] ?? "", maxLength: 9).replacingOccurrences(of: "–", with: "-")
            kind = form["kind"] ?? ""
            referenceDate = TextNormalizer.normalize(form["referenceDate"] ?? "", maxLength: 25)
            dueAt = TextNormalizer.normalize(form["dueAt"] ?? "", maxLength: 25)
        }
    }

    /// A reporting period, set by the Sở (the top unit's admins) for the whole province.
    static func createPeriod(_ input: PeriodInput, unit: ResolvedUnit, by actor: AuditActor, now: Date = Date(), on db: any Database) async throws -> YearbookPeriod {
        guard unit.parentID == nil else { throw FormErrors(form: "Kỳ báo cáo do Sở đặt cho cả tỉnh.") }
        var errors: FormErrors = [:]
        let years = input.schoolYear.split(separator: "-").compactMap { Int($0) }
        if years.count != 2 || years[1] != years[0] + 1 || !(2000...2100).contains(years[0]) {
            errors["schoolYear"] = "Năm học viết dạng 2025-2026."
        }
        if YearbookPeriod.Kind(rawValue: input.kind) == nil { errors["kind"] = "Chọn kỳ báo cáo." }
        let reference = errors.moment(input.referenceDate, field: "referenceDate"), due = errors.moment(input.dueAt, field: "dueAt")
        if let reference, let due, due <= reference { errors["dueAt"] = "Hạn nộp phải sau ngày chốt số liệu." }
        if errors.isEmpty, try await YearbookPeriod.query(on: db).filter(\.$schoolYear == input.schoolYear).filter(\.$kind == input.kind).first() != nil {
            errors["kind"] = "Kỳ này của năm học \(input.schoolYear) đã có."
        }
        guard errors.isEmpty, let reference, let due else { throw errors }
        let period = YearbookPeriod()
        period.schoolYear = input.schoolYear
        period.kind = input.kind
        period.referenceDate = reference
        period.dueAt = due
        period.createdAt = now
        try await db.transaction { tx in
            try await period.create(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: "yearbook.period", target: period.label,
                                        detail: "hạn \(VietnameseDate.dateTime(due))", on: tx)
        }
        return period
    }

    // MARK: - A school's report

    /// Reads the form's values: every indicator of the school's type, a whole number from 0.
    static func read(_ form: [String: String], type: UnitType) -> (values: [String: Int], errors: FormErrors) {
        var values: [String: Int] = [:]
        var errors: FormErrors = [:]
        for key in YearbookCatalogue.keys(for: type) {
            let field = fieldName(key)
            let text = (form[field] ?? "").trimmingCharacters(in: .whitespaces)
            if text.isEmpty {
                errors[field] = "Nhập số (0 nếu không có)."
            } else if let number = wholeNumber(text) {
                values[key] = number
            } else {
                errors[field] = "«\(TextNormalizer.normalize(form[field] ?? "", maxLength: 20))» không phải số nguyên không âm."
            }
        }
        if errors.isEmpty {
            for fault in YearbookCatalogue.faults(values, type: type) where errors[fieldName(fault.key)] == nil {
                errors[fieldName(fault.key)] = fault.message
            }
        }
        return (values, errors)
    }

    /// Files (or corrects) a school's figures for a period, all checked first: nothing is stored
    /// while one value is wrong. The school's and every unit above's pages change.
    @discardableResult
    static func save(_ form: [String: String], unit: ResolvedUnit, period: YearbookPeriod, by actor: AuditActor, who: String,
                     now: Date = Date(), on db: any Database) async throws -> YearbookReport {
        guard !YearbookLevel.levels(of: unit.type).isEmpty else {
            throw FormErrors(form: "Số liệu niên giám do từng trường nhập; \(unit.type.label.lowercased()) xem số liệu tổng hợp.")
        }
        let (values, readErrors) = read(form, type: unit.type)
        var errors = readErrors
        let ownership = form["ownership"] ?? ""
        if YearbookOwnership(rawValue: ownership) == nil { errors["ownership"] = "Chọn loại hình trường." }
        guard errors.isEmpty else { throw errors }
        let periodID = try period.requireID()
        let report = try await YearbookReport.query(in: unit, on: db).filter(\.$periodID == periodID).first() ?? YearbookReport()
        let replacing = report.id != nil
        report.unitID = unit.id
        report.periodID = periodID
        report.ownership = ownership
        report.unitType = unit.type.rawValue
        report.values = values
        report.submittedBy = who
        report.submittedAt = now
        try await db.transaction { tx in
            try await report.save(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: "yearbook.save", target: period.label,
                                        detail: replacing ? "sửa số liệu" : "nộp số liệu", on: tx)
            for id in [unit.id] + unit.ancestorIDs { try await OrgUnit.touch(id, on: tx) }
        }
        return report
    }

    // MARK: - Sums up the tree

    /// The schools whose reports count for a unit: itself if a school, else every school below it
    /// (those that ended too: their history stays in their managing unit's figures), and the units
    /// merged or dissolved into it from elsewhere with theirs (their history is the successor's).
    static func schoolIDs(under unit: ResolvedUnit, on db: any Database) async throws -> [UUID] {
        var units = try await OrgUnit.subtree(ofPath: unit.path, includingEnded: true, on: db)
        for predecessor in try await UnitChangeService.predecessors(of: unit.id, on: db) where !predecessor.path.hasPrefix(unit.path) {
            units += try await OrgUnit.subtree(ofPath: predecessor.path, includingEnded: true, on: db)
        }
        var seen = Set<UUID>()
        return units.filter { !YearbookLevel.levels(of: $0.type).isEmpty }.compactMap(\.id).filter { seen.insert($0).inserted }
    }

    /// The unit's figures for each period (summed over its schools).
    static func figures(of unit: ResolvedUnit, periods: [YearbookPeriod], on db: any Database) async throws -> [UUID: Figures] {
        let ids = try await schoolIDs(under: unit, on: db)
        let periodIDs = periods.compactMap(\.id)
        guard !ids.isEmpty, !periodIDs.isEmpty else { return [:] }
        var result: [UUID: Figures] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min(ids.count, $0 + 500)]) }) {
            for report in try await YearbookReport.query(on: db).filter(\.$unitID ~~ chunk).filter(\.$periodID ~~ periodIDs).all() {
                result[report.periodID, default: Figures()].add(report)
            }
        }
        return result
    }

    /// The units directly below, each with its subtree's figures for one period (per commune office, per school).
    static func byChild(of unit: ResolvedUnit, period: YearbookPeriod, on db: any Database) async throws -> [(OrgUnit, Figures)] {
        let periodID = try period.requireID()
        let subtree = try await OrgUnit.subtree(ofPath: unit.path, includingEnded: true, on: db)
        let children = subtree.filter { $0.parentID == unit.id && $0.state == .active }
        let reports = try await YearbookReport.query(on: db).filter(\.$periodID == periodID).filter(\.$unitID ~~ subtree.compactMap(\.id)).all()
        let byUnit = Dictionary(grouping: reports, by: \.unitID)
        return children.map { child in
            var figures = Figures()
            for school in subtree where school.path.hasPrefix(child.path) {
                for report in byUnit[school.id ?? UUID()] ?? [] { figures.add(report) }
            }
            return (child, figures)
        }
    }

    /// Active schools below a unit that have not filed for the period.
    static func missing(under unit: ResolvedUnit, period: YearbookPeriod, on db: any Database) async throws -> [OrgUnit] {
        let schools = try await OrgUnit.subtree(ofPath: unit.path, on: db).filter { !YearbookLevel.levels(of: $0.type).isEmpty }
        let filed = Set(try await YearbookReport.query(on: db).filter(\.$periodID == period.requireID()).all().map(\.unitID))
        return schools.filter { !filed.contains($0.id ?? UUID()) }
    }

    /// Schools among `units` that have not filed for a period already due (the latest three periods).
    static func overdue(in units: [OrgUnit], now: Date = Date(), on db: any Database) async throws -> [(period: YearbookPeriod, school: OrgUnit)] {
        let due = try await YearbookPeriod.query(on: db).filter(\.$dueAt < now).sort(\.$dueAt, .descending).limit(3).all()
        let schools = units.filter { !YearbookLevel.levels(of: $0.type).isEmpty && $0.state == .active }
        guard !due.isEmpty, !schools.isEmpty else { return [] }
        let filed = Set(try await YearbookReport.query(on: db).filter(\.$periodID ~~ due.compactMap(\.id)).all().map { "\($0.periodID)|\($0.unitID)" })
        return due.flatMap { period in
            schools.filter { school in !filed.contains("\(period.id?.uuidString ?? "")|\(school.id?.uuidString ?? "")") }.map { (period, $0) }
        }
    }
}
