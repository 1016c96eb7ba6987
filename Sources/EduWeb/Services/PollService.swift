import Crypto
import EduCore
import EduData
import Fluent
import Foundation

/// Polls (A10.7): created and closed by a unit's editorial heads; votes without accounts, one
/// per person and poll as far as a site can tell without accounts: a signed voter cookie (its
/// hash stored, unique per poll), the contact form's proof of work (each challenge once), and at
/// most `perAddressPerHour` votes a poll from one address (IPv6 by /64).
enum PollService {
    static let perAddressPerHour = 30
    static let maxOptions = 20

    struct Input: Sendable {
        var question = ""
        var details = ""
        /// One option a line.
        var options = ""
        var multiple = false
        var opensAt = ""
        var closesAt = ""
        var resultsWhileOpen = true

        init() {}

        init(form: [String: String]) {
            question = TextNormalizer.normalize(form["question"] ?? "", maxLength: 300)
            details = TextNormalizer.normalize(form["details"] ?? "", mode: .multiLine, maxLength: 3000)
            options = TextNormalizer.normalize(form["options"] ?? "", mode: .multiLine, maxLength: 5000)
            multiple = form.isChecked("multiple")
            opensAt = TextNormalizer.normalize(form["opensAt"] ?? "", maxLength: 25)
            closesAt = TextNormalizer.normalize(form["closesAt"] ?? "", maxLength: 25)
            resultsWhileOpen = form.isChecked("resultsWhileOpen")
        }

