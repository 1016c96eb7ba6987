import EduCore
import EduData
import EduImport
import Fluent
import Foundation

/// Online admission (A8.4c, A9.4, A9.8): plans with quotas per school, registrations stored
/// before a receipt is shown, and choices changed within their window with every version kept.
enum AdmissionService {
    /// What the parent agrees to, stored with the registration (Luật Bảo vệ dữ liệu cá nhân, in
    /// force since 1 January 2026: consent is given by a box the parent ticks, never pre-ticked).
    static let consentText = "Tôi đồng ý để đơn vị tuyển sinh xử lý dữ liệu cá nhân của con tôi nêu trong đơn này chỉ cho việc tuyển sinh; dữ liệu của trẻ không trúng tuyển được xóa sau thời hạn ghi trong kế hoạch."

    // MARK: - Plans

    /// The admin's plan form, as typed.
    struct PlanInput: Sendable {
        var title = ""
        var grade = ""
        var schoolYear = ""
        var method = AdmissionPlan.Method.xetTuyen.rawValue
        var eligibility = ""
        var dossier = ""
        var place = ""
        var priorities = ""
        var zones = ""
        var maxChoices = "1"
        var sameZoneChoices = "0"
        var needsEthnicity = false
        var opensAt = ""
        var closesAt = ""
        var changesCloseAt = ""
        var resultsAt = ""
        var resultsWithdrawnAt = ""
        var retentionDays = "90"
        /// One school a line: `mã đơn vị; chỉ tiêu[; tuyến]`.
        var quotas = ""

        init() {}

        init(form: [String: String]) {
            func text(_ name: String, _ max: Int = 200) -> String { TextNormalizer.normalize(form[name] ?? "", maxLength: max) }
            func lines(_ name: String) -> String { TextNormalizer.normalize(form[name] ?? "", mode: .multiLine, maxLength: 5000) }
            title = text("title")
            grade = text("grade", 4)
            schoolYear = text("schoolYear", 20)
            method = text("method", 20)
            eligibility = lines("eligibility")
            dossier = lines("dossier")
            place = text("place", 300)
            priorities = lines("priorities")
            zones = lines("zones")
            maxChoices = text("maxChoices", 2)
            sameZoneChoices = text("sameZoneChoices", 2)
            needsEthnicity = form.isChecked("needsEthnicity")
            opensAt = text("opensAt", 25)
            closesAt = text("closesAt", 25)
            changesCloseAt = text("changesCloseAt", 25)
            resultsAt = text("resultsAt", 25)
            resultsWithdrawnAt = text("resultsWithdrawnAt", 25)
            retentionDays = text("retentionDays", 4)
            quotas = lines("quotas")
        }
    }

