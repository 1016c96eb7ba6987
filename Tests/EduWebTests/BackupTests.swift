import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
import ZIPFoundation
@testable import EduWeb

/// Backups (#18 point 5) of a SQLite data folder: the database and every file in one archive with
/// a manifest; restore checks everything before it writes, only into an empty folder, and never
/// outside it. `scripts/test` backs up while the server and an import write and compares.
@Suite struct BackupTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eduportal-backup-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aDataFolderIsBackedUpAndRestoredWhole() async throws {
        let data = try Self.folder(), elsewhere = try Self.folder()
        defer { try? FileManager.default.removeItem(at: data); try? FileManager.default.removeItem(at: elsewhere) }
        try await TestApp.run({ config in
            config.dataDirectory = data.path
            config.storage = .sqliteFile(path: data.appendingPathComponent("eduportal.sqlite").path)
        }) { app in
            let province = try await Province.make(on: app.db)
            let picture = data.appendingPathComponent("media/\(try province.so.requireID())/anh-le-khai-giang.jpg")
            try FileManager.default.createDirectory(at: picture.deletingLastPathComponent(), withIntermediateDirectories: true)
            let bytes = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            try bytes.write(to: picture)
            let out = elsewhere.appendingPathComponent("sao-luu.zip").path
            let summary = try await BackupOperations.backup(config: app.eduConfig, db: app.db, to: out)
            #expect(summary.database == "sqlite" && summary.files >= 2)
            #expect((try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            // Never over an earlier backup.
            await #expect(throws: OperationFailure.self) { try await BackupOperations.backup(config: app.eduConfig, db: app.db, to: out) }

            let restored = elsewhere.appendingPathComponent("khoi-phuc").path
            let back = try BackupOperations.restore(out, into: restored)
            #expect(back.files == summary.files)
            #expect(try Data(contentsOf: URL(fileURLWithPath: restored + "/media/\(try province.so.requireID())/anh-le-khai-giang.jpg")) == bytes)
            #expect(FileManager.default.fileExists(atPath: restored + "/eduportal.sqlite"))
            // Not over a folder that has data.
            #expect(throws: OperationFailure.self) { try BackupOperations.restore(out, into: restored) }
            do {
                _ = try BackupOperations.restore(out, into: restored)
            } catch let failure as OperationFailure {
                #expect(failure.description.contains("đã có dữ liệu"))
            }
        }
        // The restored folder opens as a province.
        try await TestApp.run({ config in
            config.dataDirectory = elsewhere.appendingPathComponent("khoi-phuc").path
            config.storage = .sqliteFile(path: elsewhere.appendingPathComponent("khoi-phuc/eduportal.sqlite").path)
        }) { app in
            let school = try await OrgUnit.query(on: app.db).filter(\.$code == "thpt-c").first()
            #expect(school?.name == "Trường THPT Trần Phú")
        }
    }

    /// A hostile or damaged archive: a path leaving the folder, a file the manifest does not
    /// list, a checksum that does not match; each refused with what is wrong and nothing written.
    @Test func aHostileOrDamagedArchiveRestoresNothing() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        func archive(_ name: String, files: [(String, Data)], manifest: [BackupOperations.Manifest.File]) throws -> String {
            let url = dir.appendingPathComponent(name)
            let zip = try Archive(url: url, accessMode: .create)
            let list = BackupOperations.Manifest(createdAt: "2026-12-01T00:00:00Z", database: "sqlite", files: manifest)
            for (path, data) in files + [("eduportal-backup.json", try JSONEncoder().encode(list))] {
                try zip.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                    data.subdata(in: Data.Index(position)..<Data.Index(position) + size)
                }
            }
            return url.path
        }
        let body = Data("dữ liệu".utf8)
        let sum = { (data: Data) in try BackupOperations.checksum({ let u = dir.appendingPathComponent(UUID().uuidString); try data.write(to: u); return u }()).1 }
        let escape = try archive("thoat.zip", files: [("data/../../ngoai.txt", body)],
                                 manifest: [.init(path: "data/../../ngoai.txt", bytes: Int64(body.count), sha256: try sum(body))])
        let unlisted = try archive("thua.zip", files: [("data/a.txt", body), ("data/b.txt", body)],
                                   manifest: [.init(path: "data/a.txt", bytes: Int64(body.count), sha256: try sum(body))])
        let wrong = try archive("sai.zip", files: [("data/a.txt", body)], manifest: [.init(path: "data/a.txt", bytes: Int64(body.count), sha256: String(repeating: "0", count: 64))])
        let notZip = dir.appendingPathComponent("khong-phai.zip")
        try Data("PK không phải zip".utf8).write(to: notZip)
        for (file, says) in [(escape, "không hợp lệ"), (unlisted, "không có trong bảng kê"), (wrong, "bị hỏng"), (notZip.path, "không phải tệp sao lưu")] {
            let target = dir.appendingPathComponent("dich-" + UUID().uuidString).path
            do {
                _ = try BackupOperations.restore(file, into: target)
                Issue.record("\(file) was restored")
            } catch let failure as OperationFailure {
                #expect(failure.description.contains(says), "\(failure.description)")
            }
            #expect(!FileManager.default.fileExists(atPath: target))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.deletingLastPathComponent().appendingPathComponent("ngoai.txt").path))
        #expect(BackupOperations.isSafe("data/media/a.jpg") && BackupOperations.isSafe("eduportal.sqlite"))
        #expect(!BackupOperations.isSafe("/etc/passwd") && !BackupOperations.isSafe("data/./x") && !BackupOperations.isSafe("khac/x"))
    }
}
