import EduCore
import Foundation
import Testing
import ZIPFoundation

@testable import EduImport

@Suite struct ExamValueTests {
    @Test func datesAsSpreadsheetsWriteThem() {
        #expect(ExamDate.parse("01/05/2008") == 20080501)
        #expect(ExamDate.parse("1/5/2008") == 20080501)
        #expect(ExamDate.parse("01-05-2008") == 20080501)
        #expect(ExamDate.parse("01.05.2008") == 20080501)
        #expect(ExamDate.parse("2008-05-01") == 20080501)
        #expect(ExamDate.parse("2008-05-01 00:00:00") == 20080501)
        #expect(ExamDate.parse("29/02/2008") == 20080229)
        // Excel's serial day for 2008-05-01 is 39569.
        #expect(ExamDate.parse("39569") == 20080501)
        for bad in ["29/02/2009", "31/04/2008", "01/13/2008", "1/5/08", "", "abc", "2008/5", "00/01/2008", "12/12/12345", "1e5"] {
            #expect(ExamDate.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func scoresWithCommaOrPoint() {
        #expect(ExamScore.parse("8,25") == .value(825))
        #expect(ExamScore.parse("8.25") == .value(825))
        #expect(ExamScore.parse("7") == .value(700))
        #expect(ExamScore.parse("7,5") == .value(750))
        #expect(ExamScore.parse("6.333333") == .value(633))
        #expect(ExamScore.parse("6.335") == .value(634))
        #expect(ExamScore.parse("") == .empty)
        #expect(ExamScore.parse("Vắng") == .empty)
        #expect(ExamScore.parse("-") == .empty)
        #expect(ExamScore.parse("8,2,5") == .invalid)
        #expect(ExamScore.parse("tám") == .invalid)
        #expect(ExamScore.parse(",") == .invalid)
        #expect(ExamScore.text(825) == "8,25")
        #expect(ExamScore.text(750) == "7,5")
        #expect(ExamScore.text(1000) == "10")
        #expect(ExamScore.decimal(825) == "8.25")
    }
}

@Suite struct ExamImporterTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func semicolonFileWithDecimalCommaAndTitleRows() throws {
        // As Excel with Vietnamese regional settings saves "CSV UTF-8": BOM, semicolons, decimal commas.
        let csv = "\u{FEFF}SỞ GIÁO DỤC VÀ ĐÀO TẠO NINH BÌNH;;;;;;\r\nKẾT QUẢ THI TUYỂN SINH LỚP 10;;;;;;\r\n;;;;;;\r\n"
            + "STT;SBD;Họ và tên;Ngày sinh;Giới tính;Hội đồng thi;Toán;Ngữ văn;Tiếng Anh;Ghi chú;CCCD\r\n"
            + "1;010001;Nguyễn Văn An;01/05/2011;Nam;THPT Chu Văn An;8,25;7,5;9;;036211000001\r\n"
            + "2;010002;\"Trần Thị Bình\";12/11/2011;Nữ;THPT Chu Văn An;6;\"8,75\";;Vắng môn Tiếng Anh;036211000002\r\n"
            + "3;010003;Lê Hoàng Cường;2011-02-28;Nam;THPT Kim Sơn A;10;9,25;7,8;;\r\n"
        let outcome = ExamImporter.run(bytes: Self.bytes(csv))
        #expect(outcome.errors == [])
        #expect(outcome.subjects == ["Toán", "Ngữ văn", "Tiếng Anh"])
        #expect(outcome.candidateCount == 3)
        let snapshot = try ExamSnapshot(bytes: try #require(outcome.snapshot))
        let binh = try #require(snapshot.candidate(sbd: "010002"))
        #expect(binh.fullName == "Trần Thị Bình")
        #expect(binh.birthDate == 20111112)
        #expect(binh.genderText == "Nữ")
        #expect(binh.council == "THPT Chu Văn An")
        #expect(binh.scores == [600, 875, ExamScore.absent])
        #expect(binh.note == "Vắng môn Tiếng Anh")
        #expect(snapshot.candidate(sbd: "010004") == nil)
        #expect(snapshot.candidate(sbd: "") == nil)
        // The ID-card column is not kept anywhere in the snapshot.
        #expect(!String(decoding: outcome.snapshot!, as: UTF8.self).contains("036211000001"))
        let stats = try #require(outcome.statistics)
        let math = stats.subjects[0]
        #expect(math.count == 3)
        #expect(math.median == 8.25)
        #expect(abs(math.mean - (8.25 + 6 + 10) / 3) < 0.01)
        #expect(stats.subjects[2].count == 2)
    }

