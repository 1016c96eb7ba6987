import FluentKit
import Foundation

/// One entry of a section of the circular's other information (`InfoSection`: web conferences
/// and online learning, Party and union organisations, press releases and spokespeople,
/// scholarships and careers advice). Which fields mean what, and which are required, is the
/// section's `InfoSection` spec; a field a section does not use stays empty. Public once
/// `publishedAt` is set.
public final class SectionEntry: Model, @unchecked Sendable {
    public static let schema = "section_entries"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    /// `InfoSection.Key`.
    @Field(key: "section") public var section: String
    @Field(key: "kind") public var kind: String
    @Field(key: "title") public var title: String
    @Field(key: "organiser") public var organiser: String
    @Field(key: "person") public var person: String
    @Field(key: "person_title") public var personTitle: String
    @Field(key: "phone") public var phone: String
    @Field(key: "email") public var email: String
    @Field(key: "audience") public var audience: String
    @Field(key: "amount") public var amount: String
    @Field(key: "place") public var place: String
    @OptionalField(key: "starts_at") public var startsAt: Date?
    @OptionalField(key: "ends_at") public var endsAt: Date?
    /// https only.
    @Field(key: "link") public var link: String
    @Field(key: "second_link") public var secondLink: String
    @Field(key: "summary") public var summary: String
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @Field(key: "updated_by") public var updatedBy: String

    public init() {}
}

extension SectionEntry: UnitOwned {
    public static var unitKey: KeyPath<SectionEntry, FieldProperty<SectionEntry, UUID>> { \.$unitID }
}

/// A document of an entry (a press release as issued, a conference's programme).
public final class SectionEntryFile: AttachedFile, @unchecked Sendable {
    public static let schema = "section_entry_files"
    public static var ownerKey: KeyPath<SectionEntryFile, FieldProperty<SectionEntryFile, UUID>> { \.$entryID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "entry_id") public var entryID: UUID
    @Field(key: "media_id") public var mediaID: UUID
    @Field(key: "position") public var position: Int

    public init() {}

    public init(owner: UUID, mediaID: UUID, position: Int) {
        self.entryID = owner
        self.mediaID = mediaID
        self.position = position
    }
}
