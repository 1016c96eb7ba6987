import FluentKit
import SQLKit

/// Visits (#19 point 5): how many times each public page of a unit was opened, per day, counted
/// by the server without cookies, addresses or third parties; and a unit's address of the
/// national monitoring system's script (EMC), loaded from that address, never inline.
struct CreatePageVisits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PageVisit.schema)
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, "id", onDelete: .cascade))
            // The day in Vietnam's time, YYYY-MM-DD.
            .field("day", .string, .required)
            .field("path", .string, .required)
            .field("count", .int64, .required)
            .unique(on: "unit_id", "day", "path")
            .create()
        // The unique constraint's index starts with (unit_id, day): a unit's days and totals read it.
        try await database.schema(OrgUnit.schema)
            .field("monitoring_script", .string, .required, .sql(.default(SQLLiteral.string(""))))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OrgUnit.schema).deleteField("monitoring_script").update()
        try await database.schema(PageVisit.schema).delete()
    }
}
