import ArgumentParser
import EduWeb
import Foundation

struct UnitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit", abstract: "Đơn vị gốc của tỉnh; thay đổi tổ chức: chuyển đơn vị sang đơn vị quản lý khác, sáp nhập, giải thể.",
        subcommands: [CreateRoot.self, Move.self, Merge.self, Dissolve.self])

    struct CreateRoot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-root", abstract: "Tạo đơn vị gốc (Sở GD&ĐT) trên hệ thống mới cài; các đơn vị khác tạo trong trang quản trị.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị, ví dụ so-ninh-binh.") var code: String
        @ArgumentParser.Option(help: "Tên đơn vị, ví dụ «Sở Giáo dục và Đào tạo tỉnh Ninh Bình».") var name: String
        @ArgumentParser.Option(help: "Tên miền cổng (có thể nhắc lại).") var hostname: [String] = []
        @ArgumentParser.Option(help: "Tên miền thư, ví dụ ninhbinh.edu.vn.") var mailDomain = ""
        @ArgumentParser.Option(help: "Địa chỉ thư điện tử chính thức.") var email = ""

        func run() async throws {
            try await withApp(options) { app in
                try await UnitOperations.createRoot(app: app, code: code, name: name, hostnames: hostname, mailDomain: mailDomain, email: email)
            }
            print("Đã tạo đơn vị gốc \(code). Tạo tài khoản quản trị: eduportal user add --unit \(code) --role quan-tri …")
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Chuyển đơn vị (cùng các đơn vị trực thuộc) sang đơn vị quản lý mới.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị được chuyển.") var unit: String
        @ArgumentParser.Option(help: "Mã đơn vị quản lý mới.") var parent: String

        func run() async throws {
            try await withApp(options) { app in try await UnitOperations.move(app: app, unitCode: unit, parentCode: parent) }
            print("Đã chuyển \(unit) sang \(parent).")
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sáp nhập đơn vị vào đơn vị khác: tin bài, văn bản, tệp chuyển về đơn vị nhận; tên miền chuyển hướng; tài khoản bị khóa và được báo.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị bị sáp nhập.") var unit: String
        @ArgumentParser.Option(help: "Mã đơn vị nhận.") var into: String

        func run() async throws {
            try await withApp(options) { app in try await UnitOperations.merge(app: app, unitCode: unit, intoCode: into) }
            print("Đã sáp nhập \(unit) vào \(into).")
        }
    }

    struct Dissolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Giải thể đơn vị: đơn vị quản lý tiếp nhận nội dung và tên miền.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị giải thể.") var unit: String

        func run() async throws {
            try await withApp(options) { app in try await UnitOperations.dissolve(app: app, unitCode: unit) }
            print("Đã giải thể \(unit).")
        }
    }
}
