import FluentKit
import Foundation

/// A question to a unit from a teacher, pupil or parent (hỏi đáp). Answered by staff, routed to
/// a department on the way; published only when the asker consented, and then without their
/// contact details.
public final class Question: Model, @unchecked Sendable {
    public static let schema = "questions"

    /// The FAQ's topics, in the order the public page shows them.
    public static let topics = [
        "Tuyển sinh", "Thi, kiểm tra, đánh giá", "Chương trình, sách giáo khoa", "Học phí, chế độ chính sách",
        "Nhà giáo, cán bộ quản lý", "Văn bằng, chứng chỉ", "Khác",
    ]

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "topic") public var topic: String
    @Field(key: "asker_name") public var askerName: String
    @Field(key: "asker_email") public var askerEmail: String
    @Field(key: "asker_phone") public var askerPhone: String
    @Field(key: "question") public var question: String
    @Field(key: "consent_publish") public var consentPublish: Bool
    @Field(key: "address_key") public var addressKey: String
    @OptionalField(key: "department_id") public var departmentID: UUID?
    @Field(key: "answer") public var answer: String
    @OptionalField(key: "answered_at") public var answeredAt: Date?
    @OptionalField(key: "answered_by") public var answeredBy: UUID?
    @OptionalField(key: "published_at") public var publishedAt: Date?
    /// When an answer is due (the unit's response time from the question's arrival).
    @Field(key: "due_at") public var dueAt: Date
    /// When the unit's editorial heads were told the answer is overdue (once per question).
    @OptionalField(key: "overdue_notified_at") public var overdueNotifiedAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public func isOverdue(at now: Date) -> Bool { answeredAt == nil && now > dueAt }
}

extension Question: UnitOwned {
    public static var unitKey: KeyPath<Question, FieldProperty<Question, UUID>> { \.$unitID }
}
