import EduCore
import EduData
import Foundation
import Vapor

/// The demo's polls (#14): at the Sở an open one showing its results as it runs and an ended
/// one; at Chu Văn An an open one whose results show only at its end. Votes are cast the way
/// visitors cast them (each with its own voter id and a solved proof of work).
enum DemoPolls {
    static func create(units: [String: OrgUnit], key: ServerKey, app: Application) async throws {
        guard let so = units[DemoProvince.rootCode], let school = units["thpt-chu-van-an"] else { return }
        let now = Date()
        func at(_ days: Double) -> String { VietnameseDate.dateTime(now.addingTimeInterval(days * 86_400)) }
        let actor = AuditActor.cli("demo")
        let resolvedSo = try await so.resolved(on: app.db), resolvedSchool = try await school.resolved(on: app.db)

        func make(_ unit: ResolvedUnit, _ question: String, _ details: String, _ options: [String], multiple: Bool, whileOpen: Bool,
                  opens: Double, closes: Double, votes: [[Int]]) async throws {
            var input = PollService.Input()
            input.question = question
            input.details = details
            input.options = options.joined(separator: "\n")
            input.multiple = multiple
            input.resultsWhileOpen = whileOpen
            input.opensAt = at(opens)
            input.closesAt = at(closes)
            let poll = try await PollService.create(input, unit: unit, by: actor, now: now.addingTimeInterval(opens * 86_400 - 60), on: app.db)
            let ids = try await PollService.options(of: poll, on: app.db).compactMap(\.id)
            for (index, choice) in votes.enumerated() {
                let challenge = ContactService.issueChallenge(bits: 8, key: key, now: now)
                let proof = ContactService.Proof(token: challenge.token, nonce: ProofOfWork.solve(token: challenge.token, bits: challenge.bits))
                // Cast inside the window (the ended poll's votes while it ran).
                let when = poll.isOpen(at: now) ? now : poll.opensAt.addingTimeInterval(3600)
                try await PollService.vote(poll, choices: choice.map { ids[$0].uuidString }, voterID: SecureToken.generate(), proof: proof, key: key,
                                           addressKey: "demo-\(index % 7)", now: when, on: app.db)
            }
        }
        func spread(_ counts: [Int]) -> [[Int]] { counts.enumerated().flatMap { option, count in Array(repeating: [option], count: count) } }
        try await make(resolvedSo, "Hình thức họp phụ huynh học sinh phù hợp nhất với gia đình bạn?",
                       "Sở lấy ý kiến phụ huynh để hướng dẫn các trường tổ chức họp phụ huynh năm học 2026–2027.",
                       ["Họp trực tiếp tại trường", "Họp trực tuyến", "Kết hợp trực tiếp và trực tuyến"], multiple: false, whileOpen: true,
                       opens: -5, closes: 20, votes: spread([14, 9, 21]))
        try await make(resolvedSo, "Nội dung nào cần ưu tiên trong Tuần lễ học tập suốt đời 2026?",
                       "Chọn tối đa các nội dung bạn quan tâm.",
                       ["Kỹ năng số cho phụ huynh", "An toàn giao thông học đường", "Phòng chống bạo lực học đường", "Giáo dục giới tính"],
                       multiple: true, whileOpen: true, opens: -60, closes: -30,
                       votes: [[0, 2], [0], [1, 2], [2], [0, 2, 3], [2, 3], [0], [1], [2], [0, 1, 2]])
        try await make(resolvedSchool, "Chọn màu áo đồng phục thể dục mới",
                       "Kết quả công bố sau khi kết thúc bình chọn.",
                       ["Xanh dương", "Trắng viền đỏ", "Xanh lá"], multiple: false, whileOpen: false, opens: -2, closes: 12, votes: spread([5, 8, 3]))
    }
}
