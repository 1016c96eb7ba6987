import FluentKit
import Foundation

/// An administrative procedure in a unit's catalogue (A8.4; Decree 42/2022/NĐ-CP): its code in
/// the national catalogue, what it is, who may apply, the dossier, time, fees, place, who handles
/// it, its legal basis, where to submit it online, and the document that last changed it. Public
/// once `publishedAt` is set.
public final class Procedure: Model, @unchecked Sendable {
    public static let schema = "procedures"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    /// Mã thủ tục in the national catalogue (`1.005092`); may be empty for a unit's own.
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    @Field(key: "field") public var field: String
    /// `ProcedureLevel` raw value.
    @Field(key: "service_level") public var serviceLevel: String
    @Field(key: "applicants") public var applicants: String
    @Field(key: "dossier") public var dossier: String
    @Field(key: "processing_time") public var processingTime: String
    @Field(key: "fees") public var fees: String
    @Field(key: "place") public var place: String
    @Field(key: "handler_name") public var handlerName: String
    @Field(key: "handler_contact") public var handlerContact: String
    @Field(key: "legal_basis") public var legalBasis: String
    /// Where to submit it on the national or provincial public service portal (https only).
    @Field(key: "submit_url") public var submitURL: String
    /// The legal document (in this unit's registry) that last changed the procedure.
    @OptionalField(key: "amended_by_id") public var amendedByID: UUID?
    /// Name, code, field and text folded (no diacritics) for the catalogue's search.
    @Field(key: "search_text") public var searchText: String
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @Field(key: "updated_by") public var updatedBy: String

    public init() {}
}

extension Procedure: UnitOwned {
    public static var unitKey: KeyPath<Procedure, FieldProperty<Procedure, UUID>> { \.$unitID }
}

/// A file of the unit's media library listed with a catalogue entry (a procedure's forms, a
/// tender's documents), in order.
public protocol AttachedFile: Model where IDValue == UUID {
    static var ownerKey: KeyPath<Self, FieldProperty<Self, UUID>> { get }
    var mediaID: UUID { get }
    var position: Int { get }
    init(owner: UUID, mediaID: UUID, position: Int)
}

/// A form to download with a procedure (tờ khai, mẫu đơn).
public final class ProcedureFile: AttachedFile, @unchecked Sendable {
    public static let schema = "procedure_files"
    public static var ownerKey: KeyPath<ProcedureFile, FieldProperty<ProcedureFile, UUID>> { \.$procedureID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "procedure_id") public var procedureID: UUID
    @Field(key: "media_id") public var mediaID: UUID
    @Field(key: "position") public var position: Int

    public init() {}

    public init(owner: UUID, mediaID: UUID, position: Int) {
        self.procedureID = owner
        self.mediaID = mediaID
        self.position = position
    }
}
