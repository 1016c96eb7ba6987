import EduCore
import Foundation
import Testing

@Suite struct TextNormalizerTests {
    @Test func decomposedInputBecomesNFC() {
        let decomposed = "Tru\u{031B}o\u{031B}\u{0300}ng ho\u{0323}c"  // "Trường học" typed with combining marks
        let result = TextNormalizer.normalize(decomposed)
        #expect(result == "Trường học")
        #expect(result.unicodeScalars.count == 10)
    }

    @Test func trimsCollapsesAndDropsControlCharacters() {
        #expect(TextNormalizer.normalize("  Sở\u{0007} Giáo  dục\u{200B}\n và Đào tạo\u{202E} ") == "Sở Giáo dục và Đào tạo")
        #expect(TextNormalizer.normalize("dòng 1\r\ndòng 2\rdòng 3\u{0000}", mode: .multiLine) == "dòng 1\ndòng 2\ndòng 3")
    }

    @Test func cutsToTheLimitInCharactersNotBytes() {
        let result = TextNormalizer.normalize(String(repeating: "ữ", count: 50), maxLength: 10)
        #expect(result.count == 10)
        #expect(result == String(repeating: "ữ", count: 10))
    }

    @Test func tcvn3TextIsConverted() {
        // "Trường học" and "Hà Nội" as TCVN3 (ABC) bytes read as Windows-1252.
        #expect(TextNormalizer.normalize("Tr\u{AD}\u{EA}ng h\u{E4}c") == "Trường học")
        #expect(TextNormalizer.normalize("H\u{B5} N\u{E9}i") == "Hà Nội")
        #expect(LegacyVietnamese.detect("Gi\u{B8}o d\u{F4}c v\u{B5} \u{AE}\u{B5}o t\u{B9}o") == .tcvn3)
        #expect(TextNormalizer.normalize("Gi\u{B8}o d\u{F4}c v\u{B5} \u{AE}\u{B5}o t\u{B9}o") == "Giáo dục và đào tạo")
    }

    @Test func vniTextIsConverted() {
        // VNI-Windows: base letter followed by a mark byte; ư is ö, ơ is ô, đ is ñ.
        #expect(TextNormalizer.normalize("Tr\u{F6}\u{F4}\u{F8}ng ho\u{EF}c") == "Trường học")
        #expect(TextNormalizer.normalize("Ha\u{F8} No\u{E4}i") == "Hà Nội")
        #expect(LegacyVietnamese.detect("Gia\u{F9}o du\u{EF}c va\u{F8} \u{F1}a\u{F8}o ta\u{EF}o") == .vni)
        #expect(TextNormalizer.normalize("Gia\u{F9}o du\u{EF}c va\u{F8} \u{F1}a\u{F8}o ta\u{EF}o") == "Giáo dục và đào tạo")
        #expect(TextNormalizer.normalize("\u{D1}A\u{CF}I HO\u{CF}C") == "ĐẠI HỌC")
    }

    @Test func unicodeAndForeignTextAreLeftAlone() {
        for text in ["Trường học", "Hà Nội", "café crème", "Müller Straße", "Đà Nẵng", "Sở GD&ĐT", "naïve façade", "1/2 ± 3 × 4"] {
            #expect(TextNormalizer.normalize(text) == text, "\(text)")
        }
    }

