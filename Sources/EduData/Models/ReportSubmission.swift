import EduCore
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
    /// The request it answers and the period's due date; nil for a report sent unasked.
    @OptionalField(key: "request_id") public var requestID: UUID?
    @OptionalField(key: "period_due") public var periodDue: Date?
    /// Made and sent by the server when the period came due without one.
    @OptionalField(key: "automatic") public var automatic: Bool?

    public init() {}
}

/// A unit above asking the units directly below it for their deployment report (A13.3, A14.3,
/// A15.3): once or on a schedule, with a due date per period; optionally made and sent by the
/// server for every unit that has not sent one when the period comes due.
public final class ReportRequest: Model, @unchecked Sendable {
    public static let schema = "report_requests"

    @ID(key: .id) public var id: UUID?
    /// The requesting unit.
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "note") public var note: String
    /// `Cadence`'s code.
    @Field(key: "cadence") public var cadence: String
    /// The first period's due moment (the end of the day asked for).
    @Field(key: "first_due") public var firstDue: Date
    /// The current period's due moment.
    @Field(key: "due_at") public var dueAt: Date
    /// The last period the server has closed (auto-sent or reminded); nil before the first.
    @OptionalField(key: "processed_through") public var processedThrough: Date?
    @Field(key: "auto_send") public var autoSend: Bool
    /// Stopped by the requester: no further periods, nothing more asked.
    @Field(key: "stopped") public var stopped: Bool
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "created_by") public var createdBy: String

    public init() {}

    public var schedule: Cadence { Cadence(rawValue: cadence) ?? .once }

    /// The periods asked for so far, newest first (at most `limit`).
    public func periods(limit: Int = 4) -> [Date] {
        schedule.occurrences(from: firstDue, through: dueAt, limit: limit)
    }

    /// «Báo cáo triển khai quý IV/2026» for a period of a recurring request; the title alone for a one-off.
    public func title(for period: Date) -> String {
        let label = schedule.periodLabel(of: period)
        return label.isEmpty ? title : "\(title) \(label)"
    }
}

extension ReportRequest: UnitOwned {
    public static var unitKey: KeyPath<ReportRequest, FieldProperty<ReportRequest, UUID>> { \.$unitID }
}

/// An evaluator's schedule for periodic rounds (A16): when the next round opens, the server opens
/// it, scores what it can measure and tells the evaluator's admins.
public final class RoundSchedule: Model, @unchecked Sendable {
    public static let schema = "round_schedules"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    /// The rounds' title; each round adds its period («… quý IV/2026»).
    @Field(key: "title") public var title: String
    @Field(key: "cadence") public var cadence: String
    @Field(key: "first_at") public var firstAt: Date
    @Field(key: "next_at") public var nextAt: Date
    @Field(key: "active") public var active: Bool
    @OptionalField(key: "last_round_id") public var lastRoundID: UUID?
    @Field(key: "updated_at") public var updatedAt: Date
    @Field(key: "updated_by") public var updatedBy: String

    public init() {}

    public var schedule: Cadence { Cadence(rawValue: cadence) ?? .yearly }
}

extension RoundSchedule: UnitOwned {
    public static var unitKey: KeyPath<RoundSchedule, FieldProperty<RoundSchedule, UUID>> { \.$unitID }
}
