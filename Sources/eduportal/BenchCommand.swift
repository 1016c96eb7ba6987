import ArgumentParser
import EduWeb
import Foundation

/// Data for the benchmarks in `bench/` (not for a real portal: it writes generated content).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Dữ liệu cho các phép đo trong bench/ (không dùng cho cổng thật).", shouldDisplay: false,
        subcommands: [SearchData.self])

    struct SearchData: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search-data",
            abstract: "Tạo bài viết, văn bản đã đăng (nội dung sinh tự động, như nhau trên SQLite và PostgreSQL) và các trường cho phép đo tìm kiếm.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị nhận phần lớn dữ liệu.") var unit = "so-ninh-binh"
        @ArgumentParser.Option(help: "Số bài viết và văn bản của đơn vị đó.") var items = 100_000
        @ArgumentParser.Option(help: "Số trường tạo thêm dưới đơn vị đó.") var units = 200
        @ArgumentParser.Option(help: "Số bài viết và văn bản của mỗi trường tạo thêm.") var perUnit = 500

        func run() async throws {
            let report = try await withApp(options) { app in
                try await BenchSearchData.fill(app: app, unitCode: unit, items: items, units: units, perUnit: perUnit) { written in
                    if written % 20_000 == 0 { FileHandle.standardError.write(Data("Đã ghi \(written) mục…\n".utf8)) }
                }
            }
            print("Đã ghi \(report.items) mục ở \(report.units) đơn vị trong \(String(format: "%.0f", report.seconds)) giây.")
        }
    }
}
