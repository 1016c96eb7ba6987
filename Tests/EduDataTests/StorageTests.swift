import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@Suite struct StorageTests {
    @Test func migrationsRunAndSeedTheTreeRules() async throws {
        try await TestApp.run { app in
            let rules = try await OrgUnit.treeRules(on: app.db)
            #expect(rules == UnitTreeRules.standard)
        }
    }

    @Test func runsOnTheBackendThatDatabaseURLNames() async throws {
        try await TestApp.run { app in
            let sql = try #require(app.db as? any SQLDatabase)
            #expect(sql.dialect.name == (TestApp.isPostgres ? "postgresql" : "sqlite"))
        }
    }

    @Test func sqliteFileUsesWALAndFullSync() async throws {
        guard !TestApp.isPostgres else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edu-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("eduportal.sqlite").path
        try await TestApp.run({ $0.storage = .sqliteFile(path: path) }) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            let mode = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
            let sync = try await sql.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
            #expect(mode == "wal")
            #expect(sync == 2)  // FULL
        }
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func subtreeHostAndCodeLookups() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let below = try await OrgUnit.subtree(of: province.phong, on: app.db).map(\.code)
            #expect(Set(below) == ["phong-thu", "th-a", "thcs-b"])
            #expect(try await OrgUnit.subtree(of: province.so, on: app.db).count == 5)
            #expect(try await OrgUnit.find(host: "a.test", baseDomain: "localhost", on: app.db)?.code == "th-a")
            #expect(try await OrgUnit.find(host: "thpt-c.localhost", baseDomain: "localhost", on: app.db)?.code == "thpt-c")
            #expect(try await OrgUnit.find(host: "x.thpt-c.localhost", baseDomain: "localhost", on: app.db) == nil)
            #expect(try await OrgUnit.find(host: "nowhere.test", baseDomain: "localhost", on: app.db) == nil)
            let ancestors = try await province.schoolA.ancestors(on: app.db).map(\.code)
            #expect(ancestors == ["so-thu", "phong-thu"])
        }
    }

    @Test func hostnamesAreUniqueAcrossUnits() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            await #expect(throws: (any Error).self) {
                try await UnitHostname(unitID: province.schoolB.requireID(), hostname: "a.test").create(on: app.db)
            }
        }
    }
}
