import FluentKit
import SQLKit

/// Lookup counts per limit key and clock minute, shared by every node on one database: each node
/// adds what it counted every second and reads back the totals.
struct CreateLookupCounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE TABLE lookup_counts (key TEXT NOT NULL, minute BIGINT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (key, minute))").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP TABLE lookup_counts").run()
    }
}
