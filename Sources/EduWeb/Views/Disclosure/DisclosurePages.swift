import EduCore
import EduData
import Fluent
import Vapor

/// `/cong-khai`: a school's disclosures for a school year (the last five, browsable), each with
/// its text, document and whether it was published on time; an office's or the Sở's page lists
/// its schools with how many items each has published, late or missing.
struct DisclosurePage: PageView {
    static let template = "disclosure"

    struct Fact {
        let label: String
        let value: String
    }

    struct Item {
        let title: String
        let clause: String
        let facts: [Fact]
        let text: String
        let fileURL: String
        let fileName: String
        let status: String
        let statusCode: String
        let updated: String
    }

    struct SchoolRow {
        let name: String
        let url: String
        let onTime: Int
        let late: Int
        let missing: Int
    }

    let layout: LayoutVM
    let unitName: String
    let yearLabel: String
    let years: [FormField.Option]
    let isSchool: Bool
    let items: [Item]
    let schools: [SchoolRow]
    let policy: String
}

extension DisclosurePage {
    /// The kept school years, newest first (the public page; the admin adds the coming year).
    static func years(_ range: ClosedRange<Int>, selected: Int) -> [FormField.Option] {
        range.reversed().map { .init(value: String($0), label: "\($0)–\($0 + 1)", selected: $0 == selected) }
    }

    static var policyText: String {
        let policy = DisclosurePolicy.standard
        return "Công khai theo Thông tư 09/2024/TT-BGDĐT: hằng năm trước ngày \(policy.dueDay)/\(policy.dueMonth); cập nhật trong \(policy.updateWorkingDays) ngày làm việc khi có thay đổi; lưu ít nhất \(policy.retentionYears) năm."
    }

    static func query(_ req: Request, unit: ResolvedUnit) async throws -> DisclosurePage {
        let now = Date()
        let current = DisclosureService.schoolYear(of: now)
        let kept = DisclosureService.editableYears(now: now).lowerBound...current
        var year = Int(req.textParameter("nam")) ?? current
        if !kept.contains(year) { year = current }
        let calendar = DisclosureService.calendar(req.config)
        let isSchool = !YearbookLevel.levels(of: unit.type).isEmpty
        var items: [Item] = []
        var schools: [SchoolRow] = []
        if isSchool {
            let entries = Dictionary(uniqueKeysWithValues: try await DisclosureEntry.query(in: unit, on: req.db).filter(\.$schoolYear == year).all().map { ($0.itemKey, $0) })
            for item in DisclosureCatalogue.items(for: unit.type) {
                let entry = entries[item.key]
                let status = DisclosureService.status(of: entry, year: year, now: now, calendar: calendar)
                let stored = entry?.fields ?? [:]
                let facts = item.fields.compactMap { field in stored[field.key].map { Fact(label: field.label, value: field.display($0)) } }
                items.append(Item(title: item.title, clause: item.clause, facts: facts, text: entry?.text ?? "",
                                  fileURL: entry?.fileStoredName == nil ? "" : SiteURL.disclosureFile(id: .value(entry?.id?.uuidString.lowercased() ?? "")).path,
                                  fileName: entry?.fileName ?? "", status: status.label, statusCode: status.code,
                                  updated: entry.map { "Cập nhật \(VietnameseDate.dateTime($0.updatedAt))" } ?? ""))
            }
        } else {
            let rows = try await DisclosureService.board(under: unit, year: year, now: now, calendar: calendar, on: req.db)
            let links = try await req.publicLinks.links(for: rows.map(\.school), on: req.db)
            for (row, link) in zip(rows, links) {
                let statuses = row.statuses.compactMap(\.status)
                schools.append(SchoolRow(name: row.school.name, url: link.url + "cong-khai?nam=\(year)",
                                         onTime: statuses.filter { $0.code == "dung-han" }.count, late: statuses.filter { $0.code == "muon" }.count,
                                         missing: statuses.filter { $0.code == "thieu" }.count))
            }
        }
        return DisclosurePage(layout: LayoutVM.make(req, title: "Công khai", admin: false), unitName: unit.name, yearLabel: "\(year)–\(year + 1)",
                              years: years(kept, selected: year), isSchool: isSchool, items: items, schools: schools, policy: policyText)
    }
}

/// `/quan-tri/don-vi/<code>/cong-khai`: a school publishes and updates each item; an office or
/// the Sở sees every school's items (on time, late, missing).
struct DisclosureAdminPage: PageView {
    static let template = "admin/disclosure"

    struct ItemForm {
        let key: String
        let title: String
        let status: String
        let action: String
        let fields: [FormField]
        let failure: String?
        let fileName: String
    }

    struct BoardRow {
        let name: String
        let url: String
        let cells: [String]
    }

    let layout: LayoutVM
    let unitName: String
    let yearLabel: String
    let yearAction: String
    let years: [FormField.Option]
    let isSchool: Bool
    let forms: [ItemForm]
    let headers: [String]
    let board: [BoardRow]
    let policy: String
}

