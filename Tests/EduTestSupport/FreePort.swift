import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it).
public func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return Int.random(in: 30_000...60_000) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { return Int.random(in: 30_000...60_000) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Sends `head` (request line and headers, and at most the first bytes of a body) to
/// 127.0.0.1:`port` and returns what the server answers within `seconds`, without ever sending
/// the rest of the body the headers announce: a server that waits for the body returns "".
public func rawExchange(port: Int, head: String, seconds: Int = 5) -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
    guard connected else { return "" }
    var timeout = timeval(tv_sec: seconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let bytes = Array(head.utf8)
    guard send(fd, bytes, bytes.count, 0) == bytes.count else { return "" }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = recv(fd, &buffer, buffer.count, 0)
    return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
}

/// `rawExchange` on a thread of its own: the socket calls block, and a blocked thread of Swift's
/// small cooperative pool (two threads on a two-core machine) can starve the very server it waits for.
public func rawExchangeOffPool(port: Int, head: String, seconds: Int = 5) async -> String {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: rawExchange(port: port, head: head, seconds: seconds)) }.start()
    }
}
