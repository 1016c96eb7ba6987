import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/don-vi/<code>/lay-y-kien`: the unit's consultations with their comments counted,
/// and the form for a new one.
struct ConsultationsAdminPage: PageView {
    static let template = "admin/consultations"

    struct Row {
        let title: String
        let url: String
        let window: String
        let waiting: Int
        let total: Int
    }

    let layout: LayoutVM
    let unitName: String
    let rows: [Row]
    let form: FormPage
}

/// `/quan-tri/don-vi/<code>/lay-y-kien/<id>`: moderation of every comment (publish, hide with a
/// reason, merge into another, answer), then the summary.
struct ConsultationAdminPage: PageView {
    static let template = "admin/consultation"

    struct Comment {
        let id: String
        let author: String
        let email: String
        let source: String
        let on: String
        let body: String
        let status: String
        let answer: String
        let publishAction: String
        let hideAction: String
        let mergeAction: String
        let answerAction: String
        let others: [FormField.Option]
        /// The comment's files: each name with its size and the staff-only download.
        let files: [FileLink]
    }

    struct FileLink {
        let name: String
        let size: String
        let url: String
    }

    let layout: LayoutVM
    let title: String
    let publicURL: String
    let window: String
    let address: String
    /// The address is the consultation's own, in a mail domain of the unit: mail to it is filed here.
    let receivesMail: Bool
    let failure: String?
    let comments: [Comment]
    let summaryAction: String
    let summary: FormField
    let mayPublishSummary: Bool
}

extension ConsultationsAdminPage {
    static func fields(_ input: ConsultationService.Input, errors: FormErrors) -> [FormField] {
        [
            FormField(name: "title", label: "Tên dự thảo", value: input.title, error: errors["title"], required: true, maxlength: 300),
            FormField(name: "issue", label: "Vấn đề cần lấy ý kiến", value: input.issue, error: errors["issue"], type: "textarea", required: true, maxlength: 5000),
            FormField(name: "concerns", label: "Đối tượng lấy ý kiến", value: input.concerns, error: errors["concerns"], hint: "Ví dụ: cán bộ quản lý, giáo viên, phụ huynh.", maxlength: 500),
            FormField(name: "draft", label: "Nội dung dự thảo", value: input.draft, error: errors["draft"], hint: "Các đoạn cách nhau một dòng trống; người góp ý chọn đoạn.",
                      type: "textarea", required: true, maxlength: 100_000),
            FormField(name: "receivingAddress", label: "Thư điện tử nhận góp ý", value: input.receivingAddress, error: errors["receivingAddress"],
                      hint: "Để trống: hệ thống đặt một địa chỉ riêng (gopy-năm@tên miền thư của đơn vị); thư gửi tới đó vào thẳng danh sách chờ duyệt, kèm tệp đính kèm.", type: "email", maxlength: 254),
            FormField(name: "opensAt", label: "Bắt đầu", value: input.opensAt, error: errors["opensAt"], hint: "dd/mm/yyyy hh:mm", required: true, maxlength: 25),
            FormField(name: "closesAt", label: "Hạn góp ý", value: input.closesAt, error: errors["closesAt"], hint: "dd/mm/yyyy hh:mm", required: true, maxlength: 25),
        ]
    }

    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, input: ConsultationService.Input = .init(), errors: FormErrors = [:]) async throws -> ConsultationsAdminPage {
        let all = try await Consultation.query(in: unit, on: req.db).sort(\.$closesAt, .descending).all()
        var rows: [Row] = []
        for c in all {
            let id = try c.requireID()
            let comments = try await ConsultationComment.query(on: req.db).filter(\.$consultationID == id).field(\.$id).field(\.$status).all()
            rows.append(Row(title: c.title, url: SiteURL.adminConsultation(code: .value(unit.code), id: .value(id.uuidString.lowercased())).path,
                            window: "\(VietnameseDate.dateTime(c.opensAt)) – \(VietnameseDate.dateTime(c.closesAt))",
                            waiting: comments.filter { $0.status == ConsultationComment.Status.waiting.rawValue }.count, total: comments.count))
        }
        let base = SiteURL.adminConsultations(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Lấy ý kiến", url: base)])
        let layout = LayoutVM.make(req, title: "Lấy ý kiến – \(unit.name)", admin: true, breadcrumbs: crumbs)
        return ConsultationsAdminPage(
            layout: layout, unitName: unit.name, rows: rows,
            form: FormPage(layout: layout, heading: "Lấy ý kiến dự thảo mới", intro: errors.form, action: base, submitLabel: "Đăng dự thảo",
                           fields: fields(input, errors: errors), cancelURL: base))
    }
}

extension ConsultationAdminPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, consultation: Consultation, errors: FormErrors = [:],
                      summary typed: String? = nil) async throws -> ConsultationAdminPage {
        let id = try consultation.requireID().uuidString.lowercased()
        let comments = try await ConsultationComment.query(on: req.db).filter(\.$consultationID == consultation.requireID()).sort(\.$createdAt).all()
        let files = Dictionary(grouping: try await ConsultationFile.query(on: req.db).filter(\.$commentID ~~ comments.compactMap(\.id)).sort(\.$createdAt).all(),
                               by: \.commentID)
        let base = SiteURL.adminConsultations(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Lấy ý kiến", url: base), .init(label: consultation.title, url: SiteURL.adminConsultation(code: .value(unit.code), id: .value(id)).path),
        ])
        func action(_ comment: ConsultationComment, _ step: String) -> String {
            SiteURL.adminConsultationComment(code: .value(unit.code), id: .value(id), comment: .value(comment.id?.uuidString.lowercased() ?? ""), step: .value(step)).path
        }
        return ConsultationAdminPage(
            layout: LayoutVM.make(req, title: consultation.title, admin: true, breadcrumbs: crumbs),
            title: consultation.title, publicURL: SiteURL.consultation(id: .value(id)).path,
            window: "\(VietnameseDate.dateTime(consultation.opensAt)) – \(VietnameseDate.dateTime(consultation.closesAt))",
            address: consultation.receivingAddress,
            receivesMail: try await ConsultationService.intakeTarget(consultation.receivingAddress, on: req.db) != nil,
            failure: errors.isEmpty ? nil : errors.messagesWithoutFields.joined(separator: " "),
            comments: comments.map { c in
                Comment(id: c.id?.uuidString.lowercased() ?? "", author: c.name + (c.organisation.isEmpty ? "" : " (\(c.organisation))"), email: c.email,
                        source: c.source == "email" ? "Thư điện tử" : "Biểu mẫu", on: c.paragraph.map { "Đoạn \($0 + 1)" } ?? "Toàn bộ dự thảo",
                        body: c.body, status: (c.currentStatus?.label ?? c.status) + (c.hideReason.isEmpty ? "" : ": " + c.hideReason),
                        answer: c.accepted.map { ($0 ? "Tiếp thu" : "Không tiếp thu") + (c.explanation.isEmpty ? "" : ": " + c.explanation) } ?? "",
                        publishAction: action(c, "cong-khai"), hideAction: action(c, "an"), mergeAction: action(c, "gop"), answerAction: action(c, "tra-loi"),
                        others: comments.filter { $0.id != c.id && $0.mergedInto == nil }.compactMap { o in
                            o.id.map { .init(value: $0.uuidString.lowercased(), label: "\(o.name): \(o.body.prefix(40))", selected: false) }
                        },
                        files: (c.id.flatMap { files[$0] } ?? []).map { f in
                            FileLink(name: f.name, size: MediaController.size(f.size),
                                     url: SiteURL.adminConsultationFile(code: .value(unit.code), id: .value(id), comment: .value(c.id?.uuidString.lowercased() ?? ""),
                                                                        file: .value(f.id?.uuidString.lowercased() ?? "")).path)
                        })
            },
            summaryAction: SiteURL.adminConsultationSummary(code: .value(unit.code), id: .value(id)).path,
            summary: FormField(name: "summary", label: "Tổng hợp, tiếp thu, giải trình", value: typed ?? consultation.summary, error: errors["summary"],
                               hint: "Công bố sau hạn góp ý, khi mọi góp ý đã được duyệt; từng góp ý hiện kèm câu trả lời của nó.", type: "textarea", maxlength: 20_000),
            mayPublishSummary: Date() >= consultation.closesAt)
    }
}
