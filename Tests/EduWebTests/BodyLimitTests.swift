import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Bodies are read only after the session and the CSRF token pass; large bodies only on the
/// routes that take uploads (#11).
@Suite struct BodyLimitTests {
    @Test func anUploadWithoutSessionOrTokenIsRefusedBeforeItsBodyIsRead() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let port = freeLoopbackPort()
            app.http.server.configuration.hostname = "127.0.0.1"
            app.http.server.configuration.port = port
            try await app.asyncBoot()
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            // 50 MB announced, the first kilobyte sent: the answer comes without the rest.
            let anonymous = await rawExchangeOffPool(port: port, head: """
                POST /quan-tri/don-vi/th-a/tep HTTP/1.1\r
                Host: a.test\r
                Content-Type: multipart/form-data; boundary=x\r
                Content-Length: 52428800\r
                \r
                --x\r
                Content-Disposition: form-data; name="file"; filename="a.bin"\r
                \r
                \(String(repeating: "A", count: 1000))
                """, seconds: 30)
            #expect(anonymous.hasPrefix("HTTP/1.1 403"), "\(anonymous.prefix(80))")

            // Signed in, but the token only in the body: refused unread as well.
            let browser = Browser(app: app, host: "a.test")
            try await browser.login("quantri@a.edu.vn", Province.password)
            let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let noToken = await rawExchangeOffPool(port: port, head: """
                POST /quan-tri/don-vi/th-a/tep HTTP/1.1\r
                Host: a.test\r
                Cookie: \(cookie)\r
                Content-Type: multipart/form-data; boundary=x\r
                Content-Length: 52428800\r
                \r
                --x\r
                Content-Disposition: form-data; name="file"; filename="a.bin"\r
                \r
                \(String(repeating: "A", count: 1000))
                """, seconds: 30)
            #expect(noToken.hasPrefix("HTTP/1.1 403"), "\(noToken.prefix(80))")
            await app.server.shutdown()
        }
    }

    @Test func formsAreSmallAndOnlyUploadRoutesTakeLargeBodies() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@a.edu.vn", .quanTri, at: province.schoolA, app: app)
            let port = freeLoopbackPort()
            try await app.asyncBoot()
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            let browser = Browser(app: app, host: "a.test")
            try await browser.login("quantri@a.edu.vn", Province.password)
            _ = try await browser.get("/quan-tri/don-vi/th-a/sua")
            let token = try #require(browser.lastCSRF)
            let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            func post(_ path: String, contentType: String, body: [UInt8]) async throws -> HTTPStatus {
                var request = ClientRequest(method: .POST, url: URI(string: "http://127.0.0.1:\(port)\(path)"))
                request.headers = ["Host": "a.test", "Cookie": cookie, "Content-Type": contentType]
                request.body = ByteBuffer(bytes: body)
                do { return try await app.client.send(request).status } catch { return .payloadTooLarge }  // closed early
            }
            // A 2 MB ordinary form is refused; the unit keeps its name.
            let form = Array("_csrf=\(token)&name=".utf8) + Array(repeating: 97, count: 2 << 20)
            #expect(try await post("/quan-tri/don-vi/th-a/sua", contentType: "application/x-www-form-urlencoded", body: form) == .payloadTooLarge)
            // 2 MB of multipart to a route that takes no upload: refused, token or not.
            let multipart = Array("--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n".utf8) + Array(repeating: 97, count: 2 << 20)
                + Array("\r\n--x--\r\n".utf8)
            #expect(try await post("/quan-tri/don-vi/th-a/sua?_csrf=\(token)", contentType: "multipart/form-data; boundary=x", body: multipart) == .payloadTooLarge)
            #expect(try await OrgUnit.find(code: "th-a", on: app.db)?.name == "Trường Tiểu học Nguyễn Trãi")
            // The media library's upload route takes 2 MB.
            let picture = Array("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
                + [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 2 << 20) + Array("\r\n--x--\r\n".utf8)
            let status = try await post("/quan-tri/don-vi/th-a/tep?_csrf=\(token)", contentType: "multipart/form-data; boundary=x", body: picture)
            #expect(status != .payloadTooLarge && status != .forbidden, "\(status)")
            await app.server.shutdown()
        }
    }
}
