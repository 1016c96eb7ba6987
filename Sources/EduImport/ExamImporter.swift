import EduCore
import Foundation

/// A row the importer refused, with the line (and column) a clerk finds in the file, as Excel
/// shows them: "Dòng 46, cột C".
public struct ImportRowError: Sendable, Codable, Equatable {
    public let line: Int
    /// 0-based column index; nil when the fault is the whole row's or the file's.
    public let column: Int?
    public let message: String

    public init(line: Int, column: Int? = nil, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// "Dòng 46, cột C", "Dòng 46", or "" for a fault of the whole file.
    public var location: String {
        guard line > 0 else { return "" }
        return column.map { "Dòng \(line), cột \(Spreadsheet.columnName($0))" } ?? "Dòng \(line)"
    }

    public var text: String { line > 0 ? "\(location): \(message)" : message }
}

public struct ExamImportOptions: Sendable {
    /// The session's subjects; empty means "take them from the file's header".
    public var subjects: [String]
    public var maxScore: Double
    public var maxReportedErrors: Int
    public var maxRows: Int

    public init(subjects: [String] = [], maxScore: Double = 10, maxReportedErrors: Int = 200, maxRows: Int = 3_000_000) {
        self.subjects = subjects
        self.maxScore = maxScore
        self.maxReportedErrors = maxReportedErrors
        self.maxRows = maxRows
    }
}

public struct ExamImportOutcome: Sendable {
    public let subjects: [String]
    public let candidateCount: Int
    /// The first `maxReportedErrors` errors, by line.
    public let errors: [ImportRowError]
    public let errorCount: Int
    /// The snapshot's bytes, only when the whole file is clean.
    public let snapshot: [UInt8]?
    public let statistics: ExamStatistics?

    public var isClean: Bool { errorCount == 0 && snapshot != nil }
}

/// Reads an exam-result table (CSV or XLSX) into a snapshot. The header row names the columns
/// (SBD, Họ và tên, Ngày sinh, Giới tính, Hội đồng thi/Trường, one per subject, Ghi chú; title
/// rows above it are skipped); every bad row is reported with its line; duplicate SBDs are
/// refused; nothing comes out unless the whole file is clean.
public enum ExamImporter {
    enum Column: Hashable {
        case sbd, name, birthDate, gender, council, note, total, ignored
        case subject(Int)
    }

    static let headerNames: [(Column, [String])] = [
        (.sbd, ["sbd", "so bao danh", "so bd", "so bao danh thi sinh", "ma thi sinh"]),
        (.name, ["ho va ten", "ho ten", "ho va ten thi sinh", "ho ten thi sinh", "ten thi sinh", "thi sinh"]),
        (.birthDate, ["ngay sinh", "ngay thang nam sinh", "ngay/thang/nam sinh", "ns"]),
        (.gender, ["gioi tinh", "gt", "phai", "nam/nu"]),
        (.council, ["hoi dong thi", "hoi dong", "hoi dong thi/truong", "hoi dong thi / truong", "truong", "diem thi", "don vi",
                    "truong thpt", "truong thcs", "cum thi", "hoi dong coi thi", "don vi du thi"]),
        (.note, ["ghi chu", "ghi chu khac"]),
        (.total, ["tong diem", "tong", "tong diem xet tuyen", "tong diem thi"]),
        // Columns that a table may carry but that are never published (personal data law).
        (.ignored, ["stt", "tt", "so thu tu", "cccd", "cmnd", "so cccd", "so cmnd", "can cuoc", "so can cuoc", "so dinh danh",
                    "dinh danh ca nhan", "dan toc", "ton giao", "dia chi", "dien thoai", "so dien thoai", "noi sinh", "ho khau",
                    "uu tien", "khu vuc", "doi tuong", "dien uu tien", "diem uu tien", "diem khuyen khich", "lop", "ma truong"]),
    ]

