import FluentKit
import SQLKit

/// A disclosure item's structured figures (fees, staff counts, the annual report's cut-off day)
/// beside its text and file: a JSON object, field key → stored value.
struct UpdateDisclosuresAddFields: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DisclosureEntry.schema).field("fields", .string, .required, .sql(.default(SQLLiteral.string("{}")))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DisclosureEntry.schema).deleteField("fields").update()
    }
}
