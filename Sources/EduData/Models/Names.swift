import FluentKit
import Foundation

/// A domain suffix the Sở hands to a subtree: the unit and every unit below it may ask for
/// hostnames and mail domains under it (`ninhbinh.edu.vn` at the Sở: its schools may ask for
/// `thpt-a.ninhbinh.edu.vn`). Only the unit it is attached to may use the suffix itself.
public final class NameDelegation: Model, @unchecked Sendable {
    public static let schema = "name_delegations"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "suffix") public var suffix: String
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(unitID: UUID, suffix: String, createdBy: String) {
        self.unitID = unitID
        self.suffix = suffix.lowercased()
        self.createdBy = createdBy
        self.createdAt = Date()
    }
}

/// A unit's request for a hostname or mail domain that an admin of a unit above must approve.
public final class NameRequest: Model, @unchecked Sendable {
    public static let schema = "name_requests"

    public enum Kind: String, Sendable, CaseIterable {
        case hostname
        case mailDomain = "mail-domain"

        public var label: String {
            switch self {
            case .hostname: "Tên miền cổng thông tin"
            case .mailDomain: "Tên miền thư điện tử"
            }
        }
    }

    public enum State: String, Sendable {
        case pending, approved, rejected

        public var label: String {
            switch self {
            case .pending: "Chờ duyệt"
            case .approved: "Đã duyệt"
            case .rejected: "Từ chối"
            }
        }
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "kind") public var kindCode: String
    @Field(key: "name") public var name: String
    @Field(key: "state") public var stateCode: String
    @Field(key: "requested_by") public var requestedBy: String
    @Field(key: "decided_by") public var decidedBy: String
    @Field(key: "reason") public var reason: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "decided_at") public var decidedAt: Date?

    public init() {}

    public init(unitID: UUID, kind: Kind, name: String, requestedBy: String) {
        self.unitID = unitID
        self.kindCode = kind.rawValue
        self.name = name.lowercased()
        self.stateCode = State.pending.rawValue
        self.requestedBy = requestedBy
        self.decidedBy = ""
        self.reason = ""
        self.createdAt = Date()
    }

    public var kind: Kind { Kind(rawValue: kindCode) ?? .hostname }
    public var state: State { State(rawValue: stateCode) ?? .pending }
}
