import EduCore
import Foundation

/// A file that cannot be read as a table at all (as opposed to a bad row in it).
public struct SheetError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads the tables school clerks send: CSV or TSV in whatever encoding and separator Excel
/// wrote (UTF-8 with or without BOM, UTF-16 "Unicode text", Windows-1252 carrying TCVN3/VNI;
/// comma, semicolon or tab), and XLSX workbooks (the first sheet). Rows are streamed to a
/// closure with the line (CSV) or row number (XLSX) a clerk sees in the file.
public enum Spreadsheet {
    public enum Format: String, Sendable { case csv, xlsx }

    public static func format(of bytes: [UInt8]) -> Format {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) ? .xlsx : .csv
    }

    /// Calls `body` with every row (blank rows included; a row is an array of raw cell texts).
    public static func forEachRow(in bytes: [UInt8], _ body: (_ line: Int, _ cells: [String]) throws -> Void) throws {
        switch format(of: bytes) {
        case .xlsx:
            try XLSXReader.forEachRow(in: bytes, body)
        case .csv:
            if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
                throw SheetError("Tệp là bảng tính Excel 97–2003 (.xls): hãy lưu lại dưới dạng .xlsx hoặc .csv rồi tải lên.")
            }
            let text = utf8Text(bytes)
            try CSVReader.forEachRow(in: text, body)
        }
    }

    /// The file's bytes as UTF-8: BOMs removed, UTF-16 converted, invalid UTF-8 read as
    /// Windows-1258 when that gives Vietnamese words (NFC), otherwise as Windows-1252 (which is
    /// how TCVN3 and VNI text arrives; cells are converted later).
    static func utf8Text(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return Array(bytes.dropFirst(3)) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return Array(TextNormalizer.decodeRaw(bytes).utf8)
        }
        if String(validating: bytes, as: UTF8.self) != nil { return bytes }
        if LegacyVietnamese.looksLikeWindows1258(bytes) { return Array(LegacyVietnamese.decodeWindows1258(bytes).utf8) }
        return Array(LegacyVietnamese.decodeWindows1252(bytes).utf8)
    }

    /// Said after "header row not found" when a CSV is not UTF-8: the encoding may be the fault.
    public static func encodingHint(_ bytes: [UInt8]) -> String {
        guard format(of: bytes) == .csv, !bytes.starts(with: [0xEF, 0xBB, 0xBF]), !bytes.starts(with: [0xFF, 0xFE]), !bytes.starts(with: [0xFE, 0xFF]),
              String(validating: bytes, as: UTF8.self) == nil else { return "" }
        return " Tệp CSV này không ở bảng mã UTF-8 và không đọc được như bảng mã tiếng Việt Windows-1258: trong Excel, chọn Lưu thành (Save As) → «CSV UTF-8 (Comma delimited)» rồi tải lại; hoặc tải lên tệp .xlsx."
    }

    /// A column's letters as Excel shows them: 0 → A, 25 → Z, 26 → AA.
    public static func columnName(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// A cell's text made fit to store: legacy encodings converted, NFC, controls removed,
    /// whitespace collapsed and trimmed. Plain ASCII (most cells) takes a short path.
    public static func clean(_ cell: String, maxLength: Int = 500) -> String {
        var plain = true
        var hasEdgeOrDoubleSpace = false
        var previousSpace = true
        for byte in cell.utf8 {
            if byte >= 0x80 || byte < 0x20 || byte == 0x7F { plain = false; break }
            let space = byte == 0x20
            if space && previousSpace { hasEdgeOrDoubleSpace = true }
            previousSpace = space
        }
        if plain {
            if previousSpace && !cell.isEmpty { hasEdgeOrDoubleSpace = true }
            if !hasEdgeOrDoubleSpace && cell.utf8.count <= maxLength { return cell }
        }
        return TextNormalizer.normalize(cell, maxLength: maxLength)
    }
}

/// RFC 4180 with Excel's habits: the separator is guessed from the first line; quoted fields
/// may hold separators, quotes (doubled) and line breaks; `\n`, `\r\n` and `\r` end a row.
enum CSVReader {
    static func separator(of text: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var quoted = false
        for byte in text {
            if byte == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if quoted { continue }
            if byte == 0x0A || byte == 0x0D { break }
            if counts[byte] != nil { counts[byte]! += 1 }
        }
        let best = counts.max { a, b in a.value == b.value ? a.key != UInt8(ascii: ",") && b.key == UInt8(ascii: ",") : a.value < b.value }
        return (best?.value ?? 0) > 0 ? best!.key : UInt8(ascii: ",")
    }