    /// Checks a plan against its owner's subtree and writes it with its quotas. Throws `FormErrors`.
    static func createPlan(_ input: PlanInput, owner: ResolvedUnit, by actor: AuditActor, on db: any Database) async throws -> AdmissionPlan {
        var errors: FormErrors = [:]
        if input.title.isEmpty { errors["title"] = "Nhập tên kế hoạch." }
        let grade = Int(input.grade) ?? 0
        if !(1...12).contains(grade) { errors["grade"] = "Chọn khối lớp tuyển sinh (1 đến 12)." }
        if input.schoolYear.range(of: #"^\d{4}\s*[–-]\s*\d{4}$"#, options: .regularExpression) == nil {
            errors["schoolYear"] = "Năm học dạng 2026–2027."
        }
        let method = AdmissionPlan.Method(rawValue: input.method)
        if method == nil { errors["method"] = "Chọn phương thức tuyển sinh." }
        let maxChoices = Int(input.maxChoices) ?? 0
        if !(1...10).contains(maxChoices) { errors["maxChoices"] = "Số nguyện vọng từ 1 đến 10." }
        let sameZone = Int(input.sameZoneChoices) ?? -1
        if !(0...10).contains(sameZone) || sameZone > maxChoices { errors["sameZoneChoices"] = "Từ 0 đến số nguyện vọng." }
        let opens = errors.moment(input.opensAt, field: "opensAt", required: true)
        let closes = errors.moment(input.closesAt, field: "closesAt", required: true)
        let changes = errors.moment(input.changesCloseAt, field: "changesCloseAt", required: false) ?? closes
        let results = errors.moment(input.resultsAt, field: "resultsAt", required: false)
        let withdrawn = errors.moment(input.resultsWithdrawnAt, field: "resultsWithdrawnAt", required: false)
        if let opens, let closes, closes <= opens { errors["closesAt"] = "Hạn đăng ký phải sau thời điểm mở." }
        if let closes, let changes, changes < closes { errors["changesCloseAt"] = "Hạn đổi nguyện vọng không được trước hạn đăng ký." }
        if let results, let closes, results < closes { errors["resultsAt"] = "Công bố kết quả sau khi hết hạn đăng ký." }
        if let withdrawn, results == nil || withdrawn <= results! { errors["resultsWithdrawnAt"] = "Thời điểm gỡ kết quả phải sau thời điểm công bố." }
        let retention = Int(input.retentionDays) ?? -1
        if !(1...3650).contains(retention) { errors["retentionDays"] = "Số ngày lưu hồ sơ không trúng tuyển: 1 đến 3650." }
        let zoneNames = input.zones.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if sameZone > 0 && zoneNames.isEmpty { errors["zones"] = "Quy tắc tuyến cần danh sách tuyến." }

        // Quotas: only schools in the owner's subtree (a school's own plan names itself).
        let subtree = try await OrgUnit.subtree(ofPath: owner.path, on: db)
        let byCode = Dictionary(uniqueKeysWithValues: subtree.map { ($0.code, $0) })
        var quotas: [(UUID, Int, String)] = []
        for (index, line) in input.quotas.split(separator: "\n").enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = line.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let where_ = "Dòng \(index + 1)"
            guard parts.count >= 2, let school = byCode[parts[0].lowercased()], !school.type.isManagementAgency, let id = school.id else {
                errors["quotas"] = "\(where_): «\(parts.first ?? "")» không phải mã một trường thuộc đơn vị (mã; chỉ tiêu; tuyến)."
                break
            }
            guard let quota = Int(parts[1]), (1...100_000).contains(quota) else { errors["quotas"] = "\(where_): chỉ tiêu phải là số dương."; break }
            let zone = parts.count > 2 ? parts[2] : ""
            if !zone.isEmpty && !zoneNames.contains(zone) { errors["quotas"] = "\(where_): tuyến «\(zone)» không có trong danh sách tuyến."; break }
            if sameZone > 0 && zone.isEmpty { errors["quotas"] = "\(where_): ghi tuyến của trường (kế hoạch có quy tắc tuyến)."; break }
            if quotas.contains(where: { $0.0 == id }) { errors["quotas"] = "\(where_): trường \(school.code) ghi hai lần."; break }
            quotas.append((id, quota, zone))
        }
        if quotas.isEmpty && errors["quotas"] == nil { errors["quotas"] = "Ghi ít nhất một trường và chỉ tiêu (mã; chỉ tiêu; tuyến)." }
        guard errors.isEmpty, let method, let opens, let closes, let changes else { throw errors }
        let quotaRows = quotas

