import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small DNS client over UDP (RFC 1035, EDNS0 with the DO bit, RFC 6891): enough for the
/// auditor to ask whether a name has AAAA, MX, SPF and DMARC records and whether its zone is
/// signed. No library on the mirror or in Debian offers a DNS client to Swift; this asks one
/// server (the system's resolver or the one given) and reads only what the checks need.
struct DNSClient: Sendable {
    enum RecordType: UInt16, Sendable {
        case a = 1, mx = 15, txt = 16, aaaa = 28, rrsig = 46, dnskey = 48
    }

    struct Answer: Sendable, Equatable {
        /// Records of the asked type in the answer section (MX: the exchange; TXT: the joined strings; others: empty).
        var records: [String] = []
        /// RRSIG records came with the answer (the zone is signed).
        var signed = false
        /// The server vouched for the answer (AD: a validating resolver checked the signatures).
        var authenticated = false
        /// NXDOMAIN or another error code.
        var rcode: UInt8 = 0
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let host: String
    let port: UInt16
    var timeout: TimeInterval = 2

    /// The first nameserver of `/etc/resolv.conf` (127.0.0.53 when there is none).
    static func system() -> DNSClient {
        let conf = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
        let server = conf.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return parts.count >= 2 && parts[0] == "nameserver" ? String(parts[1]) : nil
        }.first
        return DNSClient(host: server ?? "127.0.0.53", port: 53)
    }

    /// `127.0.0.1:5353`, `[::1]:53`, `10.0.0.2`.
    static func parse(_ text: String) -> DNSClient? {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            let port = rest.hasPrefix(":") ? UInt16(rest.dropFirst()) : 53
            return port.map { DNSClient(host: host, port: $0) }
        }
        let parts = text.split(separator: ":")
        if parts.count == 2, let port = UInt16(parts[1]) { return DNSClient(host: String(parts[0]), port: port) }
        return parts.count == 1 ? DNSClient(host: text, port: 53) : nil
    }

    func query(_ name: String, _ type: RecordType) async throws -> Answer {
        let message = Self.message(name: name, type: type, id: UInt16.random(in: 1...UInt16.max))
        let reply = try await Task.detached { [self] in try exchange(message) }.value
        return try Self.read(reply, type: type)
    }

    // MARK: - Wire format

    static func message(name: String, type: RecordType, id: UInt16) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, 1]  // RD and AD asked; one question, one OPT
        for label in name.split(separator: ".") where !label.isEmpty {
            let utf8 = Array(label.utf8.prefix(63))
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes += [0, UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xFF), 0, 1]
        // OPT: root name, type 41, payload 1232, extended rcode 0, version 0, DO set, no data.
        bytes += [0, 0, 41, 0x04, 0xD0, 0, 0, 0x80, 0, 0, 0]
        return bytes
    }

    static func read(_ reply: [UInt8], type: RecordType) throws -> Answer {
        guard reply.count >= 12 else { throw Failure(description: "trả lời DNS quá ngắn") }
        var answer = Answer()
        answer.rcode = reply[3] & 0x0F
        answer.authenticated = reply[3] & 0x20 != 0
        let questions = Int(reply[4]) << 8 | Int(reply[5])
        let answers = Int(reply[6]) << 8 | Int(reply[7])
        var offset = 12
        func skipName() throws {
            while true {
                guard offset < reply.count else { throw Failure(description: "tên trong trả lời DNS bị cắt") }
                let length = Int(reply[offset])
                if length & 0xC0 == 0xC0 { offset += 2; return }
                offset += 1
                if length == 0 { return }
                offset += length
            }
        }
        func name(at start: Int) -> String {
            var labels: [String] = []
            var position = start
            var jumps = 0
            while position < reply.count, jumps < 20 {
                let length = Int(reply[position])
                if length == 0 { break }
                if length & 0xC0 == 0xC0 {
                    guard position + 1 < reply.count else { break }
                    position = (length & 0x3F) << 8 | Int(reply[position + 1])
                    jumps += 1
                    continue
                }
                guard position + 1 + length <= reply.count else { break }
                labels.append(String(decoding: reply[(position + 1)..<(position + 1 + length)], as: UTF8.self))
                position += 1 + length
            }
            return labels.joined(separator: ".")
        }
        for _ in 0..<questions {
            try skipName()
            offset += 4
        }
        for _ in 0..<answers {
            try skipName()
            guard offset + 10 <= reply.count else { throw Failure(description: "bản ghi DNS bị cắt") }
            let recordType = UInt16(reply[offset]) << 8 | UInt16(reply[offset + 1])
            let length = Int(reply[offset + 8]) << 8 | Int(reply[offset + 9])
            let data = offset + 10
            guard data + length <= reply.count else { throw Failure(description: "bản ghi DNS bị cắt") }
            if recordType == RecordType.rrsig.rawValue { answer.signed = true }
            if recordType == type.rawValue {
                switch type {
                case .mx: answer.records.append(name(at: data + 2))
                case .txt:
                    var text = "", position = data
                    while position < data + length {
                        let size = Int(reply[position])
                        text += String(decoding: reply[(position + 1)..<min(position + 1 + size, data + length)], as: UTF8.self)
                        position += 1 + size
                    }
                    answer.records.append(text)
                default: answer.records.append("")
                }
            }
            offset = data + length
        }
        return answer
    }

    /// One query and its reply over UDP (a datagram socket with a receive timeout).
    private func exchange(_ message: [UInt8]) throws -> [UInt8] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &info) == 0, let address = info else {
            throw Failure(description: "địa chỉ máy chủ DNS «\(host)» không hợp lệ")
        }
        defer { freeaddrinfo(info) }
        let fd = socket(address.pointee.ai_family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "không mở được socket UDP") }
        defer { close(fd) }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        guard connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0,
              message.withUnsafeBytes({ send(fd, $0.baseAddress, message.count, 0) }) == message.count else {
            throw Failure(description: "không gửi được truy vấn tới máy chủ DNS \(host):\(port)")
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 4096, 0) }
        guard received > 0 else { throw Failure(description: "máy chủ DNS \(host):\(port) không trả lời trong \(Int(timeout)) giây") }
        guard Int(buffer[0]) << 8 | Int(buffer[1]) == Int(message[0]) << 8 | Int(message[1]) else { throw Failure(description: "trả lời DNS không khớp truy vấn") }
        return Array(buffer.prefix(received))
    }
}
