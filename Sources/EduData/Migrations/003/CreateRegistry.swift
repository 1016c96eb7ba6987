import FluentKit
import SQLKit

struct CreateMedia: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Media.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("stored_name", .string, .required)
            .field("original_name", .string, .required)
            .field("mime_type", .string, .required)
            .field("size", .int, .required)
            .field("is_image", .bool, .required)
            .field("alt_text", .string, .required)
            .field("title", .string, .required)
            .field("width", .int)
            .field("height", .int)
            .field("sha256", .string, .required)
            .field("uploaded_by", .uuid)
            .field("created_at", .datetime)
            .unique(on: "stored_name")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "media_unit_idx").on(Media.schema).column("unit_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Media.schema).delete()
    }
}

struct CreateLegalDocuments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LegalDocument.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("number", .string, .required)
            .field("doc_type", .string, .required)
            .field("issuer", .string, .required)
            .field("signer", .string, .required)
            .field("issued_on", .datetime, .required)
            .field("effective_on", .datetime)
            .field("expires_on", .datetime)
            .field("field", .string, .required)
            .field("summary", .string, .required)
            .field("replaces_id", .uuid)
            .field("search_text", .string, .required)
            .workflowFields()
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(DocumentFile.schema)
            .id()
            .field("document_id", .uuid, .required, .references(LegalDocument.schema, .id, onDelete: .cascade))
            .field("media_id", .uuid, .required, .references(Media.schema, .id, onDelete: .restrict))
            .field("position", .int, .required)
            .create()
        try await database.schema(DocumentRelation.schema)
            .id()
            .field("document_id", .uuid, .required, .references(LegalDocument.schema, .id, onDelete: .cascade))
            .field("related_id", .uuid, .required, .references(LegalDocument.schema, .id, onDelete: .cascade))
            .unique(on: "document_id", "related_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "legal_documents_unit_state_idx").on(LegalDocument.schema).column("unit_id").column("state").run()
            try await sql.create(index: "document_files_document_idx").on(DocumentFile.schema).column("document_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DocumentRelation.schema).delete()
        try await database.schema(DocumentFile.schema).delete()
        try await database.schema(LegalDocument.schema).delete()
    }
}

struct CreateIntroduction: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IntroPage.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("parent_id", .uuid)
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("body_html", .string, .required)
            .field("position", .int, .required)
            .field("published", .bool, .required)
            .field("updated_at", .datetime)
            .unique(on: "unit_id", "slug")
            .create()
        try await database.schema(Department.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("functions", .string, .required)
            .field("head_name", .string, .required)
            .field("phone", .string, .required)
            .field("email", .string, .required)
            .field("position", .int, .required)
            .create()
        try await database.schema(Leader.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("full_name", .string, .required)
            .field("title", .string, .required)
            .field("phone", .string, .required)
            .field("email", .string, .required)
            .field("duties", .string, .required)
            .field("photo_media_id", .uuid)
            .field("position", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Leader.schema).delete()
        try await database.schema(Department.schema).delete()
        try await database.schema(IntroPage.schema).delete()
    }
}
