import ArgumentParser
import EduWeb
import Foundation

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
            let started = Date()
            let report = try await withApp(options) { app in
                try await ExamOperations.importResults(
                    app: app, unitCode: unit, sessionName: session, kind: kind, year: year, maxScore: maxScore, publishNow: publishNow, path: file
                ) { rows in
                    if rows % 100_000 == 0 { FileHandle.standardError.write(Data("Đã đọc \(rows) dòng…\n".utf8)) }
                }
            }
            let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
            if report.errorCount > 0 {
                for line in report.errors { print(line) }
                if report.errorCount > report.errors.count { print("… và \(report.errorCount - report.errors.count) lỗi khác.") }
                throw refused("Tệp có \(report.errorCount) lỗi; không có dữ liệu nào được nhập.")
            }
            print("\(report.created ? "Đã tạo kỳ thi" : "Kỳ thi") «\(report.sessionName)»: phiên bản \(report.version), \(report.candidates) thí sinh, \(seconds) giây. \(report.published ? "Đã công bố." : "Chưa công bố (đặt thời điểm công bố trong trang quản trị hoặc dùng --publish-now).")")
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
            let result = try await withApp(options) { app in
                try await ExamOperations.importDiplomas(app: app, unitCode: unit, kind: kind, path: file)
            }
            if result.errorCount > 0 {
                for line in result.errors { print(line) }
                throw refused("Tệp có \(result.errorCount) lỗi; không có dữ liệu nào được nhập.")
            }
            print("Đã nhập sổ văn bằng: thêm \(result.added), cập nhật \(result.updated).")
        }
    }
}
