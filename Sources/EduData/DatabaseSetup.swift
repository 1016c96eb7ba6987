import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit

/// Where the data lives: SQLite under the data directory by default, PostgreSQL when
/// `DATABASE_URL=postgres://…` is set.
public enum StorageBackend: Sendable, Equatable {
    case sqliteFile(path: String)
    /// A temporary database per application (tests).
    case sqliteMemory
    case postgres(url: String, searchPath: [String]?)

    /// Reads `DATABASE_URL`; otherwise the SQLite file under `dataDirectory`.
    public static func fromEnvironment(dataDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> StorageBackend {
        if let url = environment["DATABASE_URL"], !url.isEmpty,
            url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")
        {
            return .postgres(url: url, searchPath: nil)
        }
        return .sqliteFile(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("eduportal.sqlite").path)
    }

    public var description: String {
        switch self {
        case .sqliteFile(let path): "SQLite (\(path))"
        case .sqliteMemory: "SQLite (tạm thời)"
        case .postgres: "PostgreSQL"
        }
    }
}

public enum DatabaseSetupError: Error, CustomStringConvertible {
    case badURL(String)
    case dataDirectory(String)

    public var description: String {
        switch self {
        case .badURL(let reason): "DATABASE_URL không hợp lệ: \(reason)"
        case .dataDirectory(let reason): "Không tạo được thư mục dữ liệu: \(reason)"
        }
    }
}

public enum DatabaseSetup {
    /// Registers the database and the migrations (Vapor's `app.databases` and `app.migrations`).
    /// `connectionsPerEventLoop`: PostgreSQL connections each event loop of this process may open.
    public static func configure(databases: Databases, migrations: Migrations, backend: StorageBackend, connectionsPerEventLoop: Int = 8) throws {
        switch backend {
        case .sqliteFile(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw DatabaseSetupError.dataDirectory("\(directory): \(error.localizedDescription)")
            }
            databases.use(.sqlite(.file(path), sqlLogLevel: nil), as: .sqlite)
        case .sqliteMemory:
            databases.use(.sqlite(.memory, sqlLogLevel: nil), as: .sqlite)
        case .postgres(let url, let searchPath):
            var config: SQLPostgresConfiguration
            do {
                config = try SQLPostgresConfiguration(url: url)
            } catch {
                throw DatabaseSetupError.badURL(String(describing: error))
            }
            config.searchPath = searchPath
            databases.use(
                .postgres(configuration: config, maxConnectionsPerEventLoop: max(1, connectionsPerEventLoop), sqlLogLevel: .trace),
                as: .psql)
        }
        EduMigrations.register(on: migrations)
    }

    /// SQLite: write-ahead log (readers do not block the writer; the CLI can import while the
    /// server runs). `synchronous` is FULL by default in the bundled SQLite; asserted in tests.
    public static func prepareStorage(_ db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await sql.raw("PRAGMA synchronous=FULL").run()
    }

    public static func isSQLite(_ db: any Database) -> Bool {
        (db as? any SQLDatabase)?.dialect.name == "sqlite"
    }
}
