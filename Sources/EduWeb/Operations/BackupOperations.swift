import Crypto
import EduData
import Fluent
import Foundation
import SQLKit
import ZIPFoundation

/// `eduportal backup` and `eduportal restore` (#18 point 5): one zip file holding a consistent
/// copy of the SQLite database taken while the server keeps writing (`VACUUM INTO`, a snapshot
/// of one read transaction), every file of the data folder (media, attachments, the server key)
/// and a manifest with each file's size and SHA-256. Restore checks the manifest before it writes
/// anything, refuses paths that leave the folder, and only fills an empty folder. ZIPFoundation
/// (already used for workbooks) writes and reads the archive; on PostgreSQL the database is
/// backed up with `pg_dump` (README, «Sao lưu»), and this command copies the files.
public enum BackupOperations {
    public struct Manifest: Codable, Sendable {
        public struct File: Codable, Sendable, Equatable {
            public let path: String
            public let bytes: Int64
            public let sha256: String
        }

        public var format = "eduportal-backup"
        public var version = 1
        public var createdAt: String
        /// "sqlite", or "postgresql" when the database is not in the archive.
        public var database: String
        public var files: [File]
    }

    public struct Summary: Sendable {
        public let files: Int
        public let bytes: Int64
        public let database: String
    }

    static let manifestName = "eduportal-backup.json"
    static let databaseName = "eduportal.sqlite"

