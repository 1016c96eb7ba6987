import FluentKit
import Foundation

/// A poll (bình chọn, A10.7) of a unit: a question, single or multiple choice, open between two
/// moments; its results shown while it runs or only once it has closed, as its owner chose.
public final class Poll: Model, @unchecked Sendable {
    public static let schema = "polls"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "question") public var question: String
    @Field(key: "description") public var details: String
    @Field(key: "multiple") public var multiple: Bool
    @Field(key: "opens_at") public var opensAt: Date
    @Field(key: "closes_at") public var closesAt: Date
    @Field(key: "results_while_open") public var resultsWhileOpen: Bool
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public func isOpen(at now: Date) -> Bool { now >= opensAt && now < closesAt }
    public func resultsShown(at now: Date) -> Bool { now >= closesAt || (resultsWhileOpen && now >= opensAt) }
}

extension Poll: UnitOwned {
    public static var unitKey: KeyPath<Poll, FieldProperty<Poll, UUID>> { \.$unitID }
}

public final class PollOption: Model, @unchecked Sendable {
    public static let schema = "poll_options"

    @ID(key: .id) public var id: UUID?
    @Field(key: "poll_id") public var pollID: UUID
    @Field(key: "position") public var position: Int
    @Field(key: "label") public var label: String

    public init() {}

    public init(pollID: UUID, position: Int, label: String) {
        self.pollID = pollID
        self.position = position
        self.label = label
    }
}

/// One person's vote: the hash of their signed voter cookie (never the cookie itself), the
/// address key it came from (for the per-address limit).
public final class PollVote: Model, @unchecked Sendable {
    public static let schema = "poll_votes"

    @ID(key: .id) public var id: UUID?
    @Field(key: "poll_id") public var pollID: UUID
    @Field(key: "voter_key") public var voterKey: String
    @Field(key: "address_key") public var addressKey: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// One option a vote chose.
public final class PollBallot: Model, @unchecked Sendable {
    public static let schema = "poll_ballots"

    @ID(key: .id) public var id: UUID?
    @Field(key: "vote_id") public var voteID: UUID
    @Field(key: "poll_id") public var pollID: UUID
    @Field(key: "option_id") public var optionID: UUID

    public init() {}

    public init(voteID: UUID, pollID: UUID, optionID: UUID) {
        self.voteID = voteID
        self.pollID = pollID
        self.optionID = optionID
    }
}
