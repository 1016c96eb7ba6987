import EduCore
import EduData
import Fluent
import Vapor

/// Keeps the search index in step with what is public: called wherever articles, documents and
/// introduction pages are published, unpublished or changed.
enum SearchService {
    static func refresh(_ article: Article, on db: any Database) async throws {
        let id = try article.requireID()
        guard article.state == .daDang else { return try await SearchIndex.set(kind: "article", itemID: id, to: nil, on: db) }
        let text = [article.summary, HTMLSanitizer.plainText(article.bodyHTML), article.tags, article.authorName].filter { !$0.isEmpty }.joined(separator: " ")
        try await SearchIndex.set(kind: "article", itemID: id, to: .init(
            unitID: article.unitID, kind: "article", itemID: id, title: article.title, path: SiteURL.article(slug: .value(article.slug)).path,
            text: text, publishedAt: article.publishedAt, publishAt: article.publishAt, expiresAt: article.expiresAt), on: db)
    }

    static func refresh(_ document: LegalDocument, on db: any Database) async throws {
        let id = try document.requireID()
        guard document.state == .daDang else { return try await SearchIndex.set(kind: "document", itemID: id, to: nil, on: db) }
        let text = [document.summary, document.docType, document.issuer, document.signer, document.field].filter { !$0.isEmpty }.joined(separator: " ")
        try await SearchIndex.set(kind: "document", itemID: id, to: .init(
            unitID: document.unitID, kind: "document", itemID: id, title: "\(document.docType) \(document.number)",
            path: SiteURL.document(id: .value(id.uuidString.lowercased())).path, text: text, publishedAt: document.publishedAt ?? document.issuedOn,
            publishAt: document.publishAt, expiresAt: document.expiresAt), on: db)
    }

    static func refresh(_ page: IntroPage, on db: any Database) async throws {
        let id = try page.requireID()
        guard page.published else { return try await SearchIndex.set(kind: "page", itemID: id, to: nil, on: db) }
        try await SearchIndex.set(kind: "page", itemID: id, to: .init(
            unitID: page.unitID, kind: "page", itemID: id, title: page.title,
            path: page.slug == "tong-quan" ? SiteURL.intro.path : SiteURL.introPage(slug: .value(page.slug)).path,
            text: HTMLSanitizer.plainText(page.bodyHTML), publishedAt: page.updatedAt, publishAt: nil, expiresAt: nil), on: db)
    }

    /// Any workflow item.
    static func refresh<Item: WorkflowItem>(item: Item, on db: any Database) async throws {
        if let article = item as? Article { try await refresh(article, on: db) }
        if let document = item as? LegalDocument { try await refresh(document, on: db) }
    }

    /// Re-indexes everything of one unit (after bulk creation).
    static func rebuild(unitID: UUID, on db: any Database) async throws {
        for article in try await Article.query(in: unitID, on: db).all() { try await refresh(article, on: db) }
        for document in try await LegalDocument.query(in: unitID, on: db).all() { try await refresh(document, on: db) }
        for page in try await IntroPage.query(in: unitID, on: db).all() { try await refresh(page, on: db) }
        for question in try await Question.query(in: unitID, on: db).filter(\.$publishedAt != nil).all() { try await refresh(question, on: db) }
    }
}
