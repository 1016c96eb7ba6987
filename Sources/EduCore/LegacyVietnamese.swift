/// Detection and conversion of the two legacy Vietnamese encodings still found in schools'
/// files and pasted text: TCVN3 ("ABC", one byte per letter) and VNI-Windows (a base letter
/// followed by a mark byte). Both arrive as Windows-1252/Latin-1 characters once decoded.
public enum LegacyVietnamese {
    public enum Encoding: String, Sendable { case tcvn3, vni }

    /// Converts `text` when it reads better as TCVN3 or VNI than as itself; otherwise returns it.
    /// C1 control characters (U+0080–U+009F: bytes read as Latin-1 by some writer) are first
    /// mapped as Windows-1252 maps those bytes, so "2026\u{96}2027" keeps its dash.
    public static func convertIfLegacy(_ text: String) -> String {
        let text = mapC1(text)
        guard let encoding = detect(text) else { return text }
        return convert(text, from: encoding)
    }

    /// U+0080–U+009F as the Windows-1252 characters of those bytes (the five bytes it leaves
    /// undefined stay, and are dropped later as controls).
    public static func mapC1(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0x80...0x9F).contains($0.value) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if (0x80...0x9F).contains(scalar.value), let mapped = windows1252Specials[UInt8(scalar.value)] {
                out.append(mapped)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Which legacy encoding `text` is in, or nil when it is Unicode (or plain ASCII).
    public static func detect(_ text: String) -> Encoding? {
        var suspicious = 0
        for scalar in text.unicodeScalars {
            if isUnicodeVietnamese(scalar) { return nil }
            if isSuspicious(scalar) { suspicious += 1 }
        }
        guard suspicious > 0 else { return nil }
        let original = syllableScore(text)
        let candidates: [(Encoding, Int)] = [
            (.tcvn3, syllableScore(convert(text, from: .tcvn3))),
            (.vni, syllableScore(convert(text, from: .vni))),
        ]
        guard let best = candidates.max(by: { $0.1 < $1.1 }), best.1 > original, best.1 > 0 else { return nil }
        return best.0
    }

    public static func convert(_ text: String, from encoding: Encoding) -> String {
        let converted: String
        switch encoding {
        case .tcvn3: converted = convertTCVN3(text)
        case .vni: converted = convertVNI(text)
        }
        return converted.precomposedStringWithCanonicalMapping
    }

    // MARK: - TCVN3

    static func convertTCVN3(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value >= 0xA1 && scalar.value <= 0xFF, let mapped = tcvn3Table[UInt8(scalar.value)] {
                out.append(mapped)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    // MARK: - VNI-Windows

    /// Letters VNI writes with one byte.
    static let vniLetters: [UInt32: UnicodeScalar] = [
        0xF1: "\u{0111}", 0xD1: "\u{0110}",  // đ Đ
        0xF4: "\u{01A1}", 0xD4: "\u{01A0}",  // ơ Ơ
        0xF6: "\u{01B0}", 0xD6: "\u{01AF}",  // ư Ư
        0xEC: "\u{00EC}", 0xED: "\u{00ED}", 0xE6: "\u{1EC9}", 0xF3: "\u{0129}", 0xF2: "\u{1ECB}",  // ì í ỉ ĩ ị
        0xCC: "\u{00CC}", 0xCD: "\u{00CD}", 0xC6: "\u{1EC8}", 0xD3: "\u{0128}", 0xD2: "\u{1ECA}",  // Ì Í Ỉ Ĩ Ị
        0xEE: "\u{1EF5}", 0xCE: "\u{1EF4}",  // ỵ Ỵ
    ]

    /// Mark bytes that follow a vowel, as combining marks (NFC composes them afterwards).
    static let vniMarks: [UInt32: [UnicodeScalar]] = {
        let grave: UnicodeScalar = "\u{0300}", acute: UnicodeScalar = "\u{0301}", hook: UnicodeScalar = "\u{0309}"
        let tilde: UnicodeScalar = "\u{0303}", dot: UnicodeScalar = "\u{0323}"
        let circ: UnicodeScalar = "\u{0302}", breve: UnicodeScalar = "\u{0306}"
        var marks: [UInt32: [UnicodeScalar]] = [:]
        // lower-case mark bytes, then their upper-case twins (0x20 lower)
        let table: [(UInt32, [UnicodeScalar])] = [
            (0xF8, [grave]), (0xF9, [acute]), (0xFB, [hook]), (0xF5, [tilde]), (0xEF, [dot]),
            (0xE2, [circ]), (0xE0, [circ, grave]), (0xE1, [circ, acute]), (0xE5, [circ, hook]),
            (0xE3, [circ, tilde]), (0xE4, [circ, dot]),
            (0xEA, [breve]), (0xE8, [breve, grave]), (0xE9, [breve, acute]), (0xFA, [breve, hook]),
            (0xFC, [breve, tilde]), (0xEB, [breve, dot]),
        ]
        for (byte, combining) in table {
            marks[byte] = combining
            marks[byte - 0x20] = combining
        }
        return marks
    }()

    static func isVNIBase(_ scalar: UnicodeScalar) -> Bool {
        switch scalar {
        case "a", "e", "o", "u", "y", "i", "A", "E", "O", "U", "Y", "I",
            "\u{01A1}", "\u{01A0}", "\u{01B0}", "\u{01AF}":
            return true
        default: return false
        }
    }

    static func convertVNI(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var previousBase: UnicodeScalar?
        for scalar in text.unicodeScalars {
            if let base = previousBase, let marks = vniMarks[scalar.value] {
                let shapeMark = marks.first == "\u{0302}" || marks.first == "\u{0306}"
                let shapeFits = !shapeMark
                    || (marks.first == "\u{0306}" ? "aA".unicodeScalars.contains(base) : "aAeEoO".unicodeScalars.contains(base))
                if shapeFits {
                    out.append(contentsOf: marks)
                    previousBase = nil
                    continue
                }
            }
            let letter = vniLetters[scalar.value] ?? scalar
            out.append(letter)
            previousBase = isVNIBase(letter) ? letter : nil
        }
        return String(out)
    }

    // MARK: - Detection helpers

    /// Letters only Unicode Vietnamese has (ă đ ĩ ũ ơ ư and the Latin Extended Additional block).
    static func isUnicodeVietnamese(_ scalar: UnicodeScalar) -> Bool {
        switch scalar.value {
        case 0x0102, 0x0103, 0x0110, 0x0111, 0x0128, 0x0129, 0x0168, 0x0169, 0x01A0, 0x01A1, 0x01AF, 0x01B0,
            0x1EA0...0x1EF9:
            return true
        default: return false
        }
    }

    /// The Latin-1 letters Unicode Vietnamese uses.
    static let vietnameseLatin1: Set<UInt32> = Set(
        "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ".unicodeScalars.map(\.value))

    /// A character a legacy-encoded text shows and Unicode Vietnamese does not use.
    static func isSuspicious(_ scalar: UnicodeScalar) -> Bool {
        let v = scalar.value
        if (0xA1...0xFF).contains(v) { return !vietnameseLatin1.contains(v) && v != 0xD7 && v != 0xF7 }
        return windows1252Specials.values.contains(scalar)
    }

    /// Counts words that read as Vietnamese syllables, minus those that do not. Only words of
    /// two or more letters with a non-ASCII character count: symbols and lone letters say nothing.
    static func syllableScore(_ text: String) -> Int {
        var score = 0
        for word in text.split(whereSeparator: { $0.isWhitespace || ",.;:!?()\"'".contains($0) }) {
            guard word.unicodeScalars.contains(where: { !$0.isASCII }), word.filter(\.isLetter).count >= 2 else { continue }
            score += VietnameseSyllable.isValid(String(word)) ? 1 : -1
        }
        return score
    }

    // MARK: - Windows-1252

    /// The characters Windows-1252 puts at 0x80–0x9F (Latin-1 has controls there).
    static let windows1252Specials: [UInt8: UnicodeScalar] = [
        0x80: "\u{20AC}", 0x82: "\u{201A}", 0x83: "\u{0192}", 0x84: "\u{201E}", 0x85: "\u{2026}",
        0x86: "\u{2020}", 0x87: "\u{2021}", 0x88: "\u{02C6}", 0x89: "\u{2030}", 0x8A: "\u{0160}",
        0x8B: "\u{2039}", 0x8C: "\u{0152}", 0x8E: "\u{017D}", 0x91: "\u{2018}", 0x92: "\u{2019}",
        0x93: "\u{201C}", 0x94: "\u{201D}", 0x95: "\u{2022}", 0x96: "\u{2013}", 0x97: "\u{2014}",
        0x98: "\u{02DC}", 0x99: "\u{2122}", 0x9A: "\u{0161}", 0x9B: "\u{203A}", 0x9C: "\u{0153}",
        0x9E: "\u{017E}", 0x9F: "\u{0178}",
    ]

    /// Where Windows-1258 (Vietnamese) differs from Windows-1252: five letters, đ and the
    /// dong sign, and the five tone marks as combining characters (so decoded text must be
    /// normalised to NFC); 0x8A, 0x8E, 0x9A, 0x9E are undefined in it.
    static let windows1258Differences: [UInt8: UnicodeScalar] = [
        0xC3: "\u{0102}", 0xE3: "\u{0103}", 0xD0: "\u{0110}", 0xF0: "\u{0111}", 0xD5: "\u{01A0}", 0xF5: "\u{01A1}",
        0xDD: "\u{01AF}", 0xFD: "\u{01B0}", 0xFE: "\u{20AB}",
        0xCC: "\u{0300}", 0xEC: "\u{0301}", 0xDE: "\u{0303}", 0xD2: "\u{0309}", 0xF2: "\u{0323}",
    ]

    /// Bytes as Windows-1258, normalised to NFC (the tone marks arrive as separate characters).
    public static func decodeWindows1258(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            if let letter = windows1258Differences[byte] {
                scalars.append(letter)
            } else if [0x8A, 0x8E, 0x9A, 0x9E].contains(byte) {
                scalars.append("\u{FFFD}")
            } else if let special = windows1252Specials[byte] {
                scalars.append(special)
            } else {
                scalars.append(UnicodeScalar(byte))
            }
        }
        return String(scalars).precomposedStringWithCanonicalMapping
    }

    /// Which single-byte reading of a file that is not UTF-8 gives Vietnamese: Windows-1258
    /// (Excel's "CSV" on a Vietnamese Windows), or Windows-1252 carrying TCVN3/VNI text (or
    /// plain Western text). Judged on the first 64 KB by counting words that are syllables.
    public static func looksLikeWindows1258(_ bytes: [UInt8]) -> Bool {
        let sample = Array(bytes.prefix(65_536))
        let as1258 = syllableScore(decodeWindows1258(sample))
        let as1252 = syllableScore(convertIfLegacy(decodeWindows1252(sample)))
        return as1258 > 0 && as1258 > as1252
    }

    public static func decodeWindows1252(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            if let special = windows1252Specials[byte] {
                scalars.append(special)
            } else {
                scalars.append(UnicodeScalar(byte))
            }
        }
        return String(scalars)
    }
}

/// A check that a word could be one Vietnamese syllable: one tone mark at most, an onset, a
/// vowel cluster the language has (with its shape marks: "aư" is not one, "ươ" is), a coda.
public enum VietnameseSyllable {
    static let onsets = ["ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu",
        "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""]
    static let codas = ["ch", "ng", "nh", "c", "m", "n", "p", "t", ""]
    static let nuclei: Set<String> = [
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
        "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo",
        "ua", "uâ", "uê", "ui", "uô", "uơ", "ưa", "ưi", "ươ", "ưu", "uy", "yê",
        "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
    ]
    static let toneMarks: Set<UInt32> = [0x0300, 0x0301, 0x0303, 0x0309, 0x0323]

    public static func isValid(_ word: String) -> Bool {
        var tones = 0
        var stripped = String.UnicodeScalarView()
        for scalar in word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if toneMarks.contains(scalar.value) { tones += 1 } else { stripped.append(scalar) }
        }
        let base = String(stripped).precomposedStringWithCanonicalMapping.replacingOccurrences(of: "đ", with: "d")
        guard tones <= 1, !base.isEmpty, base.count <= 7 else { return false }
        let vowels = Set("aăâeêioôơuưy")
        guard base.allSatisfy({ vowels.contains($0) || ("a"..."z").contains($0) }) else { return false }
        for onset in onsets where base.hasPrefix(onset) {
            let rest = base.dropFirst(onset.count)
            for coda in codas where rest.hasSuffix(coda) {
                let nucleus = String(rest.dropLast(coda.count))
                if nuclei.contains(nucleus) { return true }
            }
        }
        return false
    }
}
