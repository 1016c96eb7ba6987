import EduCore
import EduData
import Fluent
import Vapor

/// One entry as the public page shows it: its kind, where it stands (upcoming, open, closed) and
/// its facts, links made clickable.
struct InfoEntryCard {
    struct Fact {
        let label: String
        let value: String
        let url: String
        let multiline: Bool
    }

    let title: String
    let url: String
    let kind: String
    let status: String
    let facts: [Fact]
}

extension InfoEntryCard {
    /// Where an entry stands now in its section's layout ("Sắp diễn ra", "Hết hạn 30/11/2026").
    static func status(_ entry: SectionEntry, section: InfoSection, now: Date) -> String {
        switch section.layout {
        case .schedule:
            guard let start = entry.startsAt else { return "" }
            if now < start { return "Sắp diễn ra" }
            return now <= InfoSectionPage.end(of: entry) ? "Đang diễn ra" : "Đã diễn ra"
        case .deadlines:
            guard let end = entry.endsAt else { return "Không thời hạn" }
            return InfoSectionPage.isOpen(entry, now: now) ? "Hạn đăng ký \(VietnameseDate.day(end))" : "Đã hết hạn \(VietnameseDate.day(end))"
        case .directory, .bulletin:
            return ""
        }
    }

    static func make(_ entry: SectionEntry, section: InfoSection, now: Date, full: Bool) -> InfoEntryCard {
        let kind = section.kind(entry.kind)
        let facts: [Fact] = section.fields.compactMap { spec in
            // The list shows the facts a reader scans; the entry's page shows them all.
            if !full && (spec.field == .summary || spec.field == .secondLink) { return nil }
            let value = SectionEntryService.text(of: spec, in: entry)
            guard !value.isEmpty else { return nil }
            // The form's qualifier ("Chức vụ (người phát ngôn)") is for the editor, not the reader.
            let label = spec.label.range(of: " (", options: .backwards).map { String(spec.label[..<$0.lowerBound]) } ?? spec.label
            switch spec.input {
            case .url: return Fact(label: label, value: value, url: value, multiline: false)
            case .email: return Fact(label: label, value: value, url: "mailto:" + value, multiline: false)
            case .phone: return Fact(label: label, value: value, url: "tel:" + value.filter { $0.isNumber || $0 == "+" }, multiline: false)
            case .paragraph: return Fact(label: label, value: value, url: "", multiline: true)
            case .line, .moment, .day: return Fact(label: label, value: value, url: "", multiline: false)
            }
        }
        let id = entry.id?.uuidString.lowercased() ?? ""
        return InfoEntryCard(title: entry.title, url: SiteURL.infoEntry(section.key, id: .value(id)).path, kind: kind?.label ?? entry.kind,
                             status: status(entry, section: section, now: now), facts: facts)
    }
}

/// `/truc-tuyen`, `/doan-the`, `/phat-ngon`, `/hoc-bong`: a section's published entries in two
/// groups (what is on or open, unpaged; the record, paged), filtered by kind and year, with the
/// latest articles of its news category.
struct InfoSectionPage: PageView {
    static let template = "info-section"
    static let pageSize = 20

    struct Group {
        let heading: String
        let id: String
        let cards: [InfoEntryCard]
    }

    struct Story {
        let title: String
        let url: String
        let date: String
    }

    let layout: LayoutVM
    let title: String
    let lead: String
    let action: String
    let filters: [FormField]
    let groups: [Group]
    let matched: Int
    /// A kind or a year is chosen (the empty message says so).
    let filtered: Bool
    let pager: Pager?
    let stories: [Story]
    let storiesURL: String
}

extension InfoSectionPage {
    /// An event without an end time lasts until the end of its day.
    static func end(of entry: SectionEntry) -> Date {
        if let end = entry.endsAt { return end }
        let start = entry.startsAt ?? .distantPast
        return VietnameseDate.calendar.date(byAdding: .day, value: 1, to: VietnameseDate.calendar.startOfDay(for: start)) ?? start
    }

    /// A deadline is open through its whole day.
    static func isOpen(_ entry: SectionEntry, now: Date) -> Bool {
        guard let end = entry.endsAt else { return true }
        return now < (VietnameseDate.calendar.date(byAdding: .day, value: 1, to: VietnameseDate.calendar.startOfDay(for: end)) ?? end)
    }

