/// A URL query string read without Foundation or a framework decoder, for the exam lookups that
/// answer most requests on result day: `+` is a space, `%XX` a byte, invalid UTF-8 is repaired,
/// at most 20 pairs and 2,000 bytes are read.
public enum QueryString {
    public static func parse(_ query: Substring) -> [String: String] {
        guard !query.isEmpty, query.utf8.count <= 2000 else { return [:] }
        var items: [String: String] = [:]
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), maxSplits: 20) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first, !key.isEmpty else { continue }
            items[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return items
    }

    public static func parse(_ query: String) -> [String: String] { parse(query[...]) }

    /// What an API refuses in a query rather than reading it some way: more than `parse` reads
    /// (2,000 bytes, 20 pairs) or a name given twice (`lop=1&lop=2`). nil when the query is fine;
    /// otherwise the Vietnamese message, naming the parameter.
    public static func problem(_ query: String) -> String? {
        guard query.utf8.count <= 2000 else { return "Chuỗi tham số quá dài (tối đa 2.000 byte)." }
        var seen: Set<String> = []
        for pair in query.utf8.split(separator: UInt8(ascii: "&")) {
            guard let key = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false).first, !key.isEmpty else { continue }
            let name = decode(key)
            if !seen.insert(name).inserted { return "Tham số «\(name)» chỉ được gửi một lần." }
            if seen.count > 20 { return "Quá nhiều tham số (tối đa 20)." }
        }
        return nil
    }

    static func decode(_ bytes: Substring.UTF8View.SubSequence) -> String {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            case 0x61...0x66: b - 0x61 + 10
            default: nil
            }
        }
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(0x20)
            } else if b == UInt8(ascii: "%"), let j = bytes.index(i, offsetBy: 2, limitedBy: bytes.index(before: bytes.endIndex)),
                let hi = hex(bytes[bytes.index(after: i)]), let lo = hex(bytes[j])
            {
                out.append(hi << 4 | lo)
                i = j
            } else {
                out.append(b)
            }
            i = bytes.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Spaces and tabs off both ends, without Foundation.
    public static func trimmed(_ text: String) -> Substring {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        return text[first...last]
    }
}
