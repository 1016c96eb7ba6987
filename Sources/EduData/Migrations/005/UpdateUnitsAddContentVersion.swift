import FluentKit

/// A counter each unit's public content bumps when it changes: the page cache keys on it, so
/// every app node sees a change as soon as it reads the unit again.
struct UpdateUnitsAddContentVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OrgUnit.schema).field("content_version", .int, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OrgUnit.schema).deleteField("content_version").update()
    }
}