    /// The entries of the first group (unpaged) and of the second (paged), in order.
    static func split(_ entries: [SectionEntry], section: InfoSection, now: Date) -> (first: [SectionEntry], second: [SectionEntry]) {
        let byStart: (SectionEntry, SectionEntry) -> Bool = { ($0.startsAt ?? $0.createdAt) > ($1.startsAt ?? $1.createdAt) }
        switch section.layout {
        case .schedule:
            let on = entries.filter { end(of: $0) >= now }.sorted { ($0.startsAt ?? .distantPast) < ($1.startsAt ?? .distantPast) }
            return (on, entries.filter { end(of: $0) < now }.sorted(by: byStart))
        case .deadlines:
            let open = entries.filter { isOpen($0, now: now) }.sorted { ($0.endsAt ?? .distantFuture) < ($1.endsAt ?? .distantFuture) }
            return (open, entries.filter { !isOpen($0, now: now) }.sorted { ($0.endsAt ?? .distantPast) > ($1.endsAt ?? .distantPast) })
        case .bulletin:
            let people = entries.filter { section.kind($0.kind)?.isPerson == true }.sorted { $0.createdAt < $1.createdAt }
            return (people, entries.filter { section.kind($0.kind)?.isPerson != true }.sorted(by: byStart))
        case .directory:
            let order = Dictionary(section.kinds.enumerated().map { ($1.value, $0) }, uniquingKeysWith: { first, _ in first })
            return (entries.sorted { (order[$0.kind] ?? 99, $0.title) < (order[$1.kind] ?? 99, $1.title) }, [])
        }
    }

    static func query(_ req: Request, section: InfoSection, unit: ResolvedUnit, now: Date = Date()) async throws -> InfoSectionPage {
        let kind = section.kind(req.textParameter("loai"))?.value ?? ""
        let year = Int(req.textParameter("nam"))
        let published = try await SectionEntryService.entries(section, in: unit, published: true, on: req.db).limit(5000).all()
        // Years are those of the dated entries (an event's start, a release's date, a deadline).
        func yearOf(_ entry: SectionEntry) -> Int? { (entry.startsAt ?? entry.endsAt).map { VietnameseDate.calendar.component(.year, from: $0) } }
        let matching = published.filter { (kind.isEmpty || $0.kind == kind) && (year == nil || yearOf($0) == year) }
        let (first, second) = split(matching, section: section, now: now)
        let requested = (try? req.query.get(Int.self, at: "trang")) ?? 1
        guard Paging.exists(requested, total: second.count, size: pageSize) else { throw AppError.notFound }
        let paging = Paging(total: second.count, size: pageSize, requested: requested)
        let shown = second.isEmpty ? [] : Array(second[paging.range.clamped(to: second.indices)])
        func pageURL(_ number: Int) -> String {
            var components = URLComponents()
            components.path = section.path
            components.queryItems = [("loai", kind), ("nam", year.map(String.init) ?? ""), ("trang", String(number))]
                .filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
            return components.string ?? section.path
        }
        var filters = [FormField(name: "loai", label: "Loại", value: kind, type: "select",
                                 options: [.init(value: "", label: "Tất cả", selected: kind.isEmpty)]
                                    + section.kinds.map { .init(value: $0.value, label: $0.label, selected: $0.value == kind) })]
        let years = Set(published.compactMap(yearOf)).sorted(by: >)
        if section.layout != .directory {
            let selected = year.map(String.init) ?? ""
            filters.append(FormField(name: "nam", label: "Năm", value: selected, type: "select",
                                     options: [.init(value: "", label: "Tất cả", selected: selected.isEmpty)]
                                        + years.map { .init(value: String($0), label: String($0), selected: String($0) == selected) }))
        }
        // On later pages only the record continues; a group with nothing in it is left out.
        var groups: [Group] = []
        if paging.page == 1 && !first.isEmpty {
            groups.append(Group(heading: section.groupHeadings.first, id: "nhom-1", cards: first.map { InfoEntryCard.make($0, section: section, now: now, full: false) }))
        }
        if !shown.isEmpty {
            groups.append(Group(heading: section.groupHeadings.second, id: "nhom-2", cards: shown.map { InfoEntryCard.make($0, section: section, now: now, full: false) }))
        }
        var stories: [Story] = []
        var storiesURL = ""
        if let slug = section.relatedCategory, let category = try await Category.find(unitID: unit.id, slug: slug, on: req.db), let categoryID = category.id {
            stories = try await Article.publicQuery(unitID: unit.id, now: now, on: req.db).filter(\.$categoryID == categoryID)
                .sort(\.$publishedAt, .descending).limit(5).all()
                .map { Story(title: $0.title, url: SiteURL.article(slug: .value($0.slug)).path, date: $0.publishedAt.map(VietnameseDate.day) ?? "") }
            storiesURL = stories.isEmpty ? "" : SiteURL.newsCategory(slug: .value(slug)).path
        }
        return InfoSectionPage(
            layout: LayoutVM.make(req, title: section.title, admin: false), title: section.title, lead: section.lead, action: section.path,
            filters: filters, groups: groups, matched: matching.count, filtered: !kind.isEmpty || year != nil,
            pager: second.count > pageSize ? Pager(paging, url: pageURL) : nil, stories: stories, storiesURL: storiesURL)
    }
}

