import EduCore
import EduData
import EduImport
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// What a registration is checked against: a plan's windows, fields and schools. Immutable and
/// shared by concurrent requests: on deadline day every registration would otherwise read the
/// plan and its schools again (four queries each, most of a registration's cost).
struct AdmissionRules: Sendable {
    struct School: Sendable {
        let id: UUID
        let name: String
        let zone: String
    }

    let planID: UUID
    let unitID: UUID
    let title: String
    let maxChoices: Int
    let sameZoneChoices: Int
    let needsEthnicity: Bool
    let priorities: [String]
    let zones: [String]
    let registrationOpensAt: Date
    let registrationClosesAt: Date
    let schools: [School]
    /// The portals that show the plan: the unit running it and its schools.
    let shownAt: Set<UUID>

    func registrationIsOpen(at now: Date) -> Bool { now >= registrationOpensAt && now < registrationClosesAt }

    init(plan: AdmissionPlan, schools: [(unit: OrgUnit, quota: AdmissionQuota)]) throws {
        planID = try plan.requireID()
        unitID = plan.unitID
        title = plan.title
        maxChoices = plan.maxChoices
        sameZoneChoices = plan.sameZoneChoices
        needsEthnicity = plan.needsEthnicity
        priorities = plan.priorityList
        zones = plan.zoneList
        registrationOpensAt = plan.registrationOpensAt
        registrationClosesAt = plan.registrationClosesAt
        self.schools = schools.compactMap { s in s.unit.id.map { School(id: $0, name: s.unit.name, zone: s.quota.zone) } }
        shownAt = Set([plan.unitID] + self.schools.map(\.id))
    }

    static func load(_ plan: AdmissionPlan, on db: any Database) async throws -> AdmissionRules {
        try AdmissionRules(plan: plan, schools: try await AdmissionService.schools(of: plan, on: db))
    }
}

/// Plans' rules by id, each read once and kept `lifetime` seconds (a plan's windows and schools
/// are set when it is created; a few seconds is how long another node may lag).
final class AdmissionRulesCache: Sendable {
    let lifetime: TimeInterval
    private let entries = NIOLockedValueBox<[UUID: (rules: AdmissionRules, at: Date)]>([:])

    init(lifetime: TimeInterval = 5) { self.lifetime = lifetime }

    func rules(_ id: UUID, now: Date = Date(), on db: any Database) async throws -> AdmissionRules? {
        if let entry = entries.withLockedValue({ $0[id] }), now.timeIntervalSince(entry.at) < lifetime { return entry.rules }
        guard let plan = try await AdmissionPlan.find(id, on: db) else { return nil }
        let rules = try await AdmissionRules.load(plan, on: db)
        entries.withLockedValue { table in
            if table.count > 1000 { table = table.filter { now.timeIntervalSince($0.value.at) < lifetime } }
            table[id] = (rules, now)
        }
        return rules
    }
}

extension AdmissionService {
    /// Checks the choices against the plan's schools and zone rule; the school ids in order.
    static func checkChoices(_ raw: [String], zone: String, rules: AdmissionRules, errors: inout FormErrors) -> [UUID] {
        let zoneOf = Dictionary(rules.schools.map { ($0.id, $0.zone) }, uniquingKeysWith: { first, _ in first })
        var choices: [UUID] = []
        var gap = false
        for (index, text) in raw.enumerated() {
            guard !text.isEmpty else { gap = true; continue }
            guard let id = UUID(uuidString: text), zoneOf[id] != nil else {
                errors["choice\(index + 1)"] = "Chọn một trường trong danh sách."
                continue
            }
            if gap { errors["choice\(index + 1)"] = "Ghi nguyện vọng theo thứ tự, không bỏ trống nguyện vọng trước." }
            if choices.contains(id) { errors["choice\(index + 1)"] = "Mỗi trường chỉ chọn một lần." }
            choices.append(id)
        }
        if choices.isEmpty && errors["choice1"] == nil { errors["choice1"] = "Chọn ít nhất nguyện vọng 1." }
        if rules.sameZoneChoices > 0 {
            for (index, id) in choices.prefix(rules.sameZoneChoices).enumerated() where zoneOf[id] != zone {
                errors["choice\(index + 1)"] = "Nguyện vọng \(index + 1) phải là trường thuộc tuyến của học sinh (\(zone.isEmpty ? "chọn tuyến" : zone))."
            }
        }
        return choices
    }

    /// `register(_:rules:…)` for a plan read from the database (the demo, the tests).
    static func register(
        _ input: RegistrationInput, plan: AdmissionPlan, statusURL: String, attachments uploads: [Upload] = [], attachmentsRoot: URL? = nil,
        now: Date = Date(), on db: any Database
    ) async throws -> AdmissionRegistration {
        try await register(input, rules: try await AdmissionRules.load(plan, on: db), statusURL: statusURL, attachments: uploads,
                           attachmentsRoot: attachmentsRoot, now: now, on: db)
    }

