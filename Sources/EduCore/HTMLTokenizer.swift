/// A forgiving HTML tokenizer for the sanitiser: it reads what browsers read (unclosed tags,
/// unquoted and duplicated attributes, comments, raw-text elements) and decodes character
/// references, so that the sanitiser judges what a browser would see.
struct HTMLTokenizer {
    enum Token: Equatable {
        case text(String)
        case start(String, [(String, String)], selfClosing: Bool)
        case end(String)

        static func == (lhs: Token, rhs: Token) -> Bool {
            switch (lhs, rhs) {
            case (.text(let a), .text(let b)): a == b
            case (.end(let a), .end(let b)): a == b
            case (.start(let a, let x, let s), .start(let b, let y, let t)):
                a == b && s == t && x.map { $0.0 + "=" + $0.1 } == y.map { $0.0 + "=" + $0.1 }
            default: false
            }
        }
    }

    let scalars: [Unicode.Scalar]
    var index = 0
    /// After a raw-text start tag, its content is text up to the matching end tag.
    var rawTextEnd: String?

    init(_ html: String) {
        scalars = Array(html.unicodeScalars)
    }

    mutating func next() -> Token? {
        while index < scalars.count {
            if let name = rawTextEnd {
                rawTextEnd = nil
                skipRawText(until: name)
                continue
            }
            if scalars[index] == "<" {
                switch markup() {
                case .token(let token): return token
                case .skipped: continue
                case .notMarkup: break
                }
            }
            return text()
        }
        return nil
    }

    // MARK: - Text

    mutating func text() -> Token {
        var out = String.UnicodeScalarView()
        // A lone "<" that starts no markup is text.
        if scalars[index] == "<" {
            out.append("<")
            index += 1
        }
        while index < scalars.count, scalars[index] != "<" {
            if scalars[index] == "&" {
                out.append(contentsOf: characterReference(inAttribute: false))
            } else {
                out.append(scalars[index])
                index += 1
            }
        }
        return .text(String(out))
    }

    /// Skips the content of a raw-text element (its element is dropped anyway) up to `</name`.
    mutating func skipRawText(until name: String) {
        while index < scalars.count {
            if scalars[index] == "<", index + 1 < scalars.count, scalars[index + 1] == "/", matchesName(at: index + 2, name) {
                return
            }
            index += 1
        }
    }

    func matchesName(at position: Int, _ name: String) -> Bool {
        let nameScalars = Array(name.unicodeScalars)
        guard position + nameScalars.count <= scalars.count else { return false }
        for (offset, scalar) in nameScalars.enumerated() where lower(scalars[position + offset]) != scalar {
            return false
        }
        let after = position + nameScalars.count
        return after == scalars.count || isSpace(scalars[after]) || scalars[after] == ">" || scalars[after] == "/"
    }

    // MARK: - Markup

    enum Markup {
        case token(Token)
        /// A comment, declaration or unfinished tag: nothing to emit.
        case skipped
        /// The `<` starts no markup and is text.
        case notMarkup
    }

    /// A tag, comment or declaration at `<`.
    mutating func markup() -> Markup {
        guard index + 1 < scalars.count else { return .notMarkup }
        let next = scalars[index + 1]
        if next == "!" {
            skipComment()
            return .skipped
        }
        if next == "?" {
            skipUntil(">")
            return .skipped
        }
        var cursor = index + 1
        let closing = next == "/"
        if closing {
            cursor += 1
            guard cursor < scalars.count else { return .notMarkup }
            if !isLetter(scalars[cursor]) {  // "</>" is ignored, "</ x>" is a bogus comment
                index = cursor
                skipUntil(">")
                return .skipped
            }
        }
        guard cursor < scalars.count, isLetter(scalars[cursor]) else { return .notMarkup }
        index = cursor
        let name = tagName()
        if closing {
            skipUntil(">")
            return .token(.end(name))
        }
        var attributes: [(String, String)] = []
        var selfClosing = false
        while index < scalars.count {
            skipSpaces()
            guard index < scalars.count else { break }
            let c = scalars[index]
            if c == ">" {
                index += 1
                if HTMLSanitizer.rawText.contains(name) { rawTextEnd = name }
                return .token(.start(name, attributes, selfClosing: selfClosing))
            }
            if c == "/" {
                index += 1
                selfClosing = index < scalars.count && scalars[index] == ">"
                continue
            }
            if let attribute = attribute() { attributes.append(attribute) }
        }
        // Input ended inside a tag: browsers drop the unfinished tag.
        return .skipped
    }

    mutating func tagName() -> String {
        var name = String.UnicodeScalarView()
        while index < scalars.count {
            let c = scalars[index]
            if isSpace(c) || c == "/" || c == ">" { break }
            name.append(lower(c))
            index += 1
        }
        return String(name)
    }

    mutating func attribute() -> (String, String)? {
        var name = String.UnicodeScalarView()
        // The first character may be anything but space, "/" and ">" (even "=").
        while index < scalars.count {
            let c = scalars[index]
            if isSpace(c) || c == "/" || c == ">" || (c == "=" && !name.isEmpty) { break }
            name.append(lower(c))
            index += 1
        }
        skipSpaces()
        var value = ""
        if index < scalars.count, scalars[index] == "=" {
            index += 1
            skipSpaces()
            value = attributeValue()
        }
        return name.isEmpty ? nil : (String(name), value)
    }

