import EduCore
import EduData
import EduTestSupport
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// `/metrics` (#18 point 2): Prometheus text that moves when requests are made, read by this
/// machine or with the token only. `scripts/test` parses it with the official Python client.
@Suite struct MetricsTests {
    /// The value of one sample, by name and the labels it must carry.
    static func sample(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
            guard labels.allSatisfy({ line.contains("\($0.key)=\"\($0.value)\"") }) else { continue }
            return line.split(separator: " ").last.flatMap { Double($0) }
        }
        return nil
    }

    @Test func countersMoveAndOnlyThisMachineOrTheTokenReadsThem() async throws {
        let token = "tk-" + SecureToken.generate()
        try await TestApp.run({ $0.metricsToken = token }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("bientap@so.edu.vn", .truongBanBienTap, at: province.so, app: app)
            _ = try await FeedAndMetadataTests().publish("Hội nghị tổng kết năm học", slug: "tin-tuc-su-kien", at: province.so, app: app)
            let visitor = Browser(app: app, host: "so.test")
            func scrape(_ headers: HTTPHeaders) async throws -> (HTTPStatus, String) {
                var result: (HTTPStatus, String) = (.internalServerError, "")
                try await app.testing().test(.GET, "/metrics", headers: headers) { response in result = (response.status, response.body.string) }
                return result
            }
            // In memory there is no peer address: without the token it is not there; a wrong token neither.
            #expect(try await scrape(["Host": "so.test"]).0 == .notFound)
            #expect(try await scrape(["Host": "so.test", "Authorization": "Bearer sai-\(token)"]).0 == .notFound)
            let authorized: HTTPHeaders = ["Host": "so.test", "Authorization": "Bearer \(token)"]
            let (status, before) = try await scrape(authorized)
            #expect(status == .ok)
            // Vapor counts by method too, and other tests in this process ask `HEAD /`: name the
            // method, or the first line found may be another method's.
            let requests = Self.sample(before, "http_requests_total", ["method": "GET", "path": "/", "status": "200"]) ?? 0
            let hits = Self.sample(before, "eduportal_page_cache_requests_total", ["result": "hit"]) ?? 0
            _ = try await visitor.get("/")
            _ = try await visitor.get("/")
            let (_, after) = try await scrape(authorized)
            #expect((Self.sample(after, "http_requests_total", ["method": "GET", "path": "/", "status": "200"]) ?? 0) >= requests + 2)
            #expect((Self.sample(after, "eduportal_page_cache_requests_total", ["result": "hit"]) ?? 0) >= hits + 1)
            #expect(Self.sample(after, "http_request_duration_seconds_count", ["path": "/"]) != nil)
            #expect(Self.sample(after, "eduportal_page_cache_entries") != nil && Self.sample(after, "eduportal_outbox_pending") != nil)
            // Every sample line is name{labels} value.
            let malformed = after.split(separator: "\n").filter { !$0.hasPrefix("#") }
                .filter { $0.range(of: #"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eEInfNa]+$"#, options: .regularExpression) == nil }
            #expect(malformed.isEmpty, "\(malformed.prefix(3))")

            // Over the network: a direct request from this machine reads it; one through a proxy does not.
            let port = freeLoopbackPort()
            try await TestApp.serving(app, port: port) {
                let direct = try await app.client.get("http://127.0.0.1:\(port)/metrics")
                #expect(direct.status == .ok && (direct.body.map { String(buffer: $0) } ?? "").contains("http_requests_total"))
                let proxied = try await app.client.get("http://127.0.0.1:\(port)/metrics", headers: ["X-Forwarded-For": "203.0.113.9"])
                #expect(proxied.status == .notFound)
            }
        }
    }
}
