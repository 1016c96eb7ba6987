import EduCore
import EduData
import Fluent
import Vapor

/// Articles through the editorial workflow: create, save (with revisions and the edit lock),
/// transitions (with their audit records and notices), restore.
enum ContentService {
    static let lockDuration: TimeInterval = 15 * 60
    static let maxGallery = 24

    struct ArticleInput {
        var title = ""
        var summary = ""
        var bodyHTML = ""
        var categoryID: UUID?
        var authorName = ""
        var source = ""
        var tags = ""
        var coverMediaID: UUID?
        /// Pictures of the gallery under the text, in the library's order.
        var gallery: [UUID] = []

        init() {}

        init(_ article: Article) {
            title = article.title
            summary = article.summary
            bodyHTML = article.bodyHTML
            categoryID = article.categoryID
            authorName = article.authorName
            source = article.source
            tags = article.tags
            coverMediaID = article.coverMediaID
            gallery = article.galleryIDs
        }

        /// Reads a posted form: text normalised, the body sanitised.
        init(form: [String: String]) {
            title = TextNormalizer.normalize(form["title"] ?? "", maxLength: 300)
            summary = TextNormalizer.normalize(form["summary"] ?? "", mode: .multiLine, maxLength: 1000)
            bodyHTML = HTMLSanitizer.sanitize(form["body"] ?? "")
            categoryID = UUID(uuidString: form["category"] ?? "")
            authorName = TextNormalizer.normalize(form["authorName"] ?? "", maxLength: 200)
            source = TextNormalizer.normalize(form["source"] ?? "", maxLength: 300)
            tags = TextNormalizer.normalize(form["tags"] ?? "", maxLength: 300)
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                .joined(separator: ", ")
            coverMediaID = UUID(uuidString: form["cover"] ?? "")
            // The gallery's checkboxes: `gallery-<media id>=on`.
            gallery = form.keys.filter { $0.hasPrefix("gallery-") && form[$0] == "on" }
                .compactMap { UUID(uuidString: String($0.dropFirst("gallery-".count))) }.sorted { $0.uuidString < $1.uuidString }
        }
    }

    enum ContentError: Error {
        /// Someone else holds the edit lock.
        case locked(by: String, until: Date)
        /// The form started from an older revision than the one stored.
        case conflict(current: Int)
    }

    static func validate(_ input: ArticleInput, unitID: UUID, on db: any Database) async throws -> FormErrors {
        var errors: FormErrors = [:]
        if input.title.isEmpty { errors["title"] = "Nhập tiêu đề." }
        if HTMLSanitizer.plainText(input.bodyHTML).isEmpty { errors["body"] = "Nhập nội dung bài viết." }
        if let id = input.categoryID, let category = try await Category.find(id, on: db), category.unitID == unitID {
            // fine
        } else {
            errors["category"] = "Chọn chuyên mục."
        }
        if let cover = input.coverMediaID {
            let media = try await Media.query(in: unitID, on: db).filter(\.$id == cover).filter(\.$isImage == true).first()
            if media == nil { errors["cover"] = "Chọn một ảnh trong thư viện tệp của đơn vị." }
        }
        if input.gallery.count > maxGallery {
            errors["gallery"] = "Bộ ảnh có tối đa \(maxGallery) ảnh (đã chọn \(input.gallery.count))."
        } else if !input.gallery.isEmpty {
            let found = try await Media.query(in: unitID, on: db).filter(\.$id ~~ input.gallery).filter(\.$isImage == true).count()
            if found != Set(input.gallery).count { errors["gallery"] = "Bộ ảnh chỉ gồm ảnh trong thư viện tệp của đơn vị." }
        }
        return errors
    }

    static func searchText(_ input: ArticleInput) -> String {
        SearchFolding.foldWords([input.title, input.summary, HTMLSanitizer.plainText(input.bodyHTML), input.tags].joined(separator: " "))
    }

    static func apply(_ input: ArticleInput, to article: Article) {
        article.title = input.title
        article.summary = input.summary
        article.bodyHTML = input.bodyHTML
        if let id = input.categoryID { article.categoryID = id }
        article.authorName = input.authorName
        article.source = input.source
        article.tags = input.tags
        article.coverMediaID = input.coverMediaID
        article.gallery = input.gallery.map { $0.uuidString.lowercased() }.joined(separator: ",")
        article.searchText = searchText(input)
    }

    static func create(_ input: ArticleInput, at unit: ResolvedUnit, by actor: AuditActor, on db: any Database) async throws -> Article {
        let user = try actor.person()
        let unitID = unit.id
        return try await db.transaction { db in
            let article = Article()
            article.unitID = unitID
            article.slug = try await Article.uniqueSlug(for: input.title, unitID: unitID, on: db)
            apply(input, to: article)
            article.state = .nhap
            article.createdBy = try user.requireID()
            article.reviewComment = ""
            article.revision = 1
            article.lockUserID = user.id
            article.lockUntil = Date().addingTimeInterval(lockDuration)
            try await article.create(on: db)
            try await ArticleRevision(article: article, unitID: unitID, savedBy: user, note: "Tạo bài").create(on: db)
            try await AuditEntry.record(actor, unitID: unitID, action: "article.create", target: article.title, detail: "Nháp mới", on: db)
            return article
        }
    }

