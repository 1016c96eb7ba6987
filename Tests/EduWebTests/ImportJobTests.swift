import EduCore
import EduData
import EduImport
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// Exam imports belong to the app: a dead process's import reads "interrupted" (no one-hour
/// guess), an interrupted import resumes from its kept upload, and the node that built a
/// snapshot serves it without reading it back.
@Suite struct ImportJobTests {
    @Test func aStoppedHeartbeatMarksAnImportInterruptedAndALiveOneIsLeftAlone() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let session = try await ExamLookupTests.session(app, unit: province.thpt)
            let dead = try await ExamService.begin(session: session, filename: "cu.csv", byteCount: 10, by: .cli("test"), on: app.db)
            dead.heartbeatAt = Date().addingTimeInterval(-120)
            try await dead.save(on: app.db)
            // A second import of the same session may start: the first one is not alive.
            let live = try await ExamService.begin(session: session, filename: "moi.csv", byteCount: 10, by: .cli("test"), on: app.db)
            await #expect(throws: AppError.self) {
                _ = try await ExamService.begin(session: session, filename: "ba.csv", byteCount: 10, by: .cli("test"), on: app.db)
            }
            #expect(try await ExamService.markInterrupted(on: app.db) == 1)
            #expect(try await ExamImport.find(dead.requireID(), on: app.db)?.status == ExamImport.Status.interrupted.rawValue)
            #expect(try await ExamImport.find(live.requireID(), on: app.db)?.status == ExamImport.Status.running.rawValue)
        }
    }

    @Test func anInterruptedImportResumesFromItsKeptUploadInTheAdmin() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("eduportal-imports-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        try await TestApp.run({ $0.dataDirectory = data }) { app in
            let province = try await Province.make(on: app.db)
            try await province.user("quantri@thpt.edu.vn", .quanTri, at: province.thpt, app: app)
            let session = try await ExamLookupTests.session(app, unit: province.thpt)
            let bytes = ExamLookupTests.file(count: 12, score: "8")
            let row = try await ExamService.begin(session: session, filename: "ket-qua.csv", byteCount: bytes.count, by: .cli("test"), on: app.db)
            let importID = try row.requireID()
            // As a shutdown leaves it: interrupted, the upload kept.
            try ImportUploads.save(bytes, importID: importID, config: app.eduConfig)
            row.status = ExamImport.Status.interrupted.rawValue
            try await row.save(on: app.db)

            let admin = Browser(app: app, host: "thpt.test")
            try await admin.login("quantri@thpt.edu.vn", Province.password)
            let path = "/quan-tri/don-vi/thpt-c/ky-thi/\(try session.requireID().uuidString.lowercased())/nhap/\(importID.uuidString.lowercased())"
            let page = try await admin.get(path)
            #expect(page.status == .ok)
            #expect(page.body.contains("Bị gián đoạn"))
            #expect(page.body.contains("Tiếp tục nhập"))
            let resumed = try await admin.post(path + "/tiep-tuc", [:])
            #expect(resumed.status == .seeOther)
            for _ in 0..<200 where app.importJobs.activeCount > 0 { try await Task.sleep(for: .milliseconds(50)) }
            #expect(app.importJobs.activeCount == 0)
            #expect(try await ExamImport.find(importID, on: app.db)?.status == ExamImport.Status.ready.rawValue)
            #expect(try await ExamImport.find(importID, on: app.db)?.version == 1)
            #expect(!ImportUploads.exists(importID: importID, config: app.eduConfig))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "exam.import.resume").count() == 1)
            // A finished import cannot be resumed.
            #expect(try await admin.post(path + "/tiep-tuc", [:]).status == .gone)
        }
    }

    @Test func stoppingTheAppNeverLeavesAnImportRunning() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("eduportal-imports-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        try await TestApp.run({ $0.dataDirectory = data }) { app in
            let province = try await Province.make(on: app.db)
            let session = try await ExamLookupTests.session(app, unit: province.thpt)
            let bytes = ExamLookupTests.file(count: 20_000, score: "7,5")
            let row = try await ExamService.begin(session: session, filename: "lon.csv", byteCount: bytes.count, by: .cli("test"), on: app.db)
            try app.importJobs.start(row, bytes: bytes, publishNow: false, by: .cli("test"), app: app)
            #expect(app.importJobs.activeCount == 1)
            await app.importJobs.shutdownAsync(app)
            #expect(app.importJobs.activeCount == 0)
            let after = try #require(try await ExamImport.find(row.requireID(), on: app.db))
            // Either it finished before the stop, or it stopped and kept its upload for a resume.
            #expect([ExamImport.Status.ready.rawValue, ExamImport.Status.interrupted.rawValue].contains(after.status))
            #expect(ImportUploads.exists(importID: try row.requireID(), config: app.eduConfig) == (after.status == ExamImport.Status.interrupted.rawValue))
        }
    }

    @Test func theImportingNodeServesItsSnapshotWithoutReadingItBack() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let session = try await ExamLookupTests.session(app, unit: province.thpt)
            let row = try await ExamService.begin(session: session, filename: "ket-qua.csv", byteCount: 0, by: .cli("test"), on: app.db)
            // The chunks written by the import are gone before the store looks: only the snapshot
            // this node built can answer.
            let finished = try await ExamService.run(
                row, bytes: ExamLookupTests.file(count: 5, score: "9"), publishNow: true, by: .cli("test"), db: app.db,
                threadPool: app.threadPool, store: nil, logger: app.logger)
            #expect(finished.status == ExamImport.Status.ready.rawValue)
            let snapshot = try await ExamStore.loadSnapshot(importID: row.requireID(), expectedBytes: finished.snapshotBytes, on: app.db)
            try await ExamChunk.query(on: app.db).delete()
            await app.examStore.install(importID: try row.requireID(), snapshot: snapshot, statistics: nil, on: app.db, logger: app.logger)
            let entry = try #require(app.examStore.entry(try session.requireID()))
            #expect(entry.candidateCount == 5)
            #expect(entry.snapshot?.candidate(sbd: "01000001") != nil)
        }
    }
}
