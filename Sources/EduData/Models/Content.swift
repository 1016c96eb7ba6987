import EduCore
import FluentKit
import Foundation

/// A category of articles at a unit, with its update deadline (A11.2c).
public final class Category: Model, @unchecked Sendable {
    public static let schema = "categories"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "slug") public var slug: String
    @Field(key: "name") public var name: String
    @Field(key: "position") public var position: Int
    /// Something new should be published at least every this many days; nil: no rule.
    @OptionalField(key: "update_interval_days") public var updateIntervalDays: Int?
    /// When the responsible people were last told this category is overdue.
    @OptionalField(key: "overdue_notified_at") public var overdueNotifiedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(unitID: UUID, slug: String, name: String, position: Int, updateIntervalDays: Int?) {
        self.unitID = unitID
        self.slug = slug
        self.name = name
        self.position = position
        self.updateIntervalDays = updateIntervalDays
    }
}

/// A news article or notice. `bodyHTML` has always passed `HTMLSanitizer`.
public final class Article: Model, @unchecked Sendable {
    public static let schema = "articles"

    // identity
    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    /// The unit that published it, when a merger or dissolution moved it here.
    @OptionalField(key: "origin_unit_id") public var originUnitID: UUID?
    @Field(key: "category_id") public var categoryID: UUID
    @Field(key: "slug") public var slug: String

    // data
    @Field(key: "title") public var title: String
    @Field(key: "summary") public var summary: String
    @Field(key: "body_html") public var bodyHTML: String
    @OptionalField(key: "cover_media_id") public var coverMediaID: UUID?
    /// Pictures shown as a gallery under the text: the unit's media ids, in order, comma-separated.
    @Field(key: "gallery") public var gallery: String
    /// Who wrote it and where it came from (A7.3).
    @Field(key: "author_name") public var authorName: String
    @Field(key: "source") public var source: String
    /// Comma-separated.
    @Field(key: "tags") public var tags: String
    /// Title, summary and text, folded (lower case, no diacritics, đ→d) for search.
    @Field(key: "search_text") public var searchText: String

    // workflow
    @Field(key: "state") public var stateCode: String
    @Field(key: "created_by") public var createdBy: UUID
    @OptionalField(key: "publish_at") public var publishAt: Date?
    @OptionalField(key: "expires_at") public var expiresAt: Date?
    @OptionalField(key: "published_at") public var publishedAt: Date?
    /// The last comment of a return (trả lại), shown to the author.
    @Field(key: "review_comment") public var reviewComment: String
    /// Increases on every save; a form carries the number it started from.
    @Field(key: "revision") public var revision: Int
    @OptionalField(key: "lock_user_id") public var lockUserID: UUID?
    @OptionalField(key: "lock_until") public var lockUntil: Date?

    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public var galleryIDs: [UUID] { gallery.split(separator: ",").compactMap { UUID(uuidString: String($0)) } }

