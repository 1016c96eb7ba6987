import Foundation

/// The key that rate limits count by: an IPv4 address as it is, an IPv6 address by its /64
/// (one household or phone gets a whole /64, so counting single IPv6 addresses is no limit).
public enum ClientAddress {
    /// The client's address as the audit log writes it and rate limits count it: the first
    /// `X-Forwarded-For` entry when a trusted reverse proxy sets it, else the socket's peer.
    /// The main server and the lookup listener both ask here.
    public static func resolve(forwardedFor: String?, peer: String?, trustForwardedFor: Bool) -> String {
        if trustForwardedFor, let forwardedFor, let first = forwardedFor.split(separator: ",").first {
            return first.trimmingCharacters(in: .whitespaces)
        }
        return peer ?? "unknown"
    }

    public static func rateLimitKey(_ address: String) -> String {
        var text = address
        if text.hasPrefix("[") , let end = text.firstIndex(of: "]") {
            text = String(text[text.index(after: text.startIndex)..<end])
        }
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        guard text.contains(":") else { return text }
        guard let groups = expandIPv6(text) else { return text.lowercased() }
        // IPv4-mapped (::ffff:a.b.c.d) counts as the IPv4 address.
        if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xFFFF {
            return "\(groups[6] >> 8).\(groups[6] & 0xFF).\(groups[7] >> 8).\(groups[7] & 0xFF)"
        }
        let prefix = groups[0..<4].map { String($0, radix: 16) }.joined(separator: ":")
        return prefix + "::/64"
    }

    /// Eight 16-bit groups, or nil when the text is not an IPv6 address.
    public static func expandIPv6(_ text: String) -> [UInt16]? {
        var text = text
        var ipv4Tail: [UInt16] = []
        // A dotted IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
        if let lastColon = text.lastIndex(of: ":"), text[lastColon...].contains(".") {
            let octets = text[text.index(after: lastColon)...].split(separator: ".", omittingEmptySubsequences: false)
                .compactMap { UInt16($0) }
            guard octets.count == 4, octets.allSatisfy({ $0 <= 255 }) else { return nil }
            ipv4Tail = [octets[0] << 8 | octets[1], octets[2] << 8 | octets[3]]
            text = String(text[...lastColon]) + "0:0"
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func parse(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            for piece in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                out.append(value)
            }
            return out
        }
        guard let head = parse(halves[0]) else { return nil }
        var groups: [UInt16]
        if halves.count == 2 {
            guard let back = parse(halves[1]), head.count + back.count <= 7 else { return nil }
            groups = head + Array(repeating: 0, count: 8 - head.count - back.count) + back
        } else {
            guard head.count == 8 else { return nil }
            groups = head
        }
        if !ipv4Tail.isEmpty { groups = Array(groups.prefix(6)) + ipv4Tail }
        return groups
    }
}
