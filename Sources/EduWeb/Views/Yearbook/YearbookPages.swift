import EduCore
import EduData
import EduImport
import Fluent
import Vapor

/// `/thong-ke`: the statistics yearbook, five school years side by side (a school's own figures;
/// an office's or the Sở's summed over its schools, with schools by level and type, and a table
/// per unit directly below), a chart of pupils with the table as its text, and a CSV download.
struct YearbookPage: PageView {
    static let template = "yearbook"

    struct Row {
        let label: String
        let cells: [String]
        /// The change from the first to the last year with figures, in words.
        let trend: String
        /// A part of the row above («trong đó …»), indented. Stored: templates read stored properties.
        let isPart: Bool

        init(label: String, cells: [String], trend: String) {
            self.label = label
            self.cells = cells
            self.trend = trend
            isPart = label.hasPrefix(" ")
        }
    }

    struct Section {
        let title: String
        let rows: [Row]
    }

    struct Bar {
        let x: Int
        let y: Int
        let height: Int
        /// Centre of the bar, where its labels are anchored.
        let middle: Int
        let label: String
        let value: String
    }

    /// One indicator over the years as bars, its title and numbers also as text (the table holds them too).
    struct Chart {
        let id: String
        let title: String
        let trend: String
        let summary: String
        let bars: [Bar]
    }

    struct ChildRow {
        let name: String
        let url: String
        let filed: String
        let classes: String
        let pupils: String
        let teachers: String
    }

    let layout: LayoutVM
    let unitName: String
    /// Units merged into this one whose history its figures include.
    let mergedNote: String
    let isSchool: Bool
    let hasData: Bool
    let columns: [String]
    let sections: [Section]
    let charts: [Chart]
    let latestLabel: String
    let children: [ChildRow]
    let csvURL: String
    let xlsxURL: String
    let missing: String
}

extension YearbookPage {
    static func number(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = "."
        formatter.usesGroupingSeparator = true
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }

    static func trend(_ values: [Int?]) -> String {
        let known = values.compactMap { $0 }
        guard known.count >= 2, let first = known.first, let last = known.last else { return "" }
        if first == 0 { return last == 0 ? "Không đổi" : "Tăng" }
        let change = Double(last - first) / Double(first) * 100
        if abs(change) < 0.05 { return "Không đổi" }
        return (change > 0 ? "Tăng " : "Giảm ") + String(format: "%.1f", abs(change)).replacingOccurrences(of: ".", with: ",") + " %"
    }

    /// The table's rows for these periods' figures; `school` shows a school's own keys.
    static func sections(_ figures: [YearbookService.Figures?], type: UnitType?) -> [Section] {
        typealias Figures = YearbookService.Figures
        func row(_ label: String, _ pick: (Figures) -> Int) -> Row {
            let values = figures.map { $0.map(pick) }
            return Row(label: label, cells: values.map { $0.map(number) ?? "–" }, trend: trend(values))
        }
        var sections: [Section] = []
        let levels: [YearbookLevel] = type.map(YearbookLevel.levels(of:))
            ?? YearbookLevel.allCases.filter { level in figures.contains { ($0?.value("\(level.rawValue).hoc_sinh") ?? 0) > 0 } }
        if type == nil {
            var rows: [Row] = []
            for level in levels {
                rows.append(row("Số trường: \(level.label.lowercased())") { f in f.schools.filter { $0.key.hasPrefix(level.rawValue + "|") }.values.reduce(0, +) })
                rows.append(row("   trong đó ngoài công lập") { f in
                    f.schools.filter { $0.key.hasPrefix(level.rawValue + "|") && !$0.key.hasSuffix("|cong-lap") }.values.reduce(0, +)
                })
            }
            sections.append(Section(title: "Trường", rows: rows))
        }
        for (key, title) in YearbookCatalogue.sections {
            var rows: [Row] = []
            for indicator in YearbookCatalogue.indicators where indicator.section == key {
                if indicator.scope == .level {
                    if levels.count > 1 { rows.append(row("\(indicator.label) (tổng)") { $0.total(indicator.key) }) }
                    for level in levels {
                        let key = "\(level.rawValue).\(indicator.key)"
                        rows.append(row("\(level.label): \(indicator.label.prefix(1).lowercased() + indicator.label.dropFirst())") { $0.value(key) })
                        // Summed figures by type (A8.8: public and non-public) for classes and pupils.
                        if type == nil && ["lop", "hoc_sinh"].contains(indicator.key) {
                            rows.append(row("   trong đó ngoài công lập") { $0.nonPublic(key) })
                        }
                    }
                } else {
                    rows.append(row(indicator.label) { $0.value("truong.\(indicator.key)") })
                }
            }
            sections.append(Section(title: title, rows: rows))
        }
        return sections
    }

