import FluentKit
import Foundation

/// A project, investment item, tender or purchase a unit publishes (A8.13): what it is, its
/// value in đồng, funding, how the contractor is chosen, its status and dates, who won it, and
/// its documents. Public once `publishedAt` is set.
public final class ProcurementItem: Model, @unchecked Sendable {
    public static let schema = "procurement_items"

    public enum Kind: String, Sendable, CaseIterable {
        case project = "du-an"
        case investment = "hang-muc"
        case tender = "goi-thau"
        case purchase = "mua-sam"

        public var label: String {
            switch self {
            case .project: "Dự án đầu tư"
            case .investment: "Hạng mục đầu tư"
            case .tender: "Gói thầu"
            case .purchase: "Mua sắm"
            }
        }
    }

    public enum Status: String, Sendable, CaseIterable {
        case planned = "ke-hoach"
        case inviting = "moi-thau"
        case awarded = "co-ket-qua"
        case underway = "dang-thuc-hien"
        case completed = "hoan-thanh"
        case cancelled = "huy"

        public var label: String {
            switch self {
            case .planned: "Kế hoạch"
            case .inviting: "Đang mời thầu"
            case .awarded: "Đã có kết quả lựa chọn nhà thầu"
            case .underway: "Đang thực hiện"
            case .completed: "Hoàn thành"
            case .cancelled: "Đã hủy"
            }
        }
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "kind") public var kind: String
    @Field(key: "title") public var title: String
    /// The approving decision or the tender's number (KHLCNT, TBMT).
    @Field(key: "reference") public var reference: String
    /// Whole đồng.
    @Field(key: "value") public var value: Int64
    @Field(key: "funding") public var funding: String
    /// Hình thức lựa chọn nhà thầu.
    @Field(key: "method") public var method: String
    @Field(key: "status") public var status: String
    @Field(key: "start_on") public var startOn: Date
    @OptionalField(key: "end_on") public var endOn: Date?
    @Field(key: "contractor") public var contractor: String
    @Field(key: "description") public var description: String
    /// The notice on the national e-procurement system (muasamcong.mpi.gov.vn), https only.
    @Field(key: "notice_url") public var noticeURL: String
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @Field(key: "updated_by") public var updatedBy: String

    public init() {}
}

extension ProcurementItem: UnitOwned {
    public static var unitKey: KeyPath<ProcurementItem, FieldProperty<ProcurementItem, UUID>> { \.$unitID }
}

/// A document of a procurement item (the plan, the invitation, the result).
public final class ProcurementFile: AttachedFile, @unchecked Sendable {
    public static let schema = "procurement_files"
    public static var ownerKey: KeyPath<ProcurementFile, FieldProperty<ProcurementFile, UUID>> { \.$itemID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "item_id") public var itemID: UUID
    @Field(key: "media_id") public var mediaID: UUID
    @Field(key: "position") public var position: Int

    public init() {}

    public init(owner: UUID, mediaID: UUID, position: Int) {
        self.itemID = owner
        self.mediaID = mediaID
        self.position = position
    }
}
