import EduCore
import FluentKit
import SQLKit

struct CreateUnitTypeRules: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UnitTypeRule.schema)
            .id()
            .field("parent_type", .string, .required)
            .field("child_type", .string, .required)
            .unique(on: "parent_type", "child_type")
            .create()
        for pair in UnitTreeRules.standard.pairs {
            try await UnitTypeRule(parent: pair.parent, child: pair.child).create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UnitTypeRule.schema).delete()
    }
}

struct CreateUnits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OrgUnit.schema)
            .id()
            .field("code", .string, .required)
            .field("type", .string, .required)
            .field("parent_id", .uuid, .references(OrgUnit.schema, .id, onDelete: .restrict))
            .field("path", .string, .required)
            .field("depth", .int, .required)
            .field("name", .string, .required)
            .field("name_en", .string, .required)
            .field("mail_domain", .string, .required)
            .field("address", .string, .required)
            .field("phone", .string, .required)
            .field("email", .string, .required)
            .field("head_name", .string, .required)
            .field("head_title", .string, .required)
            .field("portal_contact_name", .string, .required)
            .field("portal_contact_email", .string, .required)
            .field("portal_contact_phone", .string, .required)
            .field("mail_contact_name", .string, .required)
            .field("mail_contact_email", .string, .required)
            .field("mail_contact_phone", .string, .required)
            .field("require_totp_for_admins", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .unique(on: "path")
            .create()
        try await database.schema(UnitHostname.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("hostname", .string, .required)
            .unique(on: "hostname")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "units_parent_idx").on(OrgUnit.schema).column("parent_id").run()
            try await sql.create(index: "unit_hostnames_unit_idx").on(UnitHostname.schema).column("unit_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UnitHostname.schema).delete()
        try await database.schema(OrgUnit.schema).delete()
    }
}
