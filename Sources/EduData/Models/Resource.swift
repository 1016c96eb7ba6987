import EduCore
import FluentKit
import Foundation

/// A digital resource in a unit's library (A8.9, A9.10): learning material, an e-learning
/// lecture, an e-book or software, by subject and grade, as a file (checked by content) or a
/// link. A teacher contributes it; the editorial board's workflow publishes it.
public final class LearningResource: Model, @unchecked Sendable {
    public static let schema = "learning_resources"

    public enum Kind: String, Sendable, CaseIterable {
        case material = "hoc-lieu"
        case lecture = "bai-giang"
        case ebook = "sach-dien-tu"
        case software = "phan-mem"

        public var label: String {
            switch self {
            case .material: "Học liệu"
            case .lecture: "Bài giảng điện tử (e-learning)"
            case .ebook: "Sách điện tử"
            case .software: "Phần mềm"
            }
        }
    }

    /// The subjects the library files by (Chương trình giáo dục phổ thông 2018), and the rest.
    public static let subjects = [
        "Toán", "Ngữ văn", "Tiếng Anh", "Khoa học tự nhiên", "Vật lí", "Hóa học", "Sinh học", "Lịch sử", "Địa lí", "Lịch sử và Địa lí",
        "Giáo dục công dân", "Giáo dục kinh tế và pháp luật", "Tin học", "Công nghệ", "Khoa học", "Tự nhiên và Xã hội", "Đạo đức",
        "Âm nhạc", "Mĩ thuật", "Giáo dục thể chất", "Hoạt động trải nghiệm", "Giáo dục mầm non", "Kĩ năng sống", "Khác",
    ]

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "kind") public var kind: String
    @Field(key: "subject") public var subject: String
    /// 1–12; 0 for a preschool or no grade.
    @Field(key: "grade") public var grade: Int
    @Field(key: "description") public var description: String
    @Field(key: "author_name") public var authorName: String
    /// An external resource (https only), or empty when it is a file.
    @Field(key: "link_url") public var linkURL: String
    @OptionalField(key: "media_id") public var mediaID: UUID?
    @Field(key: "search_text") public var searchText: String
    @Field(key: "state") public var stateCode: String
    @Field(key: "created_by") public var createdBy: UUID
    @OptionalField(key: "publish_at") public var publishAt: Date?
    @OptionalField(key: "expires_at") public var expiresAt: Date?
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @Field(key: "review_comment") public var reviewComment: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var gradeLabel: String { grade == 0 ? "Không theo lớp" : "Lớp \(grade)" }
}

extension LearningResource: WorkflowItem {
    public static let contentType = "resource"
    public static var unitKey: KeyPath<LearningResource, FieldProperty<LearningResource, UUID>> { \.$unitID }
    public static var stateKey: KeyPath<LearningResource, FieldProperty<LearningResource, String>> { \.$stateCode }
    public static var publishAtKey: KeyPath<LearningResource, OptionalFieldProperty<LearningResource, Date>> { \.$publishAt }
    public static var expiresAtKey: KeyPath<LearningResource, OptionalFieldProperty<LearningResource, Date>> { \.$expiresAt }
    public var displayTitle: String { title }
}
