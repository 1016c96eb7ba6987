import EduImport
import EduCore
import EduData
import Vapor

/// What every page's frame needs. Built by `LayoutVM.make`, never by templates.
struct LayoutVM {
    struct NavUser {
        let name: String
        let email: String
    }

    struct Crumb {
        let label: String
        let url: String
    }

    var title: String
    var siteName: String
    var lang: String
    /// On English pages the Vietnamese frame is marked `lang="vi"` (WCAG 3.1.2).
    var englishFrame = false
    let stylesheet: String
    /// Public pages: the stylesheet itself, in a style element (see `Theme.inlineStyle`).
    let inlineStyle: String?
    let adminScript: String
    let favicon: String
    let csrf: String
    let user: NavUser?
    let isAdminArea: Bool
    let homeURL: String
    let adminHomeURL: String
    let auditURL: String
    let outboxURL: String
    let deadlinesURL: String
    let secondFactorURL: String
    let logoutURL: String
    let loginURL: String
    var notice: String?
    let breadcrumbs: [Crumb]
    /// The unit's public header, navigation and footer (public pages only).
    let frame: PublicFrame?
    /// Canonical URL, Dublin Core, Open Graph, JSON-LD (public pages only).
    let meta: PageMeta?

    /// The same frame for a page written in English.
    func inEnglish() -> LayoutVM {
        var copy = self
        copy.lang = "en"
        copy.englishFrame = true
        if let name = frame?.unitNameEn, !name.isEmpty { copy.siteName = name }
        return copy
    }

    static func make(
        _ req: Request, title: String, admin: Bool, breadcrumbs: [Crumb] = [], notice: String? = nil, details: PageMeta.Details? = nil
    ) -> LayoutVM {
        let frame = admin ? nil : req.storage[PublicFrameKey.self]
        return LayoutVM(
            title: title,
            siteName: req.unit?.name ?? "EduPortal",
            lang: "vi",
            stylesheet: req.theme.assetURL("app.css"),
            inlineStyle: admin ? nil : req.theme.inlineStyle,
            adminScript: req.theme.assetURL("admin.js"),
            favicon: req.theme.assetURL("favicon.svg"),
            csrf: req.csrfToken,
            user: req.admin.map { NavUser(name: $0.user.fullName, email: $0.user.email) },
            isAdminArea: admin,
            homeURL: SiteURL.home.path,
            adminHomeURL: SiteURL.adminHome.path,
            auditURL: SiteURL.adminAudit.path,
            outboxURL: SiteURL.adminOutbox.path,
            deadlinesURL: SiteURL.adminDeadlines.path,
            secondFactorURL: SiteURL.adminSecondFactor.path,
            logoutURL: SiteURL.logout.path,
            loginURL: SiteURL.login.path,
            notice: notice ?? Notice.message(for: try? req.query.get(String.self, at: "ok")),
            breadcrumbs: breadcrumbs,
            frame: frame,
            meta: frame.map { PageMeta.make(req: req, frame: $0, title: title, crumbs: breadcrumbs, details: details) })
    }
}

