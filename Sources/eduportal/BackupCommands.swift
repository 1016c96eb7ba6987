import ArgumentParser
import EduWeb
import Foundation
import Vapor

/// `eduportal backup --out FILE`: a consistent copy of the SQLite database taken while the
/// server writes, with every file of the data folder (#18 point 5).
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Sao lưu cơ sở dữ liệu SQLite (bản chụp nhất quán, máy chủ vẫn chạy) và mọi tệp trong thư mục dữ liệu vào một tệp; với PostgreSQL sao lưu cơ sở dữ liệu bằng pg_dump (xem README).")
    @OptionGroup var options: DataOptions
    @ArgumentParser.Option(help: "Tệp sao lưu sẽ ghi (chưa có).") var out: String

    func run() async throws {
        let app = try await makeApp(options)
        do {
            let summary = try await BackupOperations.backup(config: app.eduConfig, db: app.db, to: out)
            print("Đã sao lưu \(summary.files) tệp (\(summary.bytes / 1024) KB) vào \(out)."
                  + (summary.database == "sqlite" ? " Cơ sở dữ liệu SQLite có trong bản sao lưu."
                     : " Cơ sở dữ liệu PostgreSQL không có trong tệp này: sao lưu bằng pg_dump --format=custom (README, mục Sao lưu)."))
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

/// `eduportal restore FILE --data DIR`: unpacks a backup into an empty data folder, every file
/// checked against the backup's manifest first.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Khôi phục một bản sao lưu vào thư mục dữ liệu trống (kiểm tra từng tệp với bảng kê trước khi ghi).")
    @OptionGroup var options: DataOptions
    @ArgumentParser.Argument(help: "Tệp sao lưu do «eduportal backup» ghi.") var file: String

    func run() throws {
        let data = options.data ?? ProcessInfo.processInfo.environment["EDUPORTAL_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        let summary = try BackupOperations.restore(file, into: data)
        print("Đã khôi phục \(summary.files) tệp (\(summary.bytes / 1024) KB) vào \(data)."
              + (summary.database == "sqlite" ? "" : " Khôi phục cơ sở dữ liệu PostgreSQL bằng pg_restore (README, mục Sao lưu)."))
    }
}

/// `eduportal publish-static --out DIR`: every unit's public pages and one file per candidate of
/// each published exam session, for nginx to serve on result day (`StaticPublishing`).
struct PublishStaticCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish-static",
        abstract: "Xuất trang công khai của mọi đơn vị và một tệp kết quả cho mỗi thí sinh (tên tệp là mã băm có khóa của SBD và ngày sinh) để nginx phục vụ ngày công bố điểm; chuyển sang bản mới nguyên tử.")
    @OptionGroup var options: DataOptions
    @ArgumentParser.Option(help: "Thư mục xuất bản (ví dụ /var/lib/eduportal/static).") var out: String

    func run() async throws {
        let summary = try await withApp(options) { app in
            try await StaticPublishing.publish(app: app, out: out) { print($0) }
        }
        print("Đã xuất bản \(summary.pages) trang của \(summary.hosts) đơn vị và \(summary.candidates) kết quả của \(summary.sessions) kỳ thi vào \(summary.release).")
        let root = URL(fileURLWithPath: out).standardizedFileURL.path
        print("Cấu hình nginx: \(root)/nginx-static-http.conf trong khối http, \(root)/nginx-static.conf trong khối server (xem deploy/INSTALL.md, mục 9); nạp lại nginx sau mỗi lần xuất bản.")
    }
}