    /// Stores a registration with its first choices, its files and the receipt e-mail in one
    /// transaction; the tracking code exists for the parent only once this returns. Throws
    /// `FormErrors` (every field's fault at once; a second registration of the same child).
    static func register(
        _ input: RegistrationInput, rules: AdmissionRules, statusURL: String, attachments uploads: [Upload] = [], attachmentsRoot: URL? = nil,
        now: Date = Date(), on db: any Database
    ) async throws -> AdmissionRegistration {
        guard rules.registrationIsOpen(at: now) else {
            throw FormErrors(form: now < rules.registrationOpensAt
                ? "Chưa đến thời gian đăng ký: cổng mở lúc \(VietnameseDate.dateTime(rules.registrationOpensAt))."
                : "Đã hết thời gian đăng ký (hạn \(VietnameseDate.dateTime(rules.registrationClosesAt))).")
        }
        var errors: FormErrors = [:]
        if input.pupilName.isEmpty || input.pupilName.count > 100 || input.pupilName.utf8.contains(where: { ExamImporter.forbiddenInName[Int($0)] }) {
            errors["pupilName"] = input.pupilName.isEmpty ? "Nhập họ và tên của trẻ." : "Họ và tên chỉ gồm chữ cái và dấu cách."
        }
        var birth = 0
        switch ExamDate.check(input.birthDate, notAfter: ExamDate.today(now)) {
        case .date(let value): birth = Int(value)
        case .empty: errors["birthDate"] = "Nhập ngày sinh (dd/mm/yyyy)."
        case .future(let shown): errors["birthDate"] = "Ngày sinh \(shown) ở tương lai."
        case .tooOld, .invalid: errors["birthDate"] = "Ngày sinh không hợp lệ (dd/mm/yyyy)."
        }
        if !["Nam", "Nữ"].contains(input.gender) { errors["gender"] = "Chọn giới tính." }
        if rules.needsEthnicity && input.ethnicity.isEmpty { errors["ethnicity"] = "Nhập dân tộc." }
        if input.birthPlace.isEmpty { errors["birthPlace"] = "Nhập nơi sinh." }
        if input.address.isEmpty { errors["address"] = "Nhập địa chỉ thường trú." }
        if !rules.zones.isEmpty && !rules.zones.contains(input.zone) { errors["zone"] = "Chọn tuyến theo nơi thường trú." }
        if input.parentName.isEmpty { errors["parentName"] = "Nhập họ và tên cha, mẹ hoặc người giám hộ." }
        var phone = ""
        switch PhoneNumber.parse(input.parentPhone) {
        case .number(let national, _): phone = national
        case .empty: errors["parentPhone"] = "Nhập số điện thoại để nhà trường liên hệ."
        case .invalid(let why): errors["parentPhone"] = "Số điện thoại \(why)."
        }
        if !input.parentEmail.isEmpty && !Validation.isEmail(input.parentEmail) { errors["parentEmail"] = "Địa chỉ thư điện tử không hợp lệ." }
        if !input.priority.isEmpty && !rules.priorities.contains(input.priority) { errors["priority"] = "Chọn diện ưu tiên trong danh sách." }
        if !input.consent { errors["consent"] = "Cần đồng ý cho xử lý dữ liệu cá nhân của trẻ để đăng ký." }
        let choices = checkChoices(input.choices, zone: input.zone, rules: rules, errors: &errors)
        let files = checkAttachments(uploads, errors: &errors)
        if !input.priority.isEmpty && errors["priority"] == nil && errors["attachments"] == nil && files.isEmpty {
            errors["attachments"] = "Đính kèm giấy tờ chứng minh diện ưu tiên «\(input.priority)» (PDF, JPG hoặc PNG)."
        }
        guard errors.isEmpty else { throw errors }

        let registration = AdmissionRegistration()
        registration.id = UUID()
        registration.planID = rules.planID
        registration.trackingCode = newTrackingCode()
        registration.pupilName = input.pupilName
        registration.birthDate = birth
        registration.gender = input.gender
        registration.ethnicity = rules.needsEthnicity ? input.ethnicity : ""
        registration.birthPlace = input.birthPlace
        registration.address = input.address
        registration.zone = input.zone
        registration.parentName = input.parentName
        registration.parentPhone = phone
        registration.parentEmail = input.parentEmail
        registration.priority = input.priority
        registration.consentAt = now
        registration.consentText = consentText
        registration.status = AdmissionRegistration.Status.submitted.rawValue
        registration.reason = ""
        registration.choicesVersion = 1
        registration.createdAt = now
        registration.updatedAt = now
        registration.pupilKey = AdmissionRegistration.pupilKey(name: input.pupilName, birthDate: birth, phone: phone)
        // Files first, flushed: a receipt covers them too. Removed again if the registration fails.
        let written = try writeAttachments(files, planID: rules.planID,
                                           root: attachmentsRoot ?? FileManager.default.temporaryDirectory.appendingPathComponent("eduportal-admissions"), now: now)
        do {
            try await store(registration, choices: choices, attachments: written.rows, rules: rules, statusURL: statusURL, now: now, on: db)
        } catch {
            for path in written.paths { try? FileManager.default.removeItem(at: path) }
            if (error as? any DatabaseError)?.isConstraintFailure == true,
               try await AdmissionRegistration.query(on: db).filter(\.$planID == rules.planID).filter(\.$pupilKey == registration.pupilKey).first() != nil {
                // The same child registered before (or at the same moment): the unique key refused this one.
                throw duplicate
            }
            throw error
        }
        registration.$id.exists = true
        return registration
    }