    /// Digits and markup characters never belong in a name.
    public static let forbiddenInName: [Bool] = (0..<256).map { byte in
        (0x30...0x39).contains(byte) || "<>\"{}[]@#$%^*=|\\/".utf8.contains(UInt8(byte))
    }

    static func headerKey(_ text: String) -> String {
        SearchFolding.fold(Spreadsheet.clean(text, maxLength: 200))
            .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: ".", with: "")
            .split(separator: " ").joined(separator: " ")
    }

    static func role(of header: String) -> Column? {
        let key = headerKey(header)
        return headerNames.first { $0.1.contains(key) }?.0
    }

    public static func run(bytes: [UInt8], options: ExamImportOptions = .init(), progress: ((Int) -> Void)? = nil) -> ExamImportOutcome {
        var errors: [ImportRowError] = []
        var errorCount = 0
        func fail(_ line: Int, _ message: String) { failCell(line, nil, message) }
        func failCell(_ line: Int, _ column: Int?, _ message: String) {
            errorCount += 1
            if errors.count < options.maxReportedErrors { errors.append(ImportRowError(line: line, column: column, message: message)) }
        }
        func failed(_ line: Int, _ message: String) -> ExamImportOutcome {
            fail(line, message)
            return ExamImportOutcome(subjects: [], candidateCount: 0, errors: errors, errorCount: errorCount, snapshot: nil, statistics: nil)
        }

        var columns: [Column]? = nil
        var subjects: [String] = []
        var builder: ExamSnapshotBuilder? = nil
        var statistics: StatisticsBuilder? = nil
        var rowsSeen = 0
        let maxHundredths = Int((options.maxScore * 100).rounded())
        let sizeGuess = max(16, bytes.count / 80)
        var scores: [UInt16] = []
        var headerError: String? = nil
        var headerless: HeaderlessColumns? = nil
        var at: [Column: Int] = [:]  // where each named column stands, for messages
        let today = ExamDate.today()

        do {
            try Spreadsheet.forEachRow(in: bytes) { line, cells in
                rowsSeen += 1
                if rowsSeen > options.maxRows + 30 {
                    throw SheetError("Tệp có quá \(options.maxRows) dòng; hãy chia thành nhiều tệp.")
                }
                if rowsSeen % 10_000 == 0 { progress?(rowsSeen) }
                guard let map = columns else {
                    // Looking for the header among the first rows (title rows come first in many files).
                    let roles = cells.map(role(of:))
                    if roles.contains(.sbd) && roles.contains(.name) {
                        var mapped: [Column] = []
                        for (i, cell) in cells.enumerated() {
                            if let role = roles[i] {
                                if role != .ignored && mapped.contains(role) {
                                    throw SheetError("Dòng \(line): cột «\(Spreadsheet.clean(cell, maxLength: 60))» xuất hiện hai lần trong dòng tiêu đề.")
                                }
                                mapped.append(role)
                                continue
                            }
                            let title = Spreadsheet.clean(cell, maxLength: 60)
                            if title.isEmpty { mapped.append(.ignored); continue }
                            if subjects.contains(where: { headerKey($0) == headerKey(title) }) {
                                throw SheetError("Dòng \(line): môn «\(title)» xuất hiện hai lần trong dòng tiêu đề.")
                            }
                            mapped.append(.subject(subjects.count))
                            subjects.append(title)
                        }
                        guard mapped.contains(.birthDate) else {
                            throw SheetError("Dòng \(line): thiếu cột «Ngày sinh» trong dòng tiêu đề.")
                        }
                        guard !subjects.isEmpty else {
                            throw SheetError("Dòng \(line): không có cột điểm môn thi nào trong dòng tiêu đề.")
                        }
                        guard subjects.count <= 40 else { throw SheetError("Dòng \(line): quá nhiều cột môn thi (\(subjects.count)).") }
                        if !options.subjects.isEmpty {
                            let expected = Set(options.subjects.map(headerKey))
                            let unknown = subjects.filter { !expected.contains(headerKey($0)) }
                            if !unknown.isEmpty {
                                throw SheetError("Dòng \(line): cột «\(unknown.joined(separator: "», «"))» không phải môn thi của kỳ thi này (các môn: \(options.subjects.joined(separator: ", "))).")
                            }
                            // Use the session's spelling.
                            subjects = subjects.map { s in options.subjects.first { headerKey($0) == headerKey(s) } ?? s }
                        }
                        columns = mapped
                        headerless = HeaderlessColumns(header: cells)
                        for (i, role) in mapped.enumerated() where role != .ignored && at[role] == nil { at[role] = i }
                        builder = ExamSnapshotBuilder(subjects: subjects, expectedCount: sizeGuess)
                        statistics = StatisticsBuilder(subjects: subjects, maxHundredths: maxHundredths)
                        scores = Array(repeating: ExamScore.absent, count: subjects.count)
                    } else if rowsSeen >= 30 {
                        throw SheetError("Không tìm thấy dòng tiêu đề (cần ít nhất các cột «SBD», «Họ và tên», «Ngày sinh» và các cột điểm) trong 30 dòng đầu." + Spreadsheet.encodingHint(bytes))
                    }
                    return
                }

                // A data row. Blank rows (Excel's trailing rows, separators) are skipped.
                if cells.allSatisfy({ $0.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 } }) { return }
                headerless!.check(line: line, cells: cells)
                var sbd = "", name = "", birthText = "", genderText = "", council = "", note = "", totalText = ""
                for i in 0..<scores.count { scores[i] = ExamScore.absent }
                var rowOK = true
                for (i, role) in map.enumerated() {
                    let raw = i < cells.count ? cells[i] : ""
                    switch role {
                    case .sbd: sbd = raw
                    case .name: name = raw
                    case .birthDate: birthText = raw
                    case .gender: genderText = raw
                    case .council: council = raw
                    case .note: note = raw
                    case .total: totalText = raw
                    case .ignored: break
                    case .subject(let s):
                        let text = Spreadsheet.clean(raw, maxLength: 40)
                        switch ExamScore.parse(text) {
                        case .empty: break
                        case .value(let v) where Int(v) <= maxHundredths: scores[s] = v
                        case .value:
                            failCell(line, i, "điểm môn \(subjects[s]) «\(text)» vượt quá \(ExamScore.text(UInt16(maxHundredths)))."); rowOK = false
                        case .invalid:
                            if text.hasPrefix("-") || text.hasPrefix("\u{2212}"), case .value = ExamScore.parse(String(text.drop { $0 == "-" || $0 == "\u{2212}" })) {
                                failCell(line, i, "điểm môn \(subjects[s]) «\(text)» nằm ngoài khoảng 0 – \(ExamScore.text(UInt16(maxHundredths))) (điểm không thể âm)."); rowOK = false
                            } else {
                                failCell(line, i, "điểm môn \(subjects[s]) «\(text.prefix(20))» không phải là số (dùng dấu phẩy hoặc dấu chấm thập phân)."); rowOK = false
                            }
                        }
                    }
                }
                sbd = Spreadsheet.clean(sbd, maxLength: 40).uppercased().replacingOccurrences(of: " ", with: "")
                if sbd.isEmpty {
                    failCell(line, at[.sbd], "thiếu số báo danh."); rowOK = false
                } else if sbd.utf8.count > 20 || !sbd.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x2D }) {
                    failCell(line, at[.sbd], "số báo danh «\(sbd.prefix(24))» không hợp lệ (chỉ gồm chữ số, chữ cái không dấu, tối đa 20 ký tự)."); rowOK = false
                }
                name = Spreadsheet.clean(name, maxLength: 200)
                if name.isEmpty {
                    failCell(line, at[.name], "thiếu họ và tên."); rowOK = false
                } else if name.count > 100 || name.utf8.contains(where: { Self.forbiddenInName[Int($0)] }) {
                    failCell(line, at[.name], "họ và tên «\(name.prefix(40))» không hợp lệ."); rowOK = false
                }
                let birthClean = Spreadsheet.clean(birthText, maxLength: 40)
                var birth: Int32? = nil
                switch ExamDate.check(birthClean, notAfter: today) {
                case .date(let value): birth = value
                case .empty: failCell(line, at[.birthDate], "thiếu ngày sinh."); rowOK = false
                case .future(let shown): failCell(line, at[.birthDate], "ngày sinh \(shown) ở tương lai."); rowOK = false
                case .tooOld(let shown): failCell(line, at[.birthDate], "ngày sinh \(shown) trước năm 1900."); rowOK = false
                case .invalid:
                    failCell(line, at[.birthDate], "ngày sinh «\(birthClean.prefix(24))» không hợp lệ (viết dd/mm/yyyy hoặc yyyy-mm-dd)."); rowOK = false
                }
                var gender: UInt8 = 0
                let genderClean = Spreadsheet.clean(genderText, maxLength: 20)
                let g = genderClean == "Nam" ? "nam" : genderClean == "Nữ" ? "nu" : SearchFolding.fold(genderClean)
                switch g {
                case "": gender = 0
                case "nam", "m", "male", "1": gender = 1
                case "nu", "f", "female", "0", "x": gender = 2
                default: failCell(line, at[.gender], "giới tính «\(genderClean.prefix(10))» không hợp lệ (Nam hoặc Nữ)."); rowOK = false
                }
                council = Spreadsheet.clean(council, maxLength: 200)
                note = Spreadsheet.clean(note, maxLength: 300)
                var total = ExamScore.absent
                let totalClean = Spreadsheet.clean(totalText, maxLength: 40)
                switch ExamScore.parse(totalClean) {
                case .empty: break
                case .value(let v): total = v
                case .invalid: failCell(line, at[.total], "tổng điểm «\(totalClean.prefix(20))» không phải là số."); rowOK = false
                }
                guard rowOK, let birth else { return }
                builder!.append(sbd: sbd, fullName: name, birthDate: birth, gender: gender, council: council, note: note,
                                scores: scores, total: total, line: line)
                statistics!.add(scores)
            }
        } catch let error as SheetError {
            headerError = error.message
        } catch {
            headerError = "Không đọc được tệp: \(error)"
        }
        if let headerError { return failed(0, headerError) }
        guard var builder, let statistics else {
            return failed(0, rowsSeen == 0 ? "Tệp rỗng." : "Không tìm thấy dòng tiêu đề (cần ít nhất các cột «SBD», «Họ và tên», «Ngày sinh» và các cột điểm)." + Spreadsheet.encodingHint(bytes))
        }
        // Data under a blank header: the file is refused whatever else it holds (that column would be lost).
        if let headerless, !headerless.isEmpty {
            let faults = headerless.errors { if case .value = ExamScore.parse($0) { "điểm" } else { "dữ liệu" } }
            errorCount += faults.count
            errors = Array((faults + errors).prefix(max(options.maxReportedErrors, faults.count)))
        }
        if builder.count == 0 && errorCount == 0 { return failed(0, "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.") }
        let duplicates = builder.sortAndFindDuplicates()
        for duplicate in duplicates {
            failCell(duplicate.line, at[.sbd], "số báo danh \(duplicate.sbd) trùng với dòng \(duplicate.firstLine).")
        }
        if errorCount > 0 {
            errors = errors.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
            return ExamImportOutcome(subjects: subjects, candidateCount: builder.count, errors: errors, errorCount: errorCount, snapshot: nil, statistics: nil)
        }
        progress?(rowsSeen)
        return ExamImportOutcome(subjects: subjects, candidateCount: builder.count, errors: [], errorCount: 0, snapshot: builder.finish(),
                                 statistics: statistics.finish())
    }
}
