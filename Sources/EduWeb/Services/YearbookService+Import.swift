import EduCore
import EduData
import EduImport
import Fluent
import Vapor

/// The yearbook as a spreadsheet: a template per unit and period (a row per school of the unit,
/// a column per indicator, what is filed already filled in), and its import: every school's row
/// checked like the entry form, every fault at its row and column as Excel shows them, and
/// nothing stored until the whole file is clean. Title rows above the header and merged title
/// cells are read past (the header is the row that starts with «Mã trường»).
extension YearbookService {
    static let codeHeader = "Mã trường"
    static let nameHeader = "Tên trường"
    static let ownershipHeader = "Loại hình"

    /// The schools a unit files for: itself, or its active schools below.
    static func filingSchools(of unit: ResolvedUnit, on db: any Database) async throws -> [OrgUnit] {
        try await OrgUnit.subtree(ofPath: unit.path, on: db).filter { !YearbookLevel.levels(of: $0.type).isEmpty }
    }

    /// Every key any of these schools reports, in the catalogue's order (levels first, then the school's own).
    static func columns(for schools: [OrgUnit]) -> [String] {
        let wanted = Set(schools.flatMap { YearbookCatalogue.keys(for: $0.type) })
        let order = YearbookLevel.allCases.flatMap { level in YearbookCatalogue.indicators.filter { $0.scope == .level }.map { "\(level.rawValue).\($0.key)" } }
            + YearbookCatalogue.indicators.filter { $0.scope == .school }.map { "truong.\($0.key)" }
        return order.filter(wanted.contains)
    }

    static func template(for unit: ResolvedUnit, period: YearbookPeriod, on db: any Database) async throws -> Data {
        let schools = try await filingSchools(of: unit, on: db)
        let keys = columns(for: schools)
        let filed = Dictionary(uniqueKeysWithValues: try await YearbookReport.query(on: db).filter(\.$periodID == period.requireID())
            .filter(\.$unitID ~~ schools.compactMap(\.id)).all().map { ($0.unitID, $0) })
        var rows: [[XLSXWriter.Cell]] = [
            [.text("Niên giám thống kê – \(unit.name) – \(period.label) (số liệu đến \(VietnameseDate.day(period.referenceDate)))")],
            [.text("Mỗi trường một dòng; ghi số nguyên, 0 nếu không có; ô của cấp học trường không có để trống. Không đổi dòng tiêu đề.")],
            [.text(codeHeader), .text(nameHeader), .text(ownershipHeader)] + keys.map { .text(YearbookCatalogue.label(forKey: $0)) },
        ]
        for school in schools {
            let report = school.id.flatMap { filed[$0] }
            let values = report?.values ?? [:]
            let applicable = Set(YearbookCatalogue.keys(for: school.type))
            rows.append([.text(school.code), .text(school.name),
                         .text(YearbookOwnership(rawValue: report?.ownership ?? "")?.label ?? YearbookOwnership.congLap.label)]
                + keys.map { key in applicable.contains(key) ? (values[key].map { .number(Double($0)) } ?? .text("")) : .text("") })
        }
        return try XLSXWriter.workbook(sheetName: "Niên giám", rows: rows)
    }

