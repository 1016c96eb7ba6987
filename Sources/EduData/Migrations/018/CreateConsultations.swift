import FluentKit
import SQLKit

/// Consultations on drafts (lấy ý kiến, A8.1b, A10.5): the issue, the draft's text in
/// paragraphs, the window; comments on the whole or one paragraph, moderated, each answered
/// (accepted or not, and why) in the published summary.
struct CreateConsultations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Consultation.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("title", .string, .required)
            .field("issue", .string, .required)
            .field("concerns", .string, .required)
            .field("draft", .string, .required)
            .field("receiving_address", .string, .required)
            .field("opens_at", .datetime, .required)
            .field("closes_at", .datetime, .required)
            .field("summary", .string, .required)
            .field("summary_published_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema(ConsultationComment.schema)
            .id()
            .field("consultation_id", .uuid, .required, .references(Consultation.schema, .id, onDelete: .cascade))
            .field("paragraph", .int)
            .field("name", .string, .required)
            .field("organisation", .string, .required)
            .field("email", .string, .required)
            .field("body", .string, .required)
            .field("source", .string, .required)
            .field("status", .string, .required)
            .field("hide_reason", .string, .required)
            .field("merged_into", .uuid)
            .field("accepted", .bool)
            .field("explanation", .string, .required)
            .field("address_key", .string, .required)
            .field("attachment_stored_name", .string)
            .field("attachment_name", .string)
            .field("attachment_mime", .string)
            .field("attachment_size", .int)
            .field("created_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "consultations_unit_idx").on(Consultation.schema).column("unit_id").column("closes_at").run()
            try await sql.create(index: "consultation_comments_idx").on(ConsultationComment.schema).column("consultation_id").column("status").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ConsultationComment.schema).delete()
        try await database.schema(Consultation.schema).delete()
    }
}
