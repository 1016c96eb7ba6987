import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/don-vi/:code/bai-viet…`: writing, reviewing and publishing a unit's articles.
struct ArticleController {
    static let pageSize = 30

    func register(_ units: UnitRoutes) {
        units.get(.adminArticles(code: .key), requires: .submitContent, use: index)
        units.get(.adminArticleNew(code: .key), requires: .submitContent, use: newForm)
        units.post(.adminArticleNew(code: .key), requires: .submitContent, use: create)
        units.get(.adminArticle(code: .key, id: .key), requires: .submitContent, use: show)
        units.post(.adminArticle(code: .key, id: .key), requires: .submitContent, use: update)
        units.post(.adminArticleTransition(code: .key, id: .key), requires: .submitContent, use: transition)
        units.post(.adminArticleTakeOver(code: .key, id: .key), requires: .submitContent, use: takeOver)
        units.get(.adminArticleRevisions(code: .key, id: .key), requires: .submitContent, use: revisions)
        units.get(.adminArticleRevision(code: .key, id: .key, number: .key), requires: .submitContent, use: revisionDiff)
        units.post(.adminArticleRestore(code: .key, id: .key, number: .key), requires: .submitContent, use: restore)
    }

    // MARK: - Loading

    static func article(_ req: Request) async throws -> (AdminContext, ResolvedUnit, Article) {
        try await req.scopedItem(Article.self)
    }

    // MARK: - List

    @Sendable func index(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await ArticleListPage.query(req, admin: admin, unit: unit))
    }

    // MARK: - Edit page

    static func categoryOptions(_ categories: [Category], selected: UUID?) -> [FormField.Option] {
        [.init(value: "", label: "— Chọn chuyên mục —", selected: selected == nil)]
            + categories.map { .init(value: $0.id!.uuidString, label: $0.name, selected: $0.id == selected) }
    }

    static func fields(
        _ input: ContentService.ArticleInput, categories: [Category], images: [Media], errors: FormErrors
    ) -> [FormField] {
        [
            FormField(name: "title", label: "Tiêu đề", value: input.title, error: errors["title"], required: true, maxlength: 300),
            FormField(
                name: "category", label: "Chuyên mục", value: input.categoryID?.uuidString ?? "", error: errors["category"],
                type: "select", required: true, options: categoryOptions(categories, selected: input.categoryID)),
            FormField(
                name: "summary", label: "Tóm tắt", value: input.summary, error: errors["summary"],
                hint: "Một hai câu hiện ở danh sách tin và khi chia sẻ.", type: "textarea", maxlength: 1000),
            FormField(
                name: "body", label: "Nội dung", value: input.bodyHTML, error: errors["body"],
                hint: "Trình soạn thảo giữ tiêu đề, danh sách, bảng, liên kết và ảnh; định dạng thừa khi dán từ Word được bỏ.",
                type: "richtext", required: true, maxlength: 500_000),
            FormField(
                name: "authorName", label: "Tác giả", value: input.authorName, error: errors["authorName"],
                hint: "Người viết bài (Điều 7, khoản 3)."),
            FormField(
                name: "source", label: "Nguồn", value: input.source, error: errors["source"],
                hint: "Khi đăng lại thông tin từ nơi khác, ghi rõ nguồn (Điều 7, khoản 3)."),
            FormField(name: "tags", label: "Từ khóa", value: input.tags, hint: "Phân cách bằng dấu phẩy."),
            FormField(
                name: "cover", label: "Ảnh đại diện", value: input.coverMediaID?.uuidString ?? "", error: errors["cover"],
                hint: "Chọn ảnh đã tải lên thư viện tệp của đơn vị.", type: "select",
                options: [.init(value: "", label: "— Không có ảnh —", selected: input.coverMediaID == nil)]
                    + images.map { .init(value: $0.id!.uuidString, label: $0.title + " – " + $0.altText, selected: $0.id == input.coverMediaID) }),
            FormField(
                name: "gallery", label: "Bộ ảnh dưới bài", error: errors["gallery"],
                hint: "Các ảnh hiện thành bộ ảnh dưới nội dung (tối đa \(ContentService.maxGallery) ảnh), theo thứ tự trong thư viện tệp.",
                type: "checkboxes",
                options: images.map { .init(value: $0.id!.uuidString.lowercased(), label: $0.title + " – " + $0.altText, selected: input.gallery.contains($0.id!)) }),
        ]
    }

    func editPage(
        _ req: Request, admin: AdminContext, unit: ResolvedUnit, article: Article?, input: ContentService.ArticleInput,
        errors: FormErrors = [:], notice: String? = nil, lockNotice: String? = nil,
        transitionError: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        req.render(try await ArticleEditPage.query(req, admin: admin, unit: unit, article: article, input: input, errors: errors, notice: notice, lockNotice: lockNotice, transitionError: transitionError), status: status)
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        var input = ContentService.ArticleInput()
        input.authorName = admin.user.fullName
        return try await editPage(req, admin: admin, unit: unit, article: nil, input: input)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let input = ContentService.ArticleInput(form: try req.content.decode([String: String].self))
        let errors = try await ContentService.validate(input, unitID: unit.id, on: req.db)
        if !errors.isEmpty {
            return try await editPage(req, admin: admin, unit: unit, article: nil, input: input, errors: errors, status: .unprocessableEntity)
        }
        let article = try await ContentService.create(input, at: unit, by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminArticle(code: .value(unit.code), id: .value(try article.requireID().uuidString)).path + "?ok=article-saved")
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (admin, unit, article) = try await Self.article(req)
        var lockNotice: String?
        if admin.mayEdit(article, in: unit),
            case .heldBy(let name, let until) = try await ContentService.acquireLock(article, for: admin.user, on: req.db)
        {
            lockNotice = "\(name) đang sửa bài này (giữ quyền sửa đến \(VietnameseDate.format(until, "HH:mm"))). Bạn có thể tiếp quản nếu họ đã rời đi."
        }
        return try await editPage(req, admin: admin, unit: unit, article: article, input: .init(article), lockNotice: lockNotice)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let (admin, unit, article) = try await Self.article(req)
        guard admin.mayEdit(article, in: unit) else {
            throw AppError(.forbidden, "Bài đang ở trạng thái «\(article.state.label)»; bạn không được sửa lúc này.")
        }
        let form = try req.content.decode([String: String].self)
        let input = ContentService.ArticleInput(form: form)
        let errors = try await ContentService.validate(input, unitID: unit.id, on: req.db)
        if !errors.isEmpty {
            return try await editPage(req, admin: admin, unit: unit, article: article, input: input, errors: errors, status: .unprocessableEntity)
        }
        do {
            try await ContentService.save(
                article, input: input, startedFrom: Int(form["revision"] ?? "") ?? -1, by: req.actor(admin), on: req.db)
        } catch ContentService.ContentError.locked(let name, let until) {
            return try await editPage(
                req, admin: admin, unit: unit, article: article, input: input,
                lockNotice: "\(name) đã tiếp quản bài này (đến \(VietnameseDate.format(until, "HH:mm"))). Nội dung bạn vừa gửi chưa được lưu; hãy sao lại phần sửa của mình.",
                status: .conflict)
        } catch ContentService.ContentError.conflict(let current) {
            return try await editPage(
                req, admin: admin, unit: unit, article: article, input: input,
                lockNotice: "Bài đã được lưu thành phiên bản \(current) trong lúc bạn sửa. Nội dung bạn vừa gửi chưa được lưu; hãy xem phiên bản mới rồi sửa lại.",
                status: .conflict)
        }
        return req.redirect(to: SiteURL.adminArticle(code: .value(unit.code), id: .value(try article.requireID().uuidString)).path + "?ok=article-saved")
    }

    @Sendable func takeOver(req: Request) async throws -> Response {
        let (admin, unit, article) = try await Self.article(req)
        guard admin.mayEdit(article, in: unit) else { throw AppError.forbidden }
        try await ContentService.takeOver(article, by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminArticle(code: .value(unit.code), id: .value(try article.requireID().uuidString)).path)
    }

    @Sendable func transition(req: Request) async throws -> Response {
        let (admin, unit, article) = try await Self.article(req)
        let path = SiteURL.adminArticle(code: .value(unit.code), id: .value(try article.requireID().uuidString)).path
        if let error = try await WorkflowVM.handle(req, item: article, admin: admin, unit: unit, adminPath: path) {
            return try await editPage(req, admin: admin, unit: unit, article: article, input: .init(article), transitionError: error,
                                      status: .unprocessableEntity)
        }
        return req.redirect(to: path + "?ok=article-moved")
    }

    // MARK: - Revisions

    @Sendable func revisions(req: Request) async throws -> Response {
        let (admin, unit, article) = try await Self.article(req)
        return req.render(try await ArticleRevisionsPage.query(req, admin: admin, unit: unit, article: article))
    }

    @Sendable func revisionDiff(req: Request) async throws -> Response {
        let (admin, unit, article) = try await Self.article(req)
        return req.render(try await ArticleRevisionPage.query(req, admin: admin, unit: unit, article: article))
    }

    /// Sanitised HTML as text with one paragraph per line, so the diff reads like the article.
    static func readable(_ html: String) -> String {
        var text = html
        for tag in ["</p>", "</h2>", "</h3>", "</h4>", "</li>", "</tr>", "<br>", "</blockquote>", "</figcaption>"] {
            text = text.replacingOccurrences(of: tag, with: tag + "\n")
        }
        return text.split(separator: "\n").map { HTMLSanitizer.plainText(String($0)) }.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    @Sendable func restore(req: Request) async throws -> Response {
        let (admin, unit, article) = try await Self.article(req)
        guard admin.mayEdit(article, in: unit) else {
            throw AppError.forbidden
        }
        guard let number = req.parameters.get("number", as: Int.self) else { throw AppError.notFound }
        try await ContentService.restore(article, revision: number, by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminArticle(code: .value(unit.code), id: .value(try article.requireID().uuidString)).path + "?ok=article-restored")
    }
}