    /// Imports a filled template (XLSX or CSV). Returns how many schools' figures were stored.
    @discardableResult
    static func importFile(_ bytes: [UInt8], unit: ResolvedUnit, period: YearbookPeriod, by actor: AuditActor, who: String,
                           now: Date = Date(), on db: any Database) async throws -> Int {
        guard !bytes.isEmpty else { throw FormErrors.field("file", "Chọn tệp số liệu (XLSX hoặc CSV) theo mẫu.") }
        let schools = try await filingSchools(of: unit, on: db)
        let byCode = Dictionary(uniqueKeysWithValues: schools.map { ($0.code, $0) })
        let allKeys = YearbookLevel.allCases.flatMap { level in YearbookCatalogue.indicators.filter { $0.scope == .level }.map { "\(level.rawValue).\($0.key)" } }
            + YearbookCatalogue.indicators.filter { $0.scope == .school }.map { "truong.\($0.key)" }
        // Each indicator by its template label, and as people shorten it: without the words in
        // brackets («Số học sinh» for «Số học sinh (trẻ)»), without «trong đó» («Tiểu học: Nữ»).
        var labels = Dictionary(allKeys.map { (SearchFolding.foldWords(YearbookCatalogue.label(forKey: $0)), $0) }, uniquingKeysWith: { a, _ in a })
        for key in allKeys {
            let label = YearbookCatalogue.label(forKey: key)
            let bare = label.replacingOccurrences(of: #"\s*\([^)]*\)"#, with: "", options: .regularExpression)
            for variant in [label, bare, label.replacingOccurrences(of: "trong đó: ", with: ""), bare.replacingOccurrences(of: "trong đó: ", with: "")] {
                let folded = SearchFolding.foldWords(variant)
                if labels[folded] == nil { labels[folded] = key }
            }
        }
        typealias Header = (code: Int, ownership: Int?, keys: [Int: String], unknown: [Int])
        /// A header row's columns: the code, the ownership, each indicator; `unknown` the labels that are none of these.
        func readHeader(_ cells: [String]) -> Header? {
            let folded = cells.map { SearchFolding.foldWords(Spreadsheet.clean($0, maxLength: 120)) }
            guard let code = folded.firstIndex(of: SearchFolding.foldWords(codeHeader)) else { return nil }
            var keys: [Int: String] = [:], unknown: [Int] = []
            for (index, text) in folded.enumerated() where index != code && !text.isEmpty {
                if text == SearchFolding.foldWords(nameHeader) || text == SearchFolding.foldWords(ownershipHeader) { continue }
                if let key = labels[text] { keys[index] = key } else { unknown.append(index) }
            }
            return (code, folded.firstIndex(of: SearchFolding.foldWords(ownershipHeader)), keys, unknown)
        }
        var header: Header?
        /// A header row with labels the catalogue does not know: perhaps the upper row of a two-row
        /// header («Tiểu học» merged over «Số lớp», «Số học sinh»…), decided with the next row.
        var upper: (line: Int, cells: [String], header: Header)?
        var headerless: HeaderlessColumns?
        var errors: [ImportRowError] = []
        var parsed: [(school: OrgUnit, ownership: String, values: [String: Int])] = []
        var seen: [String: Int] = [:]
        do {
            try Spreadsheet.forEachRow(in: bytes) { line, cells in
                if let pending = upper {
                    upper = nil
                    // The two rows read as one: «Tiểu học» + «Số lớp (nhóm lớp)»; a cell merged down both rows counts once.
                    let combined = (0..<max(pending.cells.count, cells.count)).map { index -> String in
                        let top = index < pending.cells.count ? pending.cells[index] : "", bottom = index < cells.count ? cells[index] : ""
                        let total = ["tong so", "tong", "cong"].contains(SearchFolding.foldWords(bottom))  // «Giáo viên» / «Tổng số»
                        return bottom.isEmpty || bottom == top || total ? top : top.isEmpty ? bottom : top + ": " + bottom
                    }
                    if let two = readHeader(combined), two.keys.count > pending.header.keys.count {
                        for index in two.unknown {
                            errors.append(.init(line: line, column: index, message: "tiêu đề «\(Spreadsheet.clean(combined[index], maxLength: 80))» không phải chỉ tiêu của niên giám (dùng đúng tiêu đề của mẫu)."))
                        }
                        header = two
                        headerless = HeaderlessColumns(header: combined)
                        return
                    }
                    for index in pending.header.unknown {
                        errors.append(.init(line: pending.line, column: index, message: "tiêu đề «\(Spreadsheet.clean(pending.cells[index], maxLength: 60))» không phải chỉ tiêu của niên giám (dùng đúng dòng tiêu đề của mẫu)."))
                    }
                    header = pending.header
                    headerless = HeaderlessColumns(header: pending.cells)
                }
                guard let columns = header else {
                    guard let found = readHeader(cells) else {
                        if line >= 20 { throw SheetError("Không tìm thấy dòng tiêu đề trong 20 dòng đầu: cần cột «\(codeHeader)» (tải mẫu để xem).") }
                        return
                    }
                    if found.unknown.isEmpty {
                        header = found
                        headerless = HeaderlessColumns(header: cells)
                    } else {
                        upper = (line, cells, found)
                    }
                    return
                }
                headerless!.check(line: line, cells: cells)
                func cell(_ index: Int) -> String { index < cells.count ? Spreadsheet.clean(cells[index], maxLength: 60) : "" }
                let code = cell(columns.code).lowercased()
                let filled = columns.keys.keys.contains { !cell($0).isEmpty }
                if code.isEmpty && !filled { return }  // a blank row
                guard errors.count < 200 else { return }
                guard !code.isEmpty else { errors.append(.init(line: line, column: columns.code, message: "thiếu mã trường.")); return }
                guard let school = byCode[code] else {
                    errors.append(.init(line: line, column: columns.code, message: "mã trường «\(code)» không phải trường thuộc \(unit.name)."))
                    return
                }
                if let earlier = seen[code] {
                    errors.append(.init(line: line, column: columns.code, message: "\(school.name) đã có ở dòng \(earlier)."))
                    return
                }
                seen[code] = line
                var ownership = YearbookOwnership.congLap.rawValue
                if let column = columns.ownership, !cell(column).isEmpty {
                    let text = SearchFolding.foldWords(cell(column))
                    guard let match = YearbookOwnership.allCases.first(where: { SearchFolding.foldWords($0.label) == text }) else {
                        errors.append(.init(line: line, column: column, message: "loại hình «\(cell(column))» không có (Công lập, Tư thục, Dân lập)."))
                        return
                    }
                    ownership = match.rawValue
                }
                let applicable = Set(YearbookCatalogue.keys(for: school.type))
                let columnOf = Dictionary(columns.keys.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
                var values: [String: Int] = [:]
                var rowFaults = 0
                for key in applicable.sorted() {
                    guard let column = columnOf[key] else {
                        errors.append(.init(line: line, message: "thiếu cột «\(YearbookCatalogue.label(forKey: key))» mà \(school.type.label.lowercased()) phải báo cáo."))
                        rowFaults += 1
                        continue
                    }
                    let text = cell(column)
                    if let number = wholeNumber(text), let day = dateSerial(number) {
                        // A cell formatted as a date arrives as Excel's day number: no school counts that many.
                        errors.append(.init(line: line, column: column, message: "ô là ngày \(day) (định dạng ngày), không phải số «\(YearbookCatalogue.label(forKey: key))»; định dạng lại ô là số."))
                        rowFaults += 1
                    } else if let number = wholeNumber(text) { values[key] = number } else {
                        errors.append(.init(line: line, column: column, message: text.isEmpty
                                            ? "thiếu số liệu «\(YearbookCatalogue.label(forKey: key))» (ghi 0 nếu không có)."
                                            : "«\(text)» không phải số nguyên không âm."))
                        rowFaults += 1
                    }
                }
                for (column, key) in columns.keys where !applicable.contains(key) {
                    // Anything but blank or 0 where the school has no such level is a figure put in the wrong row or column.
                    if !cell(column).isEmpty && wholeNumber(cell(column)) != 0 {
                        errors.append(.init(line: line, column: column, message: "\(school.name) không có số liệu «\(YearbookCatalogue.label(forKey: key))» (để trống ô này)."))
                        rowFaults += 1
                    }
                }
                guard rowFaults == 0 else { return }
                for fault in YearbookCatalogue.faults(values, type: school.type) {
                    errors.append(.init(line: line, column: columnOf[fault.key], message: fault.message))
                    rowFaults += 1
                }
                if rowFaults == 0 { parsed.append((school, ownership, values)) }
            }
        } catch let error as SheetError {
            throw FormErrors.field("file", error.message + Spreadsheet.encodingHint(bytes))
        }
        if let pending = upper {  // a header row with unknown labels and nothing after it
            for index in pending.header.unknown {
                errors.append(.init(line: pending.line, column: index, message: "tiêu đề «\(Spreadsheet.clean(pending.cells[index], maxLength: 60))» không phải chỉ tiêu của niên giám (dùng đúng dòng tiêu đề của mẫu)."))
            }
            header = pending.header
        }
        guard header != nil else {
            throw FormErrors.field("file", "Không tìm thấy dòng tiêu đề: cần cột «\(codeHeader)» (tải mẫu để xem)." + Spreadsheet.encodingHint(bytes))
        }
        let faults = (headerless?.errors() ?? []) + errors
        guard faults.isEmpty else {
            throw FormErrors.field("file", "Chưa lưu số liệu nào; sửa tệp rồi tải lại. " + faults.prefix(20).map(\.text).joined(separator: " ")
                + (faults.count > 20 ? " … và \(faults.count - 20) lỗi khác." : ""))
        }
        guard !parsed.isEmpty else { throw FormErrors.field("file", "Tệp không có dòng số liệu nào.") }
        let periodID = try period.requireID()
        let rows = parsed
        try await db.transaction { tx in
            var touched = Set<UUID>()
            for row in rows {
                let schoolID = try row.school.requireID()
                let report = try await YearbookReport.query(on: tx).filter(\.$unitID == schoolID).filter(\.$periodID == periodID).first() ?? YearbookReport()
                report.unitID = schoolID
                report.periodID = periodID
                report.ownership = row.ownership
                report.unitType = row.school.typeCode
                report.values = row.values
                report.submittedBy = who
                report.submittedAt = now
                try await report.save(on: tx)
                touched.formUnion([schoolID] + row.school.ancestorIDs)
            }
            try await AuditEntry.record(actor, unitID: unit.id, action: "yearbook.import", target: period.label, detail: "\(rows.count) trường", on: tx)
            for id in touched { try await OrgUnit.touch(id, on: tx) }
        }
        return rows.count
    }

    /// `12`, `1.234`, `1,234`, `12.0` (a number cell as some programs write it) → whole numbers from 0.
    static func wholeNumber(_ text: String) -> Int? {
        var cleaned = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
        if cleaned.hasSuffix(".0") { cleaned.removeLast(2) }
        if cleaned.range(of: #"^\d{1,3}([.,]\d{3})+$"#, options: .regularExpression) != nil {
            cleaned = cleaned.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: "")
        }
        guard let number = Int(cleaned), number >= 0, number <= 10_000_000 else { return nil }
        return number
    }

    /// Excel's day numbers for 2000–2099 (`36526`–`73050`) read as dd/mm/yyyy; nil for anything else.
    static func dateSerial(_ number: Int) -> String? {
        guard (36_526...73_050).contains(number) else { return nil }
        var components = DateComponents()
        components.year = 1899
        components.month = 12
        components.day = 30
        guard let epoch = VietnameseDate.calendar.date(from: components),
              let date = VietnameseDate.calendar.date(byAdding: .day, value: number, to: epoch) else { return nil }
        return VietnameseDate.day(date)
    }
}
