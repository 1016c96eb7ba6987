import FluentKit
import SQLKit

/// The circular's other information (A8.14, Article 10): entries of each section and their documents.
struct CreateSectionEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        var schema = database.schema(SectionEntry.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("section", .string, .required)
            .field("kind", .string, .required)
            .field("title", .string, .required)
        for text in ["organiser", "person", "person_title", "phone", "email", "audience", "amount", "place"] {
            schema = schema.field(.definition(name: .key(FieldKey(stringLiteral: text)), dataType: .string, constraints: [.required]))
        }
        try await schema
            .field("starts_at", .datetime)
            .field("ends_at", .datetime)
            .field("link", .string, .required)
            .field("second_link", .string, .required)
            .field("summary", .string, .required)
            .field("published_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .create()
        try await database.schema(SectionEntryFile.schema)
            .id()
            .field("entry_id", .uuid, .required, .references(SectionEntry.schema, .id, onDelete: .cascade))
            .field("media_id", .uuid, .required, .references(Media.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "section_entries_unit_idx").on(SectionEntry.schema).column("unit_id").column("section").run()
            try await sql.create(index: "section_entry_files_idx").on(SectionEntryFile.schema).column("entry_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SectionEntryFile.schema).delete()
        try await database.schema(SectionEntry.schema).delete()
    }
}
