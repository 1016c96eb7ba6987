import FluentKit
import SQLKit

/// Photos carry resized copies (WebP and JPEG at a few widths, listed by width) and an article
/// may carry a gallery of the unit's pictures (their ids, in order, comma-separated).
struct UpdateMediaAddCopies: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Media.schema).field("copy_widths", .string, .required, .sql(.default(SQLLiteral.string("")))).update()
        try await database.schema(Article.schema).field("gallery", .string, .required, .sql(.default(SQLLiteral.string("")))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Article.schema).deleteField("gallery").update()
        try await database.schema(Media.schema).deleteField("copy_widths").update()
    }
}
