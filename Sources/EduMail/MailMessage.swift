import EduCore
import Foundation

/// A received Internet message (RFC 5322 with MIME, RFC 2045–2047 and 2231) read for what a
/// person wrote: who sent it, the subject, the text (plain text preferred, else the HTML's text)
/// and the attached files. Written here because no MIME reader is among the mirrored packages
/// (multipart-kit reads form uploads only: no transfer encodings, charsets or encoded words).
public struct MailMessage: Sendable {
    public struct Attachment: Sendable {
        public var filename: String
        /// As the sender labelled it; callers judge a file by its content, not by this.
        public var contentType: String
        public var bytes: [UInt8]
    }

    public var subject = ""
    public var fromName = ""
    public var fromAddress = ""
    public var messageID = ""
    /// Auto-Submitted other than `no`, or a bounce or list robot's Precedence: not a person writing.
    public var isAutomatic = false
    public var text = ""
    public var attachments: [Attachment] = []

    public init() {}

    /// Never fails: what cannot be read is left out (a part with an undecodable body gives no text).
    public static func parse(_ bytes: [UInt8]) -> MailMessage {
        var message = MailMessage()
        let root = MIMEPart(bytes)
        message.subject = MIMEHeader.decodeWords(root.header("subject") ?? "")
        (message.fromName, message.fromAddress) = MIMEHeader.address(root.header("from") ?? "")
        message.messageID = (root.header("message-id") ?? "").trimmingCharacters(in: .whitespaces)
        let auto = (root.header("auto-submitted") ?? "no").lowercased().trimmingCharacters(in: .whitespaces)
        let precedence = (root.header("precedence") ?? "").lowercased().trimmingCharacters(in: .whitespaces)
        message.isAutomatic = !auto.hasPrefix("no") || ["bulk", "junk", "list", "auto_reply"].contains(precedence)
        var texts: [String] = []
        var html: [String] = []
        collect(root, depth: 0, inRelated: false, texts: &texts, html: &html, attachments: &message.attachments)
        if texts.isEmpty {
            texts = html.map(HTMLSanitizer.plainTextLines)
        }
        message.text = texts.joined(separator: "\n\n")
        return message
    }

    static func collect(_ part: MIMEPart, depth: Int, inRelated: Bool, texts: inout [String], html: inout [String], attachments: inout [Attachment]) {
        guard depth < 20 else { return }
        let (type, _) = part.contentType
        let disposition = part.disposition.value
        let filename = part.filename
        if type.hasPrefix("multipart/") {
            let children = part.children
            if type == "multipart/alternative" {
                // One body in several forms: the plain text if there is one, else the richest.
                let plain = children.first { $0.contentType.type == "text/plain" && $0.disposition.value != "attachment" }
                let chosen = plain ?? children.last { !$0.contentType.type.hasPrefix("text/plain") } ?? children.last
                if let chosen { collect(chosen, depth: depth + 1, inRelated: inRelated, texts: &texts, html: &html, attachments: &attachments) }
                // Files hung on an alternative branch (rare) are still files.
                for child in children where child.disposition.value == "attachment" {
                    collect(child, depth: depth + 1, inRelated: inRelated, texts: &texts, html: &html, attachments: &attachments)
                }
                return
            }
            for child in children {
                collect(child, depth: depth + 1, inRelated: inRelated || type == "multipart/related", texts: &texts, html: &html, attachments: &attachments)
            }
            return
        }
        let isBodyText = (type == "text/plain" || type == "text/html") && disposition != "attachment" && filename == nil
        if isBodyText {
            let text = part.decodedText
            if type == "text/plain" { texts.append(text) } else { html.append(text) }
            return
        }
        // Pictures an HTML body shows inline (a signature's logo) are part of the body, not files sent.
        if inRelated && disposition != "attachment" { return }
        let name = filename ?? "tep-dinh-kem"
        attachments.append(Attachment(filename: name, contentType: type, bytes: part.decodedBody))
    }
}

