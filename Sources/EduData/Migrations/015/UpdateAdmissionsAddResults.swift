import FluentKit
import Foundation
import SQLKit

/// Online admission, from the registration to the published list: scores, each registration's
/// allocated place and its explanation, each school's cut-off, when the plan was allocated and
/// published; one registration per child and plan (a key of the folded name, birth date and the
/// parent's phone: name and birth date alone collide in a province's cohort);
/// the proofs parents attach.
struct UpdateAdmissionsAddResults: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite's ALTER TABLE adds one at a time.
        let columns: [(String, FieldKey, DatabaseSchema.DataType)] = [
            (AdmissionPlan.schema, "allocated_at", .datetime), (AdmissionPlan.schema, "published_at", .datetime),
            (AdmissionQuota.schema, "admitted", .int), (AdmissionQuota.schema, "cutoff", .int),
            (AdmissionRegistration.schema, "score", .int), (AdmissionRegistration.schema, "exam_number", .string),
            (AdmissionRegistration.schema, "result_school_id", .uuid), (AdmissionRegistration.schema, "result_choice", .int),
            (AdmissionRegistration.schema, "result_note", .string), (AdmissionRegistration.schema, "pupil_key", .string),
        ]
        for (table, column, type) in columns {
            try await database.schema(table).field(column, type).update()
        }
        // Registrations made before this migration get their key (the same rule as new ones).
        for registration in try await AdmissionRegistration.query(on: database).all() {
            registration.pupilKey = AdmissionRegistration.pupilKey(name: registration.pupilName, birthDate: registration.birthDate, phone: registration.parentPhone)
            try await registration.save(on: database)
        }
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "admission_registrations_pupil_idx").unique().on(AdmissionRegistration.schema)
                .column("plan_id").column("pupil_key").run()
        }
        try await database.schema(AdmissionAttachment.schema)
            .id()
            .field("registration_id", .uuid, .required, .references(AdmissionRegistration.schema, .id, onDelete: .cascade))
            .field("stored_name", .string, .required)
            .field("original_name", .string, .required)
            .field("mime_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "admission_attachments_registration_idx").on(AdmissionAttachment.schema).column("registration_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AdmissionAttachment.schema).delete()
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "admission_registrations_pupil_idx").run() }
        for (table, column) in [
            (AdmissionRegistration.schema, "score"), (AdmissionRegistration.schema, "exam_number"), (AdmissionRegistration.schema, "result_school_id"),
            (AdmissionRegistration.schema, "result_choice"), (AdmissionRegistration.schema, "result_note"), (AdmissionRegistration.schema, "pupil_key"),
            (AdmissionQuota.schema, "admitted"), (AdmissionQuota.schema, "cutoff"), (AdmissionPlan.schema, "allocated_at"), (AdmissionPlan.schema, "published_at"),
        ] {
            try await database.schema(table).deleteField(FieldKey(stringLiteral: column)).update()
        }
    }
}
