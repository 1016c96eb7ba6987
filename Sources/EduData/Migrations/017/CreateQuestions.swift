import FluentKit
import SQLKit

/// Questions from the public (hỏi đáp, A8.6, A9.5): the question and who asked, consent to
/// publish, the department it was routed to, the answer, and when it was published.
struct CreateQuestions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Question.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("topic", .string, .required)
            .field("asker_name", .string, .required)
            .field("asker_email", .string, .required)
            .field("asker_phone", .string, .required)
            .field("question", .string, .required)
            .field("consent_publish", .bool, .required)
            .field("address_key", .string, .required)
            .field("department_id", .uuid, .references(Department.schema, .id, onDelete: .setNull))
            .field("answer", .string, .required)
            .field("answered_at", .datetime)
            .field("answered_by", .uuid)
            .field("published_at", .datetime)
            .field("due_at", .datetime, .required)
            .field("overdue_notified_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "questions_unit_idx").on(Question.schema).column("unit_id").column("created_at").run()
            try await sql.create(index: "questions_address_idx").on(Question.schema).column("address_key").column("created_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Question.schema).delete()
    }
}
