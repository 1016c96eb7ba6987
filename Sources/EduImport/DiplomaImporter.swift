import EduCore
import Foundation

/// One diploma or certificate as the registry keeps it: only what confirms the document.
/// ID-card numbers, ethnicity, birthplace and addresses in the source file are never read
/// (Nghị định 13/2023 on personal data: collect no more than the purpose needs).
public struct DiplomaRecord: Sendable, Equatable {
    public var serial: String
    public var registerNumber: String
    public var fullName: String
    public var birthDate: Int32
    public var kind: String
    public var graduationYear: Int
    public var classification: String
    public var issuedOn: Int32
    public var issuer: String
    public var line: Int
}

public struct DiplomaImportOutcome: Sendable {
    public let records: [DiplomaRecord]
    public let errors: [ImportRowError]
    public let errorCount: Int
    public var isClean: Bool { errorCount == 0 && !records.isEmpty }
}

/// Reads a diploma register (CSV or XLSX): Số hiệu, Số vào sổ, Họ và tên, Ngày sinh, Loại văn
/// bằng, Năm tốt nghiệp, Xếp loại, Ngày cấp, Cơ quan cấp. All rows clean or nothing.
public enum DiplomaImporter {
    enum Column: Equatable { case serial, register, name, birthDate, kind, year, classification, issuedOn, issuer, ignored }

    static let headerNames: [(Column, [String])] = [
        (.serial, ["so hieu", "so hieu van bang", "so hieu bang", "so hieu chung chi", "so hieu vb", "so bang", "so hieu van bang/chung chi"]),
        (.register, ["so vao so", "so vao so cap bang", "so vao so goc", "so vao so cap van bang", "so vao so cap chung chi"]),
        (.name, ["ho va ten", "ho ten", "ho va ten nguoi hoc", "ho ten nguoi hoc", "ten"]),
        (.birthDate, ["ngay sinh", "ngay thang nam sinh", "ns"]),
        (.kind, ["loai van bang", "loai", "ten van bang", "van bang", "loai van bang/chung chi", "loai chung chi", "ten van bang/chung chi"]),
        (.year, ["nam tot nghiep", "nam", "khoa thi", "nam cap", "khoa"]),
        (.classification, ["xep loai", "xep loai tot nghiep", "hang", "ket qua"]),
        (.issuedOn, ["ngay cap", "ngay ky", "ngay cap bang"]),
        (.issuer, ["co quan cap", "noi cap", "don vi cap", "nguoi ky", "co quan cap van bang", "truong"]),
        (.ignored, ["stt", "tt", "cccd", "cmnd", "so cccd", "so cmnd", "can cuoc", "so dinh danh", "dan toc", "ton giao", "noi sinh",
                    "que quan", "dia chi", "gioi tinh", "ghi chu", "lop", "hoi dong thi", "so dien thoai"]),
    ]

