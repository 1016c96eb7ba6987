import ArgumentParser
import EduWeb
import Foundation

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Quản lý tài khoản.", subcommands: [Add.self, List.self, Disable.self, Enable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tạo tài khoản và cấp vai trò tại một đơn vị.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị.") var unit: String
        @ArgumentParser.Option(help: "Thư điện tử (tên đăng nhập).") var email: String
        @ArgumentParser.Option(help: "Vai trò: quan-tri, truong-ban-bien-tap, bien-tap-vien, cong-tac-vien, dau-moi-thu-dien-tu, can-bo.")
        var role: String
        @ArgumentParser.Option(help: "Họ và tên.") var name: String?
        @ArgumentParser.Flag(help: "Đọc mật khẩu từ đầu vào chuẩn (một dòng).") var passwordStdin = false

        func run() async throws {
            guard passwordStdin else { throw ValidationError("Cần --password-stdin: mật khẩu không được truyền trên dòng lệnh.") }
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("Không đọc được mật khẩu từ đầu vào chuẩn.")
            }
            try await withApp(options) { app in
                try await UserOperations.add(app: app, unitCode: unit, email: email, fullName: name, role: role, password: line)
            }
            print("Đã tạo tài khoản \(email.lowercased()) (\(role)) tại \(unit).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liệt kê tài khoản.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Chỉ tài khoản của đơn vị này.") var unit: String?

        func run() async throws {
            let users = try await withApp(options) { app in try await UserOperations.list(app: app, unitCode: unit) }
            for user in users {
                print([user.email, user.unitCode, user.roles.joined(separator: ","), user.disabled ? "đã khóa" : "hoạt động", user.fullName]
                    .joined(separator: "\t"))
            }
        }
    }

    /// `user disable` and `user enable`: the one account rule the admin uses too.
    static func setDisabled(_ options: DataOptions, email: String, disabled: Bool) async throws {
        try await withApp(options) { app in
            try await UserOperations.setDisabled(app: app, email: email.lowercased(), disabled: disabled)
        }
        print(disabled ? "Đã khóa tài khoản \(email.lowercased())." : "Đã mở khóa tài khoản \(email.lowercased()).")
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Khóa tài khoản (kết thúc mọi phiên đăng nhập).")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Thư điện tử.") var email: String

        func run() async throws { try await UserCommand.setDisabled(options, email: email, disabled: true) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mở khóa tài khoản.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Thư điện tử.") var email: String

        func run() async throws { try await UserCommand.setDisabled(options, email: email, disabled: false) }
    }
}
