import FluentKit
import SQLKit

/// The administrative procedures catalogue (A8.4) and each procedure's forms.
struct CreateProcedures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Procedure.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("field", .string, .required)
            .field("service_level", .string, .required)
            .field("applicants", .string, .required)
            .field("dossier", .string, .required)
            .field("processing_time", .string, .required)
            .field("fees", .string, .required)
            .field("place", .string, .required)
            .field("handler_name", .string, .required)
            .field("handler_contact", .string, .required)
            .field("legal_basis", .string, .required)
            .field("submit_url", .string, .required)
            .field("amended_by_id", .uuid, .references(LegalDocument.schema, .id, onDelete: .setNull))
            .field("search_text", .string, .required)
            .field("published_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .create()
        try await database.schema(ProcedureFile.schema)
            .id()
            .field("procedure_id", .uuid, .required, .references(Procedure.schema, .id, onDelete: .cascade))
            .field("media_id", .uuid, .required, .references(Media.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "procedures_unit_idx").on(Procedure.schema).column("unit_id").column("name").run()
            try await sql.create(index: "procedure_files_idx").on(ProcedureFile.schema).column("procedure_id").run()
            // One procedure per national code in a unit, even when two saves race (an empty code is a unit's own).
            try await sql.raw("CREATE UNIQUE INDEX procedures_code_idx ON procedures (unit_id, code) WHERE code <> ''").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProcedureFile.schema).delete()
        try await database.schema(Procedure.schema).delete()
    }
}
