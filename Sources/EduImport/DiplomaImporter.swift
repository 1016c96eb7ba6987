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
        func fail(_ line: Int, _ message: String) {
            errorCount += 1
            if errors.count < maxReportedErrors { errors.append(ImportRowError(line: line, message: message)) }
        }
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
                    } else if rows >= 30 {
                        throw SheetError("Không tìm thấy dòng tiêu đề (cần ít nhất các cột «Số hiệu», «Họ và tên», «Ngày sinh») trong 30 dòng đầu.")
                    }
                    return
                }
                if cells.allSatisfy({ Spreadsheet.clean($0).isEmpty }) { return }
                var value: [Column: String] = [:]
                for (i, role) in map.enumerated() where role != .ignored && i < cells.count {
                    value[role] = Spreadsheet.clean(cells[i], maxLength: 200)
                }
                var ok = true
                let serial = (value[.serial] ?? "").uppercased()
                if serial.isEmpty { fail(line, "thiếu số hiệu văn bằng."); ok = false }
                else if serial.count > 40 || serial.unicodeScalars.contains(where: { !($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-/. ".unicodeScalars.contains($0))) }) {
                    fail(line, "số hiệu «\(serial.prefix(40))» không hợp lệ."); ok = false
                }
                let name = value[.name] ?? ""
                if name.isEmpty || name.count > 100 || name.utf8.contains(where: { ExamImporter.forbiddenInName[Int($0)] }) {
                    fail(line, name.isEmpty ? "thiếu họ và tên." : "họ và tên «\(name.prefix(40))» không hợp lệ."); ok = false
                }
                let birth = ExamDate.parse(value[.birthDate] ?? "")
                if birth == nil { fail(line, "ngày sinh «\((value[.birthDate] ?? "").prefix(24))» không hợp lệ (dd/mm/yyyy)."); ok = false }
                var year = 0
                if let text = value[.year], !text.isEmpty {
                    if let y = Int(text.prefix(4)), (1950...2100).contains(y), text.count == 4 || text.contains("-") || text.contains("/") { year = y }
                    else { fail(line, "năm tốt nghiệp «\(text.prefix(12))» không hợp lệ."); ok = false }
                }
                var issued: Int32 = 0
                if let text = value[.issuedOn], !text.isEmpty {
                    if let d = ExamDate.parse(text) { issued = d } else { fail(line, "ngày cấp «\(text.prefix(24))» không hợp lệ."); ok = false }
                }
                let kind = (value[.kind].flatMap { $0.isEmpty ? nil : $0 }) ?? defaultKind
                if kind.isEmpty { fail(line, "thiếu loại văn bằng, chứng chỉ."); ok = false }
                if !serial.isEmpty {
                    if let previous = firstLine[serial] {
                        fail(line, "số hiệu \(serial) trùng với dòng \(previous)."); ok = false
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
        if columns == nil && errorCount == 0 { fail(0, rows == 0 ? "Tệp rỗng." : "Không tìm thấy dòng tiêu đề (cần các cột «Số hiệu», «Họ và tên», «Ngày sinh»).") }
        if columns != nil && records.isEmpty && errorCount == 0 { fail(0, "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.") }
        return DiplomaImportOutcome(records: errorCount == 0 ? records : [], errors: errors, errorCount: errorCount)
    }

    /// Names compare without case, diacritics or extra spaces: a parent typing on a phone
    /// without a Vietnamese keyboard still confirms the diploma.
    public static func nameKey(_ name: String) -> String {
        SearchFolding.fold(TextNormalizer.normalize(name, maxLength: 200)).split(separator: " ").joined(separator: " ")
    }
}