/// `/<section>/<id>`: one published entry with all its facts and documents.
struct InfoEntryPage: PageView {
    static let template = "info-entry"

    let layout: LayoutVM
    let card: InfoEntryCard
    let files: [ProcedurePage.Link]
}

extension InfoEntryPage {
    static func query(_ req: Request, section: InfoSection, unit: ResolvedUnit) async throws -> InfoEntryPage {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let entry = try await SectionEntryService.entries(section, in: unit, published: true, on: req.db).filter(\.$id == id).first()
        else { throw AppError.notFound }
        let card = InfoEntryCard.make(entry, section: section, now: Date(), full: true)
        let crumbs = [LayoutVM.Crumb(label: section.title, url: section.path), .init(label: entry.title, url: card.url)]
        return InfoEntryPage(layout: LayoutVM.make(req, title: entry.title, admin: false, breadcrumbs: crumbs), card: card,
                             files: try await AttachedFiles.links(SectionEntryFile.self, owner: id, on: req.db))
    }
}

/// A catalogue's admin list (procurement, the other information): every entry, drafts too,
/// with publish and withdraw for an editorial head.
struct CatalogueAdminPage: PageView {
    static let template = "admin/catalogue"

    let layout: LayoutVM
    let heading: String
    let newURL: String
    let newLabel: String
    let tableLabel: String
    let firstColumn: String
    let rows: [ProceduresAdminPage.Row]
    let mayPublish: Bool
    let notice: String
}

