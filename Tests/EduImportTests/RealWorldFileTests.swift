import EduCore
import Foundation
import Testing
@testable import EduImport

/// Files as clerks' spreadsheets really arrive (#12): a blank header over a column of scores,
/// faults named by Excel's row and column, Windows-1258 CSV, C1 characters from a Latin-1
/// reading, future dates written as serial numbers, negative scores, malformed addresses,
/// a person pasted twice, phone numbers that lost their leading zero.
@Suite struct RealWorldFileTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func aBlankHeaderOverScoresRefusesTheFileNamingTheColumn() throws {
        // The subject's name in G1 was deleted by mistake: every candidate's score for it would be lost.
        let rows: [[XLSXWriter.Cell]] = [
            ["SBD", "Họ và tên", "Ngày sinh", "Giới tính", "Toán", "Ngữ văn", "", "Ghi chú"],
            ["270001", "Nguyễn Văn An", "15/03/2011", "Nam", .number(8), .number(7.5), .number(9), ""],
            ["270002", "Trần Thị Bình", "02/06/2011", "Nữ", .number(6), .number(5), .number(4.25), ""],
            ["270003", "Lê Văn Cường", "09/09/2011", "Nam", .number(7), .number(6), .number(8), ""],
        ]
        let outcome = ExamImporter.run(bytes: Array(try XLSXWriter.workbook(rows: rows)))
        #expect(outcome.snapshot == nil && !outcome.isClean)
        // One fault for the file, not one per row.
        #expect(outcome.errors.count == 1)
        #expect(outcome.errors[0].line == 0)
        #expect(outcome.errors[0].message.hasPrefix("Cột G có điểm nhưng không có tiêu đề (ô G2: «9»)"))

        // Text under a blank header is data too; a blank column with a blank header is fine.
        let notes = ExamImporter.run(bytes: Self.bytes("SBD,Họ và tên,Ngày sinh,Toán,,\nA1,An,01/01/2010,5,,\nA2,Bình,01/01/2010,6,,đã phúc khảo\n"))
        #expect(notes.errors.map(\.message).first?.hasPrefix("Cột F có dữ liệu nhưng không có tiêu đề (ô F3: «đã phúc khảo»)") == true)
        #expect(ExamImporter.run(bytes: Self.bytes("SBD,Họ và tên,Ngày sinh,Toán,\nA1,An,01/01/2010,5,\n")).isClean)

