/// The passage of a text around the first matching word, with every match marked, found on the
/// folded text but cut from the original (diacritics kept): "truong" marks "Trường", a whole word.
public enum SearchSnippet {
    public struct Segment: Sendable, Equatable {
        public let text: String
        public let highlight: Bool

        public init(text: String, highlight: Bool) {
            self.text = text
            self.highlight = highlight
        }
    }

    public static func make(_ text: String, terms: [String], length: Int = 220) -> [Segment] {
        let characters = Array(text)
        guard !characters.isEmpty else { return [] }
        // Folded characters with, for each, the index of the original character it came from.
        var folded: [Character] = []
        var origin: [Int] = []
        folded.reserveCapacity(characters.count)
        origin.reserveCapacity(characters.count)
        // Folding goes through Unicode decomposition, microseconds a call: each distinct
        // character is folded once (a text of 20,000 characters has a few hundred distinct ones).
        var foldedForm: [Character: String] = [:]
        for (index, character) in characters.enumerated() {
            let piece: String
            if character.isASCII {
                piece = character.lowercased()
            } else if let known = foldedForm[character] {
                piece = known
            } else {
                piece = SearchFolding.fold(String(character))
                foldedForm[character] = piece
            }
            for ch in piece {
                folded.append(ch.isLetter || ch.isNumber ? ch : " ")
                origin.append(index)
            }
        }
        // Matches: a term that is a whole folded word ("lop 1" marks "lớp 1", not "lớp 10").
        var marked = Array(repeating: false, count: characters.count)
        var first: Int?
        for term in terms where !term.isEmpty {
            let needle = Array(term)
            var i = 0
            while i + needle.count <= folded.count {
                let atWordStart = i == 0 || folded[i - 1] == " "
                let atWordEnd = i + needle.count == folded.count || folded[i + needle.count] == " "
                if atWordStart && atWordEnd && Array(folded[i..<i + needle.count]) == needle {
                    for j in i..<i + needle.count { marked[origin[j]] = true }
                    first = min(first ?? origin[i], origin[i])
                    i += needle.count
                } else {
                    i += 1
                }
            }
        }
        // A window starting a little before the first match, on a word boundary.
        var start = max(0, (first ?? 0) - length / 4)
        while start > 0, !characters[start - 1].isWhitespace { start -= 1 }
        var end = min(characters.count, start + length)
        while end < characters.count, !characters[end].isWhitespace, end - start < length + 30 { end += 1 }
        var segments: [Segment] = []
        var current = start > 0 ? "…" : ""
        var currentMarked = false
        for index in start..<end {
            if marked[index] != currentMarked {
                if !current.isEmpty { segments.append(Segment(text: current, highlight: currentMarked)) }
                current = ""
                currentMarked = marked[index]
            }
            current.append(characters[index])
        }
        if end < characters.count {
            if currentMarked {
                segments.append(Segment(text: current, highlight: true))
                current = "…"
                currentMarked = false
            } else {
                current += "…"
            }
        }
        if !current.isEmpty { segments.append(Segment(text: current, highlight: currentMarked)) }
        return segments
    }
}