        let plan = AdmissionPlan()
        plan.unitID = owner.id
        plan.title = input.title
        plan.grade = grade
        plan.schoolYear = input.schoolYear.replacingOccurrences(of: "-", with: "–").replacingOccurrences(of: " ", with: "")
        plan.method = method.rawValue
        plan.eligibility = input.eligibility
        plan.dossier = input.dossier
        plan.place = input.place
        plan.priorities = input.priorities
        plan.zones = zoneNames.joined(separator: "\n")
        plan.maxChoices = maxChoices
        plan.sameZoneChoices = sameZone
        plan.needsEthnicity = input.needsEthnicity
        plan.registrationOpensAt = opens
        plan.registrationClosesAt = closes
        plan.changesCloseAt = changes
        plan.resultsAt = results
        plan.resultsWithdrawnAt = withdrawn
        plan.retentionDays = retention
        plan.createdAt = Date()
        plan.updatedAt = Date()
        try await db.transaction { tx in
            try await plan.create(on: tx)
            let planID = try plan.requireID()
            for (school, quota, zone) in quotaRows { try await AdmissionQuota(planID: planID, schoolID: school, quota: quota, zone: zone).create(on: tx) }
            try await AuditEntry.record(actor, unitID: owner.id, action: "admission.plan.create", target: plan.title,
                                        detail: "\(quotaRows.count) trường, \(quotaRows.map(\.1).reduce(0, +)) chỉ tiêu", on: tx)
            for (school, _, _) in quotaRows { try await OrgUnit.touch(school, on: tx) }
            try await OrgUnit.touch(owner.id, on: tx)
        }
        return plan
    }

    /// The plans that admit to `unitID`: its own, and those of units above it that give it a quota.
    static func plans(covering unitID: UUID, on db: any Database) async throws -> [AdmissionPlan] {
        let quoted = try await AdmissionQuota.query(on: db).filter(\.$schoolID == unitID).all().map(\.planID)
        let own = try await AdmissionPlan.query(on: db).filter(\.$unitID == unitID).all()
        let others = quoted.isEmpty ? [] : try await AdmissionPlan.query(on: db).filter(\.$id ~~ quoted).all()
        var seen = Set<UUID>()
        return (own + others).filter { $0.id.map { seen.insert($0).inserted } ?? false }.sorted { $0.registrationOpensAt > $1.registrationOpensAt }
    }

    /// A plan shown on `unitID`'s portal: one it runs or one that gives it a quota; nil otherwise.
    static func plan(_ id: UUID?, shownAt unitID: UUID, on db: any Database) async throws -> AdmissionPlan? {
        guard let id, let plan = try await AdmissionPlan.find(id, on: db) else { return nil }
        if plan.unitID == unitID { return plan }
        return try await AdmissionQuota.query(on: db).filter(\.$planID == id).filter(\.$schoolID == unitID).first() != nil ? plan : nil
    }

    /// The schools a plan admits to, with their quota and zone, in name order.
    static func schools(of plan: AdmissionPlan, on db: any Database) async throws -> [(unit: OrgUnit, quota: AdmissionQuota)] {
        let quotas = try await AdmissionQuota.query(on: db).filter(\.$planID == plan.requireID()).all()
        let units = try await OrgUnit.query(on: db).filter(\.$id ~~ quotas.map(\.schoolID)).all()
        let byID = Dictionary(uniqueKeysWithValues: units.compactMap { u in u.id.map { ($0, u) } })
        return quotas.compactMap { q in byID[q.schoolID].map { ($0, q) } }.sorted { $0.unit.name < $1.unit.name }
    }

    /// The registrations of `plan` that `unitID` may see: all of them for the unit running the
    /// plan; for a school, only those whose current choices name it.
    static func registrations(of plan: AdmissionPlan, visibleTo unitID: UUID, on db: any Database) async throws -> QueryBuilder<AdmissionRegistration> {
        let planID = try plan.requireID()
        let query = AdmissionRegistration.query(on: db).filter(\.$planID == planID)
        if plan.unitID == unitID { return query }
        let naming = try await AdmissionChoice.query(on: db).filter(\.$schoolID == unitID).all()
        let candidates = Set(naming.map(\.registrationID))
        let versions = candidates.isEmpty ? [] : try await AdmissionRegistration.query(on: db).filter(\.$planID == planID)
            .filter(\.$id ~~ Array(candidates)).field(\.$id).field(\.$choicesVersion).all()
        let current = Dictionary(uniqueKeysWithValues: versions.compactMap { r in r.id.map { ($0, r.choicesVersion) } })
        let visible = Set(naming.filter { current[$0.registrationID] == $0.version }.map(\.registrationID))
        return query.filter(\.$id ~~ Array(visible))
    }

    /// Per school: how many registrations name it first, and at all, in their current choices.
    static func choiceCounts(of plan: AdmissionPlan, on db: any Database) async throws -> [UUID: (first: Int, any: Int)] {
        let registrations = try await AdmissionRegistration.query(on: db).filter(\.$planID == plan.requireID()).field(\.$id).field(\.$choicesVersion).all()
        let current = Dictionary(uniqueKeysWithValues: registrations.compactMap { r in r.id.map { ($0, r.choicesVersion) } })
        guard !current.isEmpty else { return [:] }
        var counts: [UUID: (first: Int, any: Int)] = [:]
        for choice in try await AdmissionChoice.query(on: db).filter(\.$registrationID ~~ Array(current.keys)).all() where current[choice.registrationID] == choice.version {
            var count = counts[choice.schoolID] ?? (0, 0)
            count.any += 1
            if choice.rank == 1 { count.first += 1 }
            counts[choice.schoolID] = count
        }
        return counts
    }

    // MARK: - Registrations

    /// The parent's form, as typed.
    struct RegistrationInput: Sendable {
        var pupilName = ""
        var birthDate = ""
        var gender = ""
        var ethnicity = ""
        var birthPlace = ""
        var address = ""
        var zone = ""
        var parentName = ""
        var parentPhone = ""
        var parentEmail = ""
        var priority = ""
        var consent = false
        /// School unit ids, first choice first; empty entries are unused choices.
        var choices: [String] = []

        init() {}

        init(form: [String: String], maxChoices: Int) {
            func text(_ name: String, _ max: Int = 200) -> String { TextNormalizer.normalize(form[name] ?? "", maxLength: max) }
            pupilName = text("pupilName", 100)
            birthDate = text("birthDate", 20)
            gender = text("gender", 10)
            ethnicity = text("ethnicity", 50)
            birthPlace = text("birthPlace", 200)
            address = text("address", 300)
            zone = text("zone", 100)
            parentName = text("parentName", 100)
            parentPhone = text("parentPhone", 30)
            parentEmail = text("parentEmail", 254).lowercased()
            priority = text("priority", 200)
            // Only a box the parent ticked gives consent: the form never pre-ticks it.
            consent = ["on", "dong-y"].contains(form["consent"] ?? "")
            choices = Self.choices(form: form, maxChoices: maxChoices)
        }

        /// `choice1`…`choiceN` of a form, in order (empty for an unused choice).
        static func choices(form: [String: String], maxChoices: Int) -> [String] {
            (1...max(1, min(maxChoices, 10))).map { TextNormalizer.normalize(form["choice\($0)"] ?? "", maxLength: 40) }
        }
    }

    /// A tracking code a parent can read aloud: no 0/O or 1/I/L.
    static func newTrackingCode() -> String {
        let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
        var rng = SystemRandomNumberGenerator()
        let chars = (0..<8).map { _ in alphabet[Int(rng.next(upperBound: UInt32(alphabet.count)))] }
        return "TS-" + String(chars[0..<4]) + "-" + String(chars[4..<8])
    }

    /// A registration by its tracking code and the child's date of birth (both must match).
    static func find(trackingCode: String, birthDate: String, on db: any Database) async throws -> AdmissionRegistration? {
        let code = trackingCode.uppercased().replacingOccurrences(of: " ", with: "")
        guard code.count <= 20, let birth = ExamDate.parse(birthDate) else { return nil }
        guard let registration = try await AdmissionRegistration.query(on: db).filter(\.$trackingCode == code).first(),
              registration.birthDate == Int(birth) else { return nil }
        return registration
    }

    /// The registration's choices in one version (the current when nil), first choice first.
    static func choices(of registration: AdmissionRegistration, version: Int? = nil, on db: any Database) async throws -> [AdmissionChoice] {
        try await AdmissionChoice.query(on: db).filter(\.$registrationID == registration.requireID())
            .filter(\.$version == (version ?? registration.choicesVersion)).sort(\.$rank).all()
    }

    /// New choices within the change window, as a new version (the earlier ones are kept).
    static func changeChoices(_ raw: [String], of registration: AdmissionRegistration, plan: AdmissionPlan, now: Date = Date(), on db: any Database) async throws {
        guard plan.changesAreOpen(at: now) else {
            throw FormErrors(form: "Đã hết thời gian đổi nguyện vọng (hạn \(VietnameseDate.dateTime(plan.changesCloseAt))).")
        }
        guard registration.currentStatus?.takesChoiceChanges == true else { throw FormErrors(form: "Hồ sơ đã được xét; không đổi được nguyện vọng.") }
        var errors: FormErrors = [:]
        let choices = checkChoices(raw, zone: registration.zone, rules: try await AdmissionRules.load(plan, on: db), errors: &errors)
        guard errors.isEmpty else { throw errors }
        let version = registration.choicesVersion + 1
        try await db.transaction { tx in
            let id = try registration.requireID()
            for (rank, school) in choices.enumerated() {
                try await AdmissionChoice(registrationID: id, version: version, rank: rank + 1, schoolID: school, at: now).create(on: tx)
            }
            registration.choicesVersion = version
            registration.updatedAt = now
            try await registration.save(on: tx)
        }
    }
}

