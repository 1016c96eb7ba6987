import EduCore
import FluentKit
import Foundation

/// An admission plan (kế hoạch tuyển sinh): run by a school for itself, or by a commune office or
/// the Sở for the schools it lists with a quota (a joint admission with ranked choices).
public final class AdmissionPlan: Model, @unchecked Sendable {
    public static let schema = "admission_plans"

    public enum Method: String, Sendable, CaseIterable {
        case xetTuyen = "xet-tuyen"
        case thiTuyen = "thi-tuyen"
        case ketHop = "ket-hop"

        public var label: String {
            switch self {
            case .xetTuyen: "Xét tuyển"
            case .thiTuyen: "Thi tuyển"
            case .ketHop: "Kết hợp thi tuyển và xét tuyển"
            }
        }
    }

    @ID(key: .id) public var id: UUID?
    /// The unit that runs the plan.
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "grade") public var grade: Int
    @Field(key: "school_year") public var schoolYear: String
    @Field(key: "method") public var method: String
    @Field(key: "eligibility") public var eligibility: String
    @Field(key: "dossier") public var dossier: String
    @Field(key: "place") public var place: String
    /// One category a line.
    @Field(key: "priorities") public var priorities: String
    /// One zone (tuyến) a line; empty when the plan has none.
    @Field(key: "zones") public var zones: String
    @Field(key: "max_choices") public var maxChoices: Int
    /// How many of the first choices must be schools of the pupil's own zone (Hà Nội: 2).
    @Field(key: "same_zone_choices") public var sameZoneChoices: Int
    @Field(key: "needs_ethnicity") public var needsEthnicity: Bool
    @Field(key: "registration_opens_at") public var registrationOpensAt: Date
    @Field(key: "registration_closes_at") public var registrationClosesAt: Date
    @Field(key: "changes_close_at") public var changesCloseAt: Date
    @OptionalField(key: "results_at") public var resultsAt: Date?
    @OptionalField(key: "results_withdrawn_at") public var resultsWithdrawnAt: Date?
    @Field(key: "retention_days") public var retentionDays: Int
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    /// When places were last allocated (cleared when scores or statuses change after it).
    @OptionalField(key: "allocated_at") public var allocatedAt: Date?
    /// When the allocation was published: the statuses became results, parents were told.
    @OptionalField(key: "published_at") public var publishedAt: Date?

    public init() {}

    /// The published lists are shown: published, the publication window open and not yet ended.
    public func resultsAreShown(at now: Date) -> Bool {
        guard publishedAt != nil else { return false }
        if let from = resultsAt, now < from { return false }
        if let until = resultsWithdrawnAt, now >= until { return false }
        return true
    }

    public var priorityList: [String] { priorities.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    public var zoneList: [String] { zones.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }

    public func registrationIsOpen(at now: Date) -> Bool { now >= registrationOpensAt && now < registrationClosesAt }
    public func changesAreOpen(at now: Date) -> Bool { now >= registrationOpensAt && now < changesCloseAt }
}

extension AdmissionPlan: UnitOwned {
    public static var unitKey: KeyPath<AdmissionPlan, FieldProperty<AdmissionPlan, UUID>> { \.$unitID }
}

/// A school's places under a plan, and its zone.
public final class AdmissionQuota: Model, @unchecked Sendable {
    public static let schema = "admission_quotas"

    @ID(key: .id) public var id: UUID?
    @Field(key: "plan_id") public var planID: UUID
    @Field(key: "school_id") public var schoolID: UUID
    @Field(key: "quota") public var quota: Int
    @Field(key: "zone") public var zone: String
    /// After allocation: how many it admits, and the lowest admitted score (hundredths) when it filled its places.
    @OptionalField(key: "admitted") public var admitted: Int?
    @OptionalField(key: "cutoff") public var cutoff: Int?

    public init() {}

    public init(planID: UUID, schoolID: UUID, quota: Int, zone: String) {
        self.planID = planID
        self.schoolID = schoolID
        self.quota = quota
        self.zone = zone
    }
}

/// A child's registration under a plan. Stored before the parent sees a tracking code.
public final class AdmissionRegistration: Model, @unchecked Sendable {
    public static let schema = "admission_registrations"

