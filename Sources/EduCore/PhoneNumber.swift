import Foundation

/// A Vietnamese telephone number: mobiles are 10 digits from 03/05/07/08/09, landlines 11 digits
/// from 02 (the numbering since 2017). Spreadsheets lose the leading zero of a number cell; when
/// that is unambiguous it is put back and said. Stricter than `Validation.isPhone`, which
/// accepts any 8–15 digits (a unit's switchboard, a foreign number on the contact form); this one
/// is for numbers the system stores as Vietnamese and dials (staff lists, parents).
public enum PhoneNumber {
    public enum Parsed: Equatable {
        case empty
        /// National form; `restoredZero` when the cell had lost its leading 0.
        case number(String, restoredZero: Bool)
        case invalid(String)
    }

    public static func parse(_ text: String) -> Parsed {
        let cell = text.trimmingCharacters(in: .whitespaces)
        if cell.isEmpty { return .empty }
        if cell.contains(where: \.isLetter) { return .invalid("có chữ cái") }
        var digits = cell.filter(\.isASCII).filter(\.isNumber)
        let leftovers = cell.filter { !$0.isNumber && !" .-()+\u{A0}".contains($0) }
        if !leftovers.isEmpty { return .invalid("có ký tự «\(leftovers.prefix(3))» không thuộc số điện thoại (ghi mỗi ô một số)") }
        if cell.hasPrefix("+") {
            guard digits.hasPrefix("84") else { return .invalid("không phải số Việt Nam (+84)") }
            digits = "0" + digits.dropFirst(2)
        } else if digits.hasPrefix("0084") {
            digits = "0" + digits.dropFirst(4)
        } else if digits.hasPrefix("84") && (digits.count == 11 || digits.count == 12) && !digits.hasPrefix("0") {
            digits = "0" + digits.dropFirst(2)
        }
        var restored = false
        if !digits.hasPrefix("0"), (digits.count == 9 && "35789".contains(digits.first!)) || (digits.count == 10 && digits.hasPrefix("2")) {
            digits = "0" + digits
            restored = true
        }
        if digits.count == 10, let second = digits.dropFirst().first, digits.hasPrefix("0"), "35789".contains(second) {
            return .number(digits, restoredZero: restored)
        }
        if digits.count == 11, digits.hasPrefix("02") { return .number(digits, restoredZero: restored) }
        return .invalid("có \(digits.count) chữ số (di động: 10 số bắt đầu bằng 03, 05, 07, 08, 09; cố định: 11 số bắt đầu bằng 02)")
    }

    /// "+84912345678" from "0912345678".
    public static func e164(_ national: String) -> String {
        national.hasPrefix("0") ? "+84" + national.dropFirst() : national
    }
}
