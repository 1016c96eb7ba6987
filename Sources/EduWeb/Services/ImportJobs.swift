import EduCore
import EduData
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Exam imports started from the admin run here, owned by the application: each is a task the
/// app knows about. On shutdown they are cancelled and awaited; one stopped before it published
/// is marked `interrupted`, and its upload is kept under the data folder so an admin can resume
/// it. At boot, imports whose heartbeat stopped (a process that died) are marked the same way.
final class ImportJobs: LifecycleHandler, Sendable {
    private let running = NIOLockedValueBox<[UUID: Task<Void, Never>]>([:])

    /// Keeps the upload, then reads, checks and (when clean) publishes it in the background.
    func start(_ row: ExamImport, bytes: [UInt8], publishNow: Bool, by actor: AuditActor, app: Application) throws {
        let id = try row.requireID()
        try ImportUploads.save(bytes, importID: id, config: app.eduConfig)
        let task = Task {
            do {
                let finished = try await ExamService.run(
                    row, bytes: bytes, publishNow: publishNow, by: actor, db: app.db, threadPool: app.threadPool, store: app.examStore,
                    logger: app.logger)
                if finished.status != ExamImport.Status.interrupted.rawValue { ImportUploads.remove(importID: id, config: app.eduConfig) }
            } catch {
                app.logger.error("Nhập kết quả thi thất bại: \(String(describing: error))")
            }
            _ = self.running.withLockedValue { $0.removeValue(forKey: id) }
        }
        running.withLockedValue { $0[id] = task }
    }

    var activeCount: Int { running.withLockedValue { $0.count } }

    func didBootAsync(_ app: Application) async throws {
        let marked = try await ExamService.markInterrupted(on: app.db)
        if marked > 0 { app.logger.notice("\(marked) lần nhập kết quả thi bị gián đoạn từ lần chạy trước; có thể tiếp tục trong trang quản trị.") }
    }

    func shutdownAsync(_ app: Application) async {
        let tasks = running.withLockedValue { Array($0.values) }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }
}

/// Uploaded results files kept while their import runs (and after an interruption, to resume).
enum ImportUploads {
    static func url(importID: UUID, config: AppConfig) -> URL {
        URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("imports").appendingPathComponent(importID.uuidString.lowercased())
    }

    static func save(_ bytes: [UInt8], importID: UUID, config: AppConfig) throws {
        let url = url(importID: importID, config: config)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url, options: .atomic)
    }

    static func load(importID: UUID, config: AppConfig) -> [UInt8]? {
        FileManager.default.contents(atPath: url(importID: importID, config: config).path).map { Array($0) }
    }

    static func exists(importID: UUID, config: AppConfig) -> Bool {
        FileManager.default.fileExists(atPath: url(importID: importID, config: config).path)
    }

    static func remove(importID: UUID, config: AppConfig) {
        try? FileManager.default.removeItem(at: url(importID: importID, config: config))
    }
}

struct ImportJobsKey: StorageKey { typealias Value = ImportJobs }

extension Application {
    var importJobs: ImportJobs { storage[ImportJobsKey.self]! }
}