/// Messages shown after a successful POST-redirect-GET, by key, so no text travels in URLs.
enum Notice {
    static let messages: [String: String] = [
        "unit-updated": "Đã lưu thông tin đơn vị.",
        "question-routed": "Đã chuyển câu hỏi; phòng, ban được báo qua thư điện tử.",
        "question-answered": "Đã lưu câu trả lời; người hỏi có thư điện tử đã được gửi câu trả lời.",
        "consultation-created": "Đã đăng dự thảo lấy ý kiến.",
        "yearbook-period": "Đã tạo kỳ báo cáo niên giám.",
        "yearbook-saved": "Đã lưu số liệu niên giám.",
        "disclosure-saved": "Đã lưu mục công khai.",
        "yearbook-imported": "Đã nhập số liệu niên giám từ tệp.",
        "unit-moved": "Đã chuyển đơn vị sang đơn vị quản lý mới.",
        "unit-merged": "Đã sáp nhập: tin bài, văn bản, tệp đã chuyển về đơn vị này; tên miền của đơn vị cũ chuyển hướng về đây.",
        "unit-dissolved": "Đã giải thể đơn vị: đơn vị này tiếp nhận nội dung và tên miền của đơn vị đó.",
        "consultation-moderated": "Đã lưu.",
        "consultation-summary": "Đã công bố tổng hợp, tiếp thu, giải trình.",
        "poll-created": "Đã tạo cuộc bình chọn.",
        "poll-closed": "Đã kết thúc cuộc bình chọn; kết quả được công bố.",
        "admission-reviewed": "Đã lưu kết quả xét hồ sơ; phụ huynh có thư điện tử đã được báo.",
        "admission-scores": "Đã nhập điểm xét tuyển. Phân bổ (lại) trước khi công bố.",
        "admission-allocated": "Đã phân bổ chỉ tiêu. Kiểm tra kết quả và điểm chuẩn trước khi công bố.",
        "admission-published": "Đã công bố kết quả; phụ huynh có thư điện tử đã được báo.",
        "unit-updated-names-requested":
            "Đã lưu thông tin đơn vị. Tên miền mới nằm trong phần được giao nên cần đơn vị cấp trên duyệt: đã gửi yêu cầu, xem ở trang Tên miền.",
        "unit-created": "Đã tạo đơn vị trực thuộc.",
        "name-requested": "Đã gửi yêu cầu tên miền tới đơn vị cấp trên; tên miền có hiệu lực khi được duyệt.",
        "name-approved": "Đã duyệt tên miền.",
        "name-rejected": "Đã từ chối yêu cầu tên miền.",
        "name-delegated": "Đã giao hậu tố tên miền.",
        "name-undelegated": "Đã thu hồi hậu tố tên miền.",
        "domain-added": "Đã thêm tên miền thư.",
        "user-created": "Đã tạo tài khoản.",
        "role-granted": "Đã phân quyền.",
        "role-revoked": "Đã thu hồi quyền.",
        "user-disabled": "Đã khóa tài khoản.",
        "user-enabled": "Đã mở khóa tài khoản.",
        "totp-enabled": "Đã bật xác thực hai bước.",
        "totp-disabled": "Đã tắt xác thực hai bước.",
        "logged-out": "Bạn đã đăng xuất.",
        "password-changed": "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.",
        "mfa-ended": "Nhập sai mã xác thực quá nhiều lần: phiên đăng nhập đã kết thúc. Hãy đăng nhập lại bằng mật khẩu.",
        "article-saved": "Đã lưu bài viết.",
        "article-moved": "Đã chuyển trạng thái bài viết.",
        "article-restored": "Đã khôi phục phiên bản cũ thành phiên bản mới.",
        "categories-saved": "Đã lưu chuyên mục.",
        "media-uploaded": "Đã tải tệp lên.",
        "document-saved": "Đã lưu văn bản.",
        "document-moved": "Đã chuyển trạng thái văn bản.",
        "file-attached": "Đã đính kèm tệp.",
        "page-saved": "Đã lưu trang.",
        "leaders-saved": "Đã lưu danh bạ lãnh đạo.",
        "departments-saved": "Đã lưu cơ cấu tổ chức.",
        "exam-saved": "Đã lưu kỳ thi.",
        "exam-deleted": "Đã xóa kỳ thi và toàn bộ dữ liệu kết quả của nó.",
    ]

    static func message(for key: String?) -> String? { key.flatMap { messages[$0] } }
}

