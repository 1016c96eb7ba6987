import Foundation

/// The key that rate limits count by: an IPv4 address as it is, an IPv6 address by its /64
/// (one household or phone gets a whole /64, so counting single IPv6 addresses is no limit).
public enum ClientAddress {
    /// The client's address as the audit log writes it and rate limits count it. When the socket's
    /// peer is a trusted proxy, `X-Forwarded-For` is read from the right: each proxy appends the
    /// address it received from, so the rightmost entry that is not itself a trusted proxy is the
    /// client; what stands left of it was written by the client and is ignored. Anything else: the
    /// peer. The main server and the lookup listener both ask here.
    public static func resolve(forwardedFor: String?, peer: String?, trusted: TrustedProxies) -> String {
        guard let peer else { return "unknown" }
        guard !trusted.isEmpty, trusted.contains(peer), let forwardedFor else { return peer }
        var client = peer
        for entry in forwardedFor.split(separator: ",").reversed() {
            let address = entry.trimmingCharacters(in: .whitespaces)
            // A malformed entry ends the chain: the last good address before it is the client.
            guard IPAddress(address) != nil else { break }
            client = address
            if !trusted.contains(address) { break }
        }
        return client
    }

    /// The keys a lookup is counted under, with how many times the base limit each may take:
    /// an IPv6 client by its /64, /56 (×4) and /48 (×16), so that a whole allocation of /64s
    /// is one budget; an IPv4 address once, at ×4 (carriers put many families behind one).
    public static func limitKeys(_ address: String) -> [(key: String, factor: Int)] {
        let key = rateLimitKey(address)
        guard key.hasSuffix("::/64"), let groups = expandIPv6(String(key.dropLast("::/64".count)) + "::") else {
            // Something that is no address at all (no peer known) gets no extra allowance.
            return [("4:" + key, IPAddress(key)?.isIPv4 == true ? 4 : 1)]
        }
        func prefix(_ bits: Int) -> String {
            var g = Array(groups.prefix(4))
            if bits == 56 { g[3] &= 0xFF00 }
            if bits == 48 { g = Array(g.prefix(3)) }
            return g.map { String($0, radix: 16) }.joined(separator: ":") + "::/\(bits)"
        }
        return [(prefix(64), 1), (prefix(56), 4), (prefix(48), 16)]
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

/// A parsed IPv4 or IPv6 address, as 16 bytes (IPv4 as IPv4-mapped IPv6).
public struct IPAddress: Equatable, Sendable {
    public let bytes: [UInt8]
    public let isIPv4: Bool

    public init?(_ text: String) {
        var text = text
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") { text = String(text[text.index(after: text.startIndex)..<end]) }
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        if text.contains(":") {
            guard let groups = ClientAddress.expandIPv6(text) else { return nil }
            bytes = groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            isIPv4 = false
        } else {
            let octets = text.split(separator: ".", omittingEmptySubsequences: false)
            guard octets.count == 4 else { return nil }
            var out: [UInt8] = []
            for octet in octets {
                guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCII), let value = UInt8(octet) else { return nil }
                out.append(value)
            }
            bytes = Array(repeating: 0, count: 10) + [0xFF, 0xFF] + out
            isIPv4 = true
        }
    }
}

/// The reverse proxies whose `X-Forwarded-For` is believed (`EDUPORTAL_TRUSTED_PROXIES`: a comma-
/// or space-separated list of addresses and CIDR blocks, IPv4 or IPv6).
public struct TrustedProxies: Sendable, Equatable {
    struct Block: Sendable, Equatable {
        let network: [UInt8]
        let prefix: Int
    }

    let blocks: [Block]

    public static let none = TrustedProxies(blocks: [])
    /// Proxies on this machine only (what `EDUPORTAL_TRUST_PROXY=1` means).
    public static let loopback = try! TrustedProxies(parsing: "127.0.0.0/8, ::1")

    init(blocks: [Block]) { self.blocks = blocks }

    public var isEmpty: Bool { blocks.isEmpty }

    public struct ParseError: Error, CustomStringConvertible {
        public let entry: String
        public var description: String { "EDUPORTAL_TRUSTED_PROXIES: «\(entry)» không phải địa chỉ IP hay dải CIDR (ví dụ 10.0.0.0/8, 2001:db8::/32)." }
    }

    public init(parsing text: String) throws {
        var blocks: [Block] = []
        for entry in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" }) {
            let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let address = IPAddress(String(parts[0])) else { throw ParseError(entry: String(entry)) }
            var prefix = 128
            if parts.count == 2 {
                guard let bits = Int(parts[1]), bits >= 0, bits <= (address.isIPv4 ? 32 : 128) else { throw ParseError(entry: String(entry)) }
                prefix = address.isIPv4 ? 96 + bits : bits
            }
            blocks.append(Block(network: address.bytes, prefix: prefix))
        }
        self.blocks = blocks
    }

    public func contains(_ text: String) -> Bool {
        guard let address = IPAddress(text) else { return false }
        return blocks.contains { block in
            var remaining = block.prefix
            for i in 0..<16 where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if address.bytes[i] & mask != block.network[i] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }
}
