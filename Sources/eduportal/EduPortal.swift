import ArgumentParser
import EduData
import EduMail
import EduWeb
import Foundation
import Vapor

@main
struct EduPortal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eduportal",
        abstract: "EduPortal: cổng thông tin điện tử và thư điện tử cho ngành giáo dục.",
        subcommands: [Serve.self, Demo.self, Migrate.self, UserCommand.self, ExamCommand.self, DiplomaCommand.self, MailCommand.self],
        defaultSubcommand: nil)
}

/// Options every command shares.
struct DataOptions: ParsableArguments {
    @ArgumentParser.Option(name: .customLong("data"), help: "Thư mục dữ liệu (mặc định: $EDUPORTAL_DATA_DIR hoặc ./data).")
    var data: String?
}

/// Builds the application (database, migrations, templates, routes) without starting it.
func makeApp(_ options: DataOptions, environment: Environment = .production) async throws -> Application {
    var env = environment
    env.arguments = ["eduportal"]
    let app = try await Application.make(env)
    do {
        try await configure(app, config: AppConfig.fromEnvironment(dataDirectory: options.data))
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    return app
}

/// Runs the HTTP server until SIGINT or SIGTERM.
func serve(_ app: Application, hostname: String, port: Int) async throws {
    app.http.server.configuration.hostname = hostname
    app.http.server.configuration.port = port
    app.environment.arguments = ["eduportal", "serve"]
    do {
        try await app.execute()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

/// A child process closing its pipe (sendmail without an MTA) must not kill the server.
func ignoreBrokenPipes() {
    signal(SIGPIPE, SIG_IGN)
}

func bootstrapLogging() {
    struct Once { nonisolated(unsafe) static var done = false }
    guard !Once.done else { return }
    Once.done = true
    ignoreBrokenPipes()
    var env = Environment(name: "production", arguments: ["eduportal"])
    try? LoggingSystem.bootstrap(from: &env)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Chạy máy chủ (sản xuất; không tạo dữ liệu mẫu).")
    @OptionGroup var options: DataOptions
    @ArgumentParser.Option(help: "Địa chỉ lắng nghe; mặc định :: nhận cả IPv6 và IPv4 (Điều 12, khoản 7).") var hostname = "::"
    @ArgumentParser.Option(help: "Cổng.") var port = 8080

    func run() async throws {
        bootstrapLogging()
        let app = try await makeApp(options)
        try await serve(app, hostname: hostname, port: port)
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Tạo tỉnh mẫu (nếu chưa có) và chạy máy chủ.")
    @OptionGroup var options: DataOptions
    @ArgumentParser.Option(help: "Địa chỉ lắng nghe.") var hostname = "127.0.0.1"
    @ArgumentParser.Option(help: "Cổng.") var port = 8080

    func run() async throws {
        bootstrapLogging()
        let app = try await makeApp(options, environment: .development)
        let result: (created: Bool, units: [DemoProvince.Created])
        do {
            result = try await DemoProvince.ensure(app: app, port: port)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        var lines = [
            "",
            result.created ? "Đã tạo tỉnh mẫu trong \(app.eduConfig.dataDirectory)." : "Dùng tỉnh mẫu đã có trong \(app.eduConfig.dataDirectory).",
            "",
            "Các cổng thông tin (trình duyệt tự hiểu *.localhost; với curl dùng -H 'Host: …'):",
        ]
        for unit in result.units {
            lines.append("  \(unit.url.padding(toLength: 48, withPad: " ", startingAt: 0)) \(unit.name)")
        }
        lines += [
            "",
            "Đăng nhập quản trị: http://localhost:\(port)/quan-tri/dang-nhap",
            "  Sở:        \(result.units[0].adminEmail)",
            "  Phòng:     \(result.units[1].adminEmail)",
            "  Trường:    \(result.units[3].adminEmail)",
            "  (mỗi đơn vị có một tài khoản quantri@<miền thư của đơn vị>)",
            "  Mật khẩu:  \(DemoProvince.password)",
            "",
            "Tra cứu điểm thi: http://localhost:\(port)/tra-cuu-diem-thi (thử SBD \(DemoProvince.sampleCandidate.sbd), ngày sinh \(DemoProvince.sampleCandidate.birth))",
            "Tra cứu văn bằng: http://localhost:\(port)/tra-cuu-van-bang (thử \(DemoProvince.sampleDiploma.serial), \(DemoProvince.sampleDiploma.name), \(DemoProvince.sampleDiploma.birth))",
            "",
        ]
        print(lines.joined(separator: "\n"))
        try await serve(app, hostname: hostname, port: port)
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Chạy các bước chuyển đổi cơ sở dữ liệu.")
    @OptionGroup var options: DataOptions

    func run() async throws {
        let app = try await makeApp(options)
        print("Cơ sở dữ liệu đã cập nhật: \(app.eduConfig.storage.description)")
        try await app.asyncShutdown()
    }
}

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
            let app = try await makeApp(options)
            do {
                try await UserOperations.add(app: app, unitCode: unit, email: email, fullName: name, role: role, password: line)
            } catch let failure as UserOperations.Failure {
                try? await app.asyncShutdown()
                throw ValidationError(failure.description)
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
            print("Đã tạo tài khoản \(email.lowercased()) (\(role)) tại \(unit).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liệt kê tài khoản.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Chỉ tài khoản của đơn vị này.") var unit: String?

        func run() async throws {
            let app = try await makeApp(options)
            do {
                for user in try await UserOperations.list(app: app, unitCode: unit) {
                    print([user.email, user.unitCode, user.roles.joined(separator: ","), user.disabled ? "đã khóa" : "hoạt động", user.fullName]
                        .joined(separator: "\t"))
                }
            } catch let failure as UserOperations.Failure {
                try? await app.asyncShutdown()
                throw ValidationError(failure.description)
            }
            try await app.asyncShutdown()
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Khóa tài khoản (kết thúc mọi phiên đăng nhập).")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Thư điện tử.") var email: String

        func run() async throws {
            let app = try await makeApp(options)
            do {
                try await UserOperations.setDisabled(app: app, email: email.lowercased(), disabled: true)
            } catch let failure as UserOperations.Failure {
                try? await app.asyncShutdown()
                throw ValidationError(failure.description)
            }
            try await app.asyncShutdown()
            print("Đã khóa tài khoản \(email.lowercased()).")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mở khóa tài khoản.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Thư điện tử.") var email: String

        func run() async throws {
            let app = try await makeApp(options)
            do {
                try await UserOperations.setDisabled(app: app, email: email.lowercased(), disabled: false)
            } catch let failure as UserOperations.Failure {
                try? await app.asyncShutdown()
                throw ValidationError(failure.description)
            }
            try await app.asyncShutdown()
            print("Đã mở khóa tài khoản \(email.lowercased()).")
        }
    }
}

struct ExamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exam", abstract: "Kỳ thi và kết quả thi.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Nhập tệp kết quả thi (.csv hoặc .xlsx); tạo kỳ thi nếu chưa có. Tệp có lỗi không được nhập.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị.") var unit: String
        @ArgumentParser.Option(help: "Tên kỳ thi.") var session: String
        @ArgumentParser.Option(help: "Loại kỳ thi khi tạo mới: tuyen-sinh-lop-10, tot-nghiep-thpt, hoc-sinh-gioi, nghe-pho-thong, tuyen-sinh-lop-6, khac.")
        var kind: String?
        @ArgumentParser.Option(help: "Năm của kỳ thi khi tạo mới (mặc định: năm nay).") var year: Int?
        @ArgumentParser.Option(help: "Thang điểm khi tạo mới (mặc định 10; học sinh giỏi thường 20).") var maxScore: Double?
        @ArgumentParser.Flag(help: "Công bố ngay khi nhập xong.") var publishNow = false
        @ArgumentParser.Argument(help: "Tệp kết quả.") var file: String

        func run() async throws {
            let app = try await makeApp(options)
            let started = Date()
            do {
                let report = try await ExamOperations.importResults(
                    app: app, unitCode: unit, sessionName: session, kind: kind, year: year, maxScore: maxScore, publishNow: publishNow, path: file
                ) { rows in
                    if rows % 100_000 == 0 { FileHandle.standardError.write(Data("Đã đọc \(rows) dòng…\n".utf8)) }
                }
                try await app.asyncShutdown()
                let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
                if report.errorCount > 0 {
                    for line in report.errors { print(line) }
                    if report.errorCount > report.errors.count { print("… và \(report.errorCount - report.errors.count) lỗi khác.") }
                    throw ValidationError("Tệp có \(report.errorCount) lỗi; không có dữ liệu nào được nhập.")
                }
                print("\(report.created ? "Đã tạo kỳ thi" : "Kỳ thi") «\(report.sessionName)»: phiên bản \(report.version), \(report.candidates) thí sinh, \(seconds) giây. \(report.published ? "Đã công bố." : "Chưa công bố (đặt thời điểm công bố trong trang quản trị hoặc dùng --publish-now).")")
            } catch let failure as ExamOperations.Failure {
                try? await app.asyncShutdown()
                throw ValidationError(failure.description)
            } catch let error as AppError {
                try? await app.asyncShutdown()
                throw ValidationError(error.message)
            }
        }
    }
}

struct DiplomaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diploma", abstract: "Sổ văn bằng, chứng chỉ.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Nhập sổ văn bằng (.csv hoặc .xlsx). Tệp có lỗi không được nhập.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị.") var unit: String
        @ArgumentParser.Option(help: "Loại văn bằng khi tệp không có cột «Loại văn bằng».") var kind = "Bằng tốt nghiệp THPT"
        @ArgumentParser.Argument(help: "Tệp sổ văn bằng.") var file: String

        func run() async throws {
            let app = try await makeApp(options)
            do {
                let result = try await ExamOperations.importDiplomas(app: app, unitCode: unit, kind: kind, path: file)
                try await app.asyncShutdown()
                if result.errorCount > 0 {
                    for line in result.errors { print(line) }
                    throw ValidationError("Tệp có \(result.errorCount) lỗi; không có dữ liệu nào được nhập.")
                }
                print("Đã nhập sổ văn bằng: thêm \(result.added), cập nhật \(result.updated).")
            } catch let failure as ExamOperations.Failure {
                try? await app.asyncShutdown()
                throw ValidationError(failure.description)
            }
        }
    }
}

/// Runs `body` with an app, shutting it down either way; `MailOperations.Failure` becomes a CLI error.
func withApp<T>(_ options: DataOptions, _ body: (Application) async throws -> T) async throws -> T {
    let app = try await makeApp(options)
    do {
        let value = try await body(app)
        try await app.asyncShutdown()
        return value
    } catch let failure as MailOperations.Failure {
        try? await app.asyncShutdown()
        throw ValidationError(failure.description)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail", abstract: "Thư điện tử công vụ: danh bạ hộp thư, nhóm thư, cấu hình Postfix và Dovecot.",
        subcommands: [Config.self, DomainAdd.self, MailboxAdd.self, MailboxSet.self, GroupAdd.self, Import.self])

    struct Config: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ghi cấu hình Postfix và Dovecot đọc cơ sở dữ liệu hiện tại (SQLite hoặc PostgreSQL).")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Thư mục ghi cấu hình.") var out: String
        @ArgumentParser.Option(help: "Thư mục chứa hộp thư.") var vmail = "/var/vmail"
        @ArgumentParser.Option(help: "uid sở hữu hộp thư.") var uid = 5000
        @ArgumentParser.Option(help: "gid sở hữu hộp thư.") var gid = 5000
        @ArgumentParser.Option(help: "Tên máy chủ thư.") var hostname = "mail.example.edu.vn"
        @ArgumentParser.Option(help: "Chạy riêng một bản (thử nghiệm): thư mục hàng đợi và trạng thái.") var instance: String?
        @ArgumentParser.Option(help: "Cổng SMTP trên 127.0.0.1 (với --instance).") var smtpPort = 2525
        @ArgumentParser.Option(help: "Cổng IMAP trên 127.0.0.1 (với --instance).") var imapPort = 1143
        @ArgumentParser.Option(help: "Cổng LMTP trên 127.0.0.1 (với --instance).") var lmtpPort = 2424
        @ArgumentParser.Option(help: "Cổng dịch vụ chính sách gửi thư vào nhóm của EduPortal (EDUPORTAL_MAIL_POLICY_PORT của máy chủ).") var policyPort: Int?

        func run() async throws {
            let files = try await withApp(options) { app in
                try MailOperations.writeConfig(
                    app: app, out: out, vmail: vmail, uid: uid, gid: gid, hostname: hostname,
                    instance: instance.map { .init(directory: URL(fileURLWithPath: $0).standardizedFileURL.path, smtpPort: smtpPort, imapPort: imapPort, lmtpPort: lmtpPort) },
                    policyPort: policyPort)
            }
            for file in files { print(file) }
        }
    }

    struct DomainAdd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "domain-add", abstract: "Thêm tên miền thư cho đơn vị.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị.") var unit: String
        @ArgumentParser.Option(help: "Tên miền.") var domain: String

        func run() async throws {
            try await withApp(options) { app in try await MailOperations.addDomain(app: app, unitCode: unit, domain: domain) }
            print("Đã thêm tên miền \(domain.lowercased()).")
        }
    }

    struct MailboxAdd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mailbox-add", abstract: "Tạo hộp thư (mật khẩu đọc từ đầu vào chuẩn).")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị.") var unit: String
        @ArgumentParser.Option(help: "Địa chỉ thư.") var address: String
        @ArgumentParser.Option(help: "Tên hiển thị.") var name: String
        @ArgumentParser.Option(help: "Chức năng: thu-truong, cap-pho, van-thu, can-bo, bo-phan.") var function = "can-bo"
        @ArgumentParser.Option(help: "Chức vụ.") var title = ""
        @ArgumentParser.Option(help: "Bộ phận.") var department = ""
        @ArgumentParser.Flag(help: "Đọc mật khẩu từ đầu vào chuẩn (một dòng).") var passwordStdin = false

        func run() async throws {
            guard passwordStdin, let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("Cần --password-stdin và một dòng mật khẩu: mật khẩu không được truyền trên dòng lệnh.")
            }
            try await withApp(options) { app in
                try await MailOperations.addMailbox(app: app, unitCode: unit, address: address, name: name, function: function, title: title,
                                                    department: department, password: password)
            }
            print("Đã tạo hộp thư \(address.lowercased()).")
        }
    }

    struct MailboxSet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mailbox-set", abstract: "Đổi chức năng, khóa/mở, chuyển tiếp một hộp thư.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Địa chỉ thư.") var address: String
        @ArgumentParser.Option(help: "Chức năng mới.") var function: String?
        @ArgumentParser.Flag(help: "Khóa (nghỉ việc, chuyển công tác).") var disable = false
        @ArgumentParser.Flag(help: "Mở lại.") var enable = false
        @ArgumentParser.Option(help: "Chuyển tiếp thư tới địa chỉ này (\"\" để bỏ).") var forward: String?
        @ArgumentParser.Option(help: "Số ngày giữ hộp thư đã khóa trước khi xóa.") var retentionDays: Int?
        @ArgumentParser.Option(help: "Địa chỉ phụ (thay danh sách cũ); lặp lại được; --alias \"\" để bỏ hết.") var alias: [String] = []
        @ArgumentParser.Option(help: "Hạn mức hộp thư (MB).") var quotaMb: Int?

        func run() async throws {
            guard !(disable && enable) else { throw ValidationError("Chọn --disable hoặc --enable, không cả hai.") }
            try await withApp(options) { app in
                try await MailOperations.setMailbox(app: app, address: address, function: function, active: disable ? false : (enable ? true : nil),
                                                    forwardTo: forward, retentionDays: retentionDays,
                                                    aliases: alias.isEmpty ? nil : alias.filter { !$0.isEmpty }, quotaMB: quotaMb)
            }
            print("Đã cập nhật hộp thư \(address.lowercased()).")
        }
    }

    struct GroupAdd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "group-add", abstract: "Tạo nhóm thư: thành viên cố định và/hoặc quy tắc.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị sở hữu nhóm.") var unit: String
        @ArgumentParser.Option(help: "Địa chỉ nhóm.") var address: String
        @ArgumentParser.Option(help: "Tên nhóm.") var name: String
        @ArgumentParser.Option(help: "Thành viên (hộp thư, nhóm khác hoặc địa chỉ ngoài); lặp lại được.") var member: [String] = []
        @ArgumentParser.Option(help: "Quy tắc chức-năng:loại-đơn-vị[:mã-đơn-vị-gốc], ví dụ thu-truong:so; lặp lại được.") var rule: [String] = []
        @ArgumentParser.Option(help: "Ai được gửi vào nhóm: open (mọi người), members (thành viên), moderated (chờ duyệt).") var posting = "members"

        func run() async throws {
            try await withApp(options) { app in
                try await MailOperations.addGroup(app: app, unitCode: unit, address: address, name: name, members: member, rules: rule, posting: posting)
            }
            print("Đã tạo nhóm \(address.lowercased()).")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tạo hộp thư theo danh sách cán bộ (.csv/.xlsx: Họ tên, Chức vụ, Bộ phận, Email mong muốn); nhập lại không tạo trùng.")
        @OptionGroup var options: DataOptions
        @ArgumentParser.Option(help: "Mã đơn vị.") var unit: String
        @ArgumentParser.Option(help: "Tên miền (mặc định: miền thư của đơn vị).") var domain: String?
        @ArgumentParser.Option(help: "Tệp .xlsx ghi mật khẩu ban đầu (trao một lần, không lưu ở đâu khác).") var sheet: String
        @ArgumentParser.Argument(help: "Danh sách cán bộ.") var file: String

        func run() async throws {
            let result = try await withApp(options) { app in
                try await MailOperations.importStaff(app: app, unitCode: unit, domain: domain, path: file, sheetPath: sheet)
            }
            if !result.errors.isEmpty {
                for line in result.errors { print(line) }
                throw ValidationError("Danh sách có \(result.errors.count) lỗi; không tạo hộp thư nào.")
            }
            print("Đã tạo \(result.created) hộp thư, \(result.existing) đã có từ trước. Mật khẩu ban đầu: \(sheet)")
        }
    }
}
