import Foundation

/// A file stored under a random name and flushed to disk before the caller commits the row that
/// names it (a receipt covers the file too). The caller removes it if that commit fails.
enum DurableFile {
    static func write(_ bytes: [UInt8], fileExtension: String, in folder: URL) throws -> (name: String, url: URL) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = [UInt8].random(count: 16).map { String(format: "%02x", $0) }.joined() + "." + fileExtension
        let target = folder.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: target.path, contents: nil) else {
            throw AppError(.internalServerError, "Không lưu được tệp đính kèm.")
        }
        do {
            let handle = try FileHandle(forWritingTo: target)
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(bytes))
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: target)
            throw error
        }
        return (name, target)
    }
}
