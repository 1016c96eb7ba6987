import EduCore
import EduData
import Fluent
import Vapor

/// `/binh-chon`: the unit's polls, running first, then the ended ones.
struct PollsPage: PageView {
    static let template = "polls"

    struct Item {
        let question: String
        let url: String
        let window: String
        let state: String
    }

    let layout: LayoutVM
    let open: [Item]
    let closed: [Item]
    let upcoming: [Item]
}

/// `/binh-chon/<id>`: the question, the ballot while the poll runs (once per person), and the
/// results as a chart with its data table when the poll shows them.
struct PollPage: PageView {
    static let template = "poll"

    struct Choice {
        let id: String
        let inputID: String
        let label: String
        let checked: Bool
    }

    struct Bar {
        let option: String
        let votes: String
        let percent: String
        let width: Int
        let labelY: Int
        let barY: Int
        let valueX: Int
        let valueY: Int
    }

    let layout: LayoutVM
    let question: String
    let details: String
    let state: String
    let inputType: String
    let choices: [Choice]
    let mayVote: Bool
    let voted: Bool
    let formErrors: [String]
    let choiceError: String?
    let action: String
    let challengeURL: String
    let showResults: Bool
    let resultsNote: String
    let bars: [Bar]
    let chartHeight: Int
    let voters: String
    let listURL: String
}

extension PollsPage {
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> PollsPage {
        let now = Date()
        let polls = try await Poll.query(in: unit, on: req.db).sort(\.$opensAt, .descending).limit(200).all()
        func item(_ poll: Poll) throws -> Item {
            Item(question: poll.question, url: SiteURL.poll(id: .value(try poll.requireID().uuidString.lowercased())).path,
                 window: "\(VietnameseDate.dateTime(poll.opensAt)) – \(VietnameseDate.dateTime(poll.closesAt))", state: poll.stateLabel(at: now))
        }
        return PollsPage(
            layout: LayoutVM.make(req, title: "Bình chọn", admin: false),
            open: try polls.filter { $0.isOpen(at: now) }.map(item),
            closed: try polls.filter { now >= $0.closesAt }.map(item),
            upcoming: try polls.filter { now < $0.opensAt }.map(item))
    }
}

extension Poll {
    func stateLabel(at now: Date) -> String {
        if now < opensAt { return "Sắp bắt đầu (từ \(VietnameseDate.dateTime(opensAt)))" }
        if now < closesAt { return "Đang diễn ra (đến \(VietnameseDate.dateTime(closesAt)))" }
        return "Đã kết thúc (\(VietnameseDate.dateTime(closesAt)))"
    }
}

extension PollPage {
    static func query(_ req: Request, unit: ResolvedUnit, poll: Poll, voterID: String?, chosen: [String] = [], errors: FormErrors = [:]) async throws -> PollPage {
        let now = Date()
        let id = try poll.requireID().uuidString.lowercased()
        let options = try await PollService.options(of: poll, on: req.db)
        let voted = try await PollService.hasVoted(poll, voterID: voterID, on: req.db)
        let showResults = poll.resultsShown(at: now)
        var bars: [Bar] = [], voters = ""
        if showResults {
            let tally = try await PollService.tally(of: poll, on: req.db)
            let top = max(1, tally.rows.map(\.votes).max() ?? 1)
            // Shares of the people who voted (with several choices each, they need not add up to 100%).
            let ballots = max(1, tally.voters)
            bars = tally.rows.enumerated().map { index, row in
                let y = 8 + index * 56
                // A 360-unit drawing: its type stays near 14 px on a 375 px phone (a 640-unit one shrank to 7).
                let width = row.votes == 0 ? 0 : max(2, row.votes * 220 / top)
                return Bar(option: row.option, votes: VietnameseNumber.grouped(row.votes),
                           percent: String(format: "%.1f", Double(row.votes) * 100 / Double(ballots)).replacingOccurrences(of: ".", with: ",") + "%",
                           width: width, labelY: y + 14, barY: y + 22, valueX: width + 8, valueY: y + 37)
            }
            voters = VietnameseNumber.grouped(tally.voters)
        }
        return PollPage(
            layout: LayoutVM.make(req, title: poll.question, admin: false),
            question: poll.question, details: poll.details, state: poll.stateLabel(at: now),
            inputType: poll.multiple ? "checkbox" : "radio",
            choices: options.compactMap { option in
                option.id.map { oid in
                    let value = oid.uuidString.lowercased()
                    return Choice(id: value, inputID: "c-\(option.position)", label: option.label, checked: chosen.contains(value))
                }
            },
            mayVote: poll.isOpen(at: now) && !voted, voted: voted,
            formErrors: errors.form.map { [$0] } ?? [], choiceError: errors["choice"],
            action: SiteURL.poll(id: .value(id)).path, challengeURL: SiteURL.contactChallenge.path,
            showResults: showResults,
            resultsNote: showResults ? "" : (poll.isOpen(at: now) ? "Kết quả được công bố khi cuộc bình chọn kết thúc (\(VietnameseDate.dateTime(poll.closesAt)))." : ""),
            bars: bars, chartHeight: 16 + bars.count * 56, voters: voters, listURL: SiteURL.polls.path)
    }
}
