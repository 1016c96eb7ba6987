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

    /// The article named in the path, within the unit named in the path, if this person may see
    /// it: the unit's editorial board sees all its articles, a contributor only their own.
    static func article(_ req: Request) async throws -> (AdminContext, ResolvedUnit, Article) {
        let (admin, unit) = try req.scoped()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let article = try await Article.find(id, unitID: unit.id, on: req.db)
        else { throw AppError.notFound }
        if !admin.may(.reviewContent, on: unit) && article.createdBy != admin.user.id { throw AppError.notFound }
        return (admin, unit, article)
    }

    // MARK: - List

    struct ListPage {
        struct Row {
            let title: String
            let url: String
            let category: String
            let state: String
            let stateCode: String
            let updated: String
        }

        let layout: LayoutVM
        let unitName: String
        let rows: [Row]
        let newURL: String
        let stateField: FormField
        let categoryField: FormField
        let total: Int
        let page: Int
        let pages: Int
        let previousURL: String?
        let nextURL: String?
        let actionURL: String
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let unitID = unit.id
        let categories = try await Category.list(unitID: unitID, on: req.db)
        let stateFilter = (try? req.query.get(String.self, at: "trang-thai")).flatMap(ContentState.init(rawValue:))
        let categoryFilter = (try? req.query.get(String.self, at: "chuyen-muc")).flatMap { slug in categories.first { $0.slug == slug } }
        let query = Article.query(on: req.db).filter(\.$unitID == unitID)
        if !admin.may(.reviewContent, on: unit) { query.filter(\.$createdBy == (try admin.user.requireID())) }
        if let stateFilter { query.filter(\.$stateCode == stateFilter.rawValue) }
        if let categoryFilter { query.filter(\.$categoryID == (try categoryFilter.requireID())) }
        let total = try await query.copy().count()
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let page = min(max(1, (try? req.query.get(Int.self, at: "trang")) ?? 1), pages)
        let articles = try await query.sort(\.$updatedAt, .descending).range(((page - 1) * Self.pageSize)..<(page * Self.pageSize)).all()
        let names = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name) } })
        func pageURL(_ number: Int) -> String {
            var components = URLComponents()
            components.path = SiteURL.adminArticles(code: .value(unit.code)).path
            components.queryItems = [
                stateFilter.map { URLQueryItem(name: "trang-thai", value: $0.rawValue) },
                categoryFilter.map { URLQueryItem(name: "chuyen-muc", value: $0.slug) },
                URLQueryItem(name: "trang", value: String(number)),
            ].compactMap { $0 }
            return components.string ?? ""
        }
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Bài viết", url: SiteURL.adminArticles(code: .value(unit.code)).path)])
        let listPage = ListPage(
            layout: LayoutVM.make(req, title: "Bài viết – \(unit.name)", admin: true, breadcrumbs: crumbs),
            unitName: unit.name,
            rows: articles.map { article in
                ListPage.Row(
                    title: article.title, url: SiteURL.adminArticle(code: .value(unit.code), id: .value(article.id!.uuidString)).path,
                    category: names[article.categoryID] ?? "", state: article.state.label, stateCode: article.stateCode,
                    updated: article.updatedAt.map(VietnameseDate.dateTime) ?? "")
            },
            newURL: SiteURL.adminArticleNew(code: .value(unit.code)).path,
            stateField: FormField(
                name: "trang-thai", label: "Trạng thái", value: stateFilter?.rawValue ?? "", type: "select",
                options: [.init(value: "", label: "Tất cả", selected: stateFilter == nil)]
                    + ContentState.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == stateFilter) }),
            categoryField: FormField(
                name: "chuyen-muc", label: "Chuyên mục", value: categoryFilter?.slug ?? "", type: "select",
                options: [.init(value: "", label: "Tất cả", selected: categoryFilter == nil)]
                    + categories.map { .init(value: $0.slug, label: $0.name, selected: $0.id == categoryFilter?.id) }),
            total: total, page: page, pages: pages,
            previousURL: page > 1 ? pageURL(page - 1) : nil, nextURL: page < pages ? pageURL(page + 1) : nil,
            actionURL: SiteURL.adminArticles(code: .value(unit.code)).path)
        return req.theme.render("admin/articles", listPage)
    }

    // MARK: - Edit page

    struct EditPage {
        let layout: LayoutVM
        let form: FormPage
        let editable: Bool
        let stateLabel: String
        let stateCode: String
        let reviewComment: String
        let revision: Int
        let isExisting: Bool
        let lockNotice: String?
        let takeOverURL: String?
        let workflow: WorkflowVM
        let revisionsURL: String?
        let publicURL: String?
        let bodyPreview: String
        let title: String
    }

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
        ]
    }

    func editPage(
        _ req: Request, admin: AdminContext, unit: ResolvedUnit, article: Article?, input: ContentService.ArticleInput,
        errors: FormErrors = [:], notice: String? = nil, lockNotice: String? = nil,
        transitionError: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let categories = try await Category.list(unitID: unit.id, on: req.db)
        let images = try await Media.query(on: req.db).filter(\.$unitID == (unit.id)).filter(\.$isImage == true)
            .sort(\.$createdAt, .descending).limit(100).all()
        let state = article?.state ?? .nhap
        let editable = admin.mayEdit(article, in: unit)
        let action = article.map { SiteURL.adminArticle(code: .value(unit.code), id: .value($0.id!.uuidString)).path } ?? SiteURL.adminArticleNew(code: .value(unit.code)).path
        let title = article == nil ? "Viết bài mới" : "Sửa bài"
        let crumbs = try await AdminController.breadcrumbs(
            req, admin: admin, unit: unit,
            extra: [.init(label: "Bài viết", url: SiteURL.adminArticles(code: .value(unit.code)).path), .init(label: title, url: action)])
        let layout = LayoutVM.make(req, title: "\(title) – \(unit.name)", admin: true, breadcrumbs: crumbs, notice: notice)
        var publicURL: String?
        if let article, article.isPublic() {
            publicURL = req.publicLinks.url(for: unit).dropLast() + SiteURL.article(slug: .value(article.slug)).path
        }
        let workflow = try await WorkflowVM.make(
            article, admin: admin, unit: unit,
            transitionURL: article.map { SiteURL.adminArticleTransition(code: .value(unit.code), id: .value($0.id!.uuidString)).path } ?? "",
            error: transitionError, on: req.db)
        let page = EditPage(
            layout: layout,
            form: FormPage(
                layout: layout, heading: title, intro: nil, action: action, submitLabel: article == nil ? "Lưu nháp" : "Lưu",
                fields: Self.fields(input, categories: categories, images: images, errors: errors),
                cancelURL: SiteURL.adminArticles(code: .value(unit.code)).path),
            editable: editable,
            stateLabel: state.label, stateCode: state.rawValue,
            reviewComment: article?.state == .traLai ? article?.reviewComment ?? "" : "",
            revision: article?.revision ?? 0,
            isExisting: article != nil,
            lockNotice: lockNotice,
            takeOverURL: lockNotice == nil ? nil : article.map { SiteURL.adminArticleTakeOver(code: .value(unit.code), id: .value($0.id!.uuidString)).path },
            workflow: workflow,
            revisionsURL: article.map { SiteURL.adminArticleRevisions(code: .value(unit.code), id: .value($0.id!.uuidString)).path },
            publicURL: publicURL,
            bodyPreview: input.bodyHTML,
            title: input.title)
        return req.theme.render("admin/article", page, status: status)
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

    struct RevisionsPage {
        struct Row {
            let number: Int
            let savedBy: String
            let savedAt: String
            let note: String
            let diffURL: String
            let restoreURL: String
            let isCurrent: Bool
        }

        let layout: LayoutVM
        let title: String
        let rows: [Row]
        let canRestore: Bool
        let csrf: String
        let articleURL: String
    }

    @Sendable func revisions(req: Request) async throws -> Response {
        let (admin, unit, article) = try await Self.article(req)
        let id = try article.requireID().uuidString
        let rows = try await ArticleRevision.query(on: req.db).filter(\.$articleID == article.requireID()).sort(\.$number, .descending).all()
        let crumbs = try await AdminController.breadcrumbs(
            req, admin: admin, unit: unit,
            extra: [.init(label: "Bài viết", url: SiteURL.adminArticles(code: .value(unit.code)).path),
                    .init(label: article.title, url: SiteURL.adminArticle(code: .value(unit.code), id: .value(id)).path),
                    .init(label: "Phiên bản", url: SiteURL.adminArticleRevisions(code: .value(unit.code), id: .value(id)).path)])
        let page = RevisionsPage(
            layout: LayoutVM.make(req, title: "Phiên bản – \(article.title)", admin: true, breadcrumbs: crumbs),
            title: article.title,
            rows: rows.map {
                .init(number: $0.number, savedBy: $0.savedByName, savedAt: VietnameseDate.dateTime($0.savedAt), note: $0.note,
                      diffURL: SiteURL.adminArticleRevision(code: .value(unit.code), id: .value(id), number: .value($0.number)).path,
                      restoreURL: SiteURL.adminArticleRestore(code: .value(unit.code), id: .value(id), number: .value($0.number)).path,
                      isCurrent: $0.number == article.revision)
            },
            canRestore: admin.mayEdit(article, in: unit),
            csrf: req.csrfToken,
            articleURL: SiteURL.adminArticle(code: .value(unit.code), id: .value(id)).path)
        return req.theme.render("admin/revisions", page)
    }

    struct DiffPage {
        struct Part {
            let text: String
            let added: Bool
            let removed: Bool
        }

        let layout: LayoutVM
        let number: Int
        let previous: Int?
        let titleParts: [Part]
        let bodyParts: [Part]
        let revisionsURL: String
    }

    @Sendable func revisionDiff(req: Request) async throws -> Response {
        let (admin, unit, article) = try await Self.article(req)
        guard let number = req.parameters.get("number", as: Int.self),
            let revision = try await ArticleRevision.query(on: req.db).filter(\.$articleID == article.requireID()).filter(\.$number == number).first()
        else { throw AppError.notFound }
        let previous = try await ArticleRevision.query(on: req.db)
            .filter(\.$articleID == article.requireID()).filter(\.$number < number).sort(\.$number, .descending).first()
        func parts(_ old: String, _ new: String) -> [DiffPage.Part] {
            TextDiff.diff(old, new).map { segment in
                switch segment {
                case .same(let text): .init(text: text, added: false, removed: false)
                case .added(let text): .init(text: text, added: true, removed: false)
                case .removed(let text): .init(text: text, added: false, removed: true)
                }
            }
        }
        let id = try article.requireID().uuidString
        let crumbs = try await AdminController.breadcrumbs(
            req, admin: admin, unit: unit,
            extra: [.init(label: article.title, url: SiteURL.adminArticle(code: .value(unit.code), id: .value(id)).path),
                    .init(label: "Phiên bản \(number)", url: SiteURL.adminArticleRevision(code: .value(unit.code), id: .value(id), number: .value(number)).path)])
        let page = DiffPage(
            layout: LayoutVM.make(req, title: "Phiên bản \(number) – \(article.title)", admin: true, breadcrumbs: crumbs),
            number: number, previous: previous?.number,
            titleParts: parts(previous?.title ?? "", revision.title),
            bodyParts: parts(Self.readable(previous?.bodyHTML ?? ""), Self.readable(revision.bodyHTML)),
            revisionsURL: SiteURL.adminArticleRevisions(code: .value(unit.code), id: .value(id)).path)
        return req.theme.render("admin/revision", page)
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
