import FluentKit

/// Which disclosure reminders were sent: one per school, school year and phase (before or after
/// the due date), so that each is sent once.
struct CreateDisclosureReminders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DisclosureReminder.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("school_year", .int, .required)
            .field("phase", .string, .required)
            .field("sent_at", .datetime, .required)
            .unique(on: "unit_id", "school_year", "phase")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DisclosureReminder.schema).delete()
    }
}
