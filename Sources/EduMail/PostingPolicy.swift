import Foundation

/// Who may write to a group (its "posting" setting), as Postfix's policy delegation asks it:
/// `open` lets anyone write, `members` only the addresses the group delivers to and its owners,
/// `moderated` holds everyone's mail but the owners' for an owner to release.
public enum PostingPolicy {
    public enum Decision: Equatable, Sendable {
        case dunno
        case reject(String)
        case hold(String)
        /// The directory could not be read: try again later rather than let the mail through.
        case tempfail(String)

        /// The line Postfix expects back (`action=…`, then an empty line).
        public var reply: String {
            switch self {
            case .dunno: "action=DUNNO\n\n"
            case .reject(let text): "action=REJECT \(text)\n\n"
            case .hold(let text): "action=HOLD \(text)\n\n"
            case .tempfail(let text): "action=451 \(text)\n\n"
            }
        }
    }

    /// The group address a recipient names: `group+anything@domain` is `group@domain`.
    public static func baseAddress(_ recipient: String) -> String {
        let parts = recipient.lowercased().split(separator: "@", maxSplits: 1)
        guard parts.count == 2, let plus = parts[0].firstIndex(of: "+"), plus != parts[0].startIndex else { return recipient.lowercased() }
        return parts[0][..<plus] + "@" + parts[1]
    }

    public static func decide(posting: String, groupAddress: String, sender rawSender: String, members: Set<String>, owners: Set<String>) -> Decision {
        let sender = rawSender.lowercased()
        if owners.contains(sender) { return .dunno }
        switch posting {
        case "open":
            return .dunno
        case "moderated":
            return .hold("Thư gửi nhóm \(groupAddress) chờ người quản lý nhóm duyệt")
        default:
            return members.contains(sender) && !sender.isEmpty ? .dunno : .reject("5.7.1 Nhóm \(groupAddress) chỉ nhận thư từ thành viên")
        }
    }

    /// Parses one policy request (`name=value` lines); nil until the terminating empty line.
    public static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            values[String(line[..<eq])] = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return values
    }
}
