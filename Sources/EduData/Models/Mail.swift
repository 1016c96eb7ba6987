import FluentKit
import Foundation

/// A mail domain a unit receives mail for (A4.3); Postfix's `virtual_mailbox_domains` reads it.
public final class MailDomainRecord: Model, @unchecked Sendable {
    public static let schema = "mail_domains"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "domain") public var domain: String
    @Field(key: "active") public var active: Bool
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(unitID: UUID, domain: String) {
        self.unitID = unitID
        self.domain = domain.lowercased()
        self.active = true
        self.createdAt = Date()
    }
}

/// A person's or a department's mailbox. Dovecot's passdb/userdb and Postfix's
/// `virtual_mailbox_maps` read it; the password is `{BLF-CRYPT}` + bcrypt, never kept in clear.
public final class Mailbox: Model, @unchecked Sendable {
    public static let schema = "mailboxes"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "address") public var address: String
    @Field(key: "local_part") public var localPart: String
    @Field(key: "domain") public var domain: String
    @Field(key: "display_name") public var displayName: String
    /// `MailFunction`'s code: what rule-based groups select on.
    @Field(key: "function") public var function: String
    @Field(key: "title") public var title: String
    @Field(key: "department") public var department: String
    /// National form ("0912345678"), or "".
    @Field(key: "phone") public var phone: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "quota_mb") public var quotaMB: Int
    @Field(key: "active") public var active: Bool
    @Field(key: "forward_to") public var forwardTo: String
    @Field(key: "keep_copy") public var keepCopy: Bool
    /// Extra addresses delivered here, one per line.
    @Field(key: "aliases") public var aliases: String
    @OptionalField(key: "disabled_at") public var disabledAt: Date?
    /// A disabled mailbox is deleted after this date (retention).
    @OptionalField(key: "delete_after") public var deleteAfter: Date?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var aliasList: [String] { aliases.split(separator: "\n").map(String.init) }
}

/// A mailing group: static members, external addresses, nested groups, rules.
public final class MailGroup: Model, @unchecked Sendable {
    public static let schema = "mail_groups"

    @ID(key: .id) public var id: UUID?
    /// The unit that owns the group (its admins and owners manage it).
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "address") public var address: String
    @Field(key: "name") public var name: String
    @Field(key: "description") public var description: String
    /// `open` (anyone may write), `members` (members only), `moderated`.
    @Field(key: "posting") public var posting: String
    /// Owners' addresses, one per line (they approve registration requests).
    @Field(key: "owners") public var owners: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// One member of a group: a mailbox, an external address, or another group.
public final class MailGroupMember: Model, @unchecked Sendable {
    public static let schema = "mail_group_members"

    @ID(key: .id) public var id: UUID?
    @Field(key: "group_id") public var groupID: UUID
    @OptionalField(key: "mailbox_id") public var mailboxID: UUID?
    @Field(key: "external_address") public var externalAddress: String
    @OptionalField(key: "member_group_id") public var memberGroupID: UUID?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// "Every mailbox with this function, in units of this type, within this subtree."
public final class MailGroupRule: Model, @unchecked Sendable {
    public static let schema = "mail_group_rules"

    @ID(key: .id) public var id: UUID?
    @Field(key: "group_id") public var groupID: UUID
    @Field(key: "function") public var function: String
    /// A `UnitType` code, or "" for any type.
    @Field(key: "unit_type") public var unitType: String
    @OptionalField(key: "within_unit_id") public var withinUnitID: UUID?

    public init() {}
}

/// A unit asking a group owned higher up to take an address in (A5.2).
public final class MailRegistrationRequest: Model, @unchecked Sendable {
    public static let schema = "mail_registration_requests"

    @ID(key: .id) public var id: UUID?
    @Field(key: "group_id") public var groupID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "address") public var address: String
    @Field(key: "note") public var note: String
    /// `pending`, `approved`, `refused`.
    @Field(key: "status") public var status: String
    @Field(key: "requested_by") public var requestedBy: String
    @Field(key: "decided_by") public var decidedBy: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "decided_at") public var decidedAt: Date?

    public init() {}
}

/// The expanded directory as Postfix's `virtual_alias_maps` reads it: one row per (recipient,
/// destination). Rebuilt in the same transaction as every directory change.
public final class MailAliasRow: Model, @unchecked Sendable {
    public static let schema = "mail_alias_map"

    @ID(key: .id) public var id: UUID?
    @Field(key: "source") public var source: String
    @Field(key: "destination") public var destination: String

    public init() {}

    public init(source: String, destination: String) {
        self.source = source
        self.destination = destination
    }
}
