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
        try withoutActuallyEscaping(body) { body in
            try SheetParser(shared: shared, body: body).run(sheet)
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
private final class SheetParser: NSObject, XMLParserDelegate {
    let shared: [String]
    let body: (_ line: Int, _ cells: [String]) throws -> Void
    var failure: (any Error)?
    var row: [String] = []
    var rowNumber = 0
    var cellColumn = 0
    var cellType = ""
    var value = ""
    var inValue = false

    init(shared: [String], body: @escaping (_ line: Int, _ cells: [String]) throws -> Void) {
        self.shared = shared
        self.body = body
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
