import EduCore
import EduData
import Fluent
import Vapor

/// The workflow section shared by the article and document pages.
struct WorkflowVM {
    struct TransitionButton {
        let value: String
        let label: String
        let isPublish: Bool
    }

    struct Event {
        let at: String
        let who: String
        let what: String
        let comment: String
    }

    let transitions: [TransitionButton]
    let transitionURL: String
    let commentField: FormField
    let publishAtField: FormField
    let expiresAtField: FormField
    let events: [Event]

    static func make<Item: WorkflowItem>(
        _ item: Item?, admin: AdminContext, unit: ResolvedUnit, transitionURL: String, error: String?, on db: any Database
    ) async throws -> WorkflowVM {
        var events: [Event] = []
        var transitions: [TransitionButton] = []
        if let item {
            events = try await WorkflowEvent.history(of: item, on: db).map {
                .init(at: VietnameseDate.dateTime($0.at), who: $0.userName,
                      what: (Transition(rawValue: $0.transition)?.label ?? $0.transition) + " → "
                        + (ContentState(rawValue: $0.toState)?.label ?? $0.toState),
                      comment: $0.comment)
            }
            transitions = Workflow.available(from: item.state, grants: admin.grants, unit: unit.ref, isAuthor: admin.isAuthor(of: item))
                .map { .init(value: $0.rawValue, label: $0.label, isPublish: $0 == .publish) }
        }
        return WorkflowVM(
            transitions: transitions, transitionURL: transitionURL,
            commentField: FormField(
                name: "comment", label: "Ý kiến", error: error, hint: "Bắt buộc khi trả lại: ghi rõ cần sửa gì.", type: "textarea",
                maxlength: 2000),
            publishAtField: FormField(
                name: "publishAt", label: "Hẹn giờ đăng", value: item?.publishAt.map(VietnameseDate.inputValue) ?? "",
                hint: "Để trống để đăng ngay.", type: "datetime-local"),
            expiresAtField: FormField(
                name: "expiresAt", label: "Hết hạn hiển thị", value: item?.expiresAt.map(VietnameseDate.inputValue) ?? "",
                hint: "Để trống nếu không hết hạn.", type: "datetime-local"),
            events: events)
    }

    /// Parses the transition form and takes the step; returns an error message for the form, or nil.
    static func handle<Item: WorkflowItem>(
        _ req: Request, item: Item, admin: AdminContext, unit: ResolvedUnit, adminPath: String
    ) async throws -> String? {
        let form = try req.content.decode([String: String].self)
        guard let transition = Transition(rawValue: form["transition"] ?? "") else {
            throw AppError(.unprocessableEntity, "Thao tác không hợp lệ.")
        }
        let rawPublish = form["publishAt"] ?? "", rawExpires = form["expiresAt"] ?? ""
        let publishAt = rawPublish.isEmpty ? nil : VietnameseDate.parse(rawPublish)
        let expiresAt = rawExpires.isEmpty ? nil : VietnameseDate.parse(rawExpires)
        if (!rawPublish.isEmpty && publishAt == nil) || (!rawExpires.isEmpty && expiresAt == nil) {
            return "Thời điểm không hợp lệ (dạng dd/mm/yyyy hh:mm)."
        }
        do {
            try await ContentService.transition(
                item, transition, comment: form["comment"] ?? "", publishAt: publishAt, expiresAt: expiresAt, unit: unit, by: req.actor(admin), grants: admin.grants,
                links: NoticeLinks.of(unit, config: req.config), adminPath: adminPath, on: req.db)
        } catch ContentService.TransitionError.notAllowed {
            throw AppError(.forbidden, "Bạn không được «\(transition.label.lowercased())» khi đang ở trạng thái «\(item.state.label)».")
        } catch ContentService.TransitionError.commentRequired {
            return "Nhập ý kiến để người viết biết cần sửa gì."
        } catch ContentService.TransitionError.badSchedule(let message) {
            return message
        }
        return nil
    }
}
