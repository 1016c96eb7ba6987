/// Recognises an uploaded file by its bytes, never by its name: the types a school's portal
/// needs (photos, PDF, Word/Excel/PowerPoint, OpenDocument, plain text and CSV). Anything else,
/// SVG and HTML included (they can carry script), is refused.
public enum FileSniffer {
    public struct Kind: Sendable, Equatable {
        public let mimeType: String
        public let fileExtension: String
        public let isImage: Bool
        public let label: String
    }

    public static let jpeg = Kind(mimeType: "image/jpeg", fileExtension: "jpg", isImage: true, label: "Ảnh JPEG")
    public static let png = Kind(mimeType: "image/png", fileExtension: "png", isImage: true, label: "Ảnh PNG")
    public static let gif = Kind(mimeType: "image/gif", fileExtension: "gif", isImage: true, label: "Ảnh GIF")
    public static let webp = Kind(mimeType: "image/webp", fileExtension: "webp", isImage: true, label: "Ảnh WebP")
    public static let pdf = Kind(mimeType: "application/pdf", fileExtension: "pdf", isImage: false, label: "PDF")
    public static let docx = Kind(
        mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", fileExtension: "docx",
        isImage: false, label: "Word")
    public static let xlsx = Kind(
        mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileExtension: "xlsx",
        isImage: false, label: "Excel")
    public static let pptx = Kind(
        mimeType: "application/vnd.openxmlformats-officedocument.presentationml.presentation", fileExtension: "pptx",
        isImage: false, label: "PowerPoint")
    public static let odt = Kind(mimeType: "application/vnd.oasis.opendocument.text", fileExtension: "odt", isImage: false, label: "OpenDocument")
    public static let ods = Kind(mimeType: "application/vnd.oasis.opendocument.spreadsheet", fileExtension: "ods", isImage: false, label: "OpenDocument bảng tính")
    public static let ole = Kind(mimeType: "application/msword", fileExtension: "doc", isImage: false, label: "Word/Excel 97–2003")
    public static let text = Kind(mimeType: "text/plain; charset=utf-8", fileExtension: "txt", isImage: false, label: "Văn bản thuần")

    /// The kind of `bytes`, or nil when it is not one EduPortal accepts.
    public static func sniff(_ bytes: [UInt8]) -> Kind? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts([0xFF, 0xD8, 0xFF]) { return jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return png }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return gif }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return webp }
        if starts(Array("%PDF-".utf8)) { return pdf }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return ole }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return zipKind(bytes) }
        if isPlainText(bytes) { return text }
        return nil
    }

    /// Office Open XML and OpenDocument are ZIP files; the entries say which.
    static func zipKind(_ bytes: [UInt8]) -> Kind? {
        var names: [String] = []
        var offset = 0
        // Walk local file headers (enough for the files Office and LibreOffice write).
        while offset + 30 <= bytes.count, bytes[offset..<offset + 4].elementsEqual([0x50, 0x4B, 0x03, 0x04]), names.count < 2000 {
            let method = Int(bytes[offset + 8]) | Int(bytes[offset + 9]) << 8
            let flags = Int(bytes[offset + 6]) | Int(bytes[offset + 7]) << 8
            var compressed = Int(bytes[offset + 18]) | Int(bytes[offset + 19]) << 8 | Int(bytes[offset + 20]) << 16 | Int(bytes[offset + 21]) << 24
            let nameLength = Int(bytes[offset + 26]) | Int(bytes[offset + 27]) << 8
            let extraLength = Int(bytes[offset + 28]) | Int(bytes[offset + 29]) << 8
            let nameStart = offset + 30
            guard nameStart + nameLength <= bytes.count else { break }
            let name = String(decoding: bytes[nameStart..<nameStart + nameLength], as: UTF8.self)
            names.append(name)
            let dataStart = nameStart + nameLength + extraLength
            if name == "mimetype", method == 0, dataStart + compressed <= bytes.count {
                let mime = String(decoding: bytes[dataStart..<dataStart + compressed], as: UTF8.self)
                if mime == odt.mimeType { return odt }
                if mime == ods.mimeType { return ods }
            }
            if flags & 0x08 != 0 && compressed == 0 {
                // Sizes follow the data (streamed ZIP): find the next header instead.
                var next = dataStart
                while next + 4 <= bytes.count, !bytes[next..<next + 4].elementsEqual([0x50, 0x4B, 0x03, 0x04]) { next += 1 }
                compressed = next - dataStart
            }
            offset = dataStart + compressed
        }
        if names.contains("[Content_Types].xml") || names.contains(where: { $0.hasPrefix("word/") || $0.hasPrefix("xl/") || $0.hasPrefix("ppt/") }) {
            if names.contains(where: { $0.hasPrefix("word/") }) { return docx }
            if names.contains(where: { $0.hasPrefix("xl/") }) { return xlsx }
            if names.contains(where: { $0.hasPrefix("ppt/") }) { return pptx }
        }
        return nil
    }

    /// Valid UTF-8 with no NUL and no markup a browser could run.
    static func isPlainText(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, !bytes.contains(0), let text = String(validatingUTF8Bytes: Array(bytes.prefix(1 << 20))) else { return false }
        let head = text.prefix(1024).lowercased()
        return !head.contains("<html") && !head.contains("<script") && !head.contains("<svg") && !head.contains("<!doctype")
            && !head.contains("<?xml")
    }

    /// Width and height from a PNG, GIF or JPEG header.
    public static func imageSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        func be16(_ i: Int) -> Int { Int(bytes[i]) << 8 | Int(bytes[i + 1]) }
        func be32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        guard let kind = sniff(Array(bytes.prefix(64))) ?? (bytes.count > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 ? jpeg : nil) else { return nil }
        switch kind {
        case png where bytes.count >= 24: return (be32(16), be32(20))
        case gif where bytes.count >= 10: return (Int(bytes[6]) | Int(bytes[7]) << 8, Int(bytes[8]) | Int(bytes[9]) << 8)
        case jpeg:
            var i = 2
            while i + 9 < bytes.count {
                guard bytes[i] == 0xFF else { return nil }
                let marker = bytes[i + 1]
                if (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC {
                    return (be16(i + 7), be16(i + 5))
                }
                i += 2 + be16(i + 2)
            }
            return nil
        default: return nil
        }
    }
}
