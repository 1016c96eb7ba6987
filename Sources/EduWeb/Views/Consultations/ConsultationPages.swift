import EduCore
import EduData
import Fluent
import Vapor

/// `/lay-y-kien`: open, coming and closed consultations.
struct ConsultationsPage: PageView {
    static let template = "consultations"

    struct Item {
        let title: String
        let url: String
        let window: String
        let concerns: String
    }

    let layout: LayoutVM
    let open: [Item]
    let upcoming: [Item]
    let closed: [Item]
}

/// `/lay-y-kien/<id>`: the issue, the draft paragraph by paragraph with its published comments
/// counted per paragraph, the comment form while open, and after the deadline the summary.
struct ConsultationPage: PageView {
    static let template = "consultation"

    struct Paragraph {
        let number: Int
        let anchor: String
        let text: String
        let comments: Int
        let commentURL: String
    }

    struct Comment {
        let author: String
        let on: String
        let body: String
        let answer: String
        let answered: Bool
    }

    let layout: LayoutVM
    let title: String
    let issue: String
    let concerns: String
    let window: String
    let state: String
    let receivingAddress: String
    /// Mail to the address is filed with the web form's comments (a paragraph named in the subject).
    let receivesMail: Bool
    let paragraphs: [Paragraph]
    let comments: [Comment]
    let open: Bool
    let sent: Bool
    let form: FormPage
    let challengeURL: String
    let summary: String
    let summaryDate: String
}

extension ConsultationsPage {
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> ConsultationsPage {
        let now = Date()
        let all = try await Consultation.query(in: unit, on: req.db).sort(\.$closesAt, .descending).limit(200).all()
        func item(_ c: Consultation) throws -> Item {
            Item(title: c.title, url: SiteURL.consultation(id: .value(try c.requireID().uuidString.lowercased())).path,
                 window: "\(VietnameseDate.dateTime(c.opensAt)) – \(VietnameseDate.dateTime(c.closesAt))", concerns: c.concerns)
        }
        return ConsultationsPage(
            layout: LayoutVM.make(req, title: "Lấy ý kiến", admin: false),
            open: try all.filter { $0.isOpen(at: now) }.map(item), upcoming: try all.filter { now < $0.opensAt }.map(item),
            closed: try all.filter { now >= $0.closesAt }.map(item))
    }
}

extension ConsultationPage {
    static func fields(_ input: ConsultationService.CommentInput, paragraphs: Int, errors: FormErrors) -> [FormField] {
        [
            FormField(name: "paragraph", label: "Góp ý cho", value: input.paragraph, error: errors["paragraph"], type: "select",
                      options: [.init(value: "", label: "Toàn bộ dự thảo", selected: input.paragraph.isEmpty)]
                        + (0..<paragraphs).map { .init(value: String($0 + 1), label: "Đoạn \($0 + 1)", selected: input.paragraph == String($0 + 1)) }),
            FormField(name: "name", label: "Họ và tên", value: input.name, error: errors["name"], required: true, autocomplete: "name", maxlength: 120),
            FormField(name: "organisation", label: "Cơ quan, đơn vị, trường (nếu có)", value: input.organisation, error: errors["organisation"],
                      autocomplete: "organization", maxlength: 200),
            FormField(name: "email", label: "Thư điện tử", value: input.email, error: errors["email"], hint: "Không công khai.", type: "email",
                      required: true, autocomplete: "email", maxlength: 254),
            FormField(name: "body", label: "Nội dung góp ý", value: input.body, error: errors["body"], type: "textarea", required: true, maxlength: 10_000),
            FormField(name: "attachments", label: "Tệp đính kèm (nếu có)", error: errors["attachments"],
                      hint: "PDF, Word, OpenDocument, JPG hoặc PNG; tối đa \(ConsultationService.maxAttachmentBytes >> 20) MB. Khi có lỗi, cần chọn lại tệp.",
                      type: "file", accept: ".pdf,.doc,.docx,.odt,.jpg,.jpeg,.png"),
        ]
    }

    static func query(_ req: Request, unit: ResolvedUnit, consultation: Consultation, input: ConsultationService.CommentInput? = nil,
                      errors: FormErrors = [:], sent: Bool = false) async throws -> ConsultationPage {
        let now = Date()
        let id = try consultation.requireID().uuidString.lowercased()
        let base = SiteURL.consultation(id: .value(id)).path
        let published = try await ConsultationComment.query(on: req.db).filter(\.$consultationID == consultation.requireID())
            .filter(\.$status == ConsultationComment.Status.published.rawValue).sort(\.$createdAt).all()
        let counts = Dictionary(grouping: published.compactMap(\.paragraph), by: { $0 }).mapValues(\.count)
        let paragraphs = consultation.paragraphs
        var typed = input ?? .init()
        if input == nil, let asked = Int(req.textParameter("doan")), (1...max(1, paragraphs.count)).contains(asked) { typed.paragraph = String(asked) }
        let layout = LayoutVM.make(req, title: consultation.title, admin: false)
        let showSummary = consultation.summaryPublishedAt != nil
        return ConsultationPage(
            layout: layout, title: consultation.title, issue: consultation.issue, concerns: consultation.concerns,
            window: "\(VietnameseDate.dateTime(consultation.opensAt)) – \(VietnameseDate.dateTime(consultation.closesAt))",
            state: consultation.isOpen(at: now) ? "Đang nhận góp ý đến \(VietnameseDate.dateTime(consultation.closesAt))"
                : (now < consultation.opensAt ? "Sắp nhận góp ý" : "Đã hết hạn góp ý"),
            receivingAddress: consultation.receivingAddress,
            receivesMail: try await ConsultationService.intakeTarget(consultation.receivingAddress, on: req.db) != nil,
            paragraphs: paragraphs.enumerated().map { index, text in
                Paragraph(number: index + 1, anchor: "doan-\(index + 1)", text: text, comments: counts[index] ?? 0,
                          commentURL: base + "?doan=\(index + 1)#gop-y")
            },
            comments: published.map { c in
                Comment(author: c.name + (c.organisation.isEmpty ? "" : " (\(c.organisation))"),
                        on: c.paragraph.map { "Đoạn \($0 + 1)" } ?? "Toàn bộ dự thảo", body: c.body,
                        answer: showSummary ? (c.accepted.map { ($0 ? "Tiếp thu" : "Không tiếp thu") + (c.explanation.isEmpty ? "." : ": " + c.explanation) } ?? "") : "",
                        answered: showSummary && c.accepted != nil)
            },
            open: consultation.isOpen(at: now), sent: sent,
            form: FormPage(layout: layout, heading: "Gửi góp ý", intro: errors.form, action: base, submitLabel: "Gửi góp ý",
                           fields: fields(typed, paragraphs: paragraphs.count, errors: errors), cancelURL: base),
            challengeURL: SiteURL.contactChallenge.path,
            summary: showSummary ? consultation.summary : "",
            summaryDate: consultation.summaryPublishedAt.map(VietnameseDate.day) ?? "")
    }
}
