import ArgumentParser
import EduWeb
import Foundation
import Vapor

/// `eduportal audit URL`: scores any portal from outside (#17 point 3).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Kiểm tra một cổng thông tin bất kỳ: thu thập lịch sự (theo robots.txt, có giới hạn tốc độ và số trang), chấm theo các tiêu chí kiểm tra từ bên ngoài.")
    @ArgumentParser.Argument(help: "Địa chỉ cổng, ví dụ https://thpt-abc.edu.vn/") var url: String
    @ArgumentParser.Option(help: "Tên miền để kiểm tra DNS (mặc định: tên máy trong địa chỉ).") var domain: String?
    @ArgumentParser.Option(help: "Tên miền thư (mặc định: tên miền bỏ «www.»).") var mailDomain: String?
    @ArgumentParser.Option(help: "Máy chủ DNS để hỏi, host:cổng (mặc định: máy chủ trong /etc/resolv.conf; «không» để bỏ qua DNS).") var dns: String?
    @ArgumentParser.Option(help: "Số trang đọc tối đa.") var pages = 30
    @ArgumentParser.Option(help: "Số yêu cầu mỗi giây.") var rate = 2.0
    @ArgumentParser.Option(help: "Đo tốc độ, khả năng truy cập trang chủ bằng Chromium nếu có («không» để bỏ qua).") var browser = "có"
    @ArgumentParser.Flag(help: "In kết quả dạng JSON.") var json = false

    func run() async throws {
        var env = Environment(name: "audit")
        env.arguments = ["eduportal"]
        let app = try await Application.make(env)
        do {
            let result = try await AuditOperations.run(.init(url: url, domain: domain, mailDomain: mailDomain, dns: dns == "không" ? "" : dns, pages: pages, rate: rate,
                                                                    browser: browser != "không"),
                                                      client: app.client, eventLoopGroup: app.eventLoopGroup)
            print(json ? result.json : result.text)
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
