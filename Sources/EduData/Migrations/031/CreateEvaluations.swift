import FluentKit
import SQLKit

/// Inspection and ranking (A16): each evaluator's criteria, its rounds, the scores and the units' responses.
struct CreateEvaluations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EvaluationCriterion.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("code", .string, .required)
            .field("clause", .string, .required)
            .field("title", .string, .required)
            .field("measure", .string, .required)
            .field("check_key", .string, .required)
            .field("weight", .double, .required)
            .field("bands", .string, .required)
            .field("lower_is_better", .bool, .required)
            .field("unit_label", .string, .required)
            .field("scope", .string, .required)
            .unique(on: "unit_id", "code")
            .create()
        try await database.schema(EvaluationRound.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("title", .string, .required)
            .field("kind", .string, .required)
            .field("state", .string, .required)
            .field("criteria", .string, .required)
            .field("computed_at", .datetime)
            .field("published_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("created_by", .string, .required)
            .create()
        try await database.schema(EvaluationScore.schema)
            .id()
            .field("round_id", .uuid, .required, .references(EvaluationRound.schema, .id, onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("code", .string, .required)
            .field("value", .double)
            .field("evidence", .string, .required)
            .field("evidence_url", .string, .required)
            .field("source", .string, .required)
            .field("measured_at", .datetime, .required)
            .field("measured_by", .string, .required)
            .unique(on: "round_id", "unit_id", "code")
            .create()
        try await database.schema(EvaluationResponse.schema)
            .id()
            .field("round_id", .uuid, .required, .references(EvaluationRound.schema, .id, onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "evaluation_rounds_unit_idx").on(EvaluationRound.schema).column("unit_id").run()
            try await sql.create(index: "evaluation_scores_unit_idx").on(EvaluationScore.schema).column("unit_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [EvaluationResponse.schema, EvaluationScore.schema, EvaluationRound.schema, EvaluationCriterion.schema] {
            try await database.schema(schema).delete()
        }
    }
}
