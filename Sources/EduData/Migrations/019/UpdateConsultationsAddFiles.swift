import FluentKit
import Foundation
import SQLKit

/// A consultation comment's files move to their own table (a comment by e-mail brings several);
/// a message's id is kept so that Postfix delivering the same mail twice files it once.
/// The web form's single file, stored on the comment row by 018, is copied over; those columns
/// stay in the table, unused (SQLite cannot drop them portably).
public struct UpdateConsultationsAddFiles: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(ConsultationFile.schema)
            .id()
            .field("comment_id", .uuid, .required, .references(ConsultationComment.schema, .id, onDelete: .cascade))
            .field("stored_name", .string, .required)
            .field("name", .string, .required)
            .field("mime", .string, .required)
            .field("size", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(ConsultationComment.schema).field("message_id", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "consultation_files_comment_idx").on(ConsultationFile.schema).column("comment_id").run()
        try await sql.create(index: "consultation_comments_message_idx").unique().on(ConsultationComment.schema)
            .column("consultation_id").column("message_id").run()
        try await sql.create(index: "consultations_address_idx").on(Consultation.schema).column("receiving_address").run()

        struct Legacy: Decodable {
            let id: UUID
            let attachment_stored_name: String
            let attachment_name: String?
            let attachment_mime: String?
            let attachment_size: Int?
            let created_at: Date
        }
        let rows = try await sql.select().columns("id", "attachment_stored_name", "attachment_name", "attachment_mime", "attachment_size", "created_at")
            .from(ConsultationComment.schema).where(SQLColumn("attachment_stored_name"), .isNot, SQLLiteral.null).all(decoding: Legacy.self)
        for row in rows {
            let file = ConsultationFile()
            file.commentID = row.id
            file.storedName = row.attachment_stored_name
            file.name = row.attachment_name ?? "tep"
            file.mime = row.attachment_mime ?? "application/octet-stream"
            file.size = row.attachment_size ?? 0
            file.createdAt = row.created_at
            try await file.create(on: database)
        }
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(ConsultationFile.schema).delete()
        try await database.schema(ConsultationComment.schema).deleteField("message_id").update()
    }
}