    /// Saves an edit as a new revision. Refused when another person holds the lock or the form
    /// is older than what is stored, so that nobody overwrites someone else's work unseen.
    static func save(
        _ article: Article, input: ArticleInput, startedFrom revision: Int, by actor: AuditActor, on db: any Database
    ) async throws {
        let user = try actor.person()
        let userID = try user.requireID()
        try await db.transaction { db in
            guard let current = try await Article.find(article.requireID(), on: db) else { throw AppError.notFound }
            if let holder = current.lockUserID, holder != userID, let until = current.lockUntil, until > Date() {
                let name = try await User.find(holder, on: db)?.fullName ?? "người khác"
                throw ContentError.locked(by: name, until: until)
            }
            guard current.revision == revision else { throw ContentError.conflict(current: current.revision) }
            if current.slug.isEmpty || current.state == .nhap && current.title != input.title {
                current.slug = try await Article.uniqueSlug(for: input.title, unitID: current.unitID, excluding: current.id, on: db)
            }
            apply(input, to: current)
            current.revision += 1
            current.lockUserID = userID
            current.lockUntil = Date().addingTimeInterval(lockDuration)
            try await current.save(on: db)
            try await ArticleRevision(article: current, unitID: current.unitID, savedBy: user, note: "Lưu bản sửa").create(on: db)
            if current.state == .daDang {
                try await SearchService.refresh(current, on: db)
                try await OrgUnit.touch(current.unitID, on: db)
            }
            try await AuditEntry.record(actor, unitID: current.unitID, action: "article.update", target: current.title,
                detail: "Phiên bản \(current.revision)", on: db)
            article.revision = current.revision
            article.slug = current.slug
        }
    }

    enum LockStatus {
        case mine
        case heldBy(name: String, until: Date)
    }

    /// Takes the lock when it is free or expired; reports who holds it otherwise.
    static func acquireLock(_ article: Article, for user: User, on db: any Database) async throws -> LockStatus {
        let userID = try user.requireID()
        if let holder = article.lockUserID, holder != userID, let until = article.lockUntil, until > Date() {
            return .heldBy(name: try await User.find(holder, on: db)?.fullName ?? "người khác", until: until)
        }
        article.lockUserID = userID
        article.lockUntil = Date().addingTimeInterval(lockDuration)
        try await article.save(on: db)
        return .mine
    }

    /// Takes the lock from whoever holds it; the holder's unsaved form will then be refused.
    static func takeOver(_ article: Article, by actor: AuditActor, on db: any Database) async throws {
        let user = try actor.person()
        let previous = try await article.lockUserID.asyncMap { try await User.find($0, on: db) } ?? nil
        try await db.transaction { db in
            article.lockUserID = try user.requireID()
            article.lockUntil = Date().addingTimeInterval(lockDuration)
            try await article.save(on: db)
            try await AuditEntry.record(actor, unitID: article.unitID, action: "article.takeover", target: article.title,
                detail: "Tiếp quản quyền sửa từ \(previous?.fullName ?? "không ai")", on: db)
            if let previous, previous.id != user.id {
                try await OutboxMessage(
                    unitID: article.unitID, recipients: [previous.email], subject: "Bài «\(article.title)» đã được tiếp quản",
                    body: "\(user.fullName) đã tiếp quản quyền sửa bài «\(article.title)». Nội dung bạn chưa lưu sẽ không được ghi đè lên bản của họ."
                ).create(on: db)
            }
        }
    }

    static func releaseLock(_ article: Article, by user: User, on db: any Database) async throws {
        guard article.lockUserID == user.id else { return }
        article.lockUserID = nil
        article.lockUntil = nil
        try await article.save(on: db)
    }

    enum TransitionError: Error {
        case notAllowed
        case commentRequired
        case badSchedule(String)
    }