// MARK: - Review

extension AdmissionService {
    enum Decision: String, Sendable, CaseIterable {
        case accept = "hop-le"
        case needsDocuments = "can-bo-sung"
        case reject = "tu-choi"

        var status: AdmissionRegistration.Status {
            switch self {
            case .accept: .accepted
            case .needsDocuments: .needsDocuments
            case .reject: .rejected
            }
        }

        var label: String {
            switch self {
            case .accept: "Hồ sơ hợp lệ"
            case .needsDocuments: "Yêu cầu bổ sung hồ sơ"
            case .reject: "Không hợp lệ (ghi lý do)"
            }
        }
    }

    /// Who reviews a registration: the unit running the plan, or the school of the first choice
    /// (where the dossier is handed in).
    static func isReviewer(_ unitID: UUID, plan: AdmissionPlan, firstChoice: UUID?) -> Bool {
        plan.unitID == unitID || firstChoice == unitID
    }

    /// A staff decision on a registration: its status and reason change, the parent is told
    /// (outbox) and the step is audited, in one transaction. Throws `FormErrors`.
    static func review(
        _ registration: AdmissionRegistration, decision: Decision, reason rawReason: String, plan: AdmissionPlan, at unit: ResolvedUnit,
        statusURL: String, by actor: AuditActor, now: Date = Date(), on db: any Database
    ) async throws {
        guard isReviewer(unit.id, plan: plan, firstChoice: try await choices(of: registration, on: db).first?.schoolID) else {
            throw FormErrors(form: "Chỉ đơn vị tổ chức tuyển sinh hoặc trường nguyện vọng 1 xét hồ sơ này.")
        }
        guard registration.currentStatus?.awaitsDecision == true else {
            throw FormErrors(form: "Hồ sơ đã có kết quả tuyển sinh; không xét lại được.")
        }
        let reason = TextNormalizer.normalize(rawReason, maxLength: 500)
        if decision != .accept && reason.isEmpty {
            throw FormErrors.field("reason", decision == .reject ? "Ghi lý do hồ sơ không hợp lệ." : "Ghi các giấy tờ cần bổ sung.")
        }
        registration.status = decision.status.rawValue
        registration.reason = decision == .accept ? "" : reason
        registration.updatedAt = now
        try await db.transaction { tx in
            try await registration.save(on: tx)
            // A decision after an allocation makes it stale: it must be run again before publishing.
            if plan.allocatedAt != nil {
                plan.allocatedAt = nil
                try await plan.save(on: tx)
            }
            try await AuditEntry.record(actor, unitID: unit.id, action: "admission.review", target: registration.trackingCode,
                                        detail: decision.status.label + (reason.isEmpty ? "" : ": " + reason), on: tx)
            if !registration.parentEmail.isEmpty {
                try await OutboxMessage(
                    unitID: unit.id, recipients: [registration.parentEmail],
                    subject: "Hồ sơ tuyển sinh \(registration.trackingCode): \(decision.status.label)",
                    body: """
                    Kính gửi phụ huynh \(registration.parentName),

                    Hồ sơ \(registration.trackingCode) của \(registration.pupilName) theo «\(plan.title)»: \(decision.status.label).\(registration.reason.isEmpty ? "" : "\n\(registration.reason)")

                    Tra cứu (cần mã hồ sơ và ngày sinh của trẻ): \(statusURL)
                    Thư này được gửi tự động; xin không trả lời.
                    """
                ).create(on: tx)
            }
        }
    }
}

