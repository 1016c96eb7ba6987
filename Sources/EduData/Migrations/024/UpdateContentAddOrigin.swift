import FluentKit

/// News and documents re-homed by a merger or dissolution remember the unit that published them
/// (the first one, through a chain of mergers), so their pages say where they came from.
struct UpdateContentAddOrigin: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Article.schema).field("origin_unit_id", .uuid).update()
        try await database.schema(LegalDocument.schema).field("origin_unit_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LegalDocument.schema).deleteField("origin_unit_id").update()
        try await database.schema(Article.schema).deleteField("origin_unit_id").update()
    }
}
