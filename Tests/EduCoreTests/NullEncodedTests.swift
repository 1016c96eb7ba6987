import EduCore
import Foundation
import Testing

@Suite struct NullEncodedTests {
    struct Answer: Codable {
        let name: String
        @NullEncoded var year: Int?
    }

    @Test func missingValueIsWrittenAsNullNotLeftOut() throws {
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Answer(name: "A", year: nil))) as? [String: Any]
        #expect(json?.keys.sorted() == ["name", "year"])
        #expect(json?["year"] is NSNull)
    }

    @Test func presentValueIsWrittenAndReadBack() throws {
        let data = try JSONEncoder().encode(Answer(name: "B", year: 2025))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(json?["year"] as? Int == 2025)
        #expect(try JSONDecoder().decode(Answer.self, from: data).year == 2025)
        #expect(try JSONDecoder().decode(Answer.self, from: Data(#"{"name":"C","year":null}"#.utf8)).year == nil)
    }
}
