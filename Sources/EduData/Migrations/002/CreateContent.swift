import EduCore
import Foundation
import FluentKit
import SQLKit

struct CreateCategories: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Category.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("position", .int, .required)
            .field("update_interval_days", .int)
            .field("overdue_notified_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "unit_id", "slug")
            .create()
        // Units made before this migration get their type's categories. Read with plain SQL: the
        // unit model has columns later migrations add.
        if let sql = database as? any SQLDatabase {
            struct Row: Decodable {
                let id: UUID
                let type: String
            }
            for row in try await sql.select().column("id").column("type").from(OrgUnit.schema).all(decoding: Row.self) {
                try await Category.createDefaults(unitID: row.id, type: UnitType(rawValue: row.type) ?? .trungTam, on: database)
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Category.schema).delete()
    }
}

struct CreateArticles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Article.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("category_id", .uuid, .required, .references(Category.schema, .id, onDelete: .restrict))
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("body_html", .string, .required)
            .field("cover_media_id", .uuid)
            .field("author_name", .string, .required)
            .field("source", .string, .required)
            .field("tags", .string, .required)
            .field("search_text", .string, .required)
            .workflowFields()
            .field("revision", .int, .required)
            .field("lock_user_id", .uuid)
            .field("lock_until", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "unit_id", "slug")
            .create()
        try await database.schema(ArticleRevision.schema)
            .id()
            .field("article_id", .uuid, .required, .references(Article.schema, .id, onDelete: .cascade))
            .field("unit_id", .uuid, .required)
            .field("number", .int, .required)
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("body_html", .string, .required)
            .field("author_name", .string, .required)
            .field("source", .string, .required)
            .field("saved_by", .uuid)
            .field("saved_by_name", .string, .required)
            .field("note", .string, .required)
            .field("saved_at", .datetime, .required)
            .unique(on: "article_id", "number")
            .create()
        try await database.schema(WorkflowEvent.schema)
            .id()
            .field("content_type", .string, .required)
            .field("content_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("transition", .string, .required)
            .field("from_state", .string, .required)
            .field("to_state", .string, .required)
            .field("comment", .string, .required)
            .field("user_id", .uuid)
            .field("user_name", .string, .required)
            .field("at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "articles_unit_state_idx").on(Article.schema).column("unit_id").column("state").run()
            try await sql.create(index: "articles_category_idx").on(Article.schema).column("category_id").run()
            try await sql.create(index: "workflow_events_content_idx").on(WorkflowEvent.schema).column("content_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WorkflowEvent.schema).delete()
        try await database.schema(ArticleRevision.schema).delete()
        try await database.schema(Article.schema).delete()
    }
}

struct CreateOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema)
            .id()
            .field("unit_id", .uuid)
            .field("recipients", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("status", .string, .required)
            .field("last_error", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "outbox_due_idx").on(OutboxMessage.schema).column("status").column("next_attempt_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).delete()
    }
}
