import FluentKit
import Foundation

/// A message from the public through a unit's contact form (A8.1b, A9.1b).
public final class ContactMessage: Model, @unchecked Sendable {
    public static let schema = "contact_messages"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "email") public var email: String
    @Field(key: "phone") public var phone: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String
    /// The sender's address as rate limits count it (IPv6 by /64).
    @Field(key: "address_key") public var addressKey: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// A proof-of-work challenge handed to a contact form; each can be answered once.
public final class ContactChallenge: Model, @unchecked Sendable {
    public static let schema = "contact_challenges"

    @ID(key: .id) public var id: UUID?
    @Field(key: "token") public var token: String
    @Field(key: "bits") public var bits: Int
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "used") public var used: Bool

    public init() {}
}
