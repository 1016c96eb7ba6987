import FluentKit
import SQLKit

struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .restrict))
            .field("full_name", .string, .required)
            .field("position", .string, .required)
            .field("password_hash", .string, .required)
            .field("disabled", .bool, .required)
            .field("totp_secret", .string)
            .field("totp_enabled", .bool, .required)
            .field("totp_last_counter", .int64)
            .field("last_login_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")
            .create()
        try await database.schema(RoleGrant.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("role", .string, .required)
            .field("granted_by", .uuid)
            .field("created_at", .datetime)
            .unique(on: "user_id", "unit_id", "role")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "users_unit_idx").on(User.schema).column("unit_id").run()
            try await sql.create(index: "role_grants_unit_idx").on(RoleGrant.schema).column("unit_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RoleGrant.schema).delete()
        try await database.schema(User.schema).delete()
    }
}

struct CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginSession.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("mfa_pending", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("ip", .string, .required)
            .field("user_agent", .string, .required)
            .unique(on: "token_hash")
            .create()
        try await database.schema(LoginThrottle.schema)
            .id()
            .field("key", .string, .required)
            .field("failures", .int, .required)
            .field("lockouts", .int, .required)
            .field("last_failure_at", .datetime, .required)
            .field("locked_until", .datetime)
            .unique(on: "key")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "sessions_user_idx").on(LoginSession.schema).column("user_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginThrottle.schema).delete()
        try await database.schema(LoginSession.schema).delete()
    }
}

struct CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema)
            .id()
            .field("at", .datetime, .required)
            .field("user_id", .uuid)
            .field("actor", .string, .required)
            .field("unit_id", .uuid)
            .field("action", .string, .required)
            .field("target", .string, .required)
            .field("detail", .string, .required)
            .field("ip", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "audit_log_at_idx").on(AuditEntry.schema).column("at").run()
            try await sql.create(index: "audit_log_unit_idx").on(AuditEntry.schema).column("unit_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema).delete()
    }
}
