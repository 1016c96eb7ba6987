import Crypto
import Foundation

/// A small proof of work for public forms, needing no third party: find a nonce such that
/// SHA-256(token ":" nonce) starts with `bits` zero bits. A browser solves 16 bits in well under a
/// second; a spammer pays that for every message.
public enum ProofOfWork {
    public static func leadingZeroBits(_ digest: [UInt8]) -> Int {
        var count = 0
        for byte in digest {
            if byte == 0 {
                count += 8
                continue
            }
            count += byte.leadingZeroBitCount
            break
        }
        return count
    }

    public static func verify(token: String, nonce: String, bits: Int) -> Bool {
        guard nonce.count <= 32, !nonce.isEmpty else { return false }
        let digest = Array(SHA256.hash(data: Data((token + ":" + nonce).utf8)))
        return leadingZeroBits(digest) >= bits
    }

    /// Solves a challenge (tests and the command line; browsers run the same loop in site.js).
    public static func solve(token: String, bits: Int) -> String {
        var nonce = 0
        while !verify(token: token, nonce: String(nonce), bits: bits) { nonce += 1 }
        return String(nonce)
    }
}
