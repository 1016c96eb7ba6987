import FluentKit
import SQLKit

/// Deployment reports sent upward (A13.3, A14.3, A15.3).
struct CreateReportSubmissions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReportSubmission.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("to_unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("title", .string, .required)
            .field("rows", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "report_submissions_to_idx").on(ReportSubmission.schema).column("to_unit_id").column("created_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReportSubmission.schema).delete()
    }
}