        var optionList: [String] {
            options.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    /// Checks and stores a poll with its options (audited). Throws `FormErrors`.
    static func create(_ input: Input, unit: ResolvedUnit, by actor: AuditActor, now: Date = Date(), on db: any Database) async throws -> Poll {
        var errors: FormErrors = [:]
        if input.question.count < 5 { errors["question"] = "Nhập câu hỏi bình chọn (ít nhất 5 ký tự)." }
        let options = input.optionList
        if options.count < 2 || options.count > maxOptions {
            errors["options"] = "Nhập từ 2 đến \(maxOptions) phương án, mỗi dòng một phương án."
        } else if let long = options.first(where: { $0.count > 200 }) {
            errors["options"] = "Phương án «\(long.prefix(40))…» dài quá 200 ký tự."
        } else if Set(options.map { SearchFolding.foldWords($0) }).count != options.count {
            errors["options"] = "Có phương án trùng nhau."
        }
        let opens = errors.moment(input.opensAt, field: "opensAt"), closes = errors.moment(input.closesAt, field: "closesAt")
        if let opens, let closes, closes <= opens { errors["closesAt"] = "Thời điểm kết thúc phải sau thời điểm bắt đầu." }
        guard errors.isEmpty, let opens, let closes else { throw errors }
        let poll = Poll()
        poll.unitID = unit.id
        poll.question = input.question
        poll.details = input.details
        poll.multiple = input.multiple
        poll.opensAt = opens
        poll.closesAt = closes
        poll.resultsWhileOpen = input.resultsWhileOpen
        poll.createdAt = now
        poll.updatedAt = now
        try await db.transaction { tx in
            try await poll.create(on: tx)
            let id = try poll.requireID()
            for (index, label) in options.enumerated() {
                try await PollOption(pollID: id, position: index + 1, label: label).create(on: tx)
            }
            try await AuditEntry.record(actor, unitID: unit.id, action: "poll.create", target: poll.question, detail: "\(options.count) phương án", on: tx)
        }
        return poll
    }

    /// Ends a running poll now (its results then show to everyone).
    static func close(_ poll: Poll, unit: ResolvedUnit, by actor: AuditActor, now: Date = Date(), on db: any Database) async throws {
        guard poll.closesAt > now else { throw FormErrors(form: "Cuộc bình chọn đã kết thúc.") }
        poll.closesAt = max(now, poll.opensAt)
        poll.updatedAt = now
        try await db.transaction { tx in
            try await poll.save(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: "poll.close", target: poll.question, detail: "", on: tx)
        }
    }

    static func options(of poll: Poll, on db: any Database) async throws -> [PollOption] {
        try await PollOption.query(on: db).filter(\.$pollID == poll.requireID()).sort(\.$position).all()
    }

    struct Tally: Sendable {
        let option: String
        let votes: Int
    }

    /// Votes per option (in the poll's order) and the number of people who voted.
    static func tally(of poll: Poll, on db: any Database) async throws -> (rows: [Tally], voters: Int) {
        let id = try poll.requireID()
        let options = try await options(of: poll, on: db)
        var counts: [UUID: Int] = [:]
        for ballot in try await PollBallot.query(on: db).filter(\.$pollID == id).field(\.$optionID).all() {
            counts[ballot.optionID, default: 0] += 1
        }
        let voters = try await PollVote.query(on: db).filter(\.$pollID == id).count()
        return (options.map { Tally(option: $0.label, votes: $0.id.flatMap { counts[$0] } ?? 0) }, voters)
    }

    /// The stored form of a voter cookie's id: its SHA-256, so the table never holds the cookie.
    static func voterKey(_ voterID: String) -> String {
        SHA256.hash(data: Data(voterID.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func hasVoted(_ poll: Poll, voterID: String?, on db: any Database) async throws -> Bool {
        guard let voterID else { return false }
        return try await PollVote.query(on: db).filter(\.$pollID == poll.requireID()).filter(\.$voterKey == voterKey(voterID)).first() != nil
    }


    /// Records a vote (the chosen option ids, as the form sent them). Throws `FormErrors` for
    /// the form (closed, nothing or too much chosen, no proof, voted before), `FormErrors` marked `isRateLimited`
    /// past the per-address limit.
    static func vote(
        _ poll: Poll, choices raw: [String], voterID: String, proof: ContactService.Proof, key: ServerKey, addressKey: String,
        now: Date = Date(), on db: any Database
    ) async throws {
        let pollID = try poll.requireID()
        guard poll.isOpen(at: now) else {
            throw FormErrors(form: now < poll.opensAt ? "Cuộc bình chọn chưa bắt đầu (từ \(VietnameseDate.dateTime(poll.opensAt)))."
                                                       : "Cuộc bình chọn đã kết thúc lúc \(VietnameseDate.dateTime(poll.closesAt)).")
        }
        let options = try await options(of: poll, on: db)
        let valid = Set(options.compactMap(\.id))
        let chosen = Array(Set(raw.compactMap { UUID(uuidString: $0) }))
        if chosen.isEmpty || chosen.count != Set(raw.filter { !$0.isEmpty }).count || !chosen.allSatisfy(valid.contains) {
            throw FormErrors.field("choice", chosen.isEmpty && raw.allSatisfy(\.isEmpty) ? "Chọn một phương án." : "Phương án không có trong cuộc bình chọn này.")
        }
        if !poll.multiple && chosen.count > 1 { throw FormErrors.field("choice", "Chỉ chọn một phương án.") }
        if try await hasVoted(poll, voterID: voterID, on: db) { throw FormErrors(form: "Bạn đã bình chọn trong cuộc bình chọn này.") }
        let recent = try await PollVote.query(on: db).filter(\.$pollID == pollID).filter(\.$addressKey == addressKey)
            .filter(\.$createdAt > now.addingTimeInterval(-3600)).count()
        if recent >= perAddressPerHour {
            throw FormErrors.rateLimited(FormErrors(form: "Có quá nhiều lượt bình chọn từ địa chỉ mạng của bạn trong một giờ qua. Vui lòng thử lại sau."))
        }
        guard ContactService.isSolved(proof, key: key) else {
            throw FormErrors(form: "Không xác minh được lượt bình chọn (cần bật JavaScript để trình duyệt giải mã chống gian lận). Vui lòng thử lại.")
        }
        let vote = PollVote()
        vote.pollID = pollID
        vote.voterKey = voterKey(voterID)
        vote.addressKey = addressKey
        vote.createdAt = now
        do {
            try await db.transaction { tx in
                try await ContactService.markUsed(proof, on: tx)
                try await vote.create(on: tx)
                let voteID = try vote.requireID()
                for option in chosen { try await PollBallot(voteID: voteID, pollID: pollID, optionID: option).create(on: tx) }
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            // Two votes from one cookie at once: the unique key kept the first.
            throw FormErrors(form: "Bạn đã bình chọn trong cuộc bình chọn này.")
        }
    }
}
