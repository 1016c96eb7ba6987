import EduCore
import FluentKit
import Foundation

/// An organisation in the tree: Bộ, Sở, Phòng, commune office, school or centre.
public final class OrgUnit: Model, @unchecked Sendable {
    public static let schema = "units"

    // identity
    @ID(key: .id) public var id: UUID?
    @Field(key: "code") public var code: String
    @Field(key: "type") public var typeCode: String
    @OptionalField(key: "parent_id") public var parentID: UUID?
    /// `/<root id>/…/<own id>/`: subtree queries are a prefix match.
    @Field(key: "path") public var path: String
    @Field(key: "depth") public var depth: Int

    // data
    @Field(key: "name") public var name: String
    @Field(key: "name_en") public var nameEn: String
    @Field(key: "mail_domain") public var mailDomain: String
    @Field(key: "address") public var address: String
    @Field(key: "phone") public var phone: String
    @Field(key: "email") public var email: String
    @Field(key: "head_name") public var headName: String
    @Field(key: "head_title") public var headTitle: String
    /// Focal person for the portal (A11.3).
    @Field(key: "portal_contact_name") public var portalContactName: String
    @Field(key: "portal_contact_email") public var portalContactEmail: String
    @Field(key: "portal_contact_phone") public var portalContactPhone: String
    /// Focal person for email (A4.5).
    @Field(key: "mail_contact_name") public var mailContactName: String
    @Field(key: "mail_contact_email") public var mailContactEmail: String
    @Field(key: "mail_contact_phone") public var mailContactPhone: String
    @Field(key: "require_totp_for_admins") public var requireTOTPForAdmins: Bool
    /// Bumped whenever the unit's public pages change (the page cache keys on it).
    @Field(key: "content_version") public var contentVersion: Int
    /// Active, or ended by a merger or dissolution (`successorID` then names who took it over).
    @Field(key: "state") public var stateCode: String
    @OptionalField(key: "successor_id") public var successorID: UUID?
    @OptionalField(key: "ended_at") public var endedAt: Date?
    /// The national monitoring system's script for this unit's public pages (an https address
    /// on a host the deployment allows; empty: none). Loaded from there, its origin added to the
    /// unit's public pages' Content-Security-Policy.
    @Field(key: "monitoring_script") public var monitoringScript: String

    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID = UUID(), code: String, type: UnitType, name: String, parent: OrgUnit?) {
        self.id = id
        self.code = code
        self.typeCode = type.rawValue
        self.parentID = parent?.id
        self.path = (parent?.path ?? "/") + id.uuidString.lowercased() + "/"
        self.depth = (parent?.depth ?? -1) + 1
        self.name = name
        self.nameEn = ""
        self.mailDomain = ""
        self.address = ""
        self.phone = ""
        self.email = ""
        self.headName = ""
        self.headTitle = ""
        self.portalContactName = ""
        self.portalContactEmail = ""
        self.portalContactPhone = ""
        self.mailContactName = ""
        self.mailContactEmail = ""
        self.mailContactPhone = ""
        self.requireTOTPForAdmins = false
        self.contentVersion = 0
        self.stateCode = UnitState.active.rawValue
        self.monitoringScript = ""
    }

    public var type: UnitType { UnitType(rawValue: typeCode) ?? .trungTam }
    public var state: UnitState { UnitState(rawValue: stateCode) ?? .active }

    /// The unit as the permission rules see it.
    public var ref: UnitRef {
        let ids = path.split(separator: "/").map(String.init)
        return UnitRef(id: ids.last ?? "", ancestorIDs: Array(ids.dropLast()))
    }

    public var ancestorIDs: [UUID] { ref.ancestorIDs.compactMap(UUID.init(uuidString:)) }
}

/// Whether a unit still exists (2025 reform: merged into another, or dissolved into its parent).
public enum UnitState: String, Sendable, CaseIterable, Codable {
    case active = "hoat-dong"
    case merged = "sap-nhap"
    case dissolved = "giai-the"

    public var label: String {
        switch self {
        case .active: "Đang hoạt động"
        case .merged: "Đã sáp nhập"
        case .dissolved: "Đã giải thể"
        }
    }
}

public final class UnitHostname: Model, @unchecked Sendable {
    public static let schema = "unit_hostnames"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "hostname") public var hostname: String

    public init() {}

    public init(unitID: UUID, hostname: String) {
        self.unitID = unitID
        self.hostname = hostname
    }
}

/// One allowed (parent type, child type) pair of the tree's shape.
public final class UnitTypeRule: Model, @unchecked Sendable {
    public static let schema = "unit_type_rules"

    @ID(key: .id) public var id: UUID?
    @Field(key: "parent_type") public var parentType: String
    @Field(key: "child_type") public var childType: String

    public init() {}

    public init(parent: UnitType, child: UnitType) {
        self.parentType = parent.rawValue
        self.childType = child.rawValue
    }
}
