import FluentKit
import SQLKit

/// The statistics yearbook (A8.8, A9.9): reporting periods (a school year's reference and due
/// dates, as data) and each school's report for a period (its values by indicator key).
struct CreateYearbook: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(YearbookPeriod.schema)
            .id()
            .field("school_year", .string, .required)
            .field("kind", .string, .required)
            .field("reference_date", .datetime, .required)
            .field("due_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "school_year", "kind")
            .create()
        try await database.schema(YearbookReport.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("period_id", .uuid, .required, .references(YearbookPeriod.schema, .id, onDelete: .cascade))
            .field("ownership", .string, .required)
            .field("unit_type", .string, .required)
            .field("values", .string, .required)
            .field("submitted_by", .string, .required)
            .field("submitted_at", .datetime, .required)
            .unique(on: "unit_id", "period_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "yearbook_reports_period_idx").on(YearbookReport.schema).column("period_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(YearbookReport.schema).delete()
        try await database.schema(YearbookPeriod.schema).delete()
    }
}