    /// Takes a workflow step: checks the right, records the event, the audit line and the notices
    /// in one transaction. `adminPath` is where the item is edited, for the notices' link.
    static func transition<Item: WorkflowItem>(
        _ item: Item, _ transition: Transition, comment rawComment: String, publishAt: Date?, expiresAt: Date?,
        unit: ResolvedUnit, by actor: AuditActor, grants: [Grant], links: NoticeLinks, adminPath: String, on db: any Database
    ) async throws {
        let comment = TextNormalizer.normalize(rawComment, mode: .multiLine, maxLength: 2000)
        let user = try actor.person()
        let isAuthor = item.createdBy == user.id
        guard Workflow.allows(transition, from: item.state, grants: grants, unit: unit.ref, isAuthor: isAuthor) else {
            throw TransitionError.notAllowed
        }
        if transition.requiresComment && comment.isEmpty { throw TransitionError.commentRequired }
        if transition == .publish, let publishAt, let expiresAt, expiresAt <= publishAt {
            throw TransitionError.badSchedule("Thời điểm hết hạn phải sau thời điểm đăng.")
        }
        let from = item.state
        try await db.transaction { db in
            item.state = transition.to
            switch transition {
            case .returnToAuthor: item.reviewComment = comment
            case .submit: item.reviewComment = ""
            case .publish:
                item.publishAt = publishAt
                item.expiresAt = expiresAt
                item.publishedAt = publishAt ?? Date()
            default: break
            }
            try await item.save(on: db)
            try await SearchService.refresh(item: item, on: db)
            try await OrgUnit.touch(item.unitID, on: db)
            try await WorkflowEvent(item: item, transition: transition, from: from, comment: comment, user: user).create(on: db)
            var detail = "\(from.label) → \(transition.to.label)"
            if !comment.isEmpty { detail += ": " + comment }
            if transition == .publish, let publishAt { detail += " (hẹn đăng \(VietnameseDate.dateTime(publishAt)))" }
            try await AuditEntry.record(actor, unitID: item.unitID, action: Item.contentType + "." + transition.rawValue,
                target: item.displayTitle, detail: detail, on: db)
            try await Notifier.queue(
                transition, item: item, unit: unit, comment: comment, actor: user, link: links.url(adminPath), on: db)
        }
    }

    /// Puts an old revision's text back as a new revision.
    static func restore(_ article: Article, revision number: Int, by actor: AuditActor, on db: any Database) async throws {
        let user = try actor.person()
        guard let old = try await ArticleRevision.query(on: db)
            .filter(\.$articleID == article.requireID()).filter(\.$number == number).first()
        else { throw AppError.notFound }
        var input = ArticleInput(article)
        input.title = old.title
        input.summary = old.summary
        input.bodyHTML = old.bodyHTML
        input.authorName = old.authorName
        input.source = old.source
        let restored = input
        try await db.transaction { db in
            apply(restored, to: article)
            article.revision += 1
            try await article.save(on: db)
            try await ArticleRevision(article: article, unitID: article.unitID, savedBy: user, note: "Khôi phục phiên bản \(number)")
                .create(on: db)
            if article.state == .daDang {
                try await SearchService.refresh(article, on: db)
                try await OrgUnit.touch(article.unitID, on: db)
            }
            try await AuditEntry.record(actor, unitID: article.unitID, action: "article.restore", target: article.title,
                detail: "Khôi phục phiên bản \(number) thành phiên bản \(article.revision)", on: db)
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}

/// Who hears about a workflow step, and the notice they get, queued in the outbox.
enum Notifier {
    /// People holding one of `roles` at the unit; when nobody does, at the nearest unit above.
    static func people(with roles: Set<Role>, at unit: ResolvedUnit, on db: any Database) async throws -> [User] {
        try await people(with: roles, chain: [unit.id] + unit.ancestorIDs.reversed(), on: db)
    }

    /// `chain`: the unit's id, then its ancestors' from the nearest up.
    static func people(with roles: Set<Role>, chain: [UUID], on db: any Database) async throws -> [User] {
        for candidate in chain {
            let grants = try await RoleGrant.query(on: db)
                .filter(\.$unitID == candidate).filter(\.$roleCode ~~ roles.map(\.rawValue)).all()
            guard !grants.isEmpty else { continue }
            let users = try await User.query(on: db).filter(\.$id ~~ grants.map(\.userID)).filter(\.$disabled == false).all()
            if !users.isEmpty { return users }
        }
        return []
    }

    static func queue<Item: WorkflowItem>(
        _ transition: Transition, item: Item, unit: ResolvedUnit, comment: String, actor: User, link: String, on db: any Database
    ) async throws {
        var recipients: [User]
        switch transition.notifies {
        case .nobody: return
        case .reviewers: recipients = try await people(with: [.bienTapVien, .truongBanBienTap], at: unit, on: db)
        case .publishers: recipients = try await people(with: [.truongBanBienTap], at: unit, on: db)
        case .author: recipients = try await User.find(item.createdBy, on: db).map { [$0] } ?? []
        }
        recipients.removeAll { $0.id == actor.id }
        guard !recipients.isEmpty else { return }
        let title = item.displayTitle
        let subject: String
        switch transition {
        case .submit: subject = "Bài chờ duyệt: \(title)"
        case .approve: subject = "Bài đã duyệt, chờ đăng: \(title)"
        case .returnToAuthor: subject = "Bài bị trả lại: \(title)"
        case .publish: subject = item.publishAt.map { $0 > Date() } == true ? "Bài đã hẹn giờ đăng: \(title)" : "Bài đã đăng: \(title)"
        case .unpublish: subject = "Bài đã gỡ xuống: \(title)"
        default: subject = "\(transition.label): \(title)"
        }
        var body = """
            \(actor.fullName) đã chuyển «\(title)» của \(unit.name) sang trạng thái «\(transition.to.label)».

            """
        if !comment.isEmpty { body += "Ý kiến: \(comment)\n\n" }
        body += "Xem bài: \(link)\n"
        try await OutboxMessage(unitID: unit.id, recipients: recipients.map(\.email), subject: subject, body: body).create(on: db)
    }
}
