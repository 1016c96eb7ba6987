import Testing
@testable import EduCore

@Suite struct QueryStringTests {
    @Test func decodesPercentPlusAndRepairsBadUTF8() {
        let items = QueryString.parse("sbd=+01000003&ngay-sinh=04%2F05%2F2008&ho-ten=Nguy%E1%BB%85n+V%C4%83n+A&x=%ZZ&bad=%FF&=v&flag")
        #expect(items["sbd"] == " 01000003")
        #expect(items["ngay-sinh"] == "04/05/2008")
        #expect(items["ho-ten"] == "Nguyễn Văn A")
        #expect(items["x"] == "%ZZ")
        #expect(items["bad"] == "\u{FFFD}")
        #expect(items["flag"] == "")
        #expect(items[""] == nil)
    }

    @Test func whatAnAPIRefusesIsNamed() {
        #expect(QueryString.problem("lop=1&mon=To%C3%A1n&lop=2")?.contains("«lop»") == true)
        #expect(QueryString.problem("l%6Fp=1&lop=2")?.contains("«lop»") == true)
        #expect(QueryString.problem("lop=1&mon=x&trang=2") == nil)
        #expect(QueryString.problem("") == nil)
        #expect(QueryString.problem("q=" + String(repeating: "a", count: 2000))?.contains("quá dài") == true)
        #expect(QueryString.problem((0..<21).map { "k\($0)=v" }.joined(separator: "&"))?.contains("tối đa 20") == true)
    }

    @Test func refusesOversizedQueriesAndCapsPairs() {
        #expect(QueryString.parse(String(repeating: "a", count: 2001)).isEmpty)
        let many = (0..<40).map { "k\($0)=v" }.joined(separator: "&")
        #expect(QueryString.parse(many).count <= 21)
        #expect(QueryString.trimmed(" \t01 \t") == "01")
        #expect(QueryString.trimmed("   ") == "")
    }

    @Test func oneClientAddressRuleForEveryDoor() throws {
        let proxies = try TrustedProxies(parsing: "127.0.0.1, 10.0.0.0/8 2001:db8:1::/48")
        // The proxy appends what it saw; what the client wrote on the left is ignored.
        #expect(ClientAddress.resolve(forwardedFor: "1.2.3.4, 203.0.113.9", peer: "127.0.0.1", trusted: proxies) == "203.0.113.9")
        // A chain of trusted proxies is walked from the right.
        #expect(ClientAddress.resolve(forwardedFor: "6.6.6.6, 203.0.113.9, 10.1.2.3", peer: "127.0.0.1", trusted: proxies) == "203.0.113.9")
        #expect(ClientAddress.resolve(forwardedFor: "2001:db8:1:5::9", peer: "10.0.0.2", trusted: proxies) == "2001:db8:1:5::9")
        // A peer that is no trusted proxy: its header is not believed.
        #expect(ClientAddress.resolve(forwardedFor: "203.0.113.9", peer: "198.51.100.7", trusted: proxies) == "198.51.100.7")
        #expect(ClientAddress.resolve(forwardedFor: "203.0.113.9", peer: "127.0.0.1", trusted: .none) == "127.0.0.1")
        // Garbage in the header stops the walk at the last real address.
        #expect(ClientAddress.resolve(forwardedFor: "x@evil, 203.0.113.9", peer: "127.0.0.1", trusted: proxies) == "203.0.113.9")
        #expect(ClientAddress.resolve(forwardedFor: "203.0.113.9, not-an-ip", peer: "127.0.0.1", trusted: proxies) == "127.0.0.1")
        #expect(ClientAddress.resolve(forwardedFor: nil, peer: nil, trusted: proxies) == "unknown")
    }

    @Test func trustedProxyBlocksMatchByPrefix() throws {
        let proxies = try TrustedProxies(parsing: "192.168.4.0/22, 2001:db8::/32, ::1")
        #expect(proxies.contains("192.168.7.255") && !proxies.contains("192.168.8.0"))
        #expect(proxies.contains("2001:db8:ffff::1") && !proxies.contains("2001:db9::1"))
        #expect(proxies.contains("::1") && proxies.contains("[::1]") && !proxies.contains("::2"))
        #expect(proxies.contains("::ffff:192.168.4.1"))
        #expect(!proxies.contains("garbage") && !proxies.contains("1.2.3"))
        #expect(TrustedProxies.loopback.contains("127.9.9.9"))
        #expect(throws: TrustedProxies.ParseError.self) { try TrustedProxies(parsing: "10.0.0.0/33") }
        #expect(throws: TrustedProxies.ParseError.self) { try TrustedProxies(parsing: "proxy.example") }
    }
}
