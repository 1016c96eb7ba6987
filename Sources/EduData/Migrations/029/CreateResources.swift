import FluentKit
import SQLKit

/// The digital resource library (A8.9, A9.10): a unit's items through the editorial workflow.
struct CreateResources: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LearningResource.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("title", .string, .required)
            .field("kind", .string, .required)
            .field("subject", .string, .required)
            .field("grade", .int, .required)
            .field("description", .string, .required)
            .field("author_name", .string, .required)
            .field("link_url", .string, .required)
            .field("media_id", .uuid, .references(Media.schema, .id, onDelete: .setNull))
            .field("search_text", .string, .required)
            .field("state", .string, .required)
            .field("created_by", .uuid, .required)
            .field("publish_at", .datetime)
            .field("expires_at", .datetime)
            .field("published_at", .datetime)
            .field("review_comment", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "learning_resources_unit_idx").on(LearningResource.schema).column("unit_id").column("state").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LearningResource.schema).delete()
    }
}