    mutating func attributeValue() -> String {
        guard index < scalars.count else { return "" }
        var out = String.UnicodeScalarView()
        let quote = scalars[index]
        if quote == "\"" || quote == "'" {
            index += 1
            while index < scalars.count, scalars[index] != quote {
                if scalars[index] == "&" {
                    out.append(contentsOf: characterReference(inAttribute: true))
                } else {
                    out.append(scalars[index])
                    index += 1
                }
            }
            if index < scalars.count { index += 1 }
            return String(out)
        }
        while index < scalars.count, !isSpace(scalars[index]), scalars[index] != ">" {
            if scalars[index] == "&" {
                out.append(contentsOf: characterReference(inAttribute: true))
            } else {
                out.append(scalars[index])
                index += 1
            }
        }
        return String(out)
    }

    mutating func skipComment() {
        // "<!--" … "-->" (or "--!>"); anything else after "<!" ends at ">".
        if index + 3 < scalars.count, scalars[index + 2] == "-", scalars[index + 3] == "-" {
            index += 4
            while index < scalars.count {
                if scalars[index] == ">" && index >= 2 && scalars[index - 1] == "-" && scalars[index - 2] == "-" {
                    index += 1
                    return
                }
                if scalars[index] == ">" && index >= 3 && scalars[index - 1] == "!" && scalars[index - 2] == "-" && scalars[index - 3] == "-" {
                    index += 1
                    return
                }
                index += 1
            }
            return
        }
        skipUntil(">")
    }

    mutating func skipUntil(_ end: Unicode.Scalar) {
        while index < scalars.count, scalars[index] != end { index += 1 }
        if index < scalars.count { index += 1 }
    }

    mutating func skipSpaces() {
        while index < scalars.count, isSpace(scalars[index]) { index += 1 }
    }

    // MARK: - Character references

    static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "copy": "©", "reg": "®",
        "hellip": "…", "ndash": "–", "mdash": "—", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
        "laquo": "«", "raquo": "»", "bull": "•", "middot": "·", "deg": "°", "plusmn": "±", "times": "×",
        "divide": "÷", "frac12": "½", "sect": "§", "para": "¶", "euro": "€", "trade": "™", "colon": ":",
        "tab": "\t", "newline": "\n", "lpar": "(", "rpar": ")", "sol": "/", "bsol": "\\", "num": "#",
        "agrave": "à", "aacute": "á", "acirc": "â", "atilde": "ã", "egrave": "è", "eacute": "é", "ecirc": "ê",
        "igrave": "ì", "iacute": "í", "ograve": "ò", "oacute": "ó", "ocirc": "ô", "otilde": "õ",
        "ugrave": "ù", "uacute": "ú", "yacute": "ý", "Agrave": "À", "Aacute": "Á", "Acirc": "Â", "Atilde": "Ã",
        "Egrave": "È", "Eacute": "É", "Ecirc": "Ê", "Igrave": "Ì", "Iacute": "Í", "Ograve": "Ò", "Oacute": "Ó",
        "Ocirc": "Ô", "Otilde": "Õ", "Ugrave": "Ù", "Uacute": "Ú", "Yacute": "Ý",
    ]

    /// Reads `&…` at `index`: numeric (with or without `;`) or a known name; otherwise a literal `&`.
    mutating func characterReference(inAttribute: Bool) -> [Unicode.Scalar] {
        let start = index
        index += 1
        guard index < scalars.count else { return ["&"] }
        if scalars[index] == "#" {
            index += 1
            var hex = false
            if index < scalars.count, scalars[index] == "x" || scalars[index] == "X" {
                hex = true
                index += 1
            }
            var digits = ""
            while index < scalars.count, digits.count < 10 {
                let c = scalars[index]
                let ok = hex ? c.properties.isASCIIHexDigit : ("0"..."9").contains(c)
                guard ok else { break }
                digits.unicodeScalars.append(c)
                index += 1
            }
            guard !digits.isEmpty, let value = UInt32(digits, radix: hex ? 16 : 10) else {
                index = start + 1
                return ["&"]
            }
            if index < scalars.count, scalars[index] == ";" { index += 1 }
            if value == 0 || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return ["\u{FFFD}"] }
            return [Unicode.Scalar(value) ?? "\u{FFFD}"]
        }
        var name = ""
        while index < scalars.count, name.count < 12, scalars[index].properties.isAlphabetic || ("0"..."9").contains(scalars[index]) {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        let terminated = index < scalars.count && scalars[index] == ";"
        if let scalar = Self.named[name], terminated || !inAttribute {
            if terminated { index += 1 }
            return [scalar]
        }
        index = start + 1
        return ["&"]
    }

    // MARK: - Character classes

    func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" }
    func isLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
    func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        ("A"..."Z").contains(c) ? Unicode.Scalar(c.value + 32)! : c
    }
}
