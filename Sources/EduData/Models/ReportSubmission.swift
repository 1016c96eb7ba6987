import FluentKit
import Foundation

/// A deployment report a unit sent to the unit above it (A13.3, A14.3, A15.3): the rows of its
/// subtree as they were when sent (`DeploymentReport.Row` as JSON), kept for the receiver.
public final class ReportSubmission: Model, @unchecked Sendable {
    public static let schema = "report_submissions"

    @ID(key: .id) public var id: UUID?
    /// The sender.
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "to_unit_id") public var toUnitID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "rows") public var rowsJSON: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "created_by") public var createdBy: String

    public init() {}
}
