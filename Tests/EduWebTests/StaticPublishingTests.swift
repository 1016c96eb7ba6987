import EduCore
import EduData
import EduTestSupport
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// `eduportal publish-static` (#18 point 6): public pages as files, one result page per candidate
/// under a keyed hash, and an atomic switch when published again. nginx with njs serving them is
/// checked in `scripts/test`.
@Suite struct StaticPublishingTests {
    @Test func pagesAndResultsAreWrittenUnderAKeyedHashAndSwitchedAtomically() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await province.user("bientap@thpt.edu.vn", .truongBanBienTap, at: province.thpt, app: app)
            let session = try await ExamLookupTests.session(app, unit: province.thpt)
            try await ExamLookupTests.importFile(app, session, ExamLookupTests.file(count: 12, score: "7,5"))
            let scoresOnly = try await ExamLookupTests.session(app, unit: province.thpt, requireBirthDate: false, name: "Khảo sát chất lượng lớp 12")
            try await ExamLookupTests.importFile(app, scoresOnly, ExamLookupTests.file(count: 3, score: "6"))
            _ = try await FeedAndMetadataTests().publish("Lịch công bố điểm thi lớp 10", slug: "thong-bao", at: province.thpt, app: app)
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("static-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out) }

            let first = try await StaticPublishing.publish(app: app, out: out.path)
            #expect(first.sessions == 2 && first.candidates == 15)
            #expect(first.hosts == 5 && first.pages >= 5 * 3)
            let current = out.appendingPathComponent("current")
            let link = try FileManager.default.destinationOfSymbolicLink(atPath: current.path)
            #expect(link.hasPrefix("releases/") && first.release.hasSuffix(link))

            // Pages: the school's home page and its notice, as the server renders them.
            let home = try String(contentsOf: current.appendingPathComponent("sites/thpt.test/index.html"), encoding: .utf8)
            #expect(home.contains("Lịch công bố điểm thi lớp 10"))
            let live = try await Browser(app: app, host: "thpt.test").get("/")
            #expect(live.body.contains("Lịch công bố điểm thi lớp 10") && home.contains("<html"))
            // Nothing private or per-visitor is copied.
            let written = try FileManager.default.subpathsOfDirectory(atPath: current.appendingPathComponent("sites").path)
            #expect(!written.contains { $0.contains("quan-tri") || $0.contains("tim-kiem") || $0.contains("ket-qua") })

            // A result: the file named by the keyed hash holds that candidate's page; the name gives nothing away.
            let key = try StaticPublishing.loadKey(out.appendingPathComponent("static.key"))
            let keyMode = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("static.key").path)[.posixPermissions] as? Int
            #expect(keyMode == 0o600)
            let sessionID = try session.requireID()
            let path = StaticPublishing.resultPath(session: sessionID, sbd: "01000003", birth: 20080504, key: key)
            let page = try String(contentsOf: current.appendingPathComponent(path), encoding: .utf8)
            #expect(page.contains(ExamLookupTests.names[3]) && page.contains("7,5") && page.contains("01000003"))
            #expect(!path.contains("01000003") && !path.contains("2008"))
            // Another key gives another name: without the key the files cannot be found.
            #expect(StaticPublishing.resultPath(session: sessionID, sbd: "01000003", birth: 20080504, key: .init(size: .bits256)) != path)
            #expect(!FileManager.default.fileExists(atPath: current.appendingPathComponent(
                StaticPublishing.resultPath(session: sessionID, sbd: "01000003", birth: 20080505, key: key)).path))
            // Scores-only session: named by SBD alone, and no name or birth date in the page.
            let plain = try String(contentsOf: current.appendingPathComponent(
                StaticPublishing.resultPath(session: try scoresOnly.requireID(), sbd: "01000002", birth: nil, key: key)), encoding: .utf8)
            #expect(plain.contains("01000002") && !plain.contains(ExamLookupTests.names[2]))
            // The njs file computes the same name from the form's query (checked against nginx in scripts/test).
            let script = try String(contentsOf: out.appendingPathComponent("eduportal-static.js"), encoding: .utf8)
            #expect(script.contains("createHmac('sha256'") && script.contains("slice(0, 32)"))

            // Publishing again after a re-import: the link moves to a new release in one step, the
            // key stays, the page shows the new score, the oldest releases go.
            try await ExamLookupTests.importFile(app, session, ExamLookupTests.file(count: 12, score: "9"))
            let second = try await StaticPublishing.publish(app: app, out: out.path)
            #expect(second.release != first.release)
            #expect(bytes(try StaticPublishing.loadKey(out.appendingPathComponent("static.key"))) == bytes(key))
            let updated = try String(contentsOf: current.appendingPathComponent(path), encoding: .utf8)
            #expect(updated.contains(">9<") && !updated.contains("7,5"))
            _ = try await StaticPublishing.publish(app: app, out: out.path)
            let releases = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("releases").path).filter { !$0.hasPrefix(".") }
            #expect(releases.count == 2)

            // A damaged key is refused, saying so, and nothing is switched.
            let before = try FileManager.default.destinationOfSymbolicLink(atPath: current.path)
            try Data("khong-phai-khoa\n".utf8).write(to: out.appendingPathComponent("static.key"))
            await #expect(throws: OperationFailure.self) { try await StaticPublishing.publish(app: app, out: out.path) }
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: current.path) == before)
        }
    }
}

func bytes(_ key: SymmetricKey) -> [UInt8] { key.withUnsafeBytes { Array($0) } }
