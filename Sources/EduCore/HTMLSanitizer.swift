import Foundation

/// The allow-list sanitiser every piece of rich text passes through on save. It tokenises the
/// input like a browser would (broken markup included), keeps only the tags, attributes and URL
/// schemes listed here, drops executable content with everything inside it, and writes
/// well-formed, escaped HTML. Output is stable: sanitising it again changes nothing.
public enum HTMLSanitizer {
    /// Tags kept, with the attributes each may carry.
    static let allowed: [String: Set<String>] = [
        "p": [], "br": [], "h2": [], "h3": [], "h4": [], "strong": [], "em": [], "u": [], "s": [],
        "sub": [], "sup": [], "ul": [], "ol": ["start"], "li": [], "blockquote": [], "hr": [],
        "pre": [], "code": [], "figure": [], "figcaption": [],
        "a": ["href", "title"],
        "img": ["src", "alt", "width", "height"],
        "table": [], "caption": [], "thead": [], "tbody": [], "tfoot": [], "tr": [],
        "th": ["colspan", "rowspan", "scope"], "td": ["colspan", "rowspan"],
    ]

    /// Tags renamed to their kept twin (what Word and old editors write).
    static let renamed: [String: String] = ["b": "strong", "i": "em", "strike": "s", "del": "s", "ins": "u", "h1": "h2",
                                            "h5": "h4", "h6": "h4", "div": "p"]

    /// Tags dropped together with everything inside them.
    static let droppedWithContent: Set<String> = [
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "template",
        "noscript", "noembed", "noframes", "textarea", "select", "option", "button", "xml", "head", "title",
        "xmp", "plaintext", "audio", "video", "canvas", "map", "base", "link", "meta", "form", "input", "param",
        "source", "track", "portal", "dialog", "marquee",
    ]