/// One MIME entity: its headers and its (still encoded) body.
struct MIMEPart {
    var headers: [(name: String, value: String)] = []
    var rawBody: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        // Headers end at the first empty line (CRLF CRLF, or bare LF LF from a local program).
        var index = bytes.startIndex
        var lines: [String] = []
        var bodyStart = bytes.endIndex
        while index < bytes.endIndex {
            var end = index
            while end < bytes.endIndex && bytes[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > index && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let next = end < bytes.endIndex ? end + 1 : end
            if lineEnd == index {
                bodyStart = next
                break
            }
            let line = MIMEHeader.string(bytes[index..<lineEnd])
            if let first = line.unicodeScalars.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += line
            } else {
                lines.append(line)
            }
            index = next
            if index == bytes.endIndex { bodyStart = index }
        }
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((line[..<colon].trimmingCharacters(in: .whitespaces).lowercased(),
                            line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        rawBody = bytes[bodyStart...]
    }

    init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    var contentType: (type: String, parameters: [String: String]) {
        guard let value = header("content-type") else { return ("text/plain", [:]) }
        let (type, parameters) = MIMEHeader.parameters(value)
        return (type.isEmpty || !type.contains("/") ? "text/plain" : type, parameters)
    }

    var disposition: (value: String, parameters: [String: String]) {
        guard let value = header("content-disposition") else { return ("", [:]) }
        return MIMEHeader.parameters(value)
    }

    var filename: String? {
        let name = disposition.parameters["filename"] ?? contentType.parameters["name"]
        guard let name else { return nil }
        let decoded = MIMEHeader.decodeWords(name)
        // Only the last path component: a name is never a place to write.
        let last = decoded.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        return last.isEmpty ? nil : last
    }

    var decodedBody: [UInt8] {
        switch (header("content-transfer-encoding") ?? "").lowercased().trimmingCharacters(in: .whitespaces) {
        case "base64": MIMEHeader.base64(rawBody)
        case "quoted-printable": MIMEHeader.quotedPrintable(rawBody)
        default: Array(rawBody)
        }
    }

    var decodedText: String {
        MIMEHeader.decode(decodedBody, charset: contentType.parameters["charset"])
    }

    /// The parts of a multipart body, split at its boundary lines.
    var children: [MIMEPart] {
        guard let boundary = contentType.parameters["boundary"], !boundary.isEmpty else { return [] }
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [MIMEPart] = []
        var partStart: Int?
        var index = rawBody.startIndex
        while index < rawBody.endIndex {
            var end = index
            while end < rawBody.endIndex && rawBody[end] != 0x0A { end += 1 }
            let next = end < rawBody.endIndex ? end + 1 : end
            if rawBody[index...].starts(with: delimiter) {
                var rest = rawBody[(index + delimiter.count)..<end]
                while let last = rest.last, last == 0x0D || last == 0x20 || last == 0x09 { rest = rest.dropLast() }
                let closing = rest.elementsEqual([0x2D, 0x2D])
                if rest.isEmpty || closing {
                    if let start = partStart {
                        // The line break before a boundary belongs to the boundary.
                        var stop = index
                        if stop > start && rawBody[stop - 1] == 0x0A { stop -= 1 }
                        if stop > start && rawBody[stop - 1] == 0x0D { stop -= 1 }
                        parts.append(MIMEPart(rawBody[start..<max(start, stop)]))
                    }
                    if closing { return parts }
                    partStart = next
                }
            }
            index = next
        }
        // No closing boundary (a truncated message): keep what was read.
        if let start = partStart, start < rawBody.endIndex { parts.append(MIMEPart(rawBody[start...])) }
        return parts
    }
}

/// Header syntax: parameters, encoded words, addresses, transfer encodings and charsets.
enum MIMEHeader {
    /// Header bytes: UTF-8 (RFC 6532), else Windows-1258 when that reads as Vietnamese, else Latin-1.
    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        decode(Array(bytes), charset: nil)
    }

    static func decode(_ bytes: [UInt8], charset rawCharset: String?) -> String {
        let charset = (rawCharset ?? "").lowercased().trimmingCharacters(in: .whitespaces)
        let text: String
        switch charset {
        case "windows-1258", "cp1258", "x-cp1258":
            text = LegacyVietnamese.decodeWindows1258(bytes)
        case "iso-8859-1", "latin1", "iso_8859-1", "windows-1252", "cp1252":
            text = LegacyVietnamese.decodeWindows1252(bytes)
        case "utf-16", "utf-16be", "utf-16le":
            text = String(data: Data(bytes), encoding: charset == "utf-16le" ? .utf16LittleEndian : charset == "utf-16be" ? .utf16BigEndian : .utf16)
                ?? String(decoding: bytes, as: UTF8.self)
        default:
            // utf-8, us-ascii, none or unknown: UTF-8 when it is valid, else the likeliest single-byte reading.
            if let utf8 = String(validating: bytes, as: UTF8.self) {
                text = utf8
            } else if LegacyVietnamese.looksLikeWindows1258(bytes) {
                text = LegacyVietnamese.decodeWindows1258(bytes)
            } else {
                text = LegacyVietnamese.decodeWindows1252(bytes)
            }
        }
        return text.precomposedStringWithCanonicalMapping
    }

