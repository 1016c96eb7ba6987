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

    @Test func refusesOversizedQueriesAndCapsPairs() {
        #expect(QueryString.parse(String(repeating: "a", count: 2001)).isEmpty)
        let many = (0..<40).map { "k\($0)=v" }.joined(separator: "&")
        #expect(QueryString.parse(many).count <= 21)
        #expect(QueryString.trimmed(" \t01 \t") == "01")
        #expect(QueryString.trimmed("   ") == "")
    }

    @Test func oneClientAddressRuleForEveryDoor() {
        #expect(ClientAddress.resolve(forwardedFor: "203.0.113.9, 10.0.0.1", peer: "127.0.0.1", trustForwardedFor: true) == "203.0.113.9")
        #expect(ClientAddress.resolve(forwardedFor: "203.0.113.9", peer: "127.0.0.1", trustForwardedFor: false) == "127.0.0.1")
        #expect(ClientAddress.resolve(forwardedFor: nil, peer: nil, trustForwardedFor: true) == "unknown")
    }
}
