import FluentKit
import Foundation

/// One disclosure item of one school for one school year (`school_year` = the first calendar
/// year): its text, its document (PDF, checked by content), when it was first published and last
/// updated, and the date of the change the last update reflects (due within N working days).
public final class DisclosureEntry: Model, @unchecked Sendable {
    public static let schema = "disclosure_entries"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "item_key") public var itemKey: String
    @Field(key: "school_year") public var schoolYear: Int
    @Field(key: "text") public var text: String
    @OptionalField(key: "file_stored_name") public var fileStoredName: String?
    @OptionalField(key: "file_name") public var fileName: String?
    @OptionalField(key: "file_size") public var fileSize: Int?
    @Field(key: "published_at") public var publishedAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @OptionalField(key: "changed_on") public var changedOn: Date?
    @Field(key: "updated_by") public var updatedBy: String
    /// JSON object: field key → stored value (see `DisclosureField`).
    @Field(key: "fields") public var fieldsJSON: String

    public init() {
        fieldsJSON = "{}"
    }

    public var fields: [String: String] {
        get { (try? JSONDecoder().decode([String: String].self, from: Data(fieldsJSON.utf8))) ?? [:] }
        set {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            fieldsJSON = (try? encoder.encode(newValue)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
    }
}

extension DisclosureEntry: UnitOwned {
    public static var unitKey: KeyPath<DisclosureEntry, FieldProperty<DisclosureEntry, UUID>> { \.$unitID }
}

/// A reminder sent to a school about its disclosures for a school year: `truoc` (the due date is
/// near) or `sau` (it has passed with items missing).
public final class DisclosureReminder: Model, @unchecked Sendable {
    public static let schema = "disclosure_reminders"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "school_year") public var schoolYear: Int
    @Field(key: "phase") public var phase: String
    @Field(key: "sent_at") public var sentAt: Date

    public init() {}
}