    @Test func bytesDecodeFromUTF8BOMUTF16AndLegacy() {
        #expect(TextNormalizer.decodeRaw([0xEF, 0xBB, 0xBF] + Array("Đồng Nai".utf8)) == "Đồng Nai")
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("Huế".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(TextNormalizer.decodeRaw(utf16) == "Huế")
        // TCVN3 bytes in a file: invalid UTF-8, decoded as Windows-1252 then converted.
        #expect(TextNormalizer.decode([0x54, 0x72, 0xAD, 0xEA, 0x6E, 0x67]) == "Trường")
    }

    @Test func foldingRemovesDiacriticsAndDStroke() {
        #expect(SearchFolding.fold("Trường học") == "truong hoc")
        #expect(SearchFolding.fold("Đồng Nai") == "dong nai")
        #expect(SearchFolding.fold("Đà Nẵng") == "da nang")
        #expect(SearchFolding.fold("Tru\u{031B}\u{0300}o\u{031B}ng") == "truong")
        #expect(SearchFolding.foldWords("THPT Chu Văn An – Hà Nội!") == "thpt chu van an ha noi")
    }

    @Test func slugsAreAsciiAndValid() {
        #expect(Slug.make("Trường THPT Chu Văn An") == "truong-thpt-chu-van-an")
        #expect(Slug.make("  Sở GD&ĐT  Đồng Nai ") == "so-gd-dt-dong-nai")
        #expect(Slug.isValid("thpt-chu-van-an"))
        #expect(!Slug.isValid("THPT"))
        #expect(!Slug.isValid("a--b"))
        #expect(!Slug.isValid("-a"))
        #expect(!Slug.isValid("trường"))
    }

    @Test func syllableShapes() {
        for word in ["trường", "nghiêng", "khuya", "Đồng", "quốc", "gì"] { #expect(VietnameseSyllable.isValid(word), "\(word)") }
        for word in ["Müller", "str", "ảá", "hello", "haư", "nooi"] { #expect(!VietnameseSyllable.isValid(word), "\(word)") }
    }
}

@Suite struct ValidationTests {
    @Test func domainsAcceptEduVnSecondLevel() {
        #expect(Validation.isDomain("ninhbinh.edu.vn"))
        #expect(Validation.isDomain("thptchuvanan.ninhbinh.edu.vn"))
        #expect(Validation.isDomain("moet.gov.vn"))
        #expect(!Validation.isDomain("edu.vn"))
        #expect(!Validation.isDomain("localhost"))
        #expect(!Validation.isDomain("bad_domain.vn"))
        #expect(!Validation.isDomain("-a.edu.vn"))
        #expect(!Validation.isDomain("a..vn"))
    }

    @Test func emails() {
        #expect(Validation.isEmail("quantri@ninhbinh.edu.vn"))
        #expect(Validation.isEmail("nguyen.van.an+tin@thpt.edu.vn"))
        #expect(!Validation.isEmail("quantri@"))
        #expect(!Validation.isEmail("a@b@c.vn"))
        #expect(!Validation.isEmail("trường@edu.vn"))
        #expect(!Validation.isEmail("a..b@edu.vn"))
    }

    @Test func phonesAndPasswords() {
        #expect(Validation.isPhone("0229 3871 234"))
        #expect(Validation.isPhone("+84 229.387.1234"))
        #expect(!Validation.isPhone("12345"))
        #expect(!Validation.isPhone("0229-abc-1234"))
        #expect(Validation.passwordProblem("ngan") != nil)
        #expect(Validation.passwordProblem("aaaaaaaaaaaa") != nil)
        #expect(Validation.passwordProblem("quantri2026!", email: "quantri@so.edu.vn") != nil)
        #expect(Validation.passwordProblem("Mùa-thu-2026") == nil)
    }

    @Test func hostsAreCanonical() {
        #expect(Validation.canonicalHost("THPT-A.Localhost:8080") == "thpt-a.localhost")
        #expect(Validation.canonicalHost("example.vn.") == "example.vn")
        #expect(Validation.canonicalHost("[::1]:8080") == "[::1]")
    }
}

@Suite struct ClientAddressTests {
    @Test func ipv6CountsByPrefix() {
        #expect(ClientAddress.rateLimitKey("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64")
        #expect(ClientAddress.rateLimitKey("2001:db8:1:2::9") == "2001:db8:1:2::/64")
        #expect(ClientAddress.rateLimitKey("[2001:DB8:1:2:ffff::1]") == "2001:db8:1:2::/64")
        #expect(ClientAddress.rateLimitKey("fe80::1%eth0") == "fe80:0:0:0::/64")
        #expect(ClientAddress.rateLimitKey("2001:db8:1:3::1") != ClientAddress.rateLimitKey("2001:db8:1:2::1"))
    }

    @Test func ipv4AndMappedAddressesCountAlone() {
        #expect(ClientAddress.rateLimitKey("203.0.113.7") == "203.0.113.7")
        #expect(ClientAddress.rateLimitKey("::ffff:203.0.113.7") == "203.0.113.7")
        #expect(ClientAddress.expandIPv6("1::2::3") == nil)
        #expect(ClientAddress.expandIPv6("::") == [0, 0, 0, 0, 0, 0, 0, 0])
    }
}

@Suite struct TOTPTests {
    /// RFC 6238 appendix B, SHA-1, secret "12345678901234567890", 8 digits.
    @Test(arguments: [(59.0, "94287082"), (1111111109.0, "07081804"), (1234567890.0, "89005924"), (2000000000.0, "69279037")])
    func rfc6238Vectors(time: Double, code: String) {
        let generator = TOTPGenerator(secret: Array("12345678901234567890".utf8), digits: 8)
        #expect(generator.code(at: Date(timeIntervalSince1970: time)) == code)
    }

    @Test func verifyAcceptsNeighbouringPeriodsOnly() throws {
        let generator = TOTPGenerator(secret: TOTPGenerator.randomSecret())
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(generator.verify(generator.code(at: now), at: now) == generator.counter(at: now))
        #expect(generator.verify(generator.code(at: now.addingTimeInterval(-30)), at: now) != nil)
        #expect(generator.verify(generator.code(at: now.addingTimeInterval(-120)), at: now) == nil)
        #expect(generator.verify("12345", at: now) == nil)
        #expect(generator.verify("abcdef", at: now) == nil)
    }

    @Test func base32RoundTrips() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("MZXW6YTBOI======") == Array("foobar".utf8))
        #expect(Base32.decode("not base32!") == nil)
        let secret = TOTPGenerator.randomSecret()
        #expect(Base32.decode(Base32.encode(secret)) == secret)
    }
}

@Suite struct LoginThrottlePolicyTests {
    let policy = LoginThrottlePolicy(maxFailures: 5, baseLock: 60, maxLock: 3600)
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func fifthFailureLocksForAMinute() {
        var state = LoginThrottlePolicy.State()
        for i in 0..<4 {
            state = policy.afterFailure(state, now: start.addingTimeInterval(Double(i)))
            #expect(policy.lockRemaining(state, now: start.addingTimeInterval(Double(i))) == nil)
        }
        let before = state
        state = policy.afterFailure(state, now: start.addingTimeInterval(4))
        #expect(policy.didLock(from: before, to: state))
        #expect(policy.lockRemaining(state, now: start.addingTimeInterval(5)) == 59)
        #expect(policy.lockRemaining(state, now: start.addingTimeInterval(65)) == nil)
    }

    @Test func eachLockDoublesUpToTheCap() {
        var state = LoginThrottlePolicy.State()
        var lengths: [TimeInterval] = []
        var now = start
        for _ in 0..<8 {
            for _ in 0..<5 { state = policy.afterFailure(state, now: now) }
            lengths.append(state.lockedUntil!.timeIntervalSince(now))
            now = state.lockedUntil!.addingTimeInterval(1)
        }
        #expect(lengths == [60, 120, 240, 480, 960, 1920, 3600, 3600])
    }

    @Test func oldFailuresAreForgotten() {
        var state = LoginThrottlePolicy.State()
        for _ in 0..<4 { state = policy.afterFailure(state, now: start) }
        state = policy.afterFailure(state, now: start.addingTimeInterval(16 * 60))
        #expect(state.failures == 1)
        #expect(state.lockedUntil == nil)
    }
}