    static func forEachRow(in text: [UInt8], _ body: (_ line: Int, _ cells: [String]) throws -> Void) throws {
        let sep = separator(of: text)
        let quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        try text.withUnsafeBufferPointer { buffer in
            let n = buffer.count
            var i = 0
            var line = 1
            var cells: [String] = []
            cells.reserveCapacity(32)
            var scratch: [UInt8] = []
            while i < n {
                let rowLine = line
                cells.removeAll(keepingCapacity: true)
                var endOfRow = false
                while !endOfRow {
                    // One field.
                    if i < n && buffer[i] == quote {
                        let quotedLine = line
                        i += 1
                        scratch.removeAll(keepingCapacity: true)
                        var closed = false
                        while i < n {
                            let b = buffer[i]
                            if b == quote {
                                if i + 1 < n && buffer[i + 1] == quote {
                                    scratch.append(quote)
                                    i += 2
                                    continue
                                }
                                i += 1
                                closed = true
                                break
                            }
                            if b == lf || (b == cr && !(i + 1 < n && buffer[i + 1] == lf)) { line += 1 }
                            scratch.append(b)
                            i += 1
                        }
                        if !closed {
                            throw SheetError("Dòng \(quotedLine): dấu ngoặc kép (\") mở mà không đóng; tệp CSV bị hỏng hoặc bị cắt.")
                        }
                        // Text after the closing quote (lenient, as Excel reads it).
                        while i < n, buffer[i] != sep, buffer[i] != lf, buffer[i] != cr {
                            scratch.append(buffer[i])
                            i += 1
                        }
                        cells.append(String(decoding: scratch, as: UTF8.self))
                    } else {
                        let start = i
                        while i < n, buffer[i] != sep, buffer[i] != lf, buffer[i] != cr { i += 1 }
                        cells.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<i]), as: UTF8.self))
                    }
                    if i >= n {
                        endOfRow = true
                    } else if buffer[i] == sep {
                        i += 1
                        if i >= n { cells.append(""); endOfRow = true }
                    } else {
                        // End of line.
                        if buffer[i] == cr && i + 1 < n && buffer[i + 1] == lf { i += 2 } else { i += 1 }
                        line += 1
                        endOfRow = true
                    }
                }
                try body(rowLine, cells)
            }
        }
    }
}

/// Data under a blank header cell (a subject's name deleted by mistake, a pasted column, a stray
/// separator): importing the rest would silently drop that column, so each such column is one
/// fault of the whole file, naming its letter and where its data starts.
public struct HeaderlessColumns: Sendable {
    let width: Int
    /// Blank header cells inside the header's width, not yet seen with data.
    private var blank: [Int]
    private(set) var first: [Int: (line: Int, sample: String)] = [:]

    public init(header: [String]) {
        var width = header.count
        while width > 0 && Spreadsheet.clean(header[width - 1], maxLength: 60).isEmpty { width -= 1 }
        self.width = width
        blank = (0..<width).filter { Spreadsheet.clean(header[$0], maxLength: 60).isEmpty }
    }

    /// Notes the first data cell of every headerless column in this row. Runs on every row of a
    /// file of millions: it looks only at the blank-header columns and at cells past the header.
    public mutating func check(line: Int, cells: [String]) {
        var seen: [(Int, String)] = []
        for index in blank where index < cells.count {
            let text = Spreadsheet.clean(cells[index], maxLength: 40)
            if !text.isEmpty { seen.append((index, text)) }
        }
        if cells.count > width {
            for index in width..<cells.count where first[index] == nil {
                let text = Spreadsheet.clean(cells[index], maxLength: 40)
                if !text.isEmpty { seen.append((index, text)) }
            }
        }
        for (index, text) in seen {
            first[index] = (line, text)
            blank.removeAll { $0 == index }
        }
    }

    public var isEmpty: Bool { first.isEmpty }

    /// One fault per column, left to right. `noun(sample)` names what the column holds
    /// ("điểm" for a score, "dữ liệu" otherwise).
    public func errors(noun: (String) -> String = { _ in "dữ liệu" }) -> [ImportRowError] {
        first.keys.sorted().map { index in
            let (line, sample) = first[index]!
            let letter = Spreadsheet.columnName(index)
            return ImportRowError(line: 0, message:
                "Cột \(letter) có \(noun(sample)) nhưng không có tiêu đề (ô \(letter)\(line): «\(sample)»). Ghi tiêu đề cho cột ở dòng tiêu đề, hoặc xóa cột nếu không cần, rồi tải lại tệp; chưa có dữ liệu nào được lưu.")
        }
    }
}