        // The same rule for diploma registers and staff lists.
        let register = DiplomaImporter.run(bytes: Self.bytes("Số hiệu,Họ và tên,Ngày sinh,\nB1,Nguyễn Văn An,01/05/2006,Giỏi\n"), defaultKind: "Bằng tốt nghiệp THPT")
        #expect(register.records.isEmpty)
        #expect(register.errors.first?.message.hasPrefix("Cột D có dữ liệu nhưng không có tiêu đề") == true)
        let staff = StaffListImporter.run(bytes: Self.bytes("Họ tên,Chức vụ\nNguyễn Văn An,Giáo viên,0912345678\n"), domain: "a.edu.vn")
        #expect(staff.rows.isEmpty)
        #expect(staff.errors.first?.message.hasPrefix("Cột C có dữ liệu nhưng không có tiêu đề") == true)
    }

    @Test func faultsAreNamedByRowAndColumnAsExcelShowsThem() throws {
        var rows: [[XLSXWriter.Cell]] = [["SBD", "Họ và tên", "Ngày sinh", "Toán", "Ngữ văn"]]
        for i in 1...44 { rows.append([.text("27\(String(format: "%04d", i))"), "Nguyễn Văn An", "15/03/2011", .number(8), .number(7)]) }
        // Row 46: a birth date in the future, written as Excel's serial number (14/09/2101).
        rows.append(["270045", "Trần Thị Bình", .number(73672), .number(6), .number(5)])
        // Row 47: a negative score.
        rows.append(["270046", "Lê Văn Cường", "09/09/2011", .number(-1), .number(5)])
        let outcome = ExamImporter.run(bytes: Array(try XLSXWriter.workbook(rows: rows)))
        #expect(outcome.snapshot == nil)
        #expect(outcome.errors.map(\.text) == [
            "Dòng 46, cột C: ngày sinh 14/09/2101 ở tương lai.",
            "Dòng 47, cột D: điểm môn Toán «-1» nằm ngoài khoảng 0 – 10 (điểm không thể âm).",
        ])
        // A date before 1900 and an impossible one each say what is wrong.
        let old = ExamImporter.run(bytes: Self.bytes("SBD,Họ và tên,Ngày sinh,Toán\nA1,An,01/01/1890,5\nA2,Bình,31/02/2011,5\n"))
        #expect(old.errors.map(\.text) == ["Dòng 2, cột C: ngày sinh 01/01/1890 trước năm 1900.",
                                           "Dòng 3, cột C: ngày sinh «31/02/2011» không hợp lệ (viết dd/mm/yyyy hoặc yyyy-mm-dd)."])
        // A diploma issued in the future.
        let register = DiplomaImporter.run(bytes: Self.bytes("Số hiệu,Họ và tên,Ngày sinh,Ngày cấp\nB1,Nguyễn Văn An,01/05/2006,01/01/2099\n"), defaultKind: "Bằng tốt nghiệp THPT")
        #expect(register.errors.map(\.text) == ["Dòng 2, cột D: ngày cấp 01/01/2099 ở tương lai."])
    }

    @Test func malformedAddressesAreCalledMalformed() {
        let csv = """
        Họ tên,Chức vụ,Email mong muốn
        Nguyễn Văn An,Giáo viên,a@@b
        Trần Thị Bình,Giáo viên,binh@
        Lê Văn Cường,Giáo viên,@a.edu.vn
        Phạm Thị Dung,Giáo viên,dung@gmail.com
        """
        let outcome = StaffListImporter.run(bytes: Self.bytes(csv), domain: "a.edu.vn")
        #expect(outcome.errors.map(\.text) == [
            "Dòng 2, cột C: địa chỉ «a@@b» không đúng dạng tên@tên-miền.",
            "Dòng 3, cột C: địa chỉ «binh@» không đúng dạng tên@tên-miền.",
            "Dòng 4, cột C: địa chỉ «@a.edu.vn» không đúng dạng tên@tên-miền.",
            "Dòng 5, cột C: địa chỉ «dung@gmail.com» không thuộc tên miền a.edu.vn.",
        ])
    }

    @Test func aWindows1258CSVIsReadAsVietnamese() throws {
        // What Excel on a Vietnamese Windows saves as "CSV": Windows-1258, tone marks as separate
        // bytes (written with Python's cp1258 codec).
        let hex = "5342442c486ff22076e02074ea6e2c4e67e0792073696e682c4769f5ec692074ed6e682c546fe16e2c4e67fdde2076e36e0d0a3237303030312c4e677579eade6e20546869f22048fdf5cc6e672c31352f30332f323031312c4efdde2c382c372e350d0a3237303030322c5472e2cc6e2056e36e20d0fdec632c30312f30322f323031312c4e616d2c362c350d0a"
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        #expect(String(validating: bytes, as: UTF8.self) == nil)
        let outcome = ExamImporter.run(bytes: bytes)
        #expect(outcome.isClean, "\(outcome.errors)")
        #expect(outcome.subjects == ["Toán", "Ngữ văn"])
        let snapshot = try ExamSnapshot(bytes: try #require(outcome.snapshot))
        let first = try #require(snapshot.candidate(sbd: "270001"))
        #expect(first.fullName == "Nguyễn Thị Hường")
        #expect(first.fullName.unicodeScalars.count == "Nguyễn Thị Hường".precomposedStringWithCanonicalMapping.unicodeScalars.count)
        #expect(try #require(snapshot.candidate(sbd: "270002")).fullName == "Trần Văn Đức")

        // Bytes that are neither UTF-8 nor Vietnamese in any reading: the message names the encoding.
        let garbage: [UInt8] = Array("a;b;c\n".utf8) + [0xFF, 0xFE, 0x81, 0x3B, 0x8D, 0x0A]
        #expect(ExamImporter.run(bytes: Array("x".utf8) + garbage).errors.first?.message.contains("CSV UTF-8") == true)
    }

    @Test func c1CharactersFromALatin1ReadingKeepTheirDashesAndQuotes() {
        #expect(TextNormalizer.normalize("Năm học 2026\u{96}2027") == "Năm học 2026–2027")
        #expect(TextNormalizer.normalize("\u{93}Trường học\u{94}") == "\u{201C}Trường học\u{201D}")
        // TCVN3 read as Latin-1, with a dash at 0x96: converted, dash kept.
        #expect(TextNormalizer.normalize("Gi\u{B8}o d\u{F4}c v\u{B5} \u{AE}\u{B5}o t\u{B9}o 2026\u{96}2027") == "Giáo dục và đào tạo 2026–2027")
    }

    @Test func aPersonPastedTwiceIsReportedAndPhonesAreRead() {
        let csv = """
        Họ tên,Chức vụ,Bộ phận,Email mong muốn,Số điện thoại
        Nguyễn Văn An,Giáo viên,Tổ Toán,,0912 345 678
        Trần Thị Bình,Giáo viên,Tổ Văn,,912345679
        Lê Văn Cường,Kế toán,Văn phòng,,+84 229 387 1234
        Nguyễn Văn An,Giáo viên,Tổ Toán,,0912 345 678
        Phạm Thị Dung,Giáo viên,Tổ Anh,,09123abc
        Hoàng Văn Em,Bảo vệ,Văn phòng,,091234
        """
        let outcome = StaffListImporter.run(bytes: Self.bytes(csv), domain: "a.edu.vn")
        #expect(outcome.rows.isEmpty)
        #expect(outcome.errors.map(\.text) == [
            "Dòng 5: trùng với dòng 2 (cùng họ tên, chức vụ và bộ phận): mỗi người chỉ ghi một dòng.",
            "Dòng 6, cột E: số điện thoại «09123abc» có chữ cái.",
            "Dòng 7, cột E: số điện thoại «091234» có 6 chữ số (di động: 10 số bắt đầu bằng 03, 05, 07, 08, 09; cố định: 11 số bắt đầu bằng 02).",
        ])
        // Fixed, the list is clean; the lost leading zero is restored and said.
        let fixed = csv.split(separator: "\n").prefix(4).joined(separator: "\n")
        let clean = StaffListImporter.run(bytes: Self.bytes(fixed), domain: "a.edu.vn")
        #expect(clean.isClean)
        #expect(clean.rows.map(\.phone) == ["0912345678", "0912345679", "02293871234"])
        #expect(clean.notices.map(\.text) == ["Dòng 3, cột E: số điện thoại «912345679» thiếu số 0 đầu (Excel bỏ đi khi ô là số); đã ghi là 0912345679."])
        #expect(PhoneNumber.e164("0912345678") == "+84912345678")
        #expect(PhoneNumber.e164("02293871234") == "+842293871234")
    }

    /// Merged cells read as Excel shows them: the value in every cell of the range (a title across
    /// the table, a school's name down its candidates' rows), not in the top-left one only.
    @Test func mergedCellsGiveEveryCellTheirValue() throws {
        let rows: [[XLSXWriter.Cell]] = [
            ["KẾT QUẢ THI CHỌN HỌC SINH GIỎI"],
            ["SBD", "Họ và tên", "Ngày sinh", "Trường", "Toán"],
            ["HSG001", "Phạm Thị Ánh", "30/04/2011", "THCS Ninh Khánh", .number(8)],
            ["HSG002", "Đinh Công Tráng", "01/12/2011", "", .number(7)],
            ["HSG003", "Lê Thu Trang", "02/02/2011", "", .number(9)],
        ]
        let file = Array(try XLSXWriter.workbook(rows: rows, merges: ["A1:E1", "D3:D5"]))
        var read: [[String]] = []
        try Spreadsheet.forEachRow(in: file) { _, cells in read.append(cells) }
        #expect(read[0] == Array(repeating: "KẾT QUẢ THI CHỌN HỌC SINH GIỎI", count: 5))
        #expect(read[2][3] == "THCS Ninh Khánh" && read[3][3] == "THCS Ninh Khánh" && read[4][3] == "THCS Ninh Khánh")
        // Without the merge the cells stay empty, and a results file with a merged title still imports.
        var plain: [[String]] = []
        try Spreadsheet.forEachRow(in: Array(try XLSXWriter.workbook(rows: rows))) { _, cells in plain.append(cells) }
        #expect(plain[3][3] == "" && plain[0].count == 1)
        #expect(ExamImporter.run(bytes: file).isClean)
    }
}
