import EduCore
import EduData
import Fluent
import Vapor

/// Projects, investment items, tenders and purchases (A8.13): written by the unit's editors,
/// public once an editorial head publishes them, with their documents; checked, scoped, audited.
enum ProcurementService {
    typealias Kind = ProcurementItem.Kind
    typealias Status = ProcurementItem.Status

    struct Input: Sendable, Equatable {
        var kind = Kind.tender.rawValue
        var title = ""
        var reference = ""
        var value = ""
        var funding = ""
        var method = ""
        var status = Status.planned.rawValue
        var startOn = ""
        var endOn = ""
        var contractor = ""
        var description = ""
        var noticeURL = ""

        init() {}

        init(form: [String: String]) {
            func line(_ key: String, _ max: Int = 300) -> String { TextNormalizer.normalize(form[key] ?? "", maxLength: max) }
            kind = form["kind"] ?? ""
            title = line("title", 500)
            reference = line("reference")
            value = line("value", 40)
            funding = line("funding")
            method = line("method")
            status = form["status"] ?? ""
            startOn = line("startOn", 20)
            endOn = line("endOn", 20)
            contractor = line("contractor")
            description = TextNormalizer.normalize(form["description"] ?? "", mode: .multiLine, maxLength: 10_000)
            noticeURL = line("noticeURL", 1000)
        }

        init(_ item: ProcurementItem) {
            kind = item.kind
            title = item.title
            reference = item.reference
            value = VietnameseNumber.grouped(Int(item.value))
            funding = item.funding
            method = item.method
            status = item.status
            startOn = VietnameseDate.day(item.startOn)
            endOn = item.endOn.map(VietnameseDate.day) ?? ""
            contractor = item.contractor
            description = item.description
            noticeURL = item.noticeURL
        }
    }

    /// What the input stores, or its faults by field in Vietnamese.
    struct Checked {
        let value: Int64
        let startOn: Date
        let endOn: Date?
    }

    static func check(_ input: Input) -> Result<Checked, FormErrors> {
        var errors: FormErrors = [:]
        if Kind(rawValue: input.kind) == nil { errors["kind"] = "Chọn loại (dự án, hạng mục, gói thầu, mua sắm)." }
        if input.title.count < 5 { errors["title"] = "Nhập tên dự án, gói thầu." }
        if Status(rawValue: input.status) == nil { errors["status"] = "Chọn tình trạng." }
        let value = VietnameseNumber.readWhole(input.value, limit: 1_000_000_000_000_000)
        if value == nil { errors["value"] = input.value.isEmpty ? "Nhập giá trị (đồng)." : "«\(input.value.prefix(40))» không phải số tiền (đồng, số nguyên không âm, ví dụ 1.250.000.000)." }
        let start = VietnameseDate.parse(input.startOn)
        if start == nil || input.startOn.contains(":") { errors["startOn"] = input.startOn.isEmpty ? "Nhập ngày bắt đầu (dd/mm/yyyy)." : "Ngày viết dạng dd/mm/yyyy." }
        var end: Date?
        if !input.endOn.isEmpty {
            end = VietnameseDate.parse(input.endOn)
            if end == nil || input.endOn.contains(":") { errors["endOn"] = "Ngày viết dạng dd/mm/yyyy." }
            else if let start, let end, end < start { errors["endOn"] = "Ngày kết thúc \(VietnameseDate.day(end)) trước ngày bắt đầu \(VietnameseDate.day(start))." }
        }
        if !input.noticeURL.isEmpty {
            if let url = URL(string: input.noticeURL), url.scheme?.lowercased() == "https", url.host?.contains(".") == true {} else {
                errors["noticeURL"] = "Đường dẫn thông báo phải là địa chỉ https:// đầy đủ (Hệ thống mạng đấu thầu quốc gia)."
            }
        }
        if let status = Status(rawValue: input.status), [.awarded, .underway, .completed].contains(status), input.contractor.isEmpty,
           Kind(rawValue: input.kind) != .project {
            errors["contractor"] = "Ghi nhà thầu được chọn (tình trạng «\(status.label)»)."
        }
        guard errors.isEmpty, let value, let start else { return .failure(errors) }
        return .success(Checked(value: Int64(value), startOn: start, endOn: end))
    }

    @discardableResult
    static func save(_ input: Input, existing: ProcurementItem?, unit: ResolvedUnit, mayPublish: Bool, by actor: AuditActor, who: String,
                     now: Date = Date(), on db: any Database) async throws -> ProcurementItem {
        let checked: Checked
        switch check(input) {
        case .success(let value): checked = value
        case .failure(let errors): throw errors
        }
        let item = existing ?? ProcurementItem()
        let creating = existing == nil
        if creating {
            item.unitID = unit.id
            item.createdAt = now
        }
        item.kind = input.kind
        item.title = input.title
        item.reference = input.reference
        item.value = checked.value
        item.funding = input.funding
        item.method = input.method
        item.status = input.status
        item.startOn = checked.startOn
        item.endOn = checked.endOn
        item.contractor = input.contractor
        item.description = input.description
        item.noticeURL = input.noticeURL
        item.updatedAt = now
        item.updatedBy = who
        // An editor's change to what is public waits for an editorial head again.
        let unpublished = !creating && item.publishedAt != nil && !mayPublish
        if unpublished { item.publishedAt = nil }
        try await db.transaction { tx in
            try await item.save(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: creating ? "procurement.create" : "procurement.update", target: String(input.title.prefix(120)),
                                        detail: unpublished ? "chờ đăng lại" : "", on: tx)
            try await OrgUnit.touch(unit.id, on: tx)
        }
        return item
    }

    struct Filter: Sendable {
        var year: Int?
        var status = ""
        var kind = ""
    }

    /// The unit's published items of a year (by start date), status and kind; newest first.
    static func published(in unit: ResolvedUnit, filter: Filter, on db: any Database) -> QueryBuilder<ProcurementItem> {
        let query = ProcurementItem.query(in: unit, on: db).filter(\.$publishedAt != nil)
        if let year = filter.year, let from = VietnameseDate.parse("01/01/\(year)"), let to = VietnameseDate.parse("01/01/\(year + 1)") {
            query.filter(\.$startOn >= from).filter(\.$startOn < to)
        }
        if !filter.status.isEmpty { query.filter(\.$status == filter.status) }
        if !filter.kind.isEmpty { query.filter(\.$kind == filter.kind) }
        return query
    }
}
