import EduCore
import EduData
import EduImport
import Fluent
import Foundation
import Vapor

/// The demo Sở's published grade-10 entrance results and diploma register, generated the same
/// way every time and imported through the same pipeline as a clerk's file.
enum DemoExams {
    static let sessionName = "Kỳ thi tuyển sinh lớp 10 THPT năm học 2026–2027"
    /// A candidate to try: printed by `demo`.
    static let sample = (sbd: "270001", name: "Nguyễn Minh Anh", birth: "15/03/2011")
    static let diplomaSample = (serial: "NB0000001", name: "Trần Thu Hà", birth: "02/09/2007")
    static let candidates = 3000

    /// A small deterministic generator (the demo must not differ between runs).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
        /// Roughly normal (sum of uniforms), in 0.25 steps within 0…10.
        mutating func score(mean: Double, spread: Double) -> String {
            let u = (0..<6).map { _ in Double(next() % 10_000) / 10_000 }.reduce(0, +) - 3
            let value = min(10, max(0, mean + u * spread * 0.8))
            return ExamScore.text(UInt16((value * 4).rounded() * 25))
        }
    }

    static let surnames = ["Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đinh", "Bùi", "Đỗ", "Ngô", "Dương", "Lương", "Tạ"]
    static let male = (["Văn", "Minh", "Đức", "Quang", "Hữu", "Gia"], ["An", "Bảo", "Cường", "Dũng", "Hải", "Hiếu", "Huy", "Khánh", "Long", "Nam", "Phong", "Quân", "Sơn", "Thành", "Trung", "Tuấn", "Việt"])
    static let female = (["Thị", "Ngọc", "Thu", "Minh", "Phương", "Khánh"], ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "My", "Ngân", "Nhi", "Phương", "Quỳnh", "Thảo", "Trang", "Vy"])
    static let schools = ["THCS Ninh Khánh", "THCS Trương Hán Siêu", "THCS Đinh Tiên Hoàng", "THCS Kim Sơn", "THCS Gia Viễn", "THCS Yên Mô", "THCS Nho Quan", "THCS Hoa Lư"]

    static func resultsFile() -> [UInt8] {
        var random = Random(state: 2026)
        var lines = [
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO NINH BÌNH;;;;;;;;",
            "KẾT QUẢ KỲ THI TUYỂN SINH LỚP 10 THPT NĂM HỌC 2026–2027;;;;;;;;",
            "STT;SBD;Họ và tên;Ngày sinh;Giới tính;Hội đồng thi;Toán;Ngữ văn;Tiếng Anh;Ghi chú",
            "1;\(sample.sbd);\(sample.name);\(sample.birth);Nữ;THPT Chu Văn An;8,75;8,5;9,25;",
        ]
        for i in 2...candidates {
            let isFemale = random.next() % 2 == 0
            let parts = isFemale ? female : male
            let name = "\(random.pick(surnames)) \(random.pick(parts.0)) \(random.pick(parts.1))"
            let birth = String(format: "%02d/%02d/2011", random.int(1...28), random.int(1...12))
            var english = random.score(mean: 6.2, spread: 1.8)
            var note = ""
            if random.next() % 150 == 0 { english = ""; note = "Vắng thi môn Tiếng Anh" }
            lines.append("\(i);\(String(format: "27%04d", i));\(name);\(birth);\(isFemale ? "Nữ" : "Nam");THPT \(random.pick(["Chu Văn An", "Kim Sơn A", "Gia Viễn", "Yên Mô A", "Nho Quan A"]));\(random.score(mean: 6.4, spread: 1.6));\(random.score(mean: 6.9, spread: 1.2));\(english);\(note)")
        }
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    static func diplomaFile() -> [UInt8] {
        var random = Random(state: 37)
        var lines = [
            "STT,Số hiệu,Số vào sổ,Họ và tên,Ngày sinh,Dân tộc,Năm tốt nghiệp,Xếp loại,Ngày cấp",
            "1,\(diplomaSample.serial),001/2025,\(diplomaSample.name),\(diplomaSample.birth),Kinh,2025,Giỏi,20/07/2025",
        ]
        for i in 2...200 {
            let isFemale = random.next() % 2 == 0
            let parts = isFemale ? female : male
            let name = "\(random.pick(surnames)) \(random.pick(parts.0)) \(random.pick(parts.1))"
            let year = random.int(2022...2025)
            lines.append("\(i),NB\(String(format: "%07d", i)),\(String(format: "%03d", i))/\(year),\(name),\(String(format: "%02d/%02d", random.int(1...28), random.int(1...12)))/\(year - 18),Kinh,\(year),\(random.pick(["Giỏi", "Khá", "Khá", "Trung bình"])),20/07/\(year)")
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    static func create(at record: OrgUnit, app: Application) async throws {
        let unit = try await ResolvedUnit.resolve(record, on: app.db)
        var input = ExamService.SessionInput()
        input.name = sessionName
        input.kind = ExamKind.tuyenSinhLop10.rawValue
        input.year = "2026"
        let valid = try ExamService.validate(input).get()
        let session = try await ExamService.create(valid, unitID: unit.id, by: .cli("demo"), on: app.db)
        let bytes = resultsFile()
        let row = try await ExamService.begin(session: session, filename: "ket-qua-tuyen-sinh-10.csv", byteCount: bytes.count, by: .cli("demo"), on: app.db)
        _ = try await ExamService.run(row, bytes: bytes, publishNow: true, by: .cli("demo"), db: app.db,
                                      threadPool: app.threadPool, store: nil, logger: app.logger)
        _ = try await ExamService.importDiplomas(unit: unit, bytes: diplomaFile(), defaultKind: "Bằng tốt nghiệp THPT", by: .cli("demo"), db: app.db, threadPool: app.threadPool)
    }
}
