import EduCore
import EduImport
import Foundation

/// Reads a catalogue spreadsheet (procedures, centres): the header found by its columns' names
/// or their aliases within the first 20 rows (title rows above it read past), each row handed to
/// `check` as `key → text`, every fault at its row and column as Excel shows them; nothing is
/// returned while any fault remains (the caller stores all or nothing).
struct CatalogueSheet {
    struct Column {
        let key: String
        let header: String
        let aliases: [String]
    }

    let columns: [Column]
    /// The column a header row must have («Tên thủ tục»).
    let requiredKey: String
    /// What the rows are, for messages: «thủ tục», «trung tâm».
    let noun: String

    /// A template: a note merged over the table, then the header.
    func template(sheetName: String, note: String) throws -> Data {
        try XLSXWriter.workbook(sheetName: sheetName, rows: [[.text(note)], columns.map { .text($0.header) }],
                                merges: ["A1:\(Spreadsheet.columnName(columns.count - 1))1"])
    }

    /// Each clean row, by line. `check` returns the row's value or its faults by column key.
    func read<Row>(_ bytes: [UInt8], check: (_ line: Int, _ form: [String: String]) -> Result<Row, FormErrors>) throws -> [(line: Int, row: Row)] {
        guard !bytes.isEmpty else { throw FormErrors.field("file", "Chọn tệp danh mục (XLSX hoặc CSV) theo mẫu.") }
        var lookup: [String: String] = [:]
        for column in columns {
            for name in [column.header] + column.aliases { lookup[SearchFolding.foldWords(name)] = column.key }
        }
        let required = columns.first { $0.key == requiredKey }?.header ?? requiredKey
        var header: [Int: String]?
        var headerless: HeaderlessColumns?
        var errors: [ImportRowError] = []
        var rows: [(line: Int, row: Row)] = []
        do {
            try Spreadsheet.forEachRow(in: bytes) { line, cells in
                guard let byIndex = header else {
                    let folded = cells.map { SearchFolding.foldWords(Spreadsheet.clean($0, maxLength: 120)) }
                    var found: [Int: String] = [:]
                    for (index, text) in folded.enumerated() { if let key = lookup[text], !found.values.contains(key) { found[index] = key } }
                    guard found.values.contains(requiredKey) else {
                        if line >= 20 { throw SheetError("Không tìm thấy dòng tiêu đề trong 20 dòng đầu: cần cột «\(required)» (tải mẫu để xem).") }
                        return
                    }
                    for (index, text) in folded.enumerated() where found[index] == nil && !text.isEmpty && text != "stt" {
                        errors.append(.init(line: line, column: index, message: "tiêu đề «\(Spreadsheet.clean(cells[index], maxLength: 60))» không phải cột của danh mục (dùng đúng dòng tiêu đề của mẫu)."))
                    }
                    header = found
                    headerless = HeaderlessColumns(header: cells)
                    return
                }
                headerless!.check(line: line, cells: cells)
                var form: [String: String] = [:]
                for (index, key) in byIndex where index < cells.count { form[key] = cells[index] }
                guard form.values.contains(where: { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) else { return }  // a blank row
                guard errors.count < 200 else { return }
                switch check(line, form) {
                case .success(let row): rows.append((line, row))
                case .failure(let faults):
                    let columnOf = Dictionary(byIndex.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
                    for (key, message) in faults.fields.sorted(by: { (columnOf[$0.key] ?? 999, $0.key) < (columnOf[$1.key] ?? 999, $1.key) }) {
                        let text = message.prefix(1).lowercased() + message.dropFirst()
                        errors.append(.init(line: line, column: columnOf[key], message: columnOf[key] == nil ? "thiếu cột cho: \(text)" : text))
                    }
                }
            }
        } catch let error as SheetError {
            throw FormErrors.field("file", error.message + Spreadsheet.encodingHint(bytes))
        }
        guard header != nil else {
            throw FormErrors.field("file", "Không tìm thấy dòng tiêu đề: cần cột «\(required)» (tải mẫu để xem)." + Spreadsheet.encodingHint(bytes))
        }
        let all = (headerless?.errors() ?? []) + errors
        guard all.isEmpty else {
            throw FormErrors.field("file", "Chưa lưu \(noun) nào; sửa tệp rồi tải lại. " + all.prefix(20).map(\.text).joined(separator: " ")
                + (all.count > 20 ? " … và \(all.count - 20) lỗi khác." : ""))
        }
        guard !rows.isEmpty else { throw FormErrors.field("file", "Tệp không có dòng \(noun) nào.") }
        return rows
    }
}
