import EduCore

/// Mail domains of units. The directory (mailboxes, groups, Postfix/Dovecot maps) arrives with
/// the mail issue; for now this module holds the rule the unit forms already need.
public enum MailDomain {
    /// A unit's mail domain: a valid domain (A3.1b; `*.edu.vn` second-level names accepted),
    /// stored in lower case. Returns the Vietnamese error, or nil when it is acceptable.
    public static func problem(_ domain: String) -> String? {
        if domain.isEmpty { return nil }
        return Validation.isDomain(domain) ? nil : "Tên miền thư không hợp lệ (ví dụ đúng: ninhbinh.edu.vn)."
    }
}
