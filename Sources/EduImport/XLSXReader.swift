import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The first worksheet of an Office Open XML workbook, cell texts by column (shared strings,
/// inline strings, numbers as written, booleans). Formats are not applied: a date cell arrives
/// as Excel's serial day number, which the date parser understands.
enum XLSXReader {
    /// A workbook whose parts unpack to more than this is refused (a "zip bomb").
    static let maxUnpackedBytes: UInt64 = 1 << 30

    static func forEachRow(in bytes: [UInt8], _ body: (_ line: Int, _ cells: [String]) throws -> Void) throws {
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw SheetError("Không mở được tệp .xlsx (tệp nén bị hỏng). Hãy mở bằng Excel, lưu lại rồi tải lên.")
        }
        var unpacked: UInt64 = 0
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            unpacked += entry.uncompressedSize
            guard unpacked <= maxUnpackedBytes else {
                throw SheetError("Tệp .xlsx giải nén quá lớn (trên 1 GB); hãy chia nhỏ hoặc lưu dưới dạng CSV.")
            }
            var data = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    data.append(chunk)
                    if UInt64(data.count) > entry.uncompressedSize + 1024 {
                        throw SheetError("Tệp .xlsx có phần nén khai báo sai kích thước.")
                    }
                }
            } catch let error as SheetError {
                throw error
            } catch {
                throw SheetError("Không đọc được phần \(path) trong tệp .xlsx (tệp bị hỏng).")
            }
            // Excel never writes a document type declaration; one is how entity expansion
            // ("billion laughs") or external entities get in, so it is refused before parsing.
            if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
                throw SheetError("Phần \(path) của tệp .xlsx có khai báo DTD/ENTITY, điều tệp Excel thật không có; tệp bị từ chối vì lý do an toàn.")
            }
            return data
        }

        let sheetPath = try firstSheetPath(workbook: part("xl/workbook.xml"), rels: part("xl/_rels/workbook.xml.rels"))
        guard let sheet = try part(sheetPath) ?? part("xl/worksheets/sheet1.xml") else {
            throw SheetError("Tệp .xlsx không có trang tính nào.")
        }
        let shared = try part("xl/sharedStrings.xml").map(SharedStringsParser.parse) ?? []
        let merges = MergedRange.all(in: sheet)
        try withoutActuallyEscaping(body) { body in
            try SheetParser(shared: shared, merges: merges, body: body).run(sheet)
        }
    }

    static func firstSheetPath(workbook: Data?, rels: Data?) -> String {
        guard let workbook, let rels else { return "xl/worksheets/sheet1.xml" }
        let first = AttributeCollector(element: "sheet", attribute: "r:id").collect(workbook).first
        let targets = RelationshipCollector().collect(rels)
        guard let id = first, var target = targets[id] else { return "xl/worksheets/sheet1.xml" }
        if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
        return target
    }
}

/// The value of one attribute on every element of one name, in document order.
private final class AttributeCollector: NSObject, XMLParserDelegate {
    let element: String
    let attribute: String
    var values: [String] = []

    init(element: String, attribute: String) {
        self.element = element
        self.attribute = attribute
    }

    func collect(_ data: Data) -> [String] {
        let parser = XMLParser(data: data)
        parser.delegate = self
        _ = parser.parse()
        return values
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == element || name.hasSuffix(":" + element), let value = attributes[attribute] ?? attributes.first(where: { $0.key.hasSuffix(":id") })?.value {
            values.append(value)
        }
    }
}

private final class RelationshipCollector: NSObject, XMLParserDelegate {
    var targets: [String: String] = [:]

    func collect(_ data: Data) -> [String: String] {
        let parser = XMLParser(data: data)
        parser.delegate = self
        _ = parser.parse()
        return targets
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] { targets[id] = target }
    }
}

/// `<si>` items: the text of every `<t>` inside, phonetic runs (`<rPh>`) left out.
private final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current = ""
    var inText = false
    var inPhonetic = false

    static func parse(_ data: Data) throws -> [String] {
        let delegate = SharedStringsParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else { throw SheetError("Phần chuỗi dùng chung (sharedStrings.xml) của tệp .xlsx bị hỏng.") }
        return delegate.strings
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "si": current = ""
        case "t": inText = true
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText && !inPhonetic { current += string }
    }
}

/// Streams `<row>`s of a worksheet, placing each cell by its reference (`C7` → column 3).
/// A merged range (`<mergeCell ref="A1:F1"/>`, after the sheet's rows in the file). Excel keeps
/// the value in the top-left cell only; a clerk who merges «Tư thục» over three schools' rows, or
/// «Tiểu học» over five columns of a header, means it for each: every cell of the range reads it.
struct MergedRange: Sendable, Equatable {
    let firstRow: Int, lastRow: Int, firstColumn: Int, lastColumn: Int

