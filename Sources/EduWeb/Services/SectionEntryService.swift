import EduCore
import EduData
import Fluent
import Vapor

/// Entries of the circular's other information (A8.14, Article 10): checked against their
/// section's spec, written by the unit's editors, public once an editorial head publishes them;
/// scoped, audited.
enum SectionEntryService {
    typealias Field = InfoSection.Field

    struct Input: Sendable, Equatable {
        var kind = ""
        var title = ""
        /// By `Field.rawValue`; only the section's fields are kept.
        var values: [String: String] = [:]

        init() {}

        init(form: [String: String], section: InfoSection) {
            kind = form["kind"] ?? ""
            title = TextNormalizer.normalize(form["title"] ?? "", maxLength: 500)
            for spec in section.fields {
                let raw = form[spec.field.rawValue] ?? ""
                values[spec.field.rawValue] = spec.input == .paragraph
                    ? TextNormalizer.normalize(raw, mode: .multiLine, maxLength: 10_000)
                    : TextNormalizer.normalize(raw, maxLength: spec.input == .url ? 1000 : 300)
            }
        }

        init(_ entry: SectionEntry, section: InfoSection) {
            kind = entry.kind
            title = entry.title
            for spec in section.fields {
                values[spec.field.rawValue] = SectionEntryService.text(of: spec, in: entry)
            }
        }

        subscript(_ field: Field) -> String { values[field.rawValue] ?? "" }
    }

    /// A field's stored value as the form and the public page show it.
    static func text(of spec: InfoSection.FieldSpec, in entry: SectionEntry) -> String {
        switch spec.field {
        case .organiser: entry.organiser
        case .person: entry.person
        case .personTitle: entry.personTitle
        case .phone: entry.phone
        case .email: entry.email
        case .audience: entry.audience
        case .amount: entry.amount
        case .place: entry.place
        case .startsAt: entry.startsAt.map { spec.input == .day ? VietnameseDate.day($0) : VietnameseDate.dateTime($0) } ?? ""
        case .endsAt: entry.endsAt.map { spec.input == .day ? VietnameseDate.day($0) : VietnameseDate.dateTime($0) } ?? ""
        case .link: entry.link
        case .secondLink: entry.secondLink
        case .summary: entry.summary
        }
    }

    /// The input's faults by field, in Vietnamese; the moments it names when there are none.
    static func check(_ input: Input, section: InfoSection) -> Result<(startsAt: Date?, endsAt: Date?), FormErrors> {
        var errors: FormErrors = [:]
        let kind = section.kind(input.kind)
        if kind == nil { errors["kind"] = "Chọn loại: " + section.kinds.map(\.label).joined(separator: ", ") + "." }
        if input.title.count < 3 { errors["title"] = "Nhập \(section.titleLabel.lowercased())." }
        var moments: [Field: Date] = [:]
        for spec in section.fields {
            let value = input[spec.field]
            if value.isEmpty {
                if spec.requirement.isRequired(kind: kind) {
                    errors[spec.field.rawValue] = "Nhập «\(spec.label)»" + (kind.map { " (bắt buộc với «\($0.label)»)" } ?? "") + "."
                }
                continue
            }
            switch spec.input {
            case .moment, .day:
                if let date = VietnameseDate.parse(value), spec.input == .moment || !value.contains(":") {
                    moments[spec.field] = date
                } else {
                    errors[spec.field.rawValue] = "«\(value.prefix(30))» không phải ngày hợp lệ; viết dạng \(spec.input == .day ? "dd/mm/yyyy" : "dd/mm/yyyy hh:mm")."
                }
            case .url:
                if let url = URL(string: value), url.scheme?.lowercased() == "https", let host = url.host, host.contains("."), !value.contains(" ") {} else {
                    errors[spec.field.rawValue] = "«\(spec.label)» phải là địa chỉ https:// đầy đủ."
                }
            case .email:
                if !Validation.isEmail(value) { errors[spec.field.rawValue] = "«\(value.prefix(60))» không phải địa chỉ thư điện tử." }
            case .phone:
                if !Validation.isPhone(value) { errors[spec.field.rawValue] = "«\(value.prefix(30))» không phải số điện thoại (8–15 chữ số)." }
            case .line, .paragraph:
                break
            }
        }
        if let start = moments[.startsAt], let end = moments[.endsAt], end < start {
            errors[Field.endsAt.rawValue] = "Kết thúc (\(VietnameseDate.dateTime(end))) trước khi bắt đầu (\(VietnameseDate.dateTime(start)))."
        }
        guard errors.isEmpty else { return .failure(errors) }
        return .success((moments[.startsAt], moments[.endsAt]))
    }

    @discardableResult
    static func save(_ input: Input, section: InfoSection, existing: SectionEntry?, unit: ResolvedUnit, mayPublish: Bool, by actor: AuditActor, who: String,
                     now: Date = Date(), on db: any Database) async throws -> SectionEntry {
        let moments: (startsAt: Date?, endsAt: Date?)
        switch check(input, section: section) {
        case .success(let value): moments = value
        case .failure(let errors): throw errors
        }
        let entry = existing ?? SectionEntry()
        let creating = existing == nil
        if creating {
            entry.unitID = unit.id
            entry.section = section.key.rawValue
            entry.createdAt = now
        }
        entry.kind = input.kind
        entry.title = input.title
        entry.organiser = input[.organiser]
        entry.person = input[.person]
        entry.personTitle = input[.personTitle]
        entry.phone = input[.phone]
        entry.email = input[.email]
        entry.audience = input[.audience]
        entry.amount = input[.amount]
        entry.place = input[.place]
        entry.startsAt = moments.startsAt
        entry.endsAt = moments.endsAt
        entry.link = input[.link]
        entry.secondLink = input[.secondLink]
        entry.summary = input[.summary]
        entry.updatedAt = now
        entry.updatedBy = who
        // An editor's change to what is public waits for an editorial head again.
        let unpublished = !creating && entry.publishedAt != nil && !mayPublish
        if unpublished { entry.publishedAt = nil }
        try await db.transaction { tx in
            try await entry.save(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: creating ? "section.create" : "section.update",
                                        target: section.title + ": " + String(input.title.prefix(100)), detail: unpublished ? "chờ đăng lại" : "", on: tx)
            try await OrgUnit.touch(unit.id, on: tx)
        }
        return entry
    }

    /// The unit's entries of a section; `published` only those the public sees.
    static func entries(_ section: InfoSection, in unit: ResolvedUnit, published: Bool, on db: any Database) -> QueryBuilder<SectionEntry> {
        let query = SectionEntry.query(in: unit, on: db).filter(\.$section == section.key.rawValue)
        if published { query.filter(\.$publishedAt != nil) }
        return query
    }

    /// The next moment a published entry of the unit starts or ends (the schedule and the
    /// deadlines regroup then).
    static func nextScheduledChange(unitID: UUID, after now: Date, on db: any Database) async throws -> Date? {
        let published = SectionEntry.query(in: unitID, on: db).filter(\.$publishedAt != nil)
        let starts = try await published.copy().filter(\.$startsAt > now).sort(\.$startsAt).first()?.startsAt
        let ends = try await published.copy().filter(\.$endsAt > now).sort(\.$endsAt).first()?.endsAt
        return [starts, ends].compactMap { $0 }.min()
    }
}
