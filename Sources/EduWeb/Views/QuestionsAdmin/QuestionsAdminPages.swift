import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/don-vi/<code>/hoi-dap`: the unit's questions, waiting and overdue first, with the
/// unit's response figures.
struct QuestionsAdminPage: PageView {
    static let template = "admin/questions"

    struct Row {
        let question: String
        let url: String
        let topic: String
        let asked: String
        let due: String
        let state: String
        let overdue: Bool
    }

    let layout: LayoutVM
    let unitName: String
    let summary: String
    let filter: FormField
    let filterAction: String
    let rows: [Row]
    let pager: Pager
}

/// `/quan-tri/don-vi/<code>/hoi-dap/<id>`: the question, its routing and its answer.
struct QuestionAdminPage: PageView {
    static let template = "admin/question"

    let layout: LayoutVM
    let question: String
    let topic: String
    let asker: String
    let contact: String
    let asked: String
    let due: String
    let consent: String
    let failure: String?
    let routeAction: String
    let department: FormField
    let answerAction: String
    let answer: FormField
    let publish: FormField
    let publicURL: String
}

extension QuestionsAdminPage {
    static let pageSize = 30

    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit) async throws -> QuestionsAdminPage {
        let now = Date()
        let wanted = req.textParameter("trang-thai")
        let query = Question.query(in: unit, on: req.db)
        switch wanted {
        case "cho": query.filter(\.$answeredAt == nil)
        case "qua-han": query.filter(\.$answeredAt == nil).filter(\.$dueAt < now)
        case "da-tra-loi": query.filter(\.$answeredAt != nil)
        default: break
        }
        let total = try await query.count()
        let paging = Paging(total: total, size: pageSize, requested: try? req.query.get(Int.self, at: "trang"))
        let rows = try await query.sort(\.$dueAt).range(paging.range).all()
        let stats = try await QuestionService.stats(of: unit, now: now, on: req.db)
        let base = SiteURL.adminQuestions(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Hỏi đáp", url: base)])
        var summary = "\(stats.waiting) câu chờ trả lời, \(stats.overdue) quá hạn \(QuestionService.responseDays) ngày, \(stats.answered) đã trả lời"
        if let median = stats.medianHours { summary += "; thời gian trả lời trung vị \(median < 48 ? "\(Int(median.rounded())) giờ" : "\(Int((median / 24).rounded())) ngày")" }
        return QuestionsAdminPage(
            layout: LayoutVM.make(req, title: "Hỏi đáp – \(unit.name)", admin: true, breadcrumbs: crumbs),
            unitName: unit.name, summary: summary + ".",
            filter: FormField(name: "trang-thai", label: "Trạng thái", value: wanted, type: "select", options: [
                .init(value: "", label: "Tất cả", selected: wanted.isEmpty), .init(value: "cho", label: "Chờ trả lời", selected: wanted == "cho"),
                .init(value: "qua-han", label: "Quá hạn", selected: wanted == "qua-han"), .init(value: "da-tra-loi", label: "Đã trả lời", selected: wanted == "da-tra-loi"),
            ]),
            filterAction: base,
            rows: try rows.map { q in
                Row(question: String(q.question.prefix(160)), url: SiteURL.adminQuestion(code: .value(unit.code), id: .value(try q.requireID().uuidString.lowercased())).path,
                    topic: q.topic, asked: VietnameseDate.dateTime(q.createdAt), due: VietnameseDate.dateTime(q.dueAt),
                    state: q.answeredAt == nil ? (q.isOverdue(at: now) ? "Quá hạn" : "Chờ trả lời") : (q.publishedAt != nil ? "Đã trả lời, công khai" : "Đã trả lời"),
                    overdue: q.isOverdue(at: now))
            },
            pager: Pager(paging, url: { base + "?trang=\($0)" + (wanted.isEmpty ? "" : "&trang-thai=" + wanted) }))
    }
}

extension QuestionAdminPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, question: Question, answer typed: String? = nil,
                      errors: FormErrors = [:]) async throws -> QuestionAdminPage {
        let id = try question.requireID().uuidString.lowercased()
        let departments = try await Department.query(on: req.db).filter(\.$unitID == unit.id).sort(\.$position).all()
        let base = SiteURL.adminQuestions(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Hỏi đáp", url: base), .init(label: question.topic, url: SiteURL.adminQuestion(code: .value(unit.code), id: .value(id)).path),
        ])
        func step(_ name: String) -> String { SiteURL.adminQuestionStep(code: .value(unit.code), id: .value(id), step: .value(name)).path }
        return QuestionAdminPage(
            layout: LayoutVM.make(req, title: "Câu hỏi: \(question.topic)", admin: true, breadcrumbs: crumbs),
            question: question.question, topic: question.topic, asker: question.askerName,
            contact: [question.askerEmail, question.askerPhone].filter { !$0.isEmpty }.joined(separator: " · "),
            asked: VietnameseDate.dateTime(question.createdAt), due: VietnameseDate.dateTime(question.dueAt),
            consent: question.consentPublish ? "Người hỏi đồng ý công khai." : "Người hỏi không đồng ý công khai: chỉ trả lời riêng.",
            failure: errors.form,
            routeAction: step("chuyen"),
            department: FormField(name: "department", label: "Chuyển tới phòng, ban", value: question.departmentID?.uuidString.lowercased() ?? "",
                                  error: errors["department"], type: "select",
                                  options: [.init(value: "", label: "— Chọn —", selected: question.departmentID == nil)]
                                    + departments.compactMap { d in d.id.map { .init(value: $0.uuidString.lowercased(), label: d.name, selected: $0 == question.departmentID) } }),
            answerAction: step("tra-loi"),
            answer: FormField(name: "answer", label: "Câu trả lời", value: typed ?? question.answer, error: errors["answer"], type: "textarea", required: true, maxlength: 10_000),
            publish: FormField(name: "publish", label: "Công khai trong mục hỏi đáp", error: errors["publish"],
                               hint: question.consentPublish ? nil : "Người hỏi không đồng ý công khai.", type: "checkbox", checked: question.publishedAt != nil),
            publicURL: question.publishedAt != nil ? SiteURL.question(id: .value(id)).path : "")
    }
}
