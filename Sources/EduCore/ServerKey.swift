import Crypto
import Foundation

/// The server's own secret: signs contact challenges (so issuing one writes nothing) and
/// encrypts second-factor secrets at rest. It lives outside the database, in
/// `EDUPORTAL_SECRET_FILE` or `<data>/secret.key` (made on first start, 32 random bytes, mode
/// 0600); every node of one deployment reads the same file.
public struct ServerKey: Sendable {
    public let key: SymmetricKey

    public init(bytes: [UInt8]) {
        key = SymmetricKey(data: bytes)
    }

    public static func random() -> ServerKey {
        ServerKey(bytes: Array(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }))
    }

    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads the key file, creating it when it does not exist yet.
    public static func load(path: String) throws -> ServerKey {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            let fresh = random()
            let bytes = fresh.key.withUnsafeBytes { Data($0) }
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try? manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Created exclusively: of two processes starting at once, one writes and both read it.
            if manager.createFile(atPath: path + ".tmp-\(getpid())", contents: bytes, attributes: [.posixPermissions: 0o600]) {
                if link(path + ".tmp-\(getpid())", path) != 0 && errno != EEXIST {
                    try? manager.removeItem(atPath: path + ".tmp-\(getpid())")
                    throw LoadError(description: "Không tạo được tệp khóa bí mật \(path).")
                }
                try? manager.removeItem(atPath: path + ".tmp-\(getpid())")
            }
        }
        guard let data = manager.contents(atPath: path), data.count >= 32 else {
            throw LoadError(description: "Tệp khóa bí mật \(path) không đọc được hoặc ngắn hơn 32 byte.")
        }
        return ServerKey(bytes: Array(data.prefix(64)))
    }

    /// HMAC-SHA256 of `text`, base64url.
    public func sign(_ text: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public func verify(_ text: String, signature: String) -> Bool {
        let expected = Array(sign(text).utf8), given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// AES-GCM sealed `plain`, base64 (nonce, ciphertext and tag together).
    public func seal(_ plain: String) throws -> String {
        try AES.GCM.seal(Data(plain.utf8), using: key).combined!.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw LoadError(description: "Dữ liệu mã hóa hỏng.") }
        return String(decoding: try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key), as: UTF8.self)
    }
}
