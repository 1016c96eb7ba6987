/// Which hostnames and mail domains a unit may hold: the pure part of the delegation rules
/// (`NameService` applies them to the stored names).
public enum NameRules {
    /// Public mail and hosting providers and other organisations' well-known domains: never a
    /// unit's name, whoever asks (a school holding `gmail.com` would swallow the province's mail
    /// to Gmail).
    public static let neverLocal: Set<String> = [
        "gmail.com", "googlemail.com", "google.com", "yahoo.com", "yahoo.com.vn", "ymail.com", "outlook.com",
        "outlook.com.vn", "hotmail.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com",
        "proton.me", "protonmail.com", "zoho.com", "yandex.com", "yandex.ru", "mail.ru", "gmx.com", "gmx.net",
        "qq.com", "163.com", "126.com", "naver.com", "fpt.vn", "vnn.vn", "viettel.vn", "vnpt.vn", "zing.vn",
        "facebook.com", "microsoft.com", "apple.com", "amazon.com", "cloudflare.com",
        // the Ministry and the national government's portals
        "moet.gov.vn", "chinhphu.vn", "dichvucong.gov.vn",
    ]

    /// `name` is `suffix` or lies below it.
    public static func isWithin(_ name: String, _ suffix: String) -> Bool {
        name == suffix || name.hasSuffix("." + suffix)
    }

    /// The provider or well-known domain `name` falls under, if any.
    public static func reservedOwner(of name: String) -> String? {
        var labels = name.split(separator: ".")
        while labels.count >= 2 {
            let candidate = labels.joined(separator: ".")
            if neverLocal.contains(candidate) { return candidate }
            labels.removeFirst()
        }
        return nil
    }

    /// The names a unit holds by right, without asking anyone: `<code>.<base domain>` and below.
    public static func ownNamespace(code: String, baseDomain: String) -> String {
        code + "." + baseDomain
    }
}