extension DisclosureAdminPage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, year requested: Int? = nil, failedItem: String? = nil,
                      typed: [String: String] = [:], errors: FormErrors = [:]) async throws -> DisclosureAdminPage {
        let now = Date()
        let current = DisclosureService.schoolYear(of: now)
        let editable = DisclosureService.editableYears(now: now)
        var year = requested ?? Int(req.textParameter("nam")) ?? current
        if !editable.contains(year) { year = current }
        let calendar = DisclosureService.calendar(req.config)
        let isSchool = !YearbookLevel.levels(of: unit.type).isEmpty
        let base = SiteURL.adminDisclosure(code: .value(unit.code)).path
        var forms: [ItemForm] = []
        var board: [BoardRow] = []
        if isSchool {
            let entries = Dictionary(uniqueKeysWithValues: try await DisclosureEntry.query(in: unit, on: req.db).filter(\.$schoolYear == year).all().map { ($0.itemKey, $0) })
            let token = req.csrfToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            for item in DisclosureCatalogue.items(for: unit.type) {
                let entry = entries[item.key]
                let mine = failedItem == item.key
                let prefix = "i-\(item.key)-"
                let stored = entry?.fields ?? [:]
                let fromYearbook = entry == nil ? try await DisclosureService.yearbookFigures(for: item, unit: unit, year: year, on: req.db) : [:]
                let figureFields = item.fields.map { field in
                    let name = DisclosureService.fieldName(field.key)
                    let value = mine ? typed[name] ?? "" : field.editable(stored[field.key] ?? fromYearbook[field.key] ?? "")
                    let hint = fromYearbook[field.key] != nil && !mine ? "Điền sẵn từ niên giám thống kê năm học \(year)–\(year + 1); kiểm tra trước khi lưu." : nil
                    return FormField(name: name, label: field.label + (field.required ? "" : " (nếu có)"), value: value, error: mine ? errors[name] : nil,
                                     hint: hint ?? field.kind.hint, required: field.required, inputmode: field.kind.inputMode, maxlength: field.kind == .text ? 300 : 30, idPrefix: prefix)
                }
                forms.append(ItemForm(
                    key: item.key, title: item.title, status: DisclosureService.status(of: entry, year: year, now: now, calendar: calendar).label,
                    action: SiteURL.adminDisclosureItem(code: .value(unit.code), item: .value(item.key)).path + "?nam=\(year)&_csrf=\(token)",
                    fields: figureFields + [
                        FormField(name: "text", label: item.fields.contains(where: \.required) || item.form == .file ? "Nội dung (nếu có)" : "Nội dung", value: mine ? typed["text"] ?? "" : entry?.text ?? "", error: mine ? errors["text"] : nil,
                                  type: "textarea", maxlength: 20_000, idPrefix: prefix),
                        FormField(name: "file", label: item.form == .file ? "Tệp PDF (bắt buộc)" : "Tệp PDF (nếu có)", error: mine ? errors["file"] : nil,
                                  hint: "Tối đa \(DisclosureService.maxFileBytes >> 20) MB; kiểm tra theo nội dung tệp.", type: "file", idPrefix: prefix, accept: ".pdf,application/pdf"),
                        FormField(name: "changedOn", label: "Ngày có thay đổi (khi cập nhật)", value: mine ? typed["changedOn"] ?? "" : "",
                                  error: mine ? errors["changedOn"] : nil,
                                  hint: "dd/mm/yyyy; hạn cập nhật là \(DisclosurePolicy.standard.updateWorkingDays) ngày làm việc sau ngày này (không tính thứ Bảy, Chủ nhật, ngày lễ).",
                                  maxlength: 10, idPrefix: prefix),
                    ],
                    failure: mine ? errors.form : nil, fileName: entry?.fileName ?? ""))
            }
        } else {
            for row in try await DisclosureService.board(under: unit, year: year, now: now, calendar: calendar, on: req.db) {
                board.append(BoardRow(name: row.school.name, url: SiteURL.adminDisclosure(code: .value(row.school.code)).path + "?nam=\(year)",
                                      cells: row.statuses.map { $0.status?.label ?? "Không áp dụng" }))
            }
        }
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Công khai", url: base)])
        return DisclosureAdminPage(
            layout: LayoutVM.make(req, title: "Công khai – \(unit.name)", admin: true, breadcrumbs: crumbs), unitName: unit.name,
            yearLabel: "\(year)–\(year + 1)", yearAction: base,
            years: DisclosurePage.years(editable, selected: year),
            isSchool: isSchool, forms: forms, headers: DisclosureCatalogue.items.map(\.title), board: board,
            policy: DisclosurePage.policyText)
    }
}


extension DisclosureField.Kind {
    /// What a phone's keyboard should offer.
    var inputMode: String? {
        switch self {
        case .count, .money, .year: "numeric"
        case .percent: "decimal"
        case .date, .text: nil
        }
    }

    var hint: String? {
        switch self {
        case .money: "Số đồng, ví dụ 1.500.000."
        case .percent: "Ví dụ 98,5."
        case .date: "dd/mm/yyyy"
        case .count, .year, .text: nil
        }
    }
}
