import EduCore
import FluentKit
import Foundation

/// A reporting period of the statistics yearbook: the school year, the report's kind (start of
/// the year, reference date 30/9; end of the year, 31/5), and when it is due. Data, set by the
/// Sở (REQUIREMENTS.md: reference dates 30/9 and 31/5; due dates 30/10 and 30/6 are uncertain).
public final class YearbookPeriod: Model, @unchecked Sendable {
    public static let schema = "yearbook_periods"

    public enum Kind: String, Sendable, CaseIterable {
        case startOfYear = "dau-nam"
        case endOfYear = "cuoi-nam"

        public var label: String {
            switch self {
            case .startOfYear: "Đầu năm học"
            case .endOfYear: "Cuối năm học"
            }
        }
    }

    @ID(key: .id) public var id: UUID?
    /// `2025-2026`
    @Field(key: "school_year") public var schoolYear: String
    @Field(key: "kind") public var kind: String
    @Field(key: "reference_date") public var referenceDate: Date
    @Field(key: "due_at") public var dueAt: Date
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var label: String { "\(Kind(rawValue: kind)?.label ?? kind) \(schoolYear.replacingOccurrences(of: "-", with: "–"))" }
}

/// One school's figures for a period: the values by key (`thcs.hoc_sinh`, `truong.giao_vien`),
/// its ownership, and the type it had then (a school that changes level keeps its history right).
public final class YearbookReport: Model, @unchecked Sendable {
    public static let schema = "yearbook_reports"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "period_id") public var periodID: UUID
    @Field(key: "ownership") public var ownership: String
    @Field(key: "unit_type") public var unitType: String
    /// JSON object: key → whole number.
    @Field(key: "values") public var valuesJSON: String
    @Field(key: "submitted_by") public var submittedBy: String
    @Field(key: "submitted_at") public var submittedAt: Date

    public init() {}

    public var values: [String: Int] {
        get { (try? JSONDecoder().decode([String: Int].self, from: Data(valuesJSON.utf8))) ?? [:] }
        set {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            valuesJSON = (try? encoder.encode(newValue)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
    }
}

extension YearbookReport: UnitOwned {
    public static var unitKey: KeyPath<YearbookReport, FieldProperty<YearbookReport, UUID>> { \.$unitID }
}
