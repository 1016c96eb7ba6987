import FluentKit
import Foundation

/// A foreign-language or IT centre the Sở has licensed (A8.16): its licence, address, programmes
/// and status (active, suspended, closed) with the decision that set it. The Sở's list is public.
public final class Centre: Model, @unchecked Sendable {
    public static let schema = "centres"

    public enum Kind: String, Sendable, CaseIterable {
        case language = "ngoai-ngu"
        case computing = "tin-hoc"
        case both = "ngoai-ngu-tin-hoc"

        public var label: String {
            switch self {
            case .language: "Ngoại ngữ"
            case .computing: "Tin học"
            case .both: "Ngoại ngữ, tin học"
            }
        }
    }

    public enum Status: String, Sendable, CaseIterable {
        case active = "hoat-dong"
        case suspended = "dinh-chi"
        case closed = "cham-dut"

        public var label: String {
            switch self {
            case .active: "Đang hoạt động"
            case .suspended: "Đình chỉ hoạt động"
            case .closed: "Chấm dứt hoạt động"
            }
        }
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kind: String
    /// The decision allowing it to teach (số quyết định cho phép hoạt động giáo dục).
    @Field(key: "licence") public var licence: String
    @Field(key: "licensed_on") public var licensedOn: Date
    @Field(key: "address") public var address: String
    /// The commune or ward (xã, phường) it is in, for the list's filter.
    @Field(key: "commune") public var commune: String
    @Field(key: "phone") public var phone: String
    @Field(key: "programmes") public var programmes: String
    @Field(key: "status") public var status: String
    /// The decision that suspended or closed it.
    @Field(key: "status_decision") public var statusDecision: String
    @OptionalField(key: "status_on") public var statusOn: Date?
    @Field(key: "search_text") public var searchText: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @Field(key: "updated_by") public var updatedBy: String

    public init() {}
}

extension Centre: UnitOwned {
    public static var unitKey: KeyPath<Centre, FieldProperty<Centre, UUID>> { \.$unitID }
}
