import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/don-vi/<code>/binh-chon`: the unit's polls with their votes, closing one early,
/// and the form for a new one.
struct PollsAdminPage: PageView {
    static let template = "admin/polls"

    struct Row {
        let question: String
        let publicURL: String
        let window: String
        let state: String
        let voters: String
        let closeAction: String
        let running: Bool
    }

    let layout: LayoutVM
    let unitName: String
    let rows: [Row]
    let form: FormPage
}

extension PollsAdminPage {
    static func fields(_ input: PollService.Input, errors: FormErrors) -> [FormField] {
        [
            FormField(name: "question", label: "Câu hỏi", value: input.question, error: errors["question"], required: true, maxlength: 300),
            FormField(name: "details", label: "Giới thiệu", value: input.details, error: errors["details"], type: "textarea", maxlength: 3000),
            FormField(name: "options", label: "Các phương án (mỗi dòng một phương án)", value: input.options, error: errors["options"],
                      hint: "Từ 2 đến \(PollService.maxOptions) phương án.", type: "textarea", required: true, maxlength: 5000),
            FormField(name: "multiple", label: "Cho chọn nhiều phương án", type: "checkbox", checked: input.multiple),
            FormField(name: "opensAt", label: "Bắt đầu", value: input.opensAt, error: errors["opensAt"], hint: "dd/mm/yyyy hh:mm", required: true, maxlength: 25),
            FormField(name: "closesAt", label: "Kết thúc", value: input.closesAt, error: errors["closesAt"], hint: "dd/mm/yyyy hh:mm", required: true, maxlength: 25),
            FormField(name: "resultsWhileOpen", label: "Hiện kết quả trong khi bình chọn (bỏ chọn: chỉ hiện sau khi kết thúc)", type: "checkbox",
                      checked: input.resultsWhileOpen),
        ]
    }

    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, input: PollService.Input = .init(), errors: FormErrors = [:]) async throws -> PollsAdminPage {
        let now = Date()
        let polls = try await Poll.query(in: unit, on: req.db).sort(\.$opensAt, .descending).all()
        var rows: [Row] = []
        for poll in polls {
            let id = try poll.requireID().uuidString.lowercased()
            rows.append(Row(
                question: poll.question, publicURL: SiteURL.poll(id: .value(id)).path,
                window: "\(VietnameseDate.dateTime(poll.opensAt)) – \(VietnameseDate.dateTime(poll.closesAt))", state: poll.stateLabel(at: now),
                voters: VietnameseNumber.grouped(try await PollVote.query(on: req.db).filter(\.$pollID == poll.requireID()).count()),
                closeAction: SiteURL.adminPollClose(code: .value(unit.code), id: .value(id)).path, running: poll.closesAt > now))
        }
        let base = SiteURL.adminPolls(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Bình chọn", url: base)])
        let layout = LayoutVM.make(req, title: "Bình chọn – \(unit.name)", admin: true, breadcrumbs: crumbs)
        return PollsAdminPage(
            layout: layout, unitName: unit.name, rows: rows,
            form: FormPage(layout: layout, heading: "Cuộc bình chọn mới", intro: errors.form, action: base, submitLabel: "Tạo cuộc bình chọn",
                           fields: fields(input, errors: errors), cancelURL: base))
    }
}
