import EduCore
import EduData
import Fluent
import Vapor

/// `/hoi-dap`: the FAQ (published answers by topic, paged), a search in it, and the form to ask.
struct QuestionsPage: PageView {
    static let template = "questions"

    struct Topic {
        let label: String
        let url: String
        let current: Bool
    }

    struct Entry {
        let question: String
        let topic: String
        let url: String
        let answered: String
    }

    let layout: LayoutVM
    let topics: [Topic]
    let entries: [Entry]
    let pager: Pager
    let searchAction: String
    let sent: String?
    let form: FormPage
    let challengeURL: String
}

/// `/hoi-dap/<id>`: one published question and its answer (the asker's first name only).
struct QuestionPage: PageView {
    static let template = "question"

    let layout: LayoutVM
    let question: String
    let topic: String
    let asker: String
    let asked: String
    let answer: String
    let answered: String
    let listURL: String
}

extension QuestionsPage {
    static let pageSize = 20

    static func fields(_ input: QuestionService.Input, errors: FormErrors) -> [FormField] {
        [
            FormField(name: "name", label: "Họ và tên", value: input.name, error: errors["name"], required: true, autocomplete: "name", maxlength: 120),
            FormField(name: "email", label: "Thư điện tử", value: input.email, error: errors["email"], hint: "Để nhận câu trả lời. Có thể để trống nếu ghi số điện thoại.",
                      type: "email", autocomplete: "email", maxlength: 254),
            FormField(name: "phone", label: "Số điện thoại", value: input.phone, error: errors["phone"], type: "tel", autocomplete: "tel", maxlength: 20),
            FormField(name: "topic", label: "Chủ đề", value: input.topic, error: errors["topic"], type: "select", required: true,
                      options: [.init(value: "", label: "— Chọn chủ đề —", selected: input.topic.isEmpty)]
                        + Question.topics.map { .init(value: $0, label: $0, selected: $0 == input.topic) }),
            FormField(name: "question", label: "Câu hỏi", value: input.question, error: errors["question"], type: "textarea", required: true, maxlength: 5000),
            FormField(name: "consent", label: "Tôi đồng ý để đơn vị công khai câu hỏi và câu trả lời trên cổng thông tin (không kèm thư điện tử, số điện thoại).",
                      type: "checkbox", checked: input.consent),
        ]
    }

    static func query(_ req: Request, unit: ResolvedUnit, input: QuestionService.Input = .init(), errors: FormErrors = [:], sent: String? = nil) async throws -> QuestionsPage {
        let topicParam = req.textParameter("chu-de")
        let topic = Question.topics.contains(topicParam) ? topicParam : nil
        let query = QuestionService.published(in: unit, topic: topic, on: req.db)
        let requested = try? req.query.get(Int.self, at: "trang")
        let total = try await query.count()
        if let requested, !Paging.exists(requested, total: total, size: pageSize) { throw AppError.notFound }
        let paging = Paging(total: total, size: pageSize, requested: requested)
        let rows = try await query.sort(\.$publishedAt, .descending).range(paging.range).all()
        let base = SiteURL.questions.path
        func topicURL(_ t: String?) -> String { t.map { base + "?chu-de=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? base }
        let layout = LayoutVM.make(req, title: "Hỏi đáp", admin: false)
        return QuestionsPage(
            layout: layout,
            topics: [Topic(label: "Tất cả", url: base, current: topic == nil)] + Question.topics.map { Topic(label: $0, url: topicURL($0), current: $0 == topic) },
            entries: try rows.map { q in
                Entry(question: q.question, topic: q.topic, url: SiteURL.question(id: .value(try q.requireID().uuidString.lowercased())).path,
                      answered: q.answeredAt.map(VietnameseDate.day) ?? "")
            },
            pager: Pager(paging, url: { topicURL(topic) + (topic == nil ? "?" : "&") + "trang=\($0)" }),
            searchAction: SiteURL.search.path, sent: sent,
            form: FormPage(layout: layout, heading: "Gửi câu hỏi", intro: errors.form, action: base, submitLabel: "Gửi câu hỏi",
                           fields: fields(input, errors: errors), cancelURL: base),
            challengeURL: SiteURL.contactChallenge.path)
    }
}

extension QuestionPage {
    static func query(_ req: Request, unit: ResolvedUnit, question: Question) -> QuestionPage {
        QuestionPage(
            layout: LayoutVM.make(req, title: String(question.question.prefix(80)), admin: false),
            question: question.question, topic: question.topic,
            asker: question.askerName.split(separator: " ").last.map(String.init) ?? "",
            asked: VietnameseDate.day(question.createdAt), answer: question.answer,
            answered: question.answeredAt.map(VietnameseDate.day) ?? "", listURL: SiteURL.questions.path)
    }
}
