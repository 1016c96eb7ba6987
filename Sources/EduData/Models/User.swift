import EduCore
import FluentKit
import Foundation

/// A person who logs in to the admin. Login is by email.
public final class User: Model, @unchecked Sendable {
    public static let schema = "users"

    // identity
    @ID(key: .id) public var id: UUID?
    @Field(key: "email") public var email: String
    /// The unit the person belongs to (tenancy: only that unit's admins and above see them).
    @Field(key: "unit_id") public var unitID: UUID

    // data
    @Field(key: "full_name") public var fullName: String
    @Field(key: "position") public var position: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "disabled") public var disabled: Bool
    @OptionalField(key: "totp_secret") public var totpSecret: String?
    @Field(key: "totp_enabled") public var totpEnabled: Bool
    /// The last TOTP period accepted, so a code cannot be used twice.
    @OptionalField(key: "totp_last_counter") public var totpLastCounter: Int64?
    @OptionalField(key: "last_login_at") public var lastLoginAt: Date?
    /// Set when an admin reset the password: the next login goes to the change-password page.
    @Field(key: "must_change_password") public var mustChangePassword: Bool

    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(email: String, unitID: UUID, fullName: String, position: String = "", passwordHash: String) {
        self.email = email.lowercased()
        self.unitID = unitID
        self.fullName = fullName
        self.position = position
        self.passwordHash = passwordHash
        self.disabled = false
        self.totpEnabled = false
        self.mustChangePassword = false
    }
}

/// A role held by a user at a unit; covers the unit's subtree.
public final class RoleGrant: Model, @unchecked Sendable {
    public static let schema = "role_grants"

    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "role") public var roleCode: String
    @OptionalField(key: "granted_by") public var grantedBy: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(userID: UUID, unitID: UUID, role: Role, grantedBy: UUID?) {
        self.userID = userID
        self.unitID = unitID
        self.roleCode = role.rawValue
        self.grantedBy = grantedBy
    }

    public var role: Role? { Role(rawValue: roleCode) }
}