    /// Bars in a 360 × 230 box, sized to stay legible when a phone shows it 340 px wide; the
    /// year under each bar shortened to «2025–26».
    static func chart(_ id: String, _ title: String, periods: [YearbookPeriod], values: [Int?]) -> Chart {
        let top = max(1, values.compactMap { $0 }.max() ?? 1)
        let slot = 360 / max(1, values.count)
        let bars = values.enumerated().map { index, value in
            let height = Int(Double(value ?? 0) / Double(top) * 150)
            let year = periods[index].schoolYear
            let short = year.count == 9 ? year.prefix(4) + "–" + year.suffix(2) : Substring(year)
            return Bar(x: index * slot + (slot - 44) / 2, y: 190 - height, height: height, middle: index * slot + slot / 2,
                       label: String(short), value: value.map(number) ?? "–")
        }
        let trendText = trend(values)
        let years = zip(periods, values).map { "\($0.schoolYear.replacingOccurrences(of: "-", with: "–")): \($1.map(number) ?? "chưa có")" }
        return Chart(id: id, title: title, trend: trendText.isEmpty ? "" : trendText.prefix(1).lowercased() + trendText.dropFirst(),
                     summary: "\(title) các năm học: " + years.joined(separator: "; ") + ".", bars: bars)
    }

    static func query(_ req: Request, unit: ResolvedUnit) async throws -> YearbookPage {
        let periods = try await YearbookService.yearColumns(on: req.db)
        let byPeriod = try await YearbookService.figures(of: unit, periods: periods, on: req.db)
        let figures = periods.map { $0.id.flatMap { byPeriod[$0] } }
        let isSchool = !YearbookLevel.levels(of: unit.type).isEmpty
        let charts = [
            chart("hoc-sinh", "Học sinh", periods: periods, values: figures.map { $0?.total("hoc_sinh") }),
            chart("lop", "Lớp", periods: periods, values: figures.map { $0?.total("lop") }),
            chart("giao-vien", "Giáo viên", periods: periods, values: figures.map { $0?.value("truong.giao_vien") }),
        ]
        var children: [ChildRow] = []
        var missing = ""
        if !isSchool, let latest = periods.last {
            let rows = try await YearbookService.byChild(of: unit, period: latest, on: req.db)
            let links = try await req.publicLinks.links(for: rows.map(\.0), on: req.db)
            for ((child, f), link) in zip(rows, links) {
                children.append(ChildRow(name: child.name, url: link.url + "thong-ke", filed: number(f.filed), classes: number(f.total("lop")),
                                         pupils: number(f.total("hoc_sinh")), teachers: number(f.value("truong.giao_vien"))))
            }
            let absent = try await YearbookService.missing(under: unit, period: latest, on: req.db)
            if !absent.isEmpty { missing = "\(absent.count) trường chưa nộp số liệu kỳ \(latest.label); số liệu tổng hợp chưa gồm các trường này." }
        }
        let merged = try await UnitChangeService.predecessors(of: unit.id, on: req.db).filter { !$0.path.hasPrefix(unit.path) }
        let mergedNote = merged.isEmpty ? "" : "Số liệu gồm cả " + merged.map { u in
            u.name + " (" + u.state.label.lowercased() + (u.endedAt.map { " ngày " + VietnameseDate.day($0) } ?? "") + ")"
        }.joined(separator: ", ") + "."
        return YearbookPage(
            layout: LayoutVM.make(req, title: "Niên giám thống kê", admin: false),
            unitName: unit.name, mergedNote: mergedNote, isSchool: isSchool, hasData: figures.contains { $0 != nil },
            columns: periods.map { $0.schoolYear.replacingOccurrences(of: "-", with: "–") },
            sections: sections(figures, type: isSchool ? unit.type : nil),
            charts: charts,
            latestLabel: periods.last?.label ?? "", children: children, csvURL: SiteURL.yearbookCSV.path, xlsxURL: SiteURL.yearbookXLSX.path, missing: missing)
    }

