import EduCore
import EduData
import Fluent
import Foundation
import Vapor

/// The demo's inspection and ranking (#17): at the Sở a finished periodic round (scored
/// automatically from the demo's own portals, the inspector's criterion scored with evidence, a
/// unit's response, published) and an ad hoc round still being scored; at each commune office a
/// published round over its schools. Run after the reform, over the units below as they are now.
enum DemoEvaluation {
    static func create(units: [String: OrgUnit], app: Application) async throws {
        let context = EvaluationChecks.Context(db: app.db, config: app.eduConfig, links: PublicLinks(config: app.eduConfig, port: app.eduConfig.publicPort),
                                               fetch: EvaluationChecks.inProcess(app), now: Date())
        let actor = AuditActor.cli("demo")
        for code in [DemoProvince.rootCode, "phong-vhxh-gia-vien", "phong-vhxh-phat-diem"] {
            guard let row = units[code] else { continue }
            let evaluator = try await row.resolved(on: app.db)
            let title = code == DemoProvince.rootCode ? "Đánh giá cổng thông tin điện tử, thư điện tử năm học 2025–2026"
                : "Đánh giá cổng thông tin các trường năm học 2025–2026"
            let round = try await EvaluationService.startRound(title: title, kind: "dinh-ky", evaluator: evaluator, by: actor, who: "demo",
                                                               now: Date().addingTimeInterval(-40 * 86_400), on: app.db)
            try await EvaluationService.computeAutomatic(round, evaluator: evaluator, context: context, by: actor)
            // The regulation (TC16) is a document an inspector reads: most units have issued theirs.
            for (index, unit) in try await EvaluationService.evaluated(by: evaluator, on: app.db).enumerated() {
                let issued = index % 4 != 3
                try await EvaluationService.scoreManually(round, unit: unit, code: "TC16", value: issued ? "1" : "0",
                                                          evidence: issued ? "Quyết định ban hành Quy chế quản lý, vận hành cổng thông tin điện tử số \(12 + index)/QĐ ngày 05/09/2025."
                                                            : "Đơn vị chưa ban hành Quy chế; biên bản kiểm tra ngày 20/10/2026.",
                                                          url: "", evaluator: evaluator, by: actor, who: "Đoàn kiểm tra", on: app.db)
            }
            try await EvaluationService.advance(round, to: .review, evaluator: evaluator, by: actor, on: app.db)
            if let first = try await EvaluationService.evaluated(by: evaluator, on: app.db).first {
                try await EvaluationService.respond(round, unit: try await first.resolved(on: app.db),
                                                    body: "Đơn vị đã bổ sung chuyên mục Hỏi đáp ngày 25/10/2026; đề nghị đoàn kiểm tra xem xét lại tiêu chí TC01.",
                                                    by: actor, who: "demo", on: app.db)
            }
            try await EvaluationService.advance(round, to: .published, evaluator: evaluator, by: actor, on: app.db)
        }
        // An ad hoc round at the Sở, scored automatically, still open.
        if let so = units[DemoProvince.rootCode] {
            let evaluator = try await so.resolved(on: app.db)
            let round = try await EvaluationService.startRound(title: "Kiểm tra đột xuất cổng thông tin các đơn vị tháng 11/2026", kind: "dot-xuat",
                                                               evaluator: evaluator, by: actor, who: "demo", on: app.db)
            try await EvaluationService.computeAutomatic(round, evaluator: evaluator, context: context, by: actor)
            // Yearly rounds on a schedule, from the next 1 September.
            let calendar = VietnameseDate.calendar
            let now = Date()
            let year = calendar.component(.year, from: now) + (calendar.component(.month, from: now) >= 9 ? 1 : 0)
            try await EvaluationService.saveSchedule(title: "Đánh giá cổng thông tin điện tử, thư điện tử", cadence: Cadence.yearly.rawValue,
                                                     next: "01/09/\(year)", active: true, evaluator: evaluator, by: actor, who: "demo", on: app.db)
            // The quarterly deployment report asked of the units below, due at the end of this quarter; one commune office has answered.
            let month = calendar.component(.month, from: now)
            let quarterEnd = calendar.date(from: DateComponents(year: calendar.component(.year, from: now), month: ((month - 1) / 3 + 1) * 3 + 1, day: 1))
                .flatMap { calendar.date(byAdding: .day, value: -1, to: $0) } ?? now
            var input = DeploymentReport.RequestInput()
            input.title = "Báo cáo triển khai cổng thông tin điện tử, thư điện tử"
            input.due = VietnameseDate.day(quarterEnd)
            input.cadence = Cadence.quarterly.rawValue
            input.note = "Số liệu lấy đến ngày gửi; đơn vị bổ sung đầu mối cổng và thư nếu còn thiếu."
            let request = try await DeploymentReport.request(input, from: evaluator, by: actor, who: "demo", links: context.links, on: app.db)
            if let office = units["phong-vhxh-gia-vien"] {
                let resolved = try await office.resolved(on: app.db)
                let rows = try await DeploymentReport.build(for: resolved, context: context)
                try await DeploymentReport.submit(rows, from: resolved, title: "", answering: (request, request.dueAt), by: actor, who: "demo",
                                                  links: context.links, on: app.db)
            }
        }
    }
}