    /// `type/subtype; a=1; b="x; y"` → ("type/subtype", ["a": "1", "b": "x; y"]); RFC 2231
    /// continuations (`name*0*=`, `name*1*=`) and charsets (`utf-8''%E1%BA%A1`) are joined and decoded.
    static func parameters(_ value: String) -> (String, [String: String]) {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for ch in value {
            if escaped { current.append(ch); escaped = false; continue }
            if quoted && ch == "\\" { escaped = true; continue }
            if ch == "\"" { quoted.toggle(); continue }
            if ch == ";" && !quoted { pieces.append(current); current = ""; continue }
            current.append(ch)
        }
        pieces.append(current)
        let head = pieces.removeFirst().trimmingCharacters(in: .whitespaces).lowercased()
        var plain: [String: String] = [:]
        var sections: [String: [(Int, String, Bool)]] = [:]
        for piece in pieces {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            var name = piece[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let raw = piece[piece.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard name.contains("*") else { plain[name] = raw; continue }
            let extended = name.hasSuffix("*")
            if extended { name.removeLast() }
            var number = 0
            if let star = name.firstIndex(of: "*") {
                number = Int(name[name.index(after: star)...]) ?? 0
                name = String(name[..<star])
            }
            sections[name, default: []].append((number, raw, extended))
        }
        for (name, parts) in sections {
            var charset: String?
            var bytes: [UInt8] = []
            for (index, part) in parts.sorted(by: { $0.0 < $1.0 }).enumerated() {
                var text = Substring(part.1)
                if part.2 && index == 0 {
                    // charset'language'value
                    let fields = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if fields.count == 3 { charset = String(fields[0]); text = fields[2] }
                }
                bytes += part.2 ? percentDecoded(text) : Array(text.utf8)
            }
            plain[name] = decode(bytes, charset: charset)
        }
        return (head, plain)
    }

    static func percentDecoded(_ text: Substring) -> [UInt8] {
        var out: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == 0x25, i + 2 < utf8.count, let value = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(value)
                i += 3
            } else {
                out.append(utf8[i])
                i += 1
            }
        }
        return out
    }

    /// RFC 2047: `=?utf-8?B?…?=` and `=?utf-8?Q?…?=` words; the space between two such words goes.
    static func decodeWords(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        var out = ""
        var pendingSpace = ""
        var rest = Substring(value)
        var lastWasEncoded = false
        while !rest.isEmpty {
            if rest.hasPrefix("=?"), let decoded = encodedWord(&rest) {
                if !lastWasEncoded { out += pendingSpace }
                pendingSpace = ""
                out += decoded
                lastWasEncoded = true
                continue
            }
            let ch = rest.removeFirst()
            if ch == " " || ch == "\t" {
                pendingSpace.append(ch)
                continue
            }
            out += pendingSpace
            pendingSpace = ""
            out.append(ch)
            lastWasEncoded = false
        }
        return (out + pendingSpace).precomposedStringWithCanonicalMapping
    }

    /// One encoded word at the start of `text`, consumed; nil (and nothing consumed) if it is not one.
    static func encodedWord(_ text: inout Substring) -> String? {
        let body = text.dropFirst(2)
        let fields = body.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count == 4, fields[3].hasPrefix("="), !fields[0].isEmpty, fields[2].count < 1000 else { return nil }
        let charset = fields[0].split(separator: "*").first.map(String.init) ?? ""  // RFC 2231 adds *language
        let encoding = fields[1].lowercased()
        let payload = fields[2]
        let bytes: [UInt8]
        switch encoding {
        case "b": bytes = base64(ArraySlice(payload.utf8))
        case "q": bytes = quotedPrintable(ArraySlice(payload.replacingOccurrences(of: "_", with: " ").utf8))
        default: return nil
        }
        text = fields[3].dropFirst()
        return decode(bytes, charset: charset)
    }

    /// `"Nguyễn Văn A" <a@b.vn>`, `Nguyễn Văn A <a@b.vn>`, `a@b.vn (Nguyễn Văn A)`, `a@b.vn` → (name, address).
    static func address(_ decoded: String) -> (String, String) {
        if let open = decoded.lastIndex(of: "<"), let close = decoded[open...].firstIndex(of: ">") {
            let address = decoded[decoded.index(after: open)..<close].trimmingCharacters(in: .whitespaces).lowercased()
            var name = decodeWords(String(decoded[..<open])).trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            return (name.replacingOccurrences(of: "\\\"", with: "\""), address)
        }
        var address = decoded
        var name = ""
        if let open = decoded.firstIndex(of: "("), let close = decoded.lastIndex(of: ")"), open < close {
            name = decodeWords(String(decoded[decoded.index(after: open)..<close]))
            address = String(decoded[..<open])
        }
        return (name.trimmingCharacters(in: .whitespaces), address.trimmingCharacters(in: .whitespaces).lowercased())
    }

    static func base64(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        // Ignore line breaks and anything outside the alphabet; a missing pad is tolerated.
        var clean = bytes.filter { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2F }
        while clean.count % 4 != 0 { clean.append(0x3D) }
        if clean.count % 4 == 0, let data = Data(base64Encoded: Data(clean)) { return [UInt8](data) }
        return []
    }

    static func quotedPrintable(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x41...0x46: byte - 0x41 + 10
            case 0x61...0x66: byte - 0x61 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            if byte == 0x3D {
                // A soft line break (`=` at the end of a line, maybe after spaces) joins two lines.
                var j = i + 1
                while j < bytes.endIndex && (bytes[j] == 0x20 || bytes[j] == 0x09) { j += 1 }
                if j < bytes.endIndex && bytes[j] == 0x0D && j + 1 < bytes.endIndex && bytes[j + 1] == 0x0A { i = j + 2; continue }
                if j < bytes.endIndex && bytes[j] == 0x0A { i = j + 1; continue }
                if j == bytes.endIndex { break }
                if i + 2 < bytes.endIndex, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) {
                    out.append(high << 4 | low)
                    i += 3
                    continue
                }
            }
            out.append(byte)
            i += 1
        }
        return out
    }
}
