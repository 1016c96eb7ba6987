import FluentKit

/// A running import's heartbeat: written every second by the node that runs it, so any node
/// can tell a live import from one whose process died (the row then reads "interrupted").
struct UpdateExamImportsAddHeartbeat: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ExamImport.schema).field("heartbeat_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExamImport.schema).deleteField("heartbeat_at").update()
    }
}