    @Test func everyBadRowIsNamedAndNothingIsProduced() {
        let csv = """
        SBD,Họ và tên,Ngày sinh,Toán,Văn
        A1,Nguyễn Văn An,01/05/2011,8,7
        A2,,01/05/2011,8,7
        A3,Lê Văn Cường,31/02/2011,8,7
        A4,Phạm Thị Dung,01/05/2011,11,7
        A5,Hoàng Văn Em,01/05/2011,tám,7
        A1,Vũ Thị Giang,01/05/2011,5,5
        ,Đỗ Văn Hùng,01/05/2011,5,5
        A8,Bùi Thị Lan,01/05/2011,5,5,9
        A9<script>,Ngô Văn Minh,01/05/2011,5,5
        A10,Đặng Văn Nam,01/05/11,5,5
        """
        let outcome = ExamImporter.run(bytes: Self.bytes(csv))
        #expect(outcome.snapshot == nil)
        #expect(!outcome.isClean)
        let lines = outcome.errors.map(\.line)
        // Row 9's extra cell sits under no header: one fault of the file (line 0), named by column.
        #expect(lines == [0, 3, 4, 5, 6, 7, 8, 10, 11])
        #expect(outcome.errors[0].message.hasPrefix("Cột F có điểm nhưng không có tiêu đề (ô F9: «9»)"))
        #expect(outcome.errors.first { $0.line == 7 }?.message.contains("trùng với dòng 2") == true)
        #expect(outcome.errors.first { $0.line == 5 }?.message.contains("vượt quá") == true)
        #expect(outcome.errors.first { $0.line == 4 }?.message.contains("ngày sinh") == true)
        #expect(outcome.errors.allSatisfy { !$0.message.isEmpty })
    }

    @Test func headerProblemsAreReported() {
        #expect(ExamImporter.run(bytes: []).errors.first?.message == "Tệp rỗng.")
        #expect(ExamImporter.run(bytes: Self.bytes("SBD,Họ và tên,Toán\nA1,An,5\n")).errors.first?.message.contains("Ngày sinh") == true)
        #expect(ExamImporter.run(bytes: Self.bytes("SBD,Họ và tên,Ngày sinh\nA1,An,01/01/2010\n")).errors.first?.message.contains("cột điểm") == true)
        #expect(ExamImporter.run(bytes: Self.bytes("a,b,c\n1,2,3\n")).errors.first?.message.contains("dòng tiêu đề") == true)
        let unterminated = ExamImporter.run(bytes: Self.bytes("SBD,Họ và tên,Ngày sinh,Toán\nA1,\"An,01/01/2010,5\n"))
        #expect(unterminated.errors.first?.message.contains("ngoặc kép") == true)
        let wrongSubject = ExamImporter.run(bytes: Self.bytes("SBD,Họ và tên,Ngày sinh,Hóa\nA1,An,01/01/2010,5\n"), options: .init(subjects: ["Toán", "Ngữ văn"]))
        #expect(wrongSubject.errors.first?.message.contains("không phải môn thi") == true)
        // An old binary .xls is named as such.
        #expect(ExamImporter.run(bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).errors.first?.message.contains(".xls") == true)
    }

    @Test func subjectsMatchTheSessionWithoutDiacritics() throws {
        let outcome = ExamImporter.run(bytes: Self.bytes("SBD,Ho va ten,Ngay sinh,TOAN,ngu van\nA1,An,01/01/2010,5,6\n"),
                                       options: .init(subjects: ["Toán", "Ngữ văn"]))
        #expect(outcome.errors == [])
        #expect(outcome.subjects == ["Toán", "Ngữ văn"])
    }