/// One form control with its label, value, error and help, rendered accessibly by
/// `partials/field`: the error sits next to the field and is tied to it by `aria-describedby`.
struct FormField {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
        /// `type: "checkboxes"`: each option is a checkbox named `<field>-<value>`, with its own id.
        var fieldName = ""
        var fieldID = ""
    }

    // Stored, not computed: templates read view models by reflection, which sees stored
    // properties only.
    let name: String
    let label: String
    let value: String
    let error: String?
    let hint: String?
    let type: String
    let required: Bool
    let autocomplete: String?
    let options: [Option]
    let checked: Bool
    let inputmode: String?
    let maxlength: Int
    let id: String
    let errorID: String
    let hintID: String
    let describedBy: String?
    let isTextarea: Bool
    let isRichText: Bool
    let isSelect: Bool
    let isCheckbox: Bool
    /// `type: "checkboxes"`: a fieldset of checkboxes, one per option (the form sends `<name>-<value>=on`).
    let isCheckboxes: Bool
    let isInput: Bool
    /// `type: "file"`: several files, of the kinds `accept` names (no value or length: browsers ignore them there).
    let isFile: Bool
    let accept: String
    let multiple: Bool
    let hasError: Bool
    /// HTML allows `maxlength` on text-like inputs only (not number, date, datetime-local, file).
    let takesLength: Bool

    init(
        name: String, label: String, value: String = "", error: String? = nil, hint: String? = nil, type: String = "text",
        required: Bool = false, autocomplete: String? = nil, options: [Option] = [], checked: Bool = false,
        inputmode: String? = nil, maxlength: Int = 300, idPrefix: String = "", accept: String = "", multiple: Bool = false
    ) {
        self.name = name
        self.label = label
        self.value = value
        self.error = error
        self.hint = hint
        self.type = type
        self.required = required
        self.autocomplete = autocomplete
        // A required list starts with an empty choice (HTML: its first option must be a placeholder),
        // chosen until something else is, so nothing is picked for the user by accident.
        if type == "select" && required, let first = options.first, !first.value.isEmpty {
            self.options = [Option(value: "", label: "— Chọn —", selected: !options.contains(where: \.selected))] + options
        } else if type == "checkboxes" {
            self.options = options.enumerated().map { index, option in
                Option(value: option.value, label: option.label, selected: option.selected,
                       fieldName: name + "-" + option.value, fieldID: "f-" + idPrefix + name + "-\(index + 1)")
            }
        } else {
            self.options = options
        }
        self.checked = checked
        self.inputmode = inputmode
        self.maxlength = maxlength
        id = "f-" + idPrefix + name
        errorID = id + "-error"
        hintID = id + "-hint"
        let described = [error != nil ? errorID : nil, hint != nil ? hintID : nil].compactMap { $0 }
        describedBy = described.isEmpty ? nil : described.joined(separator: " ")
        isTextarea = type == "textarea" || type == "richtext"
        isRichText = type == "richtext"
        isSelect = type == "select"
        isCheckbox = type == "checkbox"
        isCheckboxes = type == "checkboxes"
        isFile = type == "file"
        isInput = !isTextarea && !isSelect && !isCheckbox && !isCheckboxes && !isFile
        takesLength = ["text", "email", "password", "tel", "search", "url"].contains(type)
        self.accept = accept
        self.multiple = multiple
        hasError = error != nil
    }
}

/// A form page: heading, fields, a summary of errors at the top (linked to the fields).
struct FormPage: PageView {
    static let template = "admin/form"

    struct ErrorLink {
        let message: String
        let href: String
    }

    let layout: LayoutVM
    let heading: String
    let intro: String?
    let action: String
    let submitLabel: String
    let fields: [FormField]
    let cancelURL: String
    /// Every field's error, linked to the field, shown above the form.
    let errorSummary: [ErrorLink]
    /// The form carries files (`enctype="multipart/form-data"`).
    let multipart: Bool

    init(layout: LayoutVM, heading: String, intro: String?, action: String, submitLabel: String, fields: [FormField], cancelURL: String) {
        self.layout = layout
        multipart = fields.contains { $0.isFile }
        self.heading = heading
        self.intro = intro
        self.action = action
        self.submitLabel = submitLabel
        self.fields = fields
        self.cancelURL = cancelURL
        errorSummary = fields.compactMap { field in
            field.error.map { ErrorLink(message: field.label + ": " + $0, href: "#" + field.id) }
        }
    }
}

struct ErrorPage {
    let layout: LayoutVM
    let status: Int
    let heading: String
    let message: String
    /// The request's id as the log carries it, for a fault the visitor may report (5xx).
    let requestID: String?
}

/// A refused line of an imported file, as the admin's error tables show it.
struct ImportErrorRow {
    let line: String
    let message: String

    init(_ error: ImportRowError) {
        // As Excel shows it: "46, cột C"; "–" for a fault of the whole file.
        line = error.line > 0 ? String(error.line) + (error.column.map { ", cột " + Spreadsheet.columnName($0) } ?? "") : "–"
        message = error.message
    }
}
