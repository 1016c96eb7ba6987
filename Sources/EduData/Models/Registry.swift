import EduCore
import FluentKit
import Foundation

/// An uploaded file. Stored outside the web root under a random name; served only through
/// the application with the type it was recognised as.
public final class Media: Model, @unchecked Sendable {
    public static let schema = "media"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    /// Random, unguessable: 32 hex characters and the extension of the recognised type.
    @Field(key: "stored_name") public var storedName: String
    @Field(key: "original_name") public var originalName: String
    @Field(key: "mime_type") public var mimeType: String
    @Field(key: "size") public var size: Int
    @Field(key: "is_image") public var isImage: Bool
    /// Required for images (WCAG 1.1.1).
    @Field(key: "alt_text") public var altText: String
    @Field(key: "title") public var title: String
    @OptionalField(key: "width") public var width: Int?
    @OptionalField(key: "height") public var height: Int?
    @Field(key: "sha256") public var sha256: String
    /// The widths of the resized copies (`<name>-<width>.webp` and `.jpg` beside the file),
    /// comma-separated, smallest first; empty for other files and GIFs.
    @Field(key: "copy_widths") public var copyWidths: String
    @OptionalField(key: "uploaded_by") public var uploadedBy: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public var copyWidthList: [Int] { copyWidths.split(separator: ",").compactMap { Int($0) } }
}

/// A legal or governing document in the registry (A8.3, A9.3).
public final class LegalDocument: Model, @unchecked Sendable {
    public static let schema = "legal_documents"

    // identity
    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    /// The unit that published it, when a merger or dissolution moved it here.
    @OptionalField(key: "origin_unit_id") public var originUnitID: UUID?

    // data
    /// Số ký hiệu, e.g. "1234/QĐ-SGDĐT".
    @Field(key: "number") public var number: String
    /// Loại văn bản: Quyết định, Công văn, Kế hoạch, …
    @Field(key: "doc_type") public var docType: String
    /// Cơ quan ban hành.
    @Field(key: "issuer") public var issuer: String
    /// Người ký.
    @Field(key: "signer") public var signer: String
    @Field(key: "issued_on") public var issuedOn: Date
    @OptionalField(key: "effective_on") public var effectiveOn: Date?
    @OptionalField(key: "expires_on") public var expiresOn: Date?
    /// Lĩnh vực.
    @Field(key: "field") public var field: String
    /// Trích yếu.
    @Field(key: "summary") public var summary: String
    @OptionalField(key: "replaces_id") public var replacesID: UUID?
    @Field(key: "search_text") public var searchText: String

    // workflow
    @Field(key: "state") public var stateCode: String
    @Field(key: "created_by") public var createdBy: UUID
    @OptionalField(key: "publish_at") public var publishAt: Date?
    @OptionalField(key: "expires_at") public var expiresAt: Date?
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @Field(key: "review_comment") public var reviewComment: String

    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

extension LegalDocument: WorkflowItem {
    public static let contentType = "document"
    public static var stateKey: KeyPath<LegalDocument, FieldProperty<LegalDocument, String>> { \.$stateCode }
    public static var publishAtKey: KeyPath<LegalDocument, OptionalFieldProperty<LegalDocument, Date>> { \.$publishAt }
    public static var expiresAtKey: KeyPath<LegalDocument, OptionalFieldProperty<LegalDocument, Date>> { \.$expiresAt }
    public var displayTitle: String { number.isEmpty ? summary : "\(number): \(summary)" }
}

/// A file attached to a document.
public final class DocumentFile: Model, @unchecked Sendable {
    public static let schema = "document_files"

    @ID(key: .id) public var id: UUID?
    @Field(key: "document_id") public var documentID: UUID
    @Field(key: "media_id") public var mediaID: UUID
    @Field(key: "position") public var position: Int

    public init() {}

    public init(documentID: UUID, mediaID: UUID, position: Int) {
        self.documentID = documentID
        self.mediaID = mediaID
        self.position = position
    }
}

/// "Related to" links between documents of a unit.
public final class DocumentRelation: Model, @unchecked Sendable {
    public static let schema = "document_relations"

    @ID(key: .id) public var id: UUID?
    @Field(key: "document_id") public var documentID: UUID
    @Field(key: "related_id") public var relatedID: UUID

    public init() {}

    public init(documentID: UUID, relatedID: UUID) {
        self.documentID = documentID
        self.relatedID = relatedID
    }
}

/// A page of the unit's introduction (giới thiệu): the main page, history, functions…
public final class IntroPage: Model, @unchecked Sendable {
    public static let schema = "intro_pages"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @OptionalField(key: "parent_id") public var parentID: UUID?
    @Field(key: "slug") public var slug: String
    @Field(key: "title") public var title: String
    @Field(key: "body_html") public var bodyHTML: String
    @Field(key: "position") public var position: Int
    @Field(key: "published") public var published: Bool
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A department or office of the unit, with its functions and duties (cơ cấu tổ chức, A8.1a).
public final class Department: Model, @unchecked Sendable {
    public static let schema = "departments"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "functions") public var functions: String
    @Field(key: "head_name") public var headName: String
    @Field(key: "phone") public var phone: String
    @Field(key: "email") public var email: String
    @Field(key: "position") public var position: Int

    public init() {}
}

/// A leader in the directory (lãnh đạo, A8.1a): name, position, phone, email, duties, photo.
public final class Leader: Model, @unchecked Sendable {
    public static let schema = "leaders"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "full_name") public var fullName: String
    @Field(key: "title") public var title: String
    @Field(key: "phone") public var phone: String
    @Field(key: "email") public var email: String
    @Field(key: "duties") public var duties: String
    @OptionalField(key: "photo_media_id") public var photoMediaID: UUID?
    @Field(key: "position") public var position: Int

    public init() {}
}
