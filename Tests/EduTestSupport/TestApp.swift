import EduCore
import EduData
import EduWeb
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Builds the real application on a fresh database for one test: a temporary SQLite file, or,
/// when `DATABASE_URL` names PostgreSQL, a schema of its own that is dropped afterwards.
public enum TestApp {
    public static var backendName: String {
        isPostgres ? "PostgreSQL" : "SQLite"
    }

    public static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""
        return url.hasPrefix("postgres") ? url : nil
    }

    public static var isPostgres: Bool { postgresURL != nil }

    public static func run(
        _ adjust: (inout AppConfig) -> Void = { _ in },
        _ body: (Application) async throws -> Void
    ) async throws {
        let app = try await Application.make(.testing)
        var schema: String?
        do {
            var config = AppConfig(dataDirectory: NSTemporaryDirectory(), storage: .sqliteMemory, bcryptCost: 4)
            config.runWorker = false  // tests run the jobs themselves
            config.clusterLink = false  // one node; the cluster tests turn it on
            config.serverKey = .random()
            config.unitCacheLifetime = 0  // tests change units between requests
            // Every test has its own application, and the suite runs them side by side: at 8 per
            // event loop they reached 297 of PostgreSQL's 300 connections, and a test whose set-up
            // found none left failed in its migrations (the test cluster now allows 600). Four per
            // loop serves one test; a test of many parallel writes asks for more itself.
            config.databaseConnectionsPerEventLoop = 4
            if let url = postgresURL {
                let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
                schema = name
                config.storage = .postgres(url: url, searchPath: [name])
            }
            adjust(&config)
            // A test may choose its own storage (a SQLite file): then there is no schema to make.
            if case .postgres = config.storage {} else { schema = nil }
            do {
                try await configure(app, config: config, migrate: false)
                if let schema, let sql = app.db as? any SQLDatabase {
                    try await sql.raw("CREATE SCHEMA \(ident: schema)").run()
                }
                try await migrateDatabase(app)
            } catch {
                // PSQLError's description hides the server's message; a failure here is in the
                // test's set-up, not in what it tests, and must say what the database answered.
                throw SetupFailure(description: "Test database set-up on \(backendName) failed: \(String(reflecting: error))")
            }
            try await body(app)
        } catch {
            await cleanUp(app, schema: schema)
            throw error
        }
        await cleanUp(app, schema: schema)
    }

    /// Serves the app on 127.0.0.1:`port` for `body` and stops the server before returning, on
    /// every path: a request still arriving (a browser's late fetch) after the application has
    /// shut down would reach a database that is gone.
    public static func serving(_ app: Application, port: Int, _ body: () async throws -> Void) async throws {
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = port
        try await app.asyncBoot()
        try await app.server.start(address: .hostname("127.0.0.1", port: port))
        do {
            try await body()
        } catch {
            await app.server.shutdown()
            throw error
        }
        await app.server.shutdown()
    }

    struct SetupFailure: Error, CustomStringConvertible {
        let description: String
    }

    private static func cleanUp(_ app: Application, schema: String?) async {
        if let schema, let sql = app.db as? any SQLDatabase {
            try? await sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
        }
        try? await app.asyncShutdown()
    }
}

/// A small province for tests: Sở → Phòng → two schools, plus a second Sở-level school.
public struct Province: Sendable {
    public let so: OrgUnit
    public let phong: OrgUnit
    public let schoolA: OrgUnit
    public let schoolB: OrgUnit
    public let thpt: OrgUnit

    public static let password = "Mat-khau-thu-2026"

    /// Builds the tree and hostnames (`so.test`, `phong.test`, `a.test`, `b.test`, `thpt.test`).
    public static func make(on db: any Database) async throws -> Province {
        func unit(_ code: String, _ type: UnitType, _ name: String, _ parent: OrgUnit?, host: String) async throws -> OrgUnit {
            let unit = OrgUnit(code: code, type: type, name: name, parent: parent)
            unit.email = "vanphong@\(code).edu.vn"
            try await unit.create(on: db)
            try await UnitHostname(unitID: unit.requireID(), hostname: host).create(on: db)
            try await Category.createDefaults(for: unit, on: db)
            return unit
        }
        let so = try await unit("so-thu", .so, "Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm", nil, host: "so.test")
        let phong = try await unit("phong-thu", .phong, "Phòng Giáo dục và Đào tạo huyện Đồng Văn", so, host: "phong.test")
        let schoolA = try await unit("th-a", .tieuHoc, "Trường Tiểu học Nguyễn Trãi", phong, host: "a.test")
        let schoolB = try await unit("thcs-b", .thcs, "Trường THCS Lê Quý Đôn", phong, host: "b.test")
        let thpt = try await unit("thpt-c", .thpt, "Trường THPT Trần Phú", so, host: "thpt.test")
        return Province(so: so, phong: phong, schoolA: schoolA, schoolB: schoolB, thpt: thpt)
    }

    /// Creates an account at `unit` holding `role` there.
    @discardableResult
    public func user(_ email: String, _ role: Role, at unit: OrgUnit, app: Application) async throws -> User {
        let hash = try await app.password.async.hash(Self.password)
        let user = User(email: email, unitID: try unit.requireID(), fullName: "Người dùng thử", passwordHash: hash)
        try await user.create(on: app.db)
        try await RoleGrant(userID: try user.requireID(), unitID: try unit.requireID(), role: role, grantedBy: nil).create(on: app.db)
        return user
    }
}
