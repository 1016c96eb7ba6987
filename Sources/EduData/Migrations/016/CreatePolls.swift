import FluentKit
import SQLKit

/// Polls (A10.7): a question with options, its window, whether results show while it runs; votes
/// without accounts, one per voter key (a signed cookie, hashed) and poll, each with the options
/// it chose.
struct CreatePolls: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Poll.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .cascade))
            .field("question", .string, .required)
            .field("description", .string, .required)
            .field("multiple", .bool, .required)
            .field("opens_at", .datetime, .required)
            .field("closes_at", .datetime, .required)
            .field("results_while_open", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema(PollOption.schema)
            .id()
            .field("poll_id", .uuid, .required, .references(Poll.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("label", .string, .required)
            .unique(on: "poll_id", "position")
            .create()
        try await database.schema(PollVote.schema)
            .id()
            .field("poll_id", .uuid, .required, .references(Poll.schema, .id, onDelete: .cascade))
            .field("voter_key", .string, .required)
            .field("address_key", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "poll_id", "voter_key")
            .create()
        try await database.schema(PollBallot.schema)
            .id()
            .field("vote_id", .uuid, .required, .references(PollVote.schema, .id, onDelete: .cascade))
            .field("poll_id", .uuid, .required, .references(Poll.schema, .id, onDelete: .cascade))
            .field("option_id", .uuid, .required, .references(PollOption.schema, .id, onDelete: .cascade))
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "polls_unit_idx").on(Poll.schema).column("unit_id").column("opens_at").run()
            try await sql.create(index: "poll_votes_address_idx").on(PollVote.schema).column("poll_id").column("address_key").column("created_at").run()
            try await sql.create(index: "poll_ballots_poll_idx").on(PollBallot.schema).column("poll_id").column("option_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PollBallot.schema).delete()
        try await database.schema(PollVote.schema).delete()
        try await database.schema(PollOption.schema).delete()
        try await database.schema(Poll.schema).delete()
    }
}
