import Foundation

/// Field checks shared by forms, the CLI and importers. Messages are Vietnamese, for the user.
public enum Validation {
    /// A hostname: labels of letters, digits and hyphens, 1–63 characters each, 253 in all.
    public static func isHostname(_ host: String) -> Bool {
        let host = host.lowercased()
        guard !host.isEmpty, host.count <= 253, !host.hasSuffix(".") else { return false }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        }
    }

    /// A mail or portal domain (A3.1b): at least two labels, a letter-only top-level label;
    /// second-level names under `edu.vn` (e.g. `ninhbinh.edu.vn`) are ordinary domains here.
    public static func isDomain(_ domain: String) -> Bool {
        guard isHostname(domain) else { return false }
        let labels = domain.lowercased().split(separator: ".")
        guard labels.count >= 2, let tld = labels.last, tld.count >= 2,
            tld.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) })
        else { return false }
        // A bare public suffix is not a unit's domain.
        return !["edu.vn", "gov.vn", "com.vn", "org.vn", "net.vn"].contains(domain.lowercased())
    }

    /// An email address: one `@`, a sensible local part, a valid domain.
    public static func isEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
            !local.isEmpty, local.count <= 64, email.count <= 254,
            !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..")
        else { return false }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-")
        guard local.unicodeScalars.allSatisfy({ allowed.contains($0) }) else { return false }
        return isDomain(String(domain)) || String(domain).lowercased() == "localhost"
    }

    /// A Vietnamese phone number as people write it: digits with spaces, dots, dashes,
    /// parentheses, an optional leading `+`; 8 to 15 digits.
    public static func isPhone(_ phone: String) -> Bool {
        let digits = phone.filter(\.isNumber)
        guard (8...15).contains(digits.count) else { return false }
        return phone.enumerated().allSatisfy { index, ch in
            ch.isASCII && (ch.isNumber || " .-()".contains(ch) || (ch == "+" && index == 0))
        }
    }

    /// Password policy for portal accounts: at least 10 characters, not all of one kind,
    /// not the email's local part.
    public static func passwordProblem(_ password: String, email: String = "") -> String? {
        if password.count < 10 { return "Mật khẩu phải có ít nhất 10 ký tự." }
        if password.count > 200 { return "Mật khẩu quá dài (tối đa 200 ký tự)." }
        let kinds = [
            password.contains(where: \.isLowercase), password.contains(where: \.isUppercase),
            password.contains(where: \.isNumber),
            password.contains(where: { !$0.isLetter && !$0.isNumber }),
        ].filter { $0 }.count
        if kinds < 2 { return "Mật khẩu cần kết hợp ít nhất hai loại: chữ thường, chữ hoa, chữ số, ký hiệu." }
        let local = email.split(separator: "@").first.map(String.init)?.lowercased() ?? ""
        if local.count >= 4 && password.lowercased().contains(local) {
            return "Mật khẩu không được chứa tên đăng nhập."
        }
        return nil
    }

    /// Normalises a host header or hostname: lower case, no port, no trailing dot.
    public static func canonicalHost(_ raw: String) -> String {
        // The common case, already lower case with at most a port, costs no Foundation call.
        if !raw.isEmpty, raw.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x3A) || $0 == 0x2E || $0 == 0x2D }) {
            var host = Substring(raw)
            if let colon = host.firstIndex(of: ":") { host = host[..<colon] }
            while host.hasSuffix(".") { host = host.dropLast() }
            return String(host)
        }
        var host = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if host.hasPrefix("[") {
            if let end = host.firstIndex(of: "]") { host = String(host[...end]) }
            return host
        }
        if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
        while host.hasSuffix(".") { host.removeLast() }
        return host
    }
}

extension Dictionary where Key == String, Value == String {
    /// A checkbox in a submitted form: browsers send «on» for one without a value; tests and
    /// scripts may send «1».
    public func isChecked(_ key: String) -> Bool { ["on", "1", "true"].contains(self[key] ?? "") }
}
