import Foundation

/// The one normaliser all text passes through on its way in (A12.1: TCVN 6909 = Unicode, NFC).
public enum TextNormalizer {
    /// How a field treats line breaks.
    public enum Mode: Sendable {
        /// One line: every run of whitespace, line breaks included, becomes one space.
        case singleLine
        /// Several lines: line breaks are kept (as `\n`), other control characters removed.
        case multiLine
    }

    /// Normalises a string: legacy TCVN3/VNI converted, NFC, control characters removed,
    /// whitespace trimmed, cut to `maxLength` characters.
    public static func normalize(_ input: String, mode: Mode = .singleLine, maxLength: Int = 1000) -> String {
        var text = LegacyVietnamese.convertIfLegacy(input)
        text = text.precomposedStringWithCanonicalMapping
        var scalars = String.UnicodeScalarView()
        var lastWasSpace = false
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            defer { previousWasCR = value == 0x0D }
            if value == 0x0A && previousWasCR { continue }  // \r\n is one break
            let isNewline = value == 0x0A || value == 0x0D || value == 0x2028 || value == 0x2029 || value == 0x85
            if isNewline {
                if mode == .multiLine {
                    scalars.append("\n")
                    lastWasSpace = false
                } else if !lastWasSpace {
                    scalars.append(" ")
                    lastWasSpace = true
                }
                continue
            }
            if value == 0x09 || scalar.properties.isWhitespace {
                if mode == .singleLine {
                    if !lastWasSpace { scalars.append(" ") }
                    lastWasSpace = true
                } else {
                    scalars.append(value == 0x09 ? "\t" : " ")
                }
                continue
            }
            if isRemovable(scalar) { continue }
            scalars.append(scalar)
            lastWasSpace = false
        }
        var result = String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
        if result.count > maxLength {
            result = String(result.prefix(maxLength)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return result
    }

    /// Control and format characters that have no place in stored text: C0/C1 controls,
    /// zero-width and bidi overrides (used to disguise text), the BOM, unassigned and private-use
    /// code points, and noncharacters. Zero-width joiner/non-joiner stay: some scripts need them.
    static func isRemovable(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        switch v {
        case 0x200B, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF, 0xFFFE, 0xFFFF: return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .unassigned, .privateUse, .surrogate: return true
        default: return scalar.properties.isNoncharacterCodePoint
        }
    }

    /// Decodes bytes from a file or form: UTF-8 (with or without BOM), UTF-16 with BOM, else
    /// Windows-1252 (how legacy TCVN3/VNI files arrive), then `normalize`.
    public static func decode(_ bytes: [UInt8], mode: Mode = .multiLine, maxLength: Int = .max) -> String {
        normalize(decodeRaw(bytes), mode: mode, maxLength: maxLength)
    }

    /// Bytes to a string without normalising: the encoding detection alone.
    public static func decodeRaw(_ bytes: [UInt8]) -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return String(decoding: bytes.dropFirst(3), as: UTF8.self)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let littleEndian = bytes[0] == 0xFF
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var i = 2
            while i + 1 < bytes.count {
                let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
                units.append(littleEndian ? (b << 8 | a) : (a << 8 | b))
                i += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        if let valid = String(validatingUTF8Bytes: bytes) { return valid }
        return LegacyVietnamese.decodeWindows1252(bytes)
    }
}

extension String {
    /// Strict UTF-8: nil when any byte sequence is invalid.
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = String.UnicodeScalarView()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): scalars.append(s)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = String(scalars)
    }
}

/// Search folding: lower case, no diacritics, `đ` → `d`. Stored beside the text and applied to
/// queries, so SQLite and PostgreSQL search the same way.
public enum SearchFolding {
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        let decomposed = text.decomposedStringWithCanonicalMapping.lowercased()
        for scalar in decomposed.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue  // combining marks
            case 0x0111, 0x0110: out.append("d")  // đ Đ
            case 0x00F0: out.append("d")  // ð, sometimes typed for đ
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Folded, with every run of characters other than letters and digits turned into one space.
    public static func foldWords(_ text: String) -> String {
        let folded = fold(text)
        var out = ""
        var pendingSpace = false
        for ch in folded {
            if ch.isLetter || ch.isNumber {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(ch)
            } else {
                pendingSpace = true
            }
        }
        return out
    }
}

/// URL slugs and codes: ASCII, lower case, words joined by `-`.
public enum Slug {
    public static func make(_ text: String, maxLength: Int = 80) -> String {
        let words = SearchFolding.foldWords(text).split(separator: " ")
        var slug = ""
        for word in words {
            let ascii = word.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
            guard !ascii.isEmpty else { continue }
            let piece = String(String.UnicodeScalarView(ascii))
            if slug.count + piece.count + 1 > maxLength { break }
            slug += slug.isEmpty ? piece : "-" + piece
        }
        return slug
    }

    /// A code is valid when it is what `make` would produce: `[a-z0-9]+(-[a-z0-9]+)*`.
    public static func isValid(_ code: String, maxLength: Int = 63) -> Bool {
        guard !code.isEmpty, code.count <= maxLength, !code.hasPrefix("-"), !code.hasSuffix("-"),
            !code.contains("--")
        else { return false }
        return code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
