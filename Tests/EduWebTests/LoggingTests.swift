import EduTestSupport
import Foundation
import Logging
import Testing
import Vapor
@testable import EduWeb

/// Structured logs (#18 point 2): a JSON object per line carrying the request id, and the same id
/// on the page a visitor sees when the server fails, so a report leads to its log line.
@Suite struct LoggingTests {
    struct Breakdown: Error {}

    @Test func aFaultsPageAndItsJSONShowTheRequestIDTheLogCarries() async throws {
        try await TestApp.run { app in
            _ = try await Province.make(on: app.db)
            let request = Request(application: app, method: .GET, url: "/tin-tuc", headers: ["Host": "a.test"], on: app.eventLoopGroup.any())
            let page = ErrorPageMiddleware().render(Breakdown(), for: request)
            #expect(page.status == .internalServerError)
            let html = page.body.string ?? ""
            #expect(!request.id.isEmpty && html.contains(request.id), "the 500 page does not show the request id")
            #expect(!html.contains("Breakdown"), "internals shown to the visitor")
            // A refusal is no fault: no id to report.
            let missing = ErrorPageMiddleware().render(Abort(.notFound), for: request)
            #expect(missing.status == .notFound && !((missing.body.string ?? "").contains(request.id)))
            let api = Request(application: app, method: .GET, url: "/api/v1/units", headers: ["Host": "a.test"], on: app.eventLoopGroup.any())
            let apiBody = ErrorPageMiddleware().render(Breakdown(), for: api).body.string ?? ""
            let json = try JSONSerialization.jsonObject(with: Data(apiBody.utf8)) as? [String: String]
            #expect(json?["requestId"] == api.id && json?["error"]?.isEmpty == false)
            // The request's logger carries the id the page showed.
            #expect(request.logger[metadataKey: "request-id"]?.description == request.id)
        }
    }

    @Test func jsonLinesAreOneObjectEachWithTheirMetadata() throws {
        let line = JSONLogHandler.line(time: Date(timeIntervalSince1970: 0), level: .error, label: "codes.vapor.request",
                                       message: "Lỗi \"ngoài dự kiến\"\nở dòng hai", metadata: ["request-id": "abc-123", "message": "không ghi đè"])
        #expect(line.hasSuffix("}\n") && line.dropLast().contains("\n") == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["level"] == "error" && object["request-id"] == "abc-123" && object["logger"] == "codes.vapor.request")
        #expect(object["message"] == "Lỗi \"ngoài dự kiến\"\nở dòng hai")
        #expect(object["time"]?.hasPrefix("1970-01-01T00:00:00") == true)
    }
}