    public static func run(bytes: [UInt8], defaultKind: String = "", defaultIssuer: String = "", maxReportedErrors: Int = 200,
                           maxRows: Int = 2_000_000) -> DiplomaImportOutcome {
        var errors: [ImportRowError] = []
        var errorCount = 0
        func fail(_ line: Int, _ message: String) { failCell(line, nil, message) }
        func failCell(_ line: Int, _ column: Int?, _ message: String) {
            errorCount += 1
            if errors.count < maxReportedErrors { errors.append(ImportRowError(line: line, column: column, message: message)) }
        }
        var headerless: HeaderlessColumns? = nil
        var at: [Column: Int] = [:]
        let today = ExamDate.today()
        var columns: [Column]? = nil
        var records: [DiplomaRecord] = []
        var firstLine: [String: Int] = [:]
        var rows = 0
        do {
            try Spreadsheet.forEachRow(in: bytes) { line, cells in
                rows += 1
                if rows > maxRows + 30 { throw SheetError("Tệp có quá \(maxRows) dòng; hãy chia thành nhiều tệp.") }
                guard let map = columns else {
                    let roles = cells.map { cell in headerNames.first { $0.1.contains(ExamImporter.headerKey(cell)) }?.0 ?? .ignored }
                    if roles.contains(.serial) && roles.contains(.name) {
                        guard roles.contains(.birthDate) else { throw SheetError("Dòng \(line): thiếu cột «Ngày sinh» trong dòng tiêu đề.") }
                        columns = roles
                        headerless = HeaderlessColumns(header: cells)
                        for (i, role) in roles.enumerated() where role != .ignored && at[role] == nil { at[role] = i }
                    } else if rows >= 30 {
                        throw SheetError("Không tìm thấy dòng tiêu đề (cần ít nhất các cột «Số hiệu», «Họ và tên», «Ngày sinh») trong 30 dòng đầu." + Spreadsheet.encodingHint(bytes))
                    }
                    return
                }
                if cells.allSatisfy({ Spreadsheet.clean($0).isEmpty }) { return }
                headerless!.check(line: line, cells: cells)
                var value: [Column: String] = [:]
                for (i, role) in map.enumerated() where role != .ignored && i < cells.count {
                    value[role] = Spreadsheet.clean(cells[i], maxLength: 200)
                }
                var ok = true
                let serial = (value[.serial] ?? "").uppercased()
                if serial.isEmpty { failCell(line, at[.serial], "thiếu số hiệu văn bằng."); ok = false }
                else if serial.count > 40 || serial.unicodeScalars.contains(where: { !($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-/. ".unicodeScalars.contains($0))) }) {
                    failCell(line, at[.serial], "số hiệu «\(serial.prefix(40))» không hợp lệ."); ok = false
                }
                let name = value[.name] ?? ""
                if name.isEmpty || name.count > 100 || name.utf8.contains(where: { ExamImporter.forbiddenInName[Int($0)] }) {
                    failCell(line, at[.name], name.isEmpty ? "thiếu họ và tên." : "họ và tên «\(name.prefix(40))» không hợp lệ."); ok = false
                }
                func date(_ column: Column, _ label: String, required: Bool) -> Int32? {
                    let text = value[column] ?? ""
                    switch ExamDate.check(text, notAfter: today) {
                    case .date(let d): return d
                    case .empty: if required { failCell(line, at[column], "thiếu \(label)."); ok = false }
                    case .future(let shown): failCell(line, at[column], "\(label) \(shown) ở tương lai."); ok = false
                    case .tooOld(let shown): failCell(line, at[column], "\(label) \(shown) trước năm 1900."); ok = false
                    case .invalid: failCell(line, at[column], "\(label) «\(text.prefix(24))» không hợp lệ (dd/mm/yyyy)."); ok = false
                    }
                    return nil
                }
                let birth = date(.birthDate, "ngày sinh", required: true)
                var year = 0
                if let text = value[.year], !text.isEmpty {
                    if let y = Int(text.prefix(4)), (1950...2100).contains(y), text.count == 4 || text.contains("-") || text.contains("/") { year = y }
                    else { failCell(line, at[.year], "năm tốt nghiệp «\(text.prefix(12))» không hợp lệ."); ok = false }
                }
                let issued = date(.issuedOn, "ngày cấp", required: false) ?? 0
                let kind = (value[.kind].flatMap { $0.isEmpty ? nil : $0 }) ?? defaultKind
                if kind.isEmpty { failCell(line, at[.kind], "thiếu loại văn bằng, chứng chỉ."); ok = false }
                if !serial.isEmpty {
                    if let previous = firstLine[serial] {
                        failCell(line, at[.serial], "số hiệu \(serial) trùng với dòng \(previous)."); ok = false
                    } else {
                        firstLine[serial] = line
                    }
                }
                guard ok, let birth else { return }
                records.append(DiplomaRecord(
                    serial: serial, registerNumber: value[.register] ?? "", fullName: name, birthDate: birth, kind: kind,
                    graduationYear: year, classification: value[.classification] ?? "", issuedOn: issued,
                    issuer: (value[.issuer].flatMap { $0.isEmpty ? nil : $0 }) ?? defaultIssuer, line: line))
            }
        } catch let error as SheetError {
            fail(0, error.message)
        } catch {
            fail(0, "Không đọc được tệp: \(error)")
        }
        if let headerless, !headerless.isEmpty {
            let faults = headerless.errors()
            errorCount += faults.count
            errors = faults + errors
        }
        if columns == nil && errorCount == 0 { fail(0, rows == 0 ? "Tệp rỗng." : "Không tìm thấy dòng tiêu đề (cần các cột «Số hiệu», «Họ và tên», «Ngày sinh»)." + Spreadsheet.encodingHint(bytes)) }
        if columns != nil && records.isEmpty && errorCount == 0 { fail(0, "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.") }
        return DiplomaImportOutcome(records: errorCount == 0 ? records : [], errors: errors, errorCount: errorCount)
    }

    /// Names compare exactly up to case, Unicode normalisation, spacing and where a syllable's
    /// tone mark sits (the old "Hoà" and the new "Hòa" are one name): never with the marks
    /// removed, because "Hưng" and "Hùng" are different people on a legal document. Each
    /// syllable's tone mark is taken off its vowel and written after the syllable.
    public static func nameKey(_ name: String) -> String {
        let tones: Set<UInt32> = [0x300, 0x301, 0x303, 0x309, 0x323]
        return TextNormalizer.normalize(name, maxLength: 200).lowercased().split(whereSeparator: \.isWhitespace).map { word -> String in
            var base = String.UnicodeScalarView(), marks = String.UnicodeScalarView()
            for scalar in word.decomposedStringWithCanonicalMapping.unicodeScalars {
                if tones.contains(scalar.value) { marks.append(scalar) } else { base.append(scalar) }
            }
            let syllable = String(base).precomposedStringWithCanonicalMapping
            return marks.isEmpty ? syllable : syllable + "|" + String(marks)
        }.joined(separator: " ")
    }
}
