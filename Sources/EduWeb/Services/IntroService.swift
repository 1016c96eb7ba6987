import EduCore
import EduData
import Fluent
import Vapor

/// The introduction section (A8.1a, A9.1a): intro pages, the leadership directory, departments.
enum IntroService {
    struct DefaultPage {
        let slug: String
        let title: String
    }

    /// The pages every unit has; schools also keep their history (A9.1a).
    static func defaultPages(for type: UnitType) -> [DefaultPage] {
        var pages = [DefaultPage(slug: "tong-quan", title: "Giới thiệu chung"), DefaultPage(slug: "chuc-nang-nhiem-vu", title: "Chức năng, nhiệm vụ")]
        if !type.isManagementAgency { pages.append(DefaultPage(slug: "lich-su", title: "Lịch sử")) }
        return pages
    }

    /// Makes sure the unit's default pages exist (unpublished until someone writes them).
    static func ensurePages(for unit: ResolvedUnit, on db: any Database) async throws -> [IntroPage] {
        let unitID = unit.id
        var pages = try await IntroPage.query(in: unitID, on: db).sort(\.$position).all()
        for (position, page) in defaultPages(for: unit.type).enumerated() where !pages.contains(where: { $0.slug == page.slug }) {
            let created = IntroPage()
            created.unitID = unitID
            created.slug = page.slug
            created.title = page.title
            created.bodyHTML = ""
            created.position = position
            created.published = false
            try await created.create(on: db)
            pages.append(created)
        }
        return pages.sorted { $0.position < $1.position }
    }

    static func page(unitID: UUID, slug: String, on db: any Database) async throws -> IntroPage? {
        try await IntroPage.query(in: unitID, on: db).filter(\.$slug == slug).first()
    }

    static func leaders(unitID: UUID, on db: any Database) async throws -> [Leader] {
        try await Leader.query(in: unitID, on: db).sort(\.$position).sort(\.$fullName).all()
    }

    static func departments(unitID: UUID, on db: any Database) async throws -> [Department] {
        try await Department.query(in: unitID, on: db).sort(\.$position).sort(\.$name).all()
    }

    // MARK: - Writes

    /// Adds an introduction page (e.g. "Thành tích", "Cơ sở vật chất"), hidden until written;
    /// returns its slug.
    static func addPage(title rawTitle: String, unit: ResolvedUnit, by actor: AuditActor, on db: any Database) async throws -> String {
        let unitID = unit.id
        let title = TextNormalizer.normalize(rawTitle, maxLength: 200)
        guard !title.isEmpty else { throw AppError(.unprocessableEntity, "Nhập tiêu đề trang.") }
        var base = Slug.make(title, maxLength: 60)
        if base.isEmpty || ["lanh-dao", "co-cau-to-chuc"].contains(base) { base = "trang-" + base }
        let slug = base
        return try await db.transaction { db in
            var candidate = slug
            var counter = 2
            while try await page(unitID: unitID, slug: candidate, on: db) != nil {
                candidate = "\(slug)-\(counter)"
                counter += 1
            }
            let page = IntroPage()
            page.unitID = unitID
            page.slug = candidate
            page.title = title
            page.bodyHTML = ""
            page.position = try await IntroPage.query(in: unitID, on: db).count()
            page.published = false
            try await page.create(on: db)
            try await AuditEntry.record(actor, unitID: unitID, action: "page.update", target: title, detail: "Thêm trang", on: db)
            return candidate
        }
    }

    struct PageInput {
        var title: String
        var bodyHTML: String
        var published: Bool

        init(form: [String: String]) {
            title = TextNormalizer.normalize(form["title"] ?? "", maxLength: 300)
            bodyHTML = HTMLSanitizer.sanitize(form["body"] ?? "")
            published = form.isChecked("published")
        }
    }

    static func savePage(_ page: IntroPage, _ input: PageInput, by actor: AuditActor, on db: any Database) async throws {
        guard !input.title.isEmpty else { throw FormErrors(["title": "Nhập tiêu đề."]) }
        try await db.transaction { db in
            page.title = input.title
            page.bodyHTML = input.bodyHTML
            page.published = input.published
            try await page.save(on: db)
            try await SearchService.refresh(page, on: db)
            try await OrgUnit.touch(page.unitID, on: db)
            try await AuditEntry.record(
                actor, unitID: page.unitID, action: "page.update", target: input.title, detail: input.published ? "Hiển thị" : "Ẩn", on: db)
        }
    }

    static func contactProblems(phone: String, email: String) -> [String] {
        var problems: [String] = []
        if !phone.isEmpty && !Validation.isPhone(phone) { problems.append("Số điện thoại không hợp lệ.") }
        if !email.isEmpty && !Validation.isEmail(email) { problems.append("Thư điện tử không hợp lệ.") }
        return problems
    }