enum InfoSectionAdminPage {
    static func list(_ req: Request, admin: AdminContext, unit: ResolvedUnit, section: InfoSection) async throws -> CatalogueAdminPage {
        let entries = try await SectionEntryService.entries(section, in: unit, published: false, on: req.db).sort(\.$createdAt, .descending).all()
        let base = SiteURL.adminInfoSection(code: .value(unit.code), section: section.key).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: section.title, url: base)])
        let notices = ["entry-published": "Đã đăng.", "entry-withdrawn": "Đã gỡ khỏi trang công khai."]
        return CatalogueAdminPage(
            layout: LayoutVM.make(req, title: "\(section.title) – \(unit.name)", admin: true, breadcrumbs: crumbs), heading: "\(section.title) – \(unit.name)",
            newURL: SiteURL.adminInfoEntryNew(code: .value(unit.code), section: section.key).path, newLabel: "Thêm " + section.entryName,
            tableLabel: section.title, firstColumn: "Loại",
            rows: entries.map { entry in
                let id = entry.id?.uuidString.lowercased() ?? ""
                let when = (entry.startsAt ?? entry.endsAt).map { " · " + VietnameseDate.day($0) } ?? ""
                return .init(code: section.kind(entry.kind)?.label ?? entry.kind, name: entry.title,
                             editURL: SiteURL.adminInfoEntry(code: .value(unit.code), section: section.key, id: .value(id)).path,
                             publicURL: entry.publishedAt == nil ? "" : SiteURL.infoEntry(section.key, id: .value(id)).path,
                             status: (entry.publishedAt.map { "Đã đăng \(VietnameseDate.day($0))" } ?? "Chưa đăng") + when,
                             publishAction: SiteURL.adminInfoEntryPublish(code: .value(unit.code), section: section.key, id: .value(id)).path,
                             isPublished: entry.publishedAt != nil)
            },
            mayPublish: admin.may(.publishContent, on: unit), notice: notices[req.textParameter("ok")] ?? "")
    }

    /// An entry's form, its fields those of the section, and for an existing one its documents.
    static func edit(_ req: Request, admin: AdminContext, unit: ResolvedUnit, section: InfoSection, entry: SectionEntry?, input: SectionEntryService.Input,
                     errors: FormErrors = [:], uploadErrors: FormErrors = [:]) async throws -> ProcedureEditPage {
        let base = SiteURL.adminInfoSection(code: .value(unit.code), section: section.key).path
        let id = entry?.id?.uuidString.lowercased()
        let action = id.map { SiteURL.adminInfoEntry(code: .value(unit.code), section: section.key, id: .value($0)).path }
            ?? SiteURL.adminInfoEntryNew(code: .value(unit.code), section: section.key).path
        let heading = entry.map { "Sửa: \($0.title)" } ?? "Thêm \(section.entryName)"
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: section.title, url: base), .init(label: entry?.title ?? "Thêm", url: action),
        ])
        let layout = LayoutVM.make(req, title: heading, admin: true, breadcrumbs: crumbs)
        var fields: [FormField] = [
            FormField(name: "kind", label: "Loại", value: input.kind, error: errors["kind"], type: "select", required: true,
                      options: section.kinds.map { .init(value: $0.value, label: $0.label, selected: $0.value == input.kind) }),
            FormField(name: "title", label: section.titleLabel, value: input.title, error: errors["title"], required: true, maxlength: 500),
        ]
        for spec in section.fields {
            // Only an always-required field is required in the browser: the others depend on the kind chosen.
            let required = spec.requirement == .required
            var hint = spec.hint
            switch spec.requirement {
            case .requiredFor(let kinds):
                hint = ([hint] + ["Bắt buộc với: " + kinds.compactMap { section.kind($0)?.label }.joined(separator: ", ") + "."]).filter { !$0.isEmpty }.joined(separator: " ")
            case .requiredForDated:
                hint = ([hint] + ["Bắt buộc trừ với: " + section.kinds.filter(\.isPerson).map(\.label).joined(separator: ", ") + "."]).filter { !$0.isEmpty }.joined(separator: " ")
            default: break
            }
            let type: String, inputmode: String?, autocomplete: String?
            switch spec.input {
            case .paragraph: (type, inputmode, autocomplete) = ("textarea", nil, nil)
            case .url: (type, inputmode, autocomplete) = ("url", nil, "off")
            case .email: (type, inputmode, autocomplete) = ("email", nil, "off")
            case .phone: (type, inputmode, autocomplete) = ("tel", nil, "off")
            case .moment, .day: (type, inputmode, autocomplete) = ("text", nil, "off")
            case .line: (type, inputmode, autocomplete) = ("text", nil, nil)
            }
            fields.append(FormField(name: spec.field.rawValue, label: spec.label, value: input[spec.field], error: errors[spec.field.rawValue],
                                    hint: hint.isEmpty ? nil : hint, type: type, required: required, autocomplete: autocomplete, inputmode: inputmode,
                                    maxlength: spec.input == .paragraph ? 10_000 : spec.input == .url ? 1000 : 300))
        }
        var files: [ProcedurePage.Link] = []
        var uploadForm: FormPage?
        if let entry, let id {
            files = try await AttachedFiles.links(SectionEntryFile.self, owner: try entry.requireID(), on: req.db)
            uploadForm = AttachedFiles.uploadForm(layout: layout, heading: "Thêm tài liệu", titleLabel: "Tên tài liệu",
                                                  action: SiteURL.adminInfoEntryFiles(code: .value(unit.code), section: section.key, id: .value(id)).path,
                                                  token: req.csrfToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "", errors: uploadErrors, cancelURL: base)
        }
        return ProcedureEditPage(
            layout: layout, heading: heading,
            form: FormPage(layout: layout, heading: heading, intro: errors.form ?? (errors.isEmpty ? nil : "Chưa lưu: sửa các ô được chỉ ra."),
                           action: action, submitLabel: "Lưu", fields: fields, cancelURL: base),
            isExisting: entry != nil, filesHeading: "Tài liệu", noFilesText: "Chưa có tài liệu.", files: files, uploadForm: uploadForm,
            publicURL: entry?.publishedAt == nil ? "" : SiteURL.infoEntry(section.key, id: .value(id ?? "")).path,
            notice: ["entry-saved": "Đã lưu" + (entry?.publishedAt == nil ? "; chưa đăng." : "."), "file-attached": "Đã thêm tài liệu."][req.textParameter("ok")] ?? "")
    }
}
