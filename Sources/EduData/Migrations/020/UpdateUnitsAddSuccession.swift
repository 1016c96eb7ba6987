import FluentKit
import SQLKit

/// Units end (2025 reform: district offices merged away, schools merged or dissolved): a unit's
/// state, the unit that took it over, and when. An ended unit keeps its row, its hostnames (they
/// redirect to the successor) and its audit history.
struct UpdateUnitsAddSuccession: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // SQLite adds one column per statement.
        try await database.schema(OrgUnit.schema).field("state", .string, .required, .sql(.default(SQLLiteral.string(UnitState.active.rawValue)))).update()
        try await database.schema(OrgUnit.schema).field("successor_id", .uuid).update()
        try await database.schema(OrgUnit.schema).field("ended_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OrgUnit.schema).deleteField("ended_at").update()
        try await database.schema(OrgUnit.schema).deleteField("successor_id").update()
        try await database.schema(OrgUnit.schema).deleteField("state").update()
    }
}