    static let duplicate = FormErrors(form: "Trẻ này đã có đơn đăng ký trong kế hoạch này (cùng họ tên, ngày sinh và số điện thoại của phụ huynh). Mã hồ sơ đã hiện khi nộp và được gửi qua thư điện tử; dùng mục «Tra cứu hồ sơ» để xem hoặc đổi nguyện vọng.")

    /// The registration, its first choices, its files and the receipt e-mail, in one transaction.
    /// Written as plain SQL: the busiest write of deadline day, and Fluent's model reflection was
    /// most of its cost (measured in bench/admission.sh).
    static func store(
        _ registration: AdmissionRegistration, choices: [UUID], attachments: [AdmissionAttachment], rules: AdmissionRules, statusURL: String,
        now: Date, on db: any Database
    ) async throws {
        let id = try registration.requireID()
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw AppError(.internalServerError, "Cơ sở dữ liệu không hỗ trợ SQL.") }
            try await sql.insert(into: AdmissionRegistration.schema)
                .columns("id", "plan_id", "tracking_code", "pupil_name", "birth_date", "gender", "ethnicity", "birth_place", "address", "zone",
                         "parent_name", "parent_phone", "parent_email", "priority", "consent_at", "consent_text", "status", "reason",
                         "choices_version", "created_at", "updated_at", "pupil_key")
                .values(SQLBind(id), SQLBind(registration.planID), SQLBind(registration.trackingCode), SQLBind(registration.pupilName),
                        SQLBind(registration.birthDate), SQLBind(registration.gender), SQLBind(registration.ethnicity), SQLBind(registration.birthPlace),
                        SQLBind(registration.address), SQLBind(registration.zone), SQLBind(registration.parentName), SQLBind(registration.parentPhone),
                        SQLBind(registration.parentEmail), SQLBind(registration.priority), SQLBind(now), SQLBind(registration.consentText),
                        SQLBind(registration.status), SQLBind(registration.reason), SQLBind(1), SQLBind(now), SQLBind(now), SQLBind(registration.pupilKey))
                .run()
            if !choices.isEmpty {
                var insert = sql.insert(into: AdmissionChoice.schema).columns("id", "registration_id", "version", "rank", "school_id", "created_at")
                for (rank, school) in choices.enumerated() {
                    insert = insert.values(SQLBind(UUID()), SQLBind(id), SQLBind(1), SQLBind(rank + 1), SQLBind(school), SQLBind(now))
                }
                try await insert.run()
            }
            for attachment in attachments {
                attachment.registrationID = id
                try await attachment.create(on: tx)
            }
            if !registration.parentEmail.isEmpty {
                try await OutboxMessage(
                    unitID: rules.unitID, recipients: [registration.parentEmail], subject: "Đã nhận đơn đăng ký tuyển sinh \(registration.trackingCode)",
                    body: """
                    Kính gửi phụ huynh \(registration.parentName),

                    Đơn đăng ký tuyển sinh của \(registration.pupilName) theo «\(rules.title)» đã được lưu lúc \(VietnameseDate.dateTime(now)).
                    Mã hồ sơ: \(registration.trackingCode)

                    Tra cứu trạng thái (cần mã hồ sơ và ngày sinh của trẻ): \(statusURL)
                    Thư này được gửi tự động; xin không trả lời.
                    """
                ).create(on: tx)
            }
        }
    }
}

struct AdmissionRulesCacheKey: StorageKey { typealias Value = AdmissionRulesCache }

extension Application {
    var admissionRules: AdmissionRulesCache { storage[AdmissionRulesCacheKey.self]! }
}