    public var tagList: [String] {
        tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// One saved version of an article, for the readable diff and restore.
public final class ArticleRevision: Model, @unchecked Sendable {
    public static let schema = "article_revisions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "article_id") public var articleID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "number") public var number: Int
    @Field(key: "title") public var title: String
    @Field(key: "summary") public var summary: String
    @Field(key: "body_html") public var bodyHTML: String
    @Field(key: "author_name") public var authorName: String
    @Field(key: "source") public var source: String
    @OptionalField(key: "saved_by") public var savedBy: UUID?
    @Field(key: "saved_by_name") public var savedByName: String
    @Field(key: "note") public var note: String
    @Field(key: "saved_at") public var savedAt: Date

    public init() {}

    public init(article: Article, unitID: UUID, savedBy: User?, note: String) throws {
        self.articleID = try article.requireID()
        self.unitID = unitID
        self.number = article.revision
        self.title = article.title
        self.summary = article.summary
        self.bodyHTML = article.bodyHTML
        self.authorName = article.authorName
        self.source = article.source
        self.savedBy = savedBy?.id
        self.savedByName = savedBy?.fullName ?? "hệ thống"
        self.note = note
        self.savedAt = Date()
    }
}

/// Content that moves through the editorial workflow (articles, legal documents).
public protocol WorkflowItem: UnitOwned {
    /// The kind, as stored in workflow history and audit actions: `article`, `document`.
    static var contentType: String { get }
    /// The columns the public-window rule reads, for the shared queries.
    static var stateKey: KeyPath<Self, FieldProperty<Self, String>> { get }
    static var publishAtKey: KeyPath<Self, OptionalFieldProperty<Self, Date>> { get }
    static var expiresAtKey: KeyPath<Self, OptionalFieldProperty<Self, Date>> { get }
    var unitID: UUID { get }
    /// What notices and the audit log call it.
    var displayTitle: String { get }
    var stateCode: String { get set }
    var createdBy: UUID { get }
    var publishAt: Date? { get set }
    var expiresAt: Date? { get set }
    var publishedAt: Date? { get set }
    var reviewComment: String { get set }
}

extension WorkflowItem {
    public var state: ContentState {
        get { ContentState(rawValue: stateCode) ?? .nhap }
        set { stateCode = newValue.rawValue }
    }
}

extension Article: WorkflowItem {
    public static let contentType = "article"
    public static var stateKey: KeyPath<Article, FieldProperty<Article, String>> { \.$stateCode }
    public static var publishAtKey: KeyPath<Article, OptionalFieldProperty<Article, Date>> { \.$publishAt }
    public static var expiresAtKey: KeyPath<Article, OptionalFieldProperty<Article, Date>> { \.$expiresAt }
    public var displayTitle: String { title }
}

/// A step a piece of content took through the workflow, with who took it and why.
public final class WorkflowEvent: Model, @unchecked Sendable {
    public static let schema = "workflow_events"

    @ID(key: .id) public var id: UUID?
    @Field(key: "content_type") public var contentType: String
    @Field(key: "content_id") public var contentID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "transition") public var transition: String
    @Field(key: "from_state") public var fromState: String
    @Field(key: "to_state") public var toState: String
    @Field(key: "comment") public var comment: String
    @OptionalField(key: "user_id") public var userID: UUID?
    @Field(key: "user_name") public var userName: String
    @Field(key: "at") public var at: Date

    public init() {}

    public init<Item: WorkflowItem>(item: Item, transition: Transition, from: ContentState, comment: String, user: User?) throws {
        self.contentType = Item.contentType
        self.contentID = try item.requireID()
        self.unitID = item.unitID
        self.transition = transition.rawValue
        self.fromState = from.rawValue
        self.toState = transition.to.rawValue
        self.comment = comment
        self.userID = user?.id
        self.userName = user?.fullName ?? "hệ thống"
        self.at = Date()
    }

    /// The history of one item, newest first.
    public static func history<Item: WorkflowItem>(of item: Item, on db: any Database) async throws -> [WorkflowEvent] {
        try await WorkflowEvent.query(on: db)
            .filter(\.$contentType == Item.contentType).filter(\.$contentID == item.requireID())
            .sort(\.$at, .descending).all()
    }
}

/// A notice waiting for the local MTA, written in the same transaction as the change it tells of.
public final class OutboxMessage: Model, @unchecked Sendable {
    public static let schema = "outbox"

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "unit_id") public var unitID: UUID?
    /// Comma-separated addresses.
    @Field(key: "recipients") public var recipients: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "next_attempt_at") public var nextAttemptAt: Date
    @OptionalField(key: "sent_at") public var sentAt: Date?
    /// `cho-gui`, `da-gui`, `that-bai`.
    @Field(key: "status") public var status: String
    @Field(key: "last_error") public var lastError: String

    public init() {}

    public init(unitID: UUID?, recipients: [String], subject: String, body: String) {
        self.unitID = unitID
        self.recipients = recipients.joined(separator: ", ")
        self.subject = subject
        self.body = body
        self.createdAt = Date()
        self.attempts = 0
        self.nextAttemptAt = Date()
        self.status = "cho-gui"
        self.lastError = ""
    }
}