    /// Writes the backup of `config`'s data folder (and its database, when SQLite) to `out`.
    public static func backup(config: AppConfig, db: any Database, to out: String) async throws -> Summary {
        let fm = FileManager.default
        let dataURL = URL(fileURLWithPath: config.dataDirectory).standardizedFileURL
        let outURL = URL(fileURLWithPath: out).standardizedFileURL
        guard !fm.fileExists(atPath: outURL.path) else { throw OperationFailure("Tệp \(out) đã có; chọn tên khác để không ghi đè bản sao lưu cũ.") }
        let staging = fm.temporaryDirectory.appendingPathComponent("eduportal-backup-" + UUID().uuidString)
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: staging) }

        var entries: [(path: String, url: URL)] = []
        var databaseKind = "postgresql"
        if case .sqliteFile = config.storage {
            // One read transaction's view of the database, whatever the server writes meanwhile.
            guard let sql = db as? any SQLDatabase else { throw OperationFailure("Không đọc được cơ sở dữ liệu SQLite.") }
            let snapshot = staging.appendingPathComponent(databaseName)
            try await sql.raw("VACUUM INTO \(unsafeRaw: "'" + snapshot.path.replacingOccurrences(of: "'", with: "''") + "'")").run()
            entries.append((databaseName, snapshot))
            databaseKind = "sqlite"
        }
        // Every other file of the data folder, after the database: a file a row of the snapshot
        // names was written before that row.
        let skip: Set<String> = [databaseName, databaseName + "-wal", databaseName + "-shm", databaseName + "-journal"]
        if let walker = fm.enumerator(at: dataURL, includingPropertiesForKeys: [.isRegularFileKey], options: []) {
            for case let url as URL in walker {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                let full = url.standardizedFileURL.path
                guard full != outURL.path, full.hasPrefix(dataURL.path + "/") else { continue }
                let relative = String(full.dropFirst(dataURL.path.count + 1))
                if skip.contains(relative) || relative.hasSuffix(".partial") { continue }
                entries.append(("data/" + relative, url))
            }
        }
        if let secret = config.secretFile, !secret.hasPrefix(dataURL.path + "/"), fm.fileExists(atPath: secret) {
            entries.append(("data/secret.key", URL(fileURLWithPath: secret)))
        }
        var manifest = Manifest(createdAt: ISO8601DateFormatter().string(from: Date()), database: databaseKind, files: [])
        let partial = URL(fileURLWithPath: outURL.path + ".partial")
        try? fm.removeItem(at: partial)
        do {
            let archive = try Archive(url: partial, accessMode: .create)
            var total: Int64 = 0
            for entry in entries.sorted(by: { $0.path < $1.path }) {
                // A file deleted between the listing and now (an upload replaced) is left out.
                guard let (bytes, digest) = try? checksum(entry.url) else { continue }
                try archive.addEntry(with: entry.path, fileURL: entry.url, compressionMethod: .deflate)
                manifest.files.append(.init(path: entry.path, bytes: bytes, sha256: digest))
                total += bytes
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(manifest)
            try archive.addEntry(with: manifestName, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Data.Index(position)..<Data.Index(position) + size)
            }
            // Written under another name and renamed: a backup interrupted halfway never looks whole.
            try fm.moveItem(at: partial, to: outURL)
            // It holds the server key and every account's hash: readable by its owner only.
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: outURL.path)
            return Summary(files: manifest.files.count, bytes: total, database: databaseKind)
        } catch {
            try? fm.removeItem(at: partial)
            throw error
        }
    }

    /// Unpacks a backup into `dataDirectory`, which must be empty or absent: the manifest is read
    /// and every entry checked first; nothing is written if anything is wrong.
    public static func restore(_ file: String, into dataDirectory: String) throws -> Summary {
        let fm = FileManager.default
        let archiveURL = URL(fileURLWithPath: file)
        guard fm.fileExists(atPath: archiveURL.path) else { throw OperationFailure("Không có tệp \(file).") }
        let archive: Archive
        do {
            archive = try Archive(url: archiveURL, accessMode: .read)
        } catch {
            throw OperationFailure("\(file) không phải tệp sao lưu EduPortal (không đọc được dạng zip).")
        }
        guard let manifestEntry = archive[manifestName] else {
            throw OperationFailure("\(file) không có bảng kê \(manifestName): không phải bản sao lưu EduPortal hoặc đã bị cắt.")
        }
        var manifestData = Data()
        do {
            _ = try archive.extract(manifestEntry) { manifestData.append($0) }
        } catch {
            throw OperationFailure("Bảng kê trong \(file) bị hỏng (không giải nén được).")
        }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: manifestData), manifest.format == "eduportal-backup" else {
            throw OperationFailure("Bảng kê trong \(file) không đọc được.")
        }
        guard manifest.version == 1 else { throw OperationFailure("Bản sao lưu dạng \(manifest.version); phiên bản này đọc dạng 1.") }
        // Every entry listed, nothing else, and no path that leaves the folder.
        let listed = Dictionary(manifest.files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        for entry in archive where entry.path != manifestName {
            guard listed[entry.path] != nil else { throw OperationFailure("Tệp «\(entry.path)» có trong bản sao lưu nhưng không có trong bảng kê.") }
        }
        for item in manifest.files {
            guard isSafe(item.path) else { throw OperationFailure("Đường dẫn «\(item.path)» trong bản sao lưu không hợp lệ (ra ngoài thư mục dữ liệu).") }
            guard archive[item.path] != nil else { throw OperationFailure("Bản sao lưu thiếu tệp «\(item.path)» có trong bảng kê.") }
        }
        let target = URL(fileURLWithPath: dataDirectory).standardizedFileURL
        if fm.fileExists(atPath: target.path), let existing = try? fm.contentsOfDirectory(atPath: target.path), !existing.isEmpty {
            throw OperationFailure("Thư mục \(dataDirectory) đã có dữ liệu; khôi phục vào một thư mục trống để không ghi đè.")
        }
        // Unpacked beside the target and checked, then moved into place.
        let staging = target.deletingLastPathComponent().appendingPathComponent(".restore-" + UUID().uuidString)
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: staging) }
        var total: Int64 = 0
        for item in manifest.files {
            guard let entry = archive[item.path] else { continue }
            let destination = staging.appendingPathComponent(item.path == databaseName ? databaseName : String(item.path.dropFirst("data/".count)))
            try fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            do {
                _ = try archive.extract(entry, to: destination)
            } catch {
                throw OperationFailure("Tệp «\(item.path)» trong bản sao lưu bị hỏng (không giải nén được: \(error)); không khôi phục gì.")
            }
            let (bytes, digest) = try checksum(destination)
            guard bytes == item.bytes, digest == item.sha256 else {
                throw OperationFailure("Tệp «\(item.path)» trong bản sao lưu bị hỏng (kích thước hoặc mã SHA-256 không khớp bảng kê); không khôi phục gì.")
            }
            total += bytes
        }
        if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
        try fm.moveItem(at: staging, to: target)
        if fm.fileExists(atPath: target.appendingPathComponent("secret.key").path) {
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target.appendingPathComponent("secret.key").path)
        }
        return Summary(files: manifest.files.count, bytes: total, database: manifest.database)
    }

    static func isSafe(_ path: String) -> Bool {
        guard path == databaseName || path.hasPrefix("data/"), !path.hasPrefix("/"), !path.contains("\\") else { return false }
        return !path.split(separator: "/").contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }

    /// Size and SHA-256 of a file, read in pieces.
    static func checksum(_ url: URL) throws -> (Int64, String) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += Int64(chunk.count)
        }
        return (bytes, hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }
}
