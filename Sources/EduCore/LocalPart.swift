import Foundation

/// Local parts (the part before `@`): lower-case ASCII letters, digits, `.`, `-`, `_`.
public enum LocalPart {
    public static func isValid(_ text: String) -> Bool {
        guard (1...64).contains(text.utf8.count), !text.hasPrefix("."), !text.hasSuffix("."), !text.contains("..") else { return false }
        return text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x5F }
    }

    /// `Nguyễn Văn An` → `nguyenvanan` (no diacritics, `đ` → `d`, letters and digits only).
    public static func fromName(_ name: String) -> String {
        let folded = SearchFolding.fold(name)
        let kept = folded.unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return String(String.UnicodeScalarView(kept).prefix(60))
    }

    /// `base`, else `base2`, `base3`, … whichever is free.
    public static func unique(_ base: String, taken: Set<String>) -> String {
        if !taken.contains(base) { return base }
        var n = 2
        while taken.contains(base + String(n)) { n += 1 }
        return base + String(n)
    }
}

