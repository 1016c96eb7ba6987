import ArgumentParser
import EduWeb
import Foundation

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
        @ArgumentParser.Option(help: "Cổng gửi thư có đăng nhập (submission) trên 127.0.0.1 (với --instance).") var submissionPort = 2587
        @ArgumentParser.Option(help: "Cổng dịch vụ xác thực của Dovecot cho Postfix trên 127.0.0.1 (với --instance).") var authPort = 12345
        @ArgumentParser.Option(help: "Cổng dịch vụ chính sách gửi thư vào nhóm của EduPortal (EDUPORTAL_MAIL_POLICY_PORT của máy chủ).") var policyPort: Int?
        @ArgumentParser.Option(help: "Cổng dịch vụ nhận thư góp ý (LMTP) của EduPortal (EDUPORTAL_MAIL_INTAKE_PORT của máy chủ): thư tới địa chỉ nhận góp ý của dự thảo vào danh sách chờ duyệt.") var intakePort: Int?

        func run() async throws {
            let files = try await withApp(options) { app in
                try MailOperations.writeConfig(
                    app: app, out: out, vmail: vmail, uid: uid, gid: gid, hostname: hostname,
                    instance: instance.map { .init(directory: URL(fileURLWithPath: $0).standardizedFileURL.path, smtpPort: smtpPort, imapPort: imapPort, lmtpPort: lmtpPort,
                                                  submissionPort: submissionPort, authPort: authPort) },
                    policyPort: policyPort, intakePort: intakePort)
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
        static let configuration = CommandConfiguration(abstract: "Tạo hộp thư theo danh sách cán bộ (.csv/.xlsx: Họ tên, Chức vụ, Bộ phận, Email mong muốn, Số điện thoại); nhập lại không tạo trùng.")
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
                throw refused("Danh sách có \(result.errors.count) lỗi; không tạo hộp thư nào.")
            }
            for notice in result.notices { print("Lưu ý: " + notice) }
            print("Đã tạo \(result.created) hộp thư, \(result.existing) đã có từ trước. Mật khẩu ban đầu: \(sheet)")
        }
    }
}