    /// Adds or updates a leader (`id` names one of the unit's, or nil for a new one), or deletes it.
    static func saveLeader(
        id: UUID?, form: [String: String], delete: Bool, unit: ResolvedUnit, by actor: AuditActor, on db: any Database
    ) async throws {
        let unitID = unit.id
        let existing = try await id.asyncMap { try await Leader.query(in: unitID, on: db).filter(\.$id == $0).first() } ?? nil
        if delete {
            guard let existing else { throw AppError.notFound }
            return try await commit(existing, isNew: false, delete: true, name: existing.fullName, action: "leader.update", unitID: unitID, by: actor, on: db)
        }
        let leader = existing ?? Leader()
        leader.unitID = unitID
        leader.fullName = TextNormalizer.normalize(form["fullName"] ?? "", maxLength: 200)
        leader.title = TextNormalizer.normalize(form["title"] ?? "", maxLength: 200)
        leader.phone = TextNormalizer.normalize(form["phone"] ?? "", maxLength: 40)
        leader.email = TextNormalizer.normalize(form["email"] ?? "", maxLength: 254).lowercased()
        leader.duties = TextNormalizer.normalize(form["duties"] ?? "", mode: .multiLine, maxLength: 3000)
        leader.position = Int(form["position"] ?? "") ?? 0
        var errors: [String] = []
        if let photo = UUID(uuidString: form["photo"] ?? "") {
            let media = try await Media.query(in: unitID, on: db).filter(\.$id == photo).filter(\.$isImage == true).first()
            if media == nil { errors.append("Ảnh chân dung phải là ảnh trong thư viện tệp của đơn vị.") }
            leader.photoMediaID = media?.id
        } else {
            leader.photoMediaID = nil
        }
        if leader.fullName.isEmpty { errors.append("Nhập họ và tên lãnh đạo.") }
        if leader.title.isEmpty { errors.append("Nhập chức vụ.") }
        errors += contactProblems(phone: leader.phone, email: leader.email)
        guard errors.isEmpty else { throw AppError(.unprocessableEntity, errors.joined(separator: " ")) }
        try await commit(leader, isNew: existing == nil, delete: false, name: leader.fullName, action: "leader.update", unitID: unitID, by: actor, on: db)
    }

    /// Adds or updates a department of the unit, or deletes it.
    static func saveDepartment(
        id: UUID?, form: [String: String], delete: Bool, unit: ResolvedUnit, by actor: AuditActor, on db: any Database
    ) async throws {
        let unitID = unit.id
        let existing = try await id.asyncMap { try await Department.query(in: unitID, on: db).filter(\.$id == $0).first() } ?? nil
        if delete {
            guard let existing else { throw AppError.notFound }
            return try await commit(existing, isNew: false, delete: true, name: existing.name, action: "department.update", unitID: unitID, by: actor, on: db)
        }
        let department = existing ?? Department()
        department.unitID = unitID
        department.name = TextNormalizer.normalize(form["name"] ?? "", maxLength: 200)
        department.functions = TextNormalizer.normalize(form["functions"] ?? "", mode: .multiLine, maxLength: 5000)
        department.headName = TextNormalizer.normalize(form["headName"] ?? "", maxLength: 200)
        department.phone = TextNormalizer.normalize(form["phone"] ?? "", maxLength: 40)
        department.email = TextNormalizer.normalize(form["email"] ?? "", maxLength: 254).lowercased()
        department.position = Int(form["position"] ?? "") ?? 0
        let errors = (department.name.isEmpty ? ["Nhập tên phòng, ban."] : []) + contactProblems(phone: department.phone, email: department.email)
        guard errors.isEmpty else { throw AppError(.unprocessableEntity, errors.joined(separator: " ")) }
        try await commit(department, isNew: existing == nil, delete: false, name: department.name, action: "department.update", unitID: unitID, by: actor, on: db)
    }

    /// Saves or deletes a directory entry of the unit with its audit line.
    private static func commit<M: Model>(
        _ entry: M, isNew: Bool, delete: Bool, name: String, action: String, unitID: UUID, by actor: AuditActor, on db: any Database
    ) async throws {
        try await db.transaction { db in
            if delete { try await entry.delete(on: db) } else { try await entry.save(on: db) }
            try await OrgUnit.touch(unitID, on: db)
            try await AuditEntry.record(actor, unitID: unitID, action: action, target: name, detail: delete ? "Xóa" : isNew ? "Thêm" : "Sửa", on: db)
        }
    }
}