    /// The same table as a workbook: numbers as numbers.
    static func xlsx(_ req: Request, unit: ResolvedUnit) async throws -> Data {
        let page = try await query(req, unit: unit)
        var rows: [[XLSXWriter.Cell]] = [[.text("Niên giám thống kê – \(unit.name)")], (["Nhóm", "Chỉ tiêu"] + page.columns + ["Xu hướng"]).map { .text($0) }]
        for section in page.sections {
            for row in section.rows {
                rows.append([.text(section.title), .text(row.label.trimmingCharacters(in: .whitespaces))]
                    + row.cells.map { cell in Int(cell.replacingOccurrences(of: ".", with: "")).map { .number(Double($0)) } ?? .text(cell) }
                    + [.text(row.trend)])
            }
        }
        return try XLSXWriter.workbook(sheetName: "Niên giám", rows: rows)
    }

    /// The same table as CSV (UTF-8 with BOM so Excel reads the diacritics).
    static func csv(_ req: Request, unit: ResolvedUnit) async throws -> String {
        let page = try await query(req, unit: unit)
        func quote(_ text: String) -> String {
            let cleaned = text.trimmingCharacters(in: .whitespaces)
            // A cell that starts with = + - @ is text, not a formula (CSV injection).
            let safe = ["=", "+", "-", "@"].contains { cleaned.hasPrefix($0) } && Int(cleaned.replacingOccurrences(of: ".", with: "")) == nil ? "'" + cleaned : cleaned
            return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var lines = [(["Nhóm", "Chỉ tiêu"] + page.columns + ["Xu hướng"]).map(quote).joined(separator: ",")]
        for section in page.sections {
            for row in section.rows {
                lines.append(([section.title, row.label] + row.cells.map { $0.replacingOccurrences(of: ".", with: "") } + [row.trend]).map(quote).joined(separator: ","))
            }
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// `/quan-tri/don-vi/<code>/thong-ke`: the periods, what the unit filed (a school) or which of its
/// schools have not (an office), the Sở's form for a new period; and a school's entry form.
struct YearbookAdminPage: PageView {
    static let template = "admin/yearbook"

    struct PeriodRow {
        let label: String
        let due: String
        let status: String
        let url: String
        let templateURL: String
        let missing: [String]
    }

    let layout: LayoutVM
    let unitName: String
    let isSchool: Bool
    let rows: [PeriodRow]
    let periodForm: FormPage?
    let publicURL: String
    /// Upload of a filled template (a school's own row, or an office's schools).
    let importForm: FormPage?
}

extension YearbookAdminPage {
    static func periodFields(_ input: YearbookService.PeriodInput, errors: FormErrors) -> [FormField] {
        [
            FormField(name: "schoolYear", label: "Năm học", value: input.schoolYear, error: errors["schoolYear"], hint: "Ví dụ 2026-2027", required: true, maxlength: 9),
            FormField(name: "kind", label: "Kỳ báo cáo", value: input.kind, error: errors["kind"], type: "select", required: true,
                      options: YearbookPeriod.Kind.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: input.kind == $0.rawValue) }),
            FormField(name: "referenceDate", label: "Ngày chốt số liệu", value: input.referenceDate, error: errors["referenceDate"], hint: "dd/mm/yyyy hh:mm", required: true, maxlength: 25),
            FormField(name: "dueAt", label: "Hạn nộp", value: input.dueAt, error: errors["dueAt"], hint: "dd/mm/yyyy hh:mm", required: true, maxlength: 25),
        ]
    }

    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, input: YearbookService.PeriodInput = .init(), errors: FormErrors = [:],
                      importErrors: FormErrors = [:], importPeriod: String = "") async throws -> YearbookAdminPage {
        let isSchool = !YearbookLevel.levels(of: unit.type).isEmpty
        let now = Date()
        var rows: [PeriodRow] = []
        for period in try await YearbookService.periods(on: req.db) {
            let periodID = try period.requireID()
            var status = ""
            var missing: [String] = []
            if isSchool {
                let report = try await YearbookReport.query(in: unit, on: req.db).filter(\.$periodID == periodID).first()
                status = report.map { "Đã nộp \(VietnameseDate.dateTime($0.submittedAt))" + ($0.submittedAt > period.dueAt ? " (muộn)" : "") }
                    ?? (now > period.dueAt ? "Quá hạn, chưa nộp" : "Chưa nộp")
            } else {
                missing = try await YearbookService.missing(under: unit, period: period, on: req.db).map(\.name)
                status = missing.isEmpty ? "Các trường đã nộp đủ" : "\(missing.count) trường chưa nộp" + (now > period.dueAt ? " (quá hạn)" : "")
            }
            rows.append(PeriodRow(label: period.label, due: VietnameseDate.dateTime(period.dueAt), status: status,
                                  url: isSchool ? SiteURL.adminYearbookPeriod(code: .value(unit.code), period: .value(periodID.uuidString.lowercased())).path : "",
                                  templateURL: SiteURL.adminYearbookTemplate(code: .value(unit.code), period: .value(periodID.uuidString.lowercased())).path,
                                  missing: Array(missing.prefix(50))))
        }
        let base = SiteURL.adminYearbook(code: .value(unit.code)).path
        let periodsForImport: [FormField.Option] = try await YearbookService.periods(on: req.db).map {
            let id = try $0.requireID().uuidString.lowercased()
            return .init(value: id, label: $0.label, selected: id == importPeriod.lowercased())
        }
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Niên giám thống kê", url: base)])
        let layout = LayoutVM.make(req, title: "Niên giám thống kê – \(unit.name)", admin: true, breadcrumbs: crumbs)
        return YearbookAdminPage(
            layout: layout, unitName: unit.name, isSchool: isSchool, rows: rows,
            periodForm: unit.parentID == nil
                ? FormPage(layout: layout, heading: "Kỳ báo cáo mới", intro: errors.form, action: base, submitLabel: "Tạo kỳ báo cáo",
                           fields: periodFields(input, errors: errors), cancelURL: base)
                : nil,
            publicURL: SiteURL.yearbook.path,
            importForm: rows.isEmpty || !admin.may(.editUnit, on: unit) ? nil : FormPage(layout: layout, heading: "Nhập từ tệp", intro: importErrors.form,
                                    // An upload carries its token in the URL: it is checked before the file is read.
                                    action: SiteURL.adminYearbookImport(code: .value(unit.code)).path + "?_csrf="
                                        + (req.csrfToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                                    submitLabel: "Nhập số liệu",
                                    fields: [
                                        FormField(name: "period", label: "Kỳ báo cáo", error: importErrors["period"], type: "select", required: true,
                                                  options: periodsForImport),
                                        FormField(name: "file", label: "Tệp số liệu (XLSX hoặc CSV theo mẫu)", error: importErrors["file"],
                                                  hint: "Tải mẫu của kỳ ở bảng trên; mỗi trường một dòng. Tệp còn lỗi thì không số nào được lưu.",
                                                  type: "file", required: true, accept: ".xlsx,.csv"),
                                    ],
                                    cancelURL: base))
    }
}

extension YearbookPage {
    /// A school's entry form for one period: every indicator, kept as typed on errors.
    static func entryForm(_ req: Request, admin: AdminContext, unit: ResolvedUnit, period: YearbookPeriod, typed: [String: String]? = nil,
                          errors: FormErrors = [:]) async throws -> FormPage {
        let existing = try await YearbookReport.query(in: unit, on: req.db).filter(\.$periodID == period.requireID()).first()
        let values = existing?.values ?? [:]
        var fields = [FormField(name: "ownership", label: "Loại hình", value: typed?["ownership"] ?? existing?.ownership ?? "cong-lap", error: errors["ownership"],
                                type: "select", required: true,
                                options: YearbookOwnership.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: (typed?["ownership"] ?? existing?.ownership ?? "cong-lap") == $0.rawValue) })]
        for key in YearbookCatalogue.keys(for: unit.type) {
            let name = YearbookService.fieldName(key)
            fields.append(FormField(name: name, label: YearbookCatalogue.label(forKey: key), value: typed?[name] ?? values[key].map(String.init) ?? "",
                                    error: errors[name], required: true, inputmode: "numeric", maxlength: 10))
        }
        let action = SiteURL.adminYearbookPeriod(code: .value(unit.code), period: .value(try period.requireID().uuidString.lowercased())).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Niên giám thống kê", url: SiteURL.adminYearbook(code: .value(unit.code)).path), .init(label: period.label, url: action),
        ])
        return FormPage(layout: LayoutVM.make(req, title: "\(period.label) – \(unit.name)", admin: true, breadcrumbs: crumbs),
                        heading: "Số liệu \(period.label.lowercased()) (chốt \(VietnameseDate.day(period.referenceDate)), hạn nộp \(VietnameseDate.dateTime(period.dueAt)))",
                        intro: errors.form ?? (errors.isEmpty ? nil : "Chưa lưu: sửa các ô được chỉ ra; không số nào được lưu khi còn lỗi."),
                        action: action, submitLabel: "Lưu số liệu", fields: fields, cancelURL: SiteURL.adminYearbook(code: .value(unit.code)).path)
    }
}
