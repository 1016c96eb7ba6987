import ArgumentParser
import EduWeb
import Foundation
import Vapor

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
        let app = try await makeApp(options, environment: .development, publicPort: port)
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
            lines.append("  \(unit.url.padding(toLength: 48, withPad: " ", startingAt: 0)) \(unit.name)" + (unit.note.isEmpty ? "" : " (\(unit.note))"))
        }
        func admin(_ code: String) -> String { result.units.first { $0.code == code }?.adminEmail ?? "" }
        lines += [
            "",
            "Đăng nhập quản trị: http://localhost:\(port)/quan-tri/dang-nhap",
            "  Sở:        \(admin(DemoProvince.rootCode))",
            "  Xã:        \(admin("phong-vhxh-gia-vien"))",
            "  Trường:    \(admin("thpt-chu-van-an"))",
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