    /// Ranges wider than this are left alone (no sheet spreads one value over more columns).
    static let maxColumns = 1_000
    static let maxRanges = 10_000

    static func all(in sheet: Data) -> [MergedRange] {
        guard let start = sheet.range(of: Data("<mergeCells".utf8), options: .backwards) else { return [] }
        let tail = sheet[start.lowerBound...]
        let text = String(decoding: tail.prefix(2_000_000), as: UTF8.self)
        var ranges: [MergedRange] = []
        var search = text.startIndex
        while ranges.count < maxRanges, let ref = text.range(of: "ref=\"", range: search..<text.endIndex) {
            guard let end = text[ref.upperBound...].firstIndex(of: "\"") else { break }
            search = end
            let parts = text[ref.upperBound..<end].split(separator: ":")
            guard parts.count == 2, let a = cell(String(parts[0])), let b = cell(String(parts[1])) else { continue }
            let range = MergedRange(firstRow: min(a.row, b.row), lastRow: max(a.row, b.row), firstColumn: min(a.column, b.column), lastColumn: max(a.column, b.column))
            if range.lastColumn - range.firstColumn < maxColumns { ranges.append(range) }
        }
        return ranges
    }

    /// `C12` → row 12, column 2.
    static func cell(_ reference: String) -> (row: Int, column: Int)? {
        guard let column = SheetParser.column(of: reference), let row = Int(reference.drop { $0.isLetter }), row > 0 else { return nil }
        return (row, column)
    }
}

private final class SheetParser: NSObject, XMLParserDelegate {
    let shared: [String]
    let merges: [MergedRange]
    /// Top-left values of merged ranges already read, by range index.
    var mergedValues: [Int: String] = [:]
    let body: (_ line: Int, _ cells: [String]) throws -> Void
    var failure: (any Error)?
    var row: [String] = []
    var rowNumber = 0
    var cellColumn = 0
    var cellType = ""
    var value = ""
    var inValue = false

    /// Ranges whose rows have begun and not ended (rows arrive in order), and the next to begin.
    var active: [Int] = []
    var nextMerge = 0

    init(shared: [String], merges: [MergedRange], body: @escaping (_ line: Int, _ cells: [String]) throws -> Void) {
        self.shared = shared
        self.merges = merges.sorted { $0.firstRow < $1.firstRow }
        self.body = body
    }

    /// Spreads each merged range's value over the range's cells in this row.
    func fillMerged() {
        while nextMerge < merges.count && merges[nextMerge].firstRow <= rowNumber {
            active.append(nextMerge)
            nextMerge += 1
        }
        active.removeAll { merges[$0].lastRow < rowNumber }
        for index in active {
            let range = merges[index]
            if rowNumber == range.firstRow {
                mergedValues[index] = range.firstColumn < row.count ? row[range.firstColumn] : ""
            }
            guard let value = mergedValues[index], !value.isEmpty else { continue }
            if range.lastColumn >= row.count { row.append(contentsOf: repeatElement("", count: range.lastColumn - row.count + 1)) }
            for column in range.firstColumn...range.lastColumn where row[column].isEmpty { row[column] = value }
        }
    }

    func run(_ data: Data) throws {
        let parser = XMLParser(data: data)
        parser.delegate = self
        let ok = parser.parse()
        if let failure { throw failure }
        if !ok { throw SheetError("Trang tính trong tệp .xlsx bị hỏng (XML không hợp lệ quanh dòng \(rowNumber)).") }
    }

    static func column(of reference: String) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference.utf8 {
            guard byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") else { break }
            column = column * 26 + Int(byte - UInt8(ascii: "A") + 1)
            letters += 1
        }
        return letters == 0 || column > 16_384 ? nil : column - 1
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "row":
            row.removeAll(keepingCapacity: true)
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
        case "c":
            cellColumn = attributes["r"].flatMap(Self.column(of:)) ?? row.count
            cellType = attributes["t"] ?? ""
            value = ""
        case "v", "t":
            inValue = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { value += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t":
            inValue = false
        case "c":
            var text = value
            switch cellType {
            case "s":
                guard let index = Int(value), shared.indices.contains(index) else {
                    failure = SheetError("Dòng \(rowNumber): ô tham chiếu chuỗi dùng chung không tồn tại (tệp .xlsx bị hỏng).")
                    parser.abortParsing()
                    return
                }
                text = shared[index]
            case "b": text = value == "1" ? "TRUE" : "FALSE"
            case "e": text = ""
            default: break
            }
            if cellColumn >= row.count { row.append(contentsOf: repeatElement("", count: cellColumn - row.count + 1)) }
            row[cellColumn] = text
        case "row":
            if !merges.isEmpty { fillMerged() }
            do {
                try body(rowNumber, row)
            } catch {
                failure = error
                parser.abortParsing()
            }
        default: break
        }
    }
}