    /// Elements whose content the tokenizer reads as raw text up to their end tag.
    static let rawText: Set<String> = ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                                       "noscript", "plaintext"]

    static let voidTags: Set<String> = ["br", "img", "hr"]

    /// Where a tag may stand: list items in lists, rows in tables, cells in rows.
    static let requiredParents: [String: Set<String>] = [
        "li": ["ul", "ol"], "tr": ["table", "thead", "tbody", "tfoot"], "td": ["tr"], "th": ["tr"],
        "thead": ["table"], "tbody": ["table"], "tfoot": ["table"], "caption": ["table"], "figcaption": ["figure"],
    ]

    /// Block tags that cannot sit inside a paragraph or inline tag: opening one closes those.
    static let blockTags: Set<String> = ["p", "h2", "h3", "h4", "ul", "ol", "blockquote", "hr", "pre", "figure", "table"]
    static let inlineTags: Set<String> = ["strong", "em", "u", "s", "sub", "sup", "a", "code"]

    public static func sanitize(_ html: String, maxLength: Int = 500_000) -> String {
        let input = html.count > maxLength ? String(html.prefix(maxLength)) : html
        var writer = Writer()
        let legacy = LegacyVietnamese.detect(rawText(of: input))
        var tokenizer = HTMLTokenizer(input)
        var dropDepth: [String] = []
        while let token = tokenizer.next() {
            if let dropping = dropDepth.last {
                // Inside a dropped subtree: track nesting of the same tag only.
                switch token {
                case .start(let name, _, let selfClosing) where name == dropping && !selfClosing: dropDepth.append(name)
                case .end(let name) where name == dropping: dropDepth.removeLast()
                default: break
                }
                continue
            }
            switch token {
            case .text(let text):
                writer.text(legacy.map { LegacyVietnamese.convert(text, from: $0) } ?? text)
            case .start(var name, let attributes, let selfClosing):
                if droppedWithContent.contains(name) {
                    if !selfClosing && !voidLike(name) { dropDepth.append(name) }
                    continue
                }
                name = renamed[name] ?? name
                guard let allowedAttributes = allowed[name],
                    let kept = clean(attributes, of: name, allowed: allowedAttributes)
                else { continue }
                writer.open(name, attributes: kept)
            case .end(var name):
                name = renamed[name] ?? name
                if allowed[name] != nil { writer.close(name) }
            }
        }
        return writer.finish()
    }

    /// Dropped tags that never have content (their end tag is not expected).
    static func voidLike(_ name: String) -> Bool {
        ["base", "link", "meta", "input", "param", "source", "track", "embed"].contains(name)
    }

    /// The attributes kept on a tag; nil when the tag itself must go (an image with no usable source).
    static func clean(_ attributes: [(String, String)], of tag: String, allowed: Set<String>) -> [(String, String)]? {
        var kept: [(String, String)] = []
        var seen = Set<String>()
        for (name, rawValue) in attributes where allowed.contains(name) && seen.insert(name).inserted {
            let value = TextNormalizer.normalize(rawValue, maxLength: 2000)
            switch name {
            case "href":
                if let url = safeURL(value, allowMail: true) { kept.append((name, url)) }
            case "src":
                // Images come from the media library or the web: a bare relative path would break.
                if let url = safeURL(value, allowMail: false), url.hasPrefix("/") || url.lowercased().hasPrefix("http") {
                    kept.append((name, url))
                }
            case "width", "height", "colspan", "rowspan", "start":
                if let number = Int(value), number > 0, number <= 10_000 { kept.append((name, String(number))) }
            case "scope":
                if ["row", "col", "rowgroup", "colgroup"].contains(value.lowercased()) { kept.append((name, value.lowercased())) }
            default:
                kept.append((name, value))
            }
        }
        if tag == "img" {
            guard kept.contains(where: { $0.0 == "src" }) else { return nil }
            if !kept.contains(where: { $0.0 == "alt" }) { kept.append(("alt", "")) }
        }
        return kept
    }

    /// http(s), mailto and tel links, site-relative paths and fragments; nothing else. The value
    /// has had its entities decoded by the tokenizer; whitespace and control characters a
    /// browser would ignore inside a scheme are removed before looking at it.
    public static func safeURL(_ value: String, allowMail: Bool) -> String? {
        let compact = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }))
        guard !compact.isEmpty else { return nil }
        if compact.hasPrefix("//") { return "https:" + compact }
        if compact.hasPrefix("/") || compact.hasPrefix("#") { return compact.hasPrefix("/\\") ? nil : compact }
        guard let colon = compact.firstIndex(of: ":") else {
            // A relative path ("anh.jpg", "?trang=2") has no scheme.
            return compact.contains("\\") ? nil : compact
        }
        let scheme = compact[..<colon].lowercased()
        if scheme.contains("/") || scheme.contains("?") || scheme.contains("#") {
            return compact  // the colon is past the first path segment: no scheme
        }
        switch scheme {
        case "http", "https": return compact
        case "mailto", "tel": return allowMail ? compact : nil
        default: return nil
        }
    }

    /// Builds the output, keeping tags balanced and nested where they may stand. Elements are
    /// written lazily, when content reaches them, so empty ones (Word leaves many) never appear.
    struct Writer {
        struct Open {
            let name: String
            let tag: String
            var written: Bool
        }

        var out = ""
        var stack: [Open] = []
        /// True right after a block starts or ends: leading whitespace there is not shown.
        var atBlockBoundary = true

        /// Elements nested deeper than this are dropped (their text kept): every step of the
        /// writer looks at the open elements, so an unbounded depth would make it quadratic.
        static let maxDepth = 64
        /// Open elements below this index have been written (written ones always form a prefix).
        var writtenDepth = 0

        static let containers: Set<String> = ["ul", "ol", "table", "thead", "tbody", "tfoot", "tr"]
        static let blockish: Set<String> = ["p", "h2", "h3", "h4", "li", "blockquote", "pre", "figure", "figcaption",
                                            "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "ul", "ol"]

        var top: String? { stack.last?.name }

        /// Text: NFC, control characters removed, whitespace (no-break spaces included)
        /// collapsed as a browser shows it, escaped.
        mutating func text(_ raw: String) {
            var collapsed = String.UnicodeScalarView()
            var lastSpace = false
            for scalar in raw.precomposedStringWithCanonicalMapping.unicodeScalars {
                if scalar.properties.isWhitespace {
                    if !lastSpace { collapsed.append(" ") }
                    lastSpace = true
                } else if !TextNormalizer.isRemovable(scalar) {
                    collapsed.append(scalar)
                    lastSpace = false
                }
            }
            guard !collapsed.isEmpty else { return }
            var text = String(collapsed)
            if stack.isEmpty && text != " " { push("p", tag: "<p>") }  // loose text gets a paragraph
            if let top, Self.containers.contains(top) {
                guard top == "ul" || top == "ol", text != " " else { return }  // no text directly in tables
                push("li", tag: "<li>")
            }
            if text == " " {
                guard stack.last?.written ?? true, !atBlockBoundary, !out.hasSuffix(" ") else { return }
                out += " "
                return
            }
            materialize()
            if text.hasPrefix(" ") && (atBlockBoundary || out.hasSuffix(" ")) { text.removeFirst() }
            out += Escape.html(text)
            atBlockBoundary = false
        }

        mutating func push(_ name: String, tag: String) {
            guard stack.count < Self.maxDepth else { return }
            stack.append(Open(name: name, tag: tag, written: false))
        }

        /// Writes the start tags of open elements that have no content yet.
        mutating func materialize() {
            while writtenDepth < stack.count {
                out += stack[writtenDepth].tag
                stack[writtenDepth].written = true
                atBlockBoundary = Self.blockish.contains(stack[writtenDepth].name)
                writtenDepth += 1
            }
        }

        mutating func open(_ name: String, attributes: [(String, String)]) {
            if let parents = HTMLSanitizer.requiredParents[name] {
                // Close up to the nearest allowed parent; without one, drop the tag.
                guard let index = stack.lastIndex(where: { parents.contains($0.name) }) else { return }
                while stack.count > index + 1 { closeTop() }
            } else {
                if HTMLSanitizer.blockTags.contains(name) {
                    // A block closes open paragraphs, headings and inline tags, as browsers do.
                    while let top, top == "p" || top == "h2" || top == "h3" || top == "h4" || HTMLSanitizer.inlineTags.contains(top) {
                        closeTop()
                    }
                }
                if let top, Self.containers.contains(top) {
                    guard top == "ul" || top == "ol" else { return }  // only table parts go directly in tables
                    push("li", tag: "<li>")
                }
            }
            if name == "a", stack.contains(where: { $0.name == "a" }) { return }  // no nested links
            if stack.isEmpty && !HTMLSanitizer.blockTags.contains(name) && HTMLSanitizer.requiredParents[name] == nil {
                push("p", tag: "<p>")  // loose inline content gets a paragraph
            }
            var tag = "<" + name
            for (key, value) in attributes { tag += " \(key)=\"\(Escape.attribute(value))\"" }
            tag += ">"
            if HTMLSanitizer.voidTags.contains(name) {
                materialize()
                out += tag
                atBlockBoundary = name == "hr"
            } else {
                push(name, tag: tag)
            }
        }

        mutating func close(_ name: String) {
            guard !HTMLSanitizer.voidTags.contains(name), let index = stack.lastIndex(where: { $0.name == name }) else { return }
            while stack.count > index { closeTop() }
        }

        mutating func closeTop() {
            guard let top = stack.popLast(), top.written else { return }
            writtenDepth -= 1
            let block = Self.blockish.contains(top.name)
            if block && out.hasSuffix(" ") { out.removeLast() }
            out += "</\(top.name)>"
            if block { atBlockBoundary = true }
        }

        mutating func finish() -> String {
            while !stack.isEmpty { closeTop() }
            return out.trimmingCharacters(in: .whitespaces)
        }
    }

    /// Plain text of HTML, for summaries, search and metadata.
    public static func plainText(_ html: String) -> String {
        TextNormalizer.normalize(rawText(of: html), maxLength: .max)
    }

    /// Plain text of HTML keeping its paragraphs and line breaks (an e-mail's HTML-only body).
    public static func plainTextLines(_ html: String) -> String {
        let lines = rawText(of: html, breaks: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { TextNormalizer.normalize(String($0), maxLength: .max) }
        var kept: [String] = []
        for line in lines where !(line.isEmpty && (kept.last?.isEmpty ?? true)) { kept.append(line) }
        return TextNormalizer.normalize(kept.joined(separator: "\n"), mode: .multiLine, maxLength: .max)
    }

    /// The text nodes of HTML, joined, without normalising (legacy detection looks at this).
    static func rawText(of html: String, breaks: String = " ") -> String {
        var tokenizer = HTMLTokenizer(html)
        var parts: [String] = []
        var dropDepth = 0
        while let token = tokenizer.next() {
            switch token {
            case .text(let text):
                // Line breaks in the HTML source are spaces; only elements break lines.
                if dropDepth == 0 { parts.append(breaks == " " ? text : text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")) }
            case .start(let name, _, let selfClosing):
                if droppedWithContent.contains(name) && !selfClosing && !voidLike(name) { dropDepth += 1 }
                if blockTags.contains(name) || name == "br" || name == "li" { parts.append(breaks) }
                if name == "td" || name == "th" { parts.append(" ") }
            case .end(let name):
                if droppedWithContent.contains(name) { dropDepth = max(0, dropDepth - 1) }
                if blockTags.contains(name) || name == "li" { parts.append(breaks) }
                if name == "td" || name == "th" { parts.append(" ") }
            }
        }
        return parts.joined()
    }
}
