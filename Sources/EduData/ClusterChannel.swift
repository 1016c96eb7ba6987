import FluentKit
import FluentPostgresDriver
import Foundation
import SQLKit

/// How the nodes sharing one PostgreSQL database tell each other what changed, and which of them
/// runs the periodic work. PostgreSQL only: on SQLite there is one node (and the CLI on the same
/// machine, whose writes the server finds by polling).
///
/// Notifications go out with `pg_notify` inside the writer's transaction, so they are delivered
/// when it commits and never for a rolled-back change. The channel is named after the schema the
/// writer's `search_path` resolves to, so several installations (or the test suite's schemas) in
/// one database do not hear each other.
public enum ClusterChannel {
    /// What a notification says.
    public enum Message: Equatable, Sendable {
        /// A unit's public pages changed (its content version was bumped).
        case unit(UUID)
        /// Units or hostnames were added, changed or removed: every node forgets its host map.
        case units

        public var payload: String {
            switch self {
            case .unit(let id): "unit:" + id.uuidString.lowercased()
            case .units: "units"
            }
        }

        public init?(payload: String) {
            if payload == "units" { self = .units; return }
            guard payload.hasPrefix("unit:"), let id = UUID(uuidString: String(payload.dropFirst(5))) else { return nil }
            self = .unit(id)
        }
    }

    static let prefix = "eduportal."

    /// Announces a change to the other nodes (PostgreSQL; nothing on SQLite). Inside a
    /// transaction it is delivered at commit.
    public static func announce(_ message: Message, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT pg_notify(\(bind: prefix) || current_schema(), \(bind: message.payload))").run()
    }

    /// One node's own connection to PostgreSQL, outside the pool: it listens for the other nodes'
    /// notifications and holds the worker's advisory lock for as long as it lives (PostgreSQL
    /// releases a session lock when the connection ends, so a node that dies hands the work on).
    public final class Link: Sendable {
        let connection: PostgresConnection
        /// The channel listened on: `eduportal.<schema>`.
        public let channel: String
        let workerKey: Int64
        let logger: Logger

        init(connection: PostgresConnection, channel: String, workerKey: Int64, logger: Logger) {
            self.connection = connection
            self.channel = channel
            self.workerKey = workerKey
            self.logger = logger
        }

        /// Opens the link for a PostgreSQL backend; nil for SQLite.
        public static func open(_ backend: StorageBackend, on eventLoop: any EventLoop, logger: Logger) async throws -> Link? {
            guard case .postgres(let url, let searchPath) = backend else { return nil }
            let config = try SQLPostgresConfiguration(url: url)
            let connection = try await PostgresConnection.connect(on: eventLoop, configuration: config.coreConfiguration, id: 0, logger: logger)
            do {
                if let searchPath, !searchPath.isEmpty {
                    let names = searchPath.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ", ")
                    _ = try await connection.query(PostgresQuery(unsafeSQL: "SET search_path TO " + names), logger: logger)
                }
                var schema = "public"
                for try await (name) in try await connection.query("SELECT current_schema()", logger: logger).decode(String.self) {
                    schema = name
                }
                let channel = prefix + schema
                // The lock's key: the channel's name folded to 64 bits (FNV-1a), stable across nodes.
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for byte in ("worker:" + channel).utf8 {
                    hash ^= UInt64(byte)
                    hash = hash &* 0x100_0000_01b3
                }
                return Link(connection: connection, channel: channel, workerKey: Int64(bitPattern: hash), logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
        }

        /// Listens until the connection ends (or the task is cancelled), handing each message on.
        public func listen(_ received: @escaping @Sendable (Message) -> Void, ready: @escaping @Sendable () -> Void) async throws {
            try await connection.listen(on: channel) { notifications in
                ready()
                for try await notification in notifications {
                    if let message = Message(payload: notification.payload) { received(message) }
                }
            }
        }

        /// Takes the worker's lock if no other node holds it; true while this link holds it.
        public func claimWorker() async throws -> Bool {
            let rows = try await connection.query("SELECT pg_try_advisory_lock(\(workerKey))", logger: logger)
            for try await (held) in rows.decode(Bool.self) { return held }
            return false
        }

        public var isClosed: Bool { connection.isClosed }

        public func close() async {
            try? await connection.close()
        }
    }
}