    public enum Status: String, Sendable, CaseIterable {
        case submitted = "da-nop"
        case needsDocuments = "can-bo-sung"
        case accepted = "hop-le"
        case rejected = "tu-choi"
        case admitted = "trung-tuyen"
        case notAdmitted = "khong-trung-tuyen"

        public var label: String {
            switch self {
            case .submitted: "Đã nộp, chờ xét"
            case .needsDocuments: "Cần bổ sung hồ sơ"
            case .accepted: "Hồ sơ hợp lệ"
            case .rejected: "Không hợp lệ"
            case .admitted: "Trúng tuyển"
            case .notAdmitted: "Không trúng tuyển"
            }
        }

        /// The parent may still change choices (nothing has been decided on them).
        public var takesChoiceChanges: Bool { self == .submitted || self == .needsDocuments }
        /// Staff may still decide on the dossier (no admission result yet).
        public var awaitsDecision: Bool { self == .submitted || self == .needsDocuments || self == .accepted }
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "plan_id") public var planID: UUID
    @Field(key: "tracking_code") public var trackingCode: String
    @Field(key: "pupil_name") public var pupilName: String
    /// yyyymmdd
    @Field(key: "birth_date") public var birthDate: Int
    @Field(key: "gender") public var gender: String
    @Field(key: "ethnicity") public var ethnicity: String
    @Field(key: "birth_place") public var birthPlace: String
    @Field(key: "address") public var address: String
    @Field(key: "zone") public var zone: String
    @Field(key: "parent_name") public var parentName: String
    @Field(key: "parent_phone") public var parentPhone: String
    @Field(key: "parent_email") public var parentEmail: String
    @Field(key: "priority") public var priority: String
    /// When the parent agreed to the processing of the child's data, and to which text.
    @Field(key: "consent_at") public var consentAt: Date
    @Field(key: "consent_text") public var consentText: String
    @Field(key: "status") public var status: String
    @Field(key: "reason") public var reason: String
    /// The current version of the choices.
    @Field(key: "choices_version") public var choicesVersion: Int
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    /// The admission score in hundredths of a point (38,25 → 3825), imported for exam-based plans.
    @OptionalField(key: "score") public var score: Int?
    /// The exam number (số báo danh) the score file gave.
    @OptionalField(key: "exam_number") public var examNumber: String?
    /// The allocation's answer: the school, which choice it was, and why (in Vietnamese).
    @OptionalField(key: "result_school_id") public var resultSchoolID: UUID?
    @OptionalField(key: "result_choice") public var resultChoice: Int?
    @OptionalField(key: "result_note") public var resultNote: String?
    /// One registration per child and plan: `pupilKey(name:birthDate:phone:)`.
    @OptionalField(key: "pupil_key") public var pupilKey: String?

    public init() {}

    /// The same child registered again by the same parent, however the name was typed (with or
    /// without marks, spacing, case): folded name, birth date, the parent's phone.
    public static func pupilKey(name: String, birthDate: Int, phone: String) -> String {
        SearchFolding.foldWords(name) + "|" + String(birthDate) + "|" + phone.filter(\.isNumber)
    }

    public var currentStatus: Status? { Status(rawValue: status) }
}

/// One ranked choice of school, in one version of a registration's choices (every version kept).
public final class AdmissionChoice: Model, @unchecked Sendable {
    public static let schema = "admission_choices"

    @ID(key: .id) public var id: UUID?
    @Field(key: "registration_id") public var registrationID: UUID
    @Field(key: "version") public var version: Int
    @Field(key: "rank") public var rank: Int
    @Field(key: "school_id") public var schoolID: UUID
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(registrationID: UUID, version: Int, rank: Int, schoolID: UUID, at date: Date) {
        self.registrationID = registrationID
        self.version = version
        self.rank = rank
        self.schoolID = schoolID
        self.createdAt = date
    }
}


/// A file a parent attached to a registration (a proof of priority, a residence paper): PDF, JPEG
/// or PNG recognised by content, stored outside the web root under a random name, shown to staff only.
public final class AdmissionAttachment: Model, @unchecked Sendable {
    public static let schema = "admission_attachments"

    @ID(key: .id) public var id: UUID?
    @Field(key: "registration_id") public var registrationID: UUID
    @Field(key: "stored_name") public var storedName: String
    @Field(key: "original_name") public var originalName: String
    @Field(key: "mime_type") public var mimeType: String
    @Field(key: "size") public var size: Int
    @Field(key: "sha256") public var sha256: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}
