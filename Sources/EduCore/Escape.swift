import Foundation

/// The one home for escaping text into HTML, XML and JSON. Templates escape through Mustache;
/// these serve the places that build markup or JSON by hand (charts, feeds, workbooks, the
/// exam results API on its hot path).
public enum Escape {
    /// HTML text content: `& < >` and the no-break space.
    public static func html(_ text: String) -> String { replacing(text, htmlText) }

    /// An HTML attribute value (quoted or not): also `" ' \``.
    public static func attribute(_ text: String) -> String { replacing(text, htmlAttribute) }

    static let htmlText: [Character: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\u{A0}": "&nbsp;"]
    static let htmlAttribute: [Character: String] = [
        "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;", "`": "&#96;",
    ]

    static func replacing(_ text: String, _ table: [Character: String]) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            if let replacement = table[ch] { out += replacement } else { out.append(ch) }
        }
        return out
    }

    /// XML 1.0 text or attribute (feeds, sitemaps, workbooks); characters XML cannot carry are dropped.
    public static func xml(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if scalar.value == 0x9 || scalar.value == 0xA || scalar.value == 0xD || scalar.value >= 0x20 { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// A JSON string literal, quotes included; `< > &` and the line separators escaped so the
    /// result is safe inside HTML too. Most values (names, SBDs) need no escaping: one scan, one
    /// concatenation.
    public static func json(_ text: String) -> String {
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0xE2 }) {
            return "\"" + text + "\""
        }
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }
}

/// Numbers as Vietnamese readers write them.
public enum VietnameseNumber {
    /// `1.100.000`: digits grouped by dots.
    /// A whole number from 0 to `limit` as people type it: `1.500.000`, `1,500,000`,
    /// `1 500 000 đ`, `2400000 VNĐ`. Nil for anything else (a decimal, a negative, words).
    public static func readWhole(_ text: String, limit: Int) -> Int? {
        var digits = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\u{00A0}", with: " ")
        for suffix in ["đồng", "vnđ", "vnd", "đ"] where digits.hasSuffix(suffix) { digits = String(digits.dropLast(suffix.count)) }
        digits = digits.replacingOccurrences(of: " ", with: "")
        if digits.range(of: #"^\d{1,3}([.,]\d{3})+$"#, options: .regularExpression) != nil {
            digits = digits.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: "")
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits), number <= limit else { return nil }
        return number
    }

    public static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

}
