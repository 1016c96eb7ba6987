import FluentKit
import SQLKit

/// Reports asked for by the unit above, once or on a schedule, and evaluation rounds opened on a
/// schedule (A13.3, A14.3, A15.3, A16).
struct CreateReportRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReportRequest.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("title", .string, .required)
            .field("note", .string, .required)
            .field("cadence", .string, .required)
            .field("first_due", .datetime, .required)
            .field("due_at", .datetime, .required)
            .field("processed_through", .datetime)
            .field("auto_send", .bool, .required)
            .field("stopped", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .string, .required)
            .create()
        // One column per statement: SQLite adds one at a time.
        try await database.schema(ReportSubmission.schema).field("request_id", .uuid, .references(ReportRequest.schema, .id, onDelete: .setNull)).update()
        try await database.schema(ReportSubmission.schema).field("period_due", .datetime).update()
        try await database.schema(ReportSubmission.schema).field("automatic", .bool).update()
        try await database.schema(RoundSchedule.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("title", .string, .required)
            .field("cadence", .string, .required)
            .field("first_at", .datetime, .required)
            .field("next_at", .datetime, .required)
            .field("active", .bool, .required)
            .field("last_round_id", .uuid)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .unique(on: "unit_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "report_requests_unit_idx").on(ReportRequest.schema).column("unit_id").column("created_at").run()
            try await sql.create(index: "report_submissions_request_idx").on(ReportSubmission.schema).column("request_id").column("unit_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RoundSchedule.schema).delete()
        for field in ["request_id", "period_due", "automatic"] {
            try await database.schema(ReportSubmission.schema).deleteField(.key(.init(stringLiteral: field))).update()
        }
        try await database.schema(ReportRequest.schema).delete()
    }
}
