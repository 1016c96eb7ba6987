import EduCore
import EduData
import EduTestSupport
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// `eduportal publish-static` (#18 point 6): public pages as files, one result page per candidate
/// under a keyed hash with nginx's index of them, and an atomic switch when published again.
/// nginx serving them (hits, misses, the three date shapes, the limits) is checked in `scripts/test`.
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
            // nginx's index: the key its maps build from the form's query → that file, for the
            // candidates of each session in its own file; private (it holds SBDs and birth dates).
            let index = try String(contentsOf: current.appendingPathComponent("results.map"), encoding: .utf8)
            #expect(index.contains("\"\(sessionID.uuidString.lowercased())|01000003|2008-5-4\" /\(path);\n"))
            #expect(index.split(separator: "\n").count == 12)
            let sbdIndex = try String(contentsOf: current.appendingPathComponent("results-sbd.map"), encoding: .utf8)
            #expect(sbdIndex.contains("\"\(try scoresOnly.requireID().uuidString.lowercased())|01000002|\" /exams/"))
            #expect(sbdIndex.split(separator: "\n").count == 3)
            let indexMode = try FileManager.default.attributesOfItem(atPath: current.appendingPathComponent("results.map").path)[.posixPermissions] as? Int
            #expect(indexMode == 0o640)
            // The http half reads the form's query and limits at the application's rates; the
            // location passes through those limits before any file, and sends misses on.
            let http = try String(contentsOf: out.appendingPathComponent("nginx-static-http.conf"), encoding: .utf8)
            let perMinute = app.eduConfig.lookupRateLimit
            #expect(http.contains("include \(out.path)/current/results.map;") && http.contains("rate=\(perMinute * 4)r/m") && http.contains("rate=\(perMinute * 16)r/m"))
            let location = try String(contentsOf: out.appendingPathComponent("nginx-static.conf"), encoding: .utf8)
            #expect(location.contains("limit_req zone=edu_static_64 burst=\(perMinute) nodelay;") && location.contains("@eduportal_app;"))
            let limited = try String(contentsOf: current.appendingPathComponent("limited.html"), encoding: .utf8)
            #expect(limited.contains("lang=\"vi\"") && limited.contains("Quá nhiều lượt tra cứu"))

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

    /// The index holds what nginx's maps can read from a query, once per key, and nothing else.
    @Test func theIndexKeysAreWhatNginxReadsFromTheQuery() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = UUID()
        let index = try ResultIndex(folder: folder)
        index.startSession(session, requireBirthDate: true)
        try index.add(sbd: "AB0105", birth: 20081231, path: "exams/a.html")
        try index.add(sbd: "ab0105", birth: 20081231, path: "exams/b.html")   // the same key to nginx: kept once
        try index.add(sbd: "AB-01", birth: 20080101, path: "exams/c.html")    // nginx cannot read it: the application answers
        try index.add(sbd: "Ă01", birth: 20080101, path: "exams/d.html")
        try index.add(sbd: "010203", birth: nil, path: "exams/e.html")        // no birth date in a session that asks for one
        try index.add(sbd: String(repeating: "1", count: 21), birth: 20080101, path: "exams/f.html")
        index.startSession(session, requireBirthDate: false)
        try index.add(sbd: "010203", birth: 20080303, path: "exams/g.html")   // looked up by SBD alone
        try index.close()
        let lines = try String(contentsOf: folder.appendingPathComponent("results.map"), encoding: .utf8).split(separator: "\n")
        #expect(lines == ["\"\(session.uuidString.lowercased())|ab0105|2008-12-31\" /exams/a.html;"])
        let sbdLines = try String(contentsOf: folder.appendingPathComponent("results-sbd.map"), encoding: .utf8).split(separator: "\n")
        #expect(sbdLines == ["\"\(session.uuidString.lowercased())|010203|\" /exams/g.html;"])
        #expect(index.count == 2)
        #expect(ResultIndex.key(session: "s", sbd: "X1", birth: 20110305) == "s|x1|2011-3-5")
    }
}

func bytes(_ key: SymmetricKey) -> [UInt8] { key.withUnsafeBytes { Array($0) } }