    @Test func utf16TabSeparatedUnicodeText() throws {
        // Excel's "Unicode Text": UTF-16LE with BOM, tab-separated.
        let text = "SBD\tHọ và tên\tNgày sinh\tToán\r\n000123\tNguyễn Thị Ánh\t05/09/2010\t9,5\r\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes.append(UInt8(unit & 0xFF)); bytes.append(UInt8(unit >> 8)) }
        let outcome = ExamImporter.run(bytes: bytes)
        #expect(outcome.errors == [])
        let snapshot = try ExamSnapshot(bytes: try #require(outcome.snapshot))
        #expect(snapshot.candidate(sbd: "000123")?.fullName == "Nguyễn Thị Ánh")
        #expect(snapshot.candidate(sbd: "000123")?.scores == [950])
    }

    @Test func decomposedNamesAreStoredComposed() throws {
        let decomposed = "Nguye\u{0302}\u{0303}n Va\u{0306}n An"
        let outcome = ExamImporter.run(bytes: Self.bytes("SBD,Họ và tên,Ngày sinh,Toán\nA1,\(decomposed),01/01/2010,5\n"))
        let snapshot = try ExamSnapshot(bytes: try #require(outcome.snapshot))
        #expect(snapshot.candidate(sbd: "A1")?.fullName.unicodeScalars.elementsEqual("Nguyễn Văn An".unicodeScalars) == true)
    }

    @Test func xlsxWithSharedStringsAndDateSerials() throws {
        let rows: [[XLSXWriter.Cell]] = [
            ["DANH SÁCH KẾT QUẢ THI"],
            [],
            ["SBD", "Họ và tên", "Ngày sinh", "Giới tính", "Trường", "Toán", "Ngữ văn", "Ghi chú"],
            ["020001", "Phạm Minh Đức", .number(39569), "Nam", "THCS Kim Sơn", .number(8.25), .number(7), ""],
            [.number(20002), "Đinh Thu Hà", "17/08/2008", "Nữ", "THCS Kim Sơn", .number(8.2499999999999), "", "Miễn thi Văn"],
        ]
        let data = try XLSXWriter.workbook(rows: rows)
        let outcome = ExamImporter.run(bytes: Array(data))
        #expect(outcome.errors == [])
        let snapshot = try ExamSnapshot(bytes: try #require(outcome.snapshot))
        let duc = try #require(snapshot.candidate(sbd: "020001"))
        #expect(duc.birthDate == 20080501)
        #expect(duc.scores == [825, 700])
        let ha = try #require(snapshot.candidate(sbd: "20002"))
        #expect(ha.scores == [825, ExamScore.absent])
        #expect(ha.note == "Miễn thi Văn")
    }

    @Test func billionLaughsInSharedStringsIsRefusedBeforeParsing() throws {
        let good = try XLSXWriter.workbook(rows: [["SBD", "Họ và tên", "Ngày sinh", "Toán"], ["A1", "An", "01/01/2010", .number(5)]])
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>
            """
        // Rebuild the workbook with the hostile shared strings in place of the real ones.
        let source = try Archive(data: good, accessMode: .read)
        let hostile = try Archive(accessMode: .create)
        for entry in source {
            var bytes = Data()
            _ = try source.extract(entry) { bytes.append($0) }
            if entry.path == "xl/sharedStrings.xml" { bytes = Data(laughs.utf8) }
            try hostile.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let outcome = ExamImporter.run(bytes: Array(try #require(hostile.data)))
        #expect(outcome.snapshot == nil)
        #expect(outcome.errors.first?.message.contains("DTD") == true)
    }

    @Test func brokenXLSXIsRefusedWithAMessage() throws {
        var data = Array(try XLSXWriter.workbook(rows: [["SBD", "Họ và tên", "Ngày sinh", "Toán"], ["A1", "An", "01/01/2010", .number(5)]]))
        // Keep the zip signature, damage the rest.
        for i in stride(from: 40, to: data.count, by: 7) { data[i] ^= 0x5A }
        let outcome = ExamImporter.run(bytes: data)
        #expect(outcome.snapshot == nil)
        #expect(outcome.errors.first?.message.contains(".xlsx") == true)
    }

    @Test func snapshotLookupOverManyCandidatesAndCorruptionDetected() throws {
        var csv = "SBD,Họ và tên,Ngày sinh,Toán,Văn\n"
        var expected: [String: (Int32, UInt16)] = [:]
        for i in stride(from: 5000, to: 0, by: -1) {
            let sbd = String(format: "%08d", i * 7)
            let score = UInt16((i * 37) % 1001)
            csv += "\(sbd),Thí sinh \(String(repeating: "a", count: i % 5)),\(String(format: "%02d/%02d/2008", i % 28 + 1, i % 12 + 1)),\(ExamScore.decimal(score)),5\n"
            expected[sbd] = (Int32(2008_00_00 + (i % 12 + 1) * 100 + i % 28 + 1), score)
        }
        let outcome = ExamImporter.run(bytes: Self.bytes(csv))
        #expect(outcome.errors == [])
        let snapshot = try ExamSnapshot(bytes: try #require(outcome.snapshot))
        #expect(snapshot.count == 5000)
        for (sbd, value) in expected {
            let candidate = snapshot.candidate(sbd: sbd)
            #expect(candidate?.birthDate == value.0)
            #expect(candidate?.scores.first == value.1)
        }
        #expect(snapshot.candidate(sbd: "00000001") == nil)
        // A truncated or altered buffer is refused instead of read out of bounds.
        #expect(throws: SheetError.self) { try ExamSnapshot(bytes: Array(outcome.snapshot!.prefix(outcome.snapshot!.count - 3))) }
        var scrambled = outcome.snapshot!
        scrambled[0] = 0
        #expect(throws: SheetError.self) { try ExamSnapshot(bytes: scrambled) }
    }

    @Test func chartBinsAddUpAndTextIsEscaped() throws {
        let csv = "SBD,Họ và tên,Ngày sinh,<Toán & \"Lý\">\n" + (1...400).map { "S\($0),An,01/01/2010,\(ExamScore.decimal(UInt16($0 * 25 % 1001)))" }.joined(separator: "\n")
        let outcome = ExamImporter.run(bytes: Self.bytes(csv))
        #expect(outcome.errors == [])
        let stats = try #require(outcome.statistics)
        let subject = stats.subjects[0]
        let bins = ScoreChart.bins(subject, maxScore: stats.maxScore)
        #expect(bins.count == 40)
        #expect(bins.map(\.count).reduce(0, +) == subject.count)
        let svg = ScoreChart.svg(subject, maxScore: stats.maxScore, id: "c1")
        #expect(svg.contains("&lt;Toán &amp; &quot;Lý&quot;&gt;"))
        #expect(!svg.contains("<Toán"))
        #expect(svg.contains("role=\"img\""))
        #expect(!svg.contains("style="))
        // Two drawings (wide, and for a phone with larger type), each with its own accessible name.
        #expect(svg.components(separatedBy: "<svg ").count == 3)
        #expect(svg.contains("class=\"score-chart score-chart-wide\"") && svg.contains("class=\"score-chart score-chart-narrow\""))
        #expect(svg.contains("id=\"c1-title\"") && svg.contains("id=\"c1-hep-title\""))
        #expect(svg.contains("font-size=\"11\"") && svg.contains("font-size=\"14\""))
    }
}

@Suite struct DiplomaImporterTests {
    @Test func registerKeepsOnlyWhatConfirmsTheDiploma() throws {
        let csv = """
        STT,Số hiệu,Số vào sổ,Họ và tên,Ngày sinh,Dân tộc,Số CCCD,Nơi sinh,Loại văn bằng,Năm tốt nghiệp,Xếp loại,Ngày cấp
        1,B 0123456,12/2024,Nguyễn Văn An,01/05/2006,Kinh,036206000001,Ninh Bình,Bằng tốt nghiệp THPT,2024,Khá,15/07/2024
        2,B0123457,13/2024,Trần Thị Bình,02/06/2006,Tày,036206000002,Ninh Bình,,2024,Giỏi,15/07/2024
        """
        let outcome = DiplomaImporter.run(bytes: Array(csv.utf8), defaultKind: "Bằng tốt nghiệp THPT", defaultIssuer: "Sở GD&ĐT Ninh Bình")
        #expect(outcome.errors == [])
        #expect(outcome.records.count == 2)
        let an = outcome.records[0]
        #expect(an.serial == "B 0123456")
        #expect(an.birthDate == 20060501)
        #expect(an.issuer == "Sở GD&ĐT Ninh Bình")
        #expect(outcome.records[1].kind == "Bằng tốt nghiệp THPT")
        let stored = "\(outcome.records)"
        #expect(!stored.contains("036206000001") && !stored.contains("Kinh") && !stored.contains("Tày"))
        // Case, spacing, Unicode form and old/new tone placement do not matter; the marks do.
        #expect(DiplomaImporter.nameKey("  NGUYỄN văn  an ") == DiplomaImporter.nameKey("Nguyễn Văn An"))
        #expect(DiplomaImporter.nameKey("Nguye\u{0302}\u{0303}n Va\u{0306}n An") == DiplomaImporter.nameKey("Nguyễn Văn An"))
        #expect(DiplomaImporter.nameKey("Lê Thị Hoà") == DiplomaImporter.nameKey("Lê Thị Hòa"))
        #expect(DiplomaImporter.nameKey("Trần Thuỷ") == DiplomaImporter.nameKey("Trần Thủy"))
        #expect(DiplomaImporter.nameKey("Nguyễn Hữu Hưng") != DiplomaImporter.nameKey("Nguyễn Hữu Hùng"))
        #expect(DiplomaImporter.nameKey("Nguyen Van An") != DiplomaImporter.nameKey("Nguyễn Văn An"))
        #expect(DiplomaImporter.nameKey("Đỗ Hà") != DiplomaImporter.nameKey("Do Ha"))
    }

    @Test func badRowsAndDuplicatesRefuseTheWholeFile() {
        let csv = """
        Số hiệu,Họ và tên,Ngày sinh,Năm tốt nghiệp
        B1,Nguyễn Văn An,01/05/2006,2024
        B1,Trần Thị Bình,02/06/2006,2024
        B3,,02/06/2006,2024
        B4,Lê Văn Cường,30/02/2006,2024
        B5,Phạm Văn Dũng,01/01/2006,20245
        """
        let outcome = DiplomaImporter.run(bytes: Array(csv.utf8), defaultKind: "Bằng tốt nghiệp THPT")
        #expect(outcome.records.isEmpty)
        #expect(outcome.errors.map(\.line) == [3, 4, 5, 6])
        #expect(outcome.errors[0].message.contains("trùng với dòng 2"))
    }
}
