import FluentKit
import Foundation

/// A consultation on a draft (lấy ý kiến): what is asked, of whom, until when, where comments go;
/// the draft's text (paragraphs separated by blank lines); after the deadline, the summary.
public final class Consultation: Model, @unchecked Sendable {
    public static let schema = "consultations"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "issue") public var issue: String
    @Field(key: "concerns") public var concerns: String
    @Field(key: "draft") public var draft: String
    @Field(key: "receiving_address") public var receivingAddress: String
    @Field(key: "opens_at") public var opensAt: Date
    @Field(key: "closes_at") public var closesAt: Date
    @Field(key: "summary") public var summary: String
    @OptionalField(key: "summary_published_at") public var summaryPublishedAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    /// The draft's paragraphs, in order (blank lines separate them).
    public var paragraphs: [String] {
        draft.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    public func isOpen(at now: Date) -> Bool { now >= opensAt && now < closesAt }
}

extension Consultation: UnitOwned {
    public static var unitKey: KeyPath<Consultation, FieldProperty<Consultation, UUID>> { \.$unitID }
}

/// A comment on a consultation, on the whole draft (`paragraph` nil) or one paragraph (0-based).
public final class ConsultationComment: Model, @unchecked Sendable {
    public static let schema = "consultation_comments"

    public enum Status: String, Sendable, CaseIterable {
        case waiting = "cho-duyet"
        case published = "cong-khai"
        case hidden = "an"
        case merged = "gop"

        public var label: String {
            switch self {
            case .waiting: "Chờ duyệt"
            case .published: "Đã công khai"
            case .hidden: "Đã ẩn"
            case .merged: "Đã gộp vào góp ý khác"
            }
        }
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "consultation_id") public var consultationID: UUID
    @OptionalField(key: "paragraph") public var paragraph: Int?
    @Field(key: "name") public var name: String
    @Field(key: "organisation") public var organisation: String
    @Field(key: "email") public var email: String
    @Field(key: "body") public var body: String
    /// `web` or `email`.
    @Field(key: "source") public var source: String
    @Field(key: "status") public var status: String
    @Field(key: "hide_reason") public var hideReason: String
    @OptionalField(key: "merged_into") public var mergedInto: UUID?
    /// The drafting unit's answer: taken in (tiếp thu) or not, and why (giải trình).
    @OptionalField(key: "accepted") public var accepted: Bool?
    @Field(key: "explanation") public var explanation: String
    @Field(key: "address_key") public var addressKey: String
    /// A comment by e-mail: its Message-ID, so that the same mail delivered twice is filed once.
    @OptionalField(key: "message_id") public var messageID: String?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var currentStatus: Status? { Status(rawValue: status) }
}

/// A comment's file (PDF, Word, OpenDocument, image; checked by content), shown to staff only:
/// one from the web form, up to five from a mail.
public final class ConsultationFile: Model, @unchecked Sendable {
    public static let schema = "consultation_files"

    @ID(key: .id) public var id: UUID?
    @Field(key: "comment_id") public var commentID: UUID
    /// The random name under `<data>/consultations/<consultation id>/`.
    @Field(key: "stored_name") public var storedName: String
    @Field(key: "name") public var name: String
    @Field(key: "mime") public var mime: String
    @Field(key: "size") public var size: Int
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}