// MARK: - Export

extension AdmissionService {
    /// The registrations `unitID` may see, as rows for a spreadsheet: a header, then one row each
    /// (current choices by school name), oldest first. Reading them is audited: it is pupils' data.
    static func exportRows(of plan: AdmissionPlan, visibleTo unit: ResolvedUnit, by actor: AuditActor, on db: any Database) async throws -> [[String]] {
        let registrations = try await registrations(of: plan, visibleTo: unit.id, on: db).sort(\.$createdAt).all()
        let names = Dictionary(uniqueKeysWithValues: try await schools(of: plan, on: db).compactMap { s in s.unit.id.map { ($0, s.unit.name) } })
        let ids = registrations.compactMap(\.id)
        let choices = ids.isEmpty ? [] : try await AdmissionChoice.query(on: db).filter(\.$registrationID ~~ ids).sort(\.$rank).all()
        let byRegistration = Dictionary(grouping: choices, by: \.registrationID)
        var header = ["Mã hồ sơ", "Họ và tên", "Ngày sinh", "Giới tính"]
        if plan.needsEthnicity { header.append("Dân tộc") }
        header += ["Nơi sinh", "Địa chỉ thường trú", "Tuyến", "Cha, mẹ hoặc người giám hộ", "Điện thoại", "Thư điện tử", "Diện ưu tiên"]
        header += (1...plan.maxChoices).map { "Nguyện vọng \($0)" }
        header += ["Trạng thái", "Lý do", "Nộp lúc"]
        var rows = [header]
        for registration in registrations {
            let current = (byRegistration[registration.id ?? UUID()] ?? []).filter { $0.version == registration.choicesVersion }
            var row = [registration.trackingCode, registration.pupilName, ExamDate.vietnamese(Int32(registration.birthDate)), registration.gender]
            if plan.needsEthnicity { row.append(registration.ethnicity) }
            row += [registration.birthPlace, registration.address, registration.zone, registration.parentName, registration.parentPhone,
                    registration.parentEmail, registration.priority]
            row += (1...plan.maxChoices).map { rank in current.first { $0.rank == rank }.flatMap { names[$0.schoolID] } ?? "" }
            row += [AdmissionRegistration.Status(rawValue: registration.status)?.label ?? registration.status, registration.reason,
                    VietnameseDate.dateTime(registration.createdAt)]
            rows.append(row)
        }
        try await AuditEntry.record(actor, unitID: unit.id, action: "admission.export", target: plan.title, detail: "\(registrations.count) hồ sơ", on: db)
        return rows
    }

    /// RFC 4180 CSV with a BOM (Excel opens it as UTF-8). A cell that Excel would read as a
    /// formula (=, +, -, @, tab, CR at its start) gets a leading apostrophe: parents typed these.
    static func csv(_ rows: [[String]]) -> String {
        func cell(_ text: String) -> String {
            var text = text
            if let first = text.first, "=+-@\t\r".contains(first) { text = "'" + text }
            return text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        return "\u{FEFF}" + rows.map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
