import EduCore
import FluentKit
import Foundation

/// A criterion of an evaluator's set (A16): the unit that evaluates those below it keeps its own,
/// starting from `Evaluation.defaultCriteria`.
public final class EvaluationCriterion: Model, @unchecked Sendable {
    public static let schema = "evaluation_criteria"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "position") public var position: Int
    @Field(key: "code") public var code: String
    @Field(key: "clause") public var clause: String
    @Field(key: "title") public var title: String
    @Field(key: "measure") public var measure: String
    @Field(key: "check_key") public var check: String
    @Field(key: "weight") public var weight: Double
    /// As `Evaluation.describe` writes them ("≥ 40 → 1; ≥ 30 → 0,75").
    @Field(key: "bands") public var bands: String
    @Field(key: "lower_is_better") public var lowerIsBetter: Bool
    @Field(key: "unit_label") public var unitLabel: String
    @Field(key: "scope") public var scope: String

    public init() {}

    public var criterion: Evaluation.Criterion {
        Evaluation.Criterion(code: code, clause: clause, title: title, measure: Evaluation.Measure(rawValue: measure) ?? .inspector, check: check,
                             weight: weight, bands: Evaluation.parseBands(bands) ?? [], lowerIsBetter: lowerIsBetter, unitLabel: unitLabel,
                             scope: Evaluation.Scope(rawValue: scope) ?? .all)
    }

    public convenience init(unitID: UUID, position: Int, _ criterion: Evaluation.Criterion) {
        self.init()
        self.unitID = unitID
        self.position = position
        set(criterion)
    }

    public func set(_ criterion: Evaluation.Criterion) {
        code = criterion.code
        clause = criterion.clause
        title = criterion.title
        measure = criterion.measure.rawValue
        check = criterion.check
        weight = criterion.weight
        bands = Evaluation.describe(criterion.bands, lowerIsBetter: criterion.lowerIsBetter)
        lowerIsBetter = criterion.lowerIsBetter
        unitLabel = criterion.unitLabel
        scope = criterion.scope.rawValue
    }
}

extension EvaluationCriterion: UnitOwned {
    public static var unitKey: KeyPath<EvaluationCriterion, FieldProperty<EvaluationCriterion, UUID>> { \.$unitID }
}

/// One round of evaluation by a unit of the units directly below it: the criteria as they were
/// when it started, scored automatically and by inspectors, shown to each unit as a draft, then
/// published with its ranking on the evaluator's portal.
public final class EvaluationRound: Model, @unchecked Sendable {
    public static let schema = "evaluation_rounds"

    public enum State: String, Sendable, CaseIterable {
        /// Being scored: automatic results filled in, inspectors at work.
        case scoring = "dang-cham"
        /// Each unit sees its draft result and may respond.
        case review = "lay-y-kien"
        case published = "da-cong-bo"

        public var label: String {
            switch self {
            case .scoring: "Đang chấm"
            case .review: "Đơn vị xem kết quả dự kiến và phản hồi"
            case .published: "Đã công bố"
            }
        }
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "title") public var title: String
    /// "dinh-ky" (periodic) or "dot-xuat" (ad hoc).
    @Field(key: "kind") public var kind: String
    @Field(key: "state") public var state: String
    /// The criteria as JSON (`[Evaluation.Criterion]`), frozen when the round starts.
    @Field(key: "criteria") public var criteriaJSON: String
    @OptionalField(key: "computed_at") public var computedAt: Date?
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "created_by") public var createdBy: String

    public init() {}

    public var criteria: [Evaluation.Criterion] {
        (try? JSONDecoder().decode([Evaluation.Criterion].self, from: Data(criteriaJSON.utf8))) ?? []
    }

    public var roundState: State { State(rawValue: state) ?? .scoring }
}

extension EvaluationRound: UnitOwned {
    public static var unitKey: KeyPath<EvaluationRound, FieldProperty<EvaluationRound, UUID>> { \.$unitID }
}

/// One criterion's result for one unit in a round: the value measured (nil: not measured), what
/// shows it, and who or what measured it.
public final class EvaluationScore: Model, @unchecked Sendable {
    public static let schema = "evaluation_scores"

    @ID(key: .id) public var id: UUID?
    @Field(key: "round_id") public var roundID: UUID
    /// The unit evaluated.
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "code") public var code: String
    @OptionalField(key: "value") public var value: Double?
    /// What the value rests on, in words ("Chuyên mục trống: /hoi-dap").
    @Field(key: "evidence") public var evidence: String
    /// A page that shows it.
    @Field(key: "evidence_url") public var evidenceURL: String
    /// "tu-dong" (automatic) or "kiem-tra" (an inspector).
    @Field(key: "source") public var source: String
    @Field(key: "measured_at") public var measuredAt: Date
    @Field(key: "measured_by") public var measuredBy: String

    public init() {}
}

/// A unit's response to its draft result.
public final class EvaluationResponse: Model, @unchecked Sendable {
    public static let schema = "evaluation_responses"

    @ID(key: .id) public var id: UUID?
    @Field(key: "round_id") public var roundID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "body") public var body: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "created_by") public var createdBy: String

    public init() {}
}
