import ArgumentParser
import EduData
import EduWeb
import Foundation

struct NameCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "name", abstract: "Tên miền: giao hậu tố cho một nhánh đơn vị, gán tên miền, xem yêu cầu chờ duyệt.",
        subcommands: [Delegate.self, Assign.self, Pending.self])

    struct Delegate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Giao một hậu tố tên miền cho đơn vị và các đơn vị trực thuộc (cũng là giữ chỗ: đơn vị ngoài nhánh không dùng được).")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị.") var unit: String
        @ArgumentParser.Option(help: "Hậu tố, ví dụ ninhbinh.edu.vn.") var suffix: String

        func run() async throws {
            let given = try await withApp(options) { app in try await NameOperations.delegate(app: app, unitCode: unit, suffix: suffix) }
            print("Đã giao \(given) cho \(unit) và các đơn vị trực thuộc.")
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Gán ngay một tên miền cổng thông tin hoặc tên miền thư cho đơn vị.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị.") var unit: String
        @ArgumentParser.Option(help: "Tên miền cổng thông tin.") var hostname: String?
        @ArgumentParser.Option(help: "Tên miền thư điện tử.") var mailDomain: String?

        func validate() throws {
            guard (hostname == nil) != (mailDomain == nil) else { throw ValidationError("Cần đúng một trong --hostname và --mail-domain.") }
        }

        func run() async throws {
            let (name, kind): (String, NameRequest.Kind) = hostname.map { ($0, .hostname) } ?? (mailDomain ?? "", .mailDomain)
            try await withApp(options) { app in try await NameOperations.assign(app: app, unitCode: unit, name: name, kind: kind) }
            print("Đã gán \(name.lowercased()) cho \(unit).")
        }
    }

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liệt kê yêu cầu tên miền đang chờ duyệt (tên, loại, đơn vị, người yêu cầu).")
        @OptionGroup var options: DataOptions

        func run() async throws {
            let lines = try await withApp(options) { app in try await NameOperations.pending(app: app) }
            print(lines.isEmpty ? "Không có yêu cầu nào chờ duyệt." : lines.joined(separator: "\n"))
        }
    }
}
