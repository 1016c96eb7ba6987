import EduCore
import Foundation

/// One person or department from a staff list, checked.
public struct StaffRow: Sendable, Equatable {
    public let line: Int
    public let fullName: String
    public let title: String
    public let department: String
    /// The wanted local part (from "Email mong muốn"), or "" to generate one from the name.
    public let wantedLocalPart: String
}

public struct StaffListOutcome: Sendable {
    public let rows: [StaffRow]
    public let errors: [ImportRowError]
    public var isClean: Bool { errors.isEmpty && !rows.isEmpty }
}

/// Reads a staff list (CSV or XLSX): Họ tên, Chức vụ, Bộ phận, Email mong muốn. A wanted
/// address must be on `domain` (or be a bare local part); every bad row is reported by line.
public enum StaffListImporter {
    enum Column { case name, title, department, email, ignored }

    static let headerNames: [(Column, [String])] = [
        (.name, ["ho ten", "ho va ten", "ten", "ten bo phan", "ho ten / bo phan"]),
        (.title, ["chuc vu", "chuc danh", "vi tri"]),
        (.department, ["bo phan", "phong ban", "to", "to chuyen mon", "don vi"]),
        (.email, ["email mong muon", "email", "dia chi email", "thu dien tu", "email de nghi"]),
    ]

    public static func run(bytes: [UInt8], domain: String, maxRows: Int = 20_000) -> StaffListOutcome {
        var errors: [ImportRowError] = []
        var rows: [StaffRow] = []
        var columns: [Column]? = nil
        var seenWanted: [String: Int] = [:]
        var count = 0
        do {
            try Spreadsheet.forEachRow(in: bytes) { line, cells in
                count += 1
                if count > maxRows + 30 { throw SheetError("Danh sách có quá \(maxRows) dòng.") }
                guard let map = columns else {
                    let roles = cells.map { cell in headerNames.first { $0.1.contains(ExamImporter.headerKey(cell)) }?.0 ?? .ignored }
                    if roles.contains(.name) && (roles.contains(.title) || roles.contains(.email)) {
                        columns = roles
                    } else if count >= 30 {
                        throw SheetError("Không tìm thấy dòng tiêu đề (cần các cột «Họ tên», «Chức vụ», «Bộ phận», «Email mong muốn»).")
                    }
                    return
                }
                if cells.allSatisfy({ Spreadsheet.clean($0).isEmpty }) { return }
                var value: [Column: String] = [:]
                for (i, role) in map.enumerated() where role != .ignored && i < cells.count { value[role] = Spreadsheet.clean(cells[i], maxLength: 200) }
                let name = value[.name] ?? ""
                var ok = true
                if name.isEmpty || name.count > 120 || name.utf8.contains(where: { ExamImporter.forbiddenInName[Int($0)] && !($0 >= 0x30 && $0 <= 0x39) }) {
                    errors.append(ImportRowError(line: line, message: name.isEmpty ? "thiếu họ tên." : "họ tên «\(name.prefix(40))» không hợp lệ.")); ok = false
                }
                var wanted = (value[.email] ?? "").lowercased()
                if !wanted.isEmpty {
                    if let at = wanted.firstIndex(of: "@") {
                        let host = String(wanted[wanted.index(after: at)...])
                        if host != domain.lowercased() {
                            errors.append(ImportRowError(line: line, message: "địa chỉ «\(wanted)» không thuộc tên miền \(domain).")); ok = false
                        }
                        wanted = String(wanted[..<at])
                    }
                    if ok && !LocalPart.isValid(wanted) {
                        errors.append(ImportRowError(line: line, message: "tên hộp thư «\(wanted)» không hợp lệ (chữ thường không dấu, số, dấu chấm, gạch).")); ok = false
                    }
                    if ok, let first = seenWanted[wanted] {
                        errors.append(ImportRowError(line: line, message: "địa chỉ \(wanted)@\(domain) trùng với dòng \(first).")); ok = false
                    }
                    if ok { seenWanted[wanted] = line }
                }
                guard ok else { return }
                rows.append(StaffRow(line: line, fullName: name, title: value[.title] ?? "", department: value[.department] ?? "", wantedLocalPart: wanted))
            }
        } catch let error as SheetError {
            errors.append(ImportRowError(line: 0, message: error.message))
        } catch {
            errors.append(ImportRowError(line: 0, message: "Không đọc được tệp: \(error)"))
        }
        if columns == nil && errors.isEmpty { errors.append(ImportRowError(line: 0, message: count == 0 ? "Tệp rỗng." : "Không tìm thấy dòng tiêu đề (cần các cột «Họ tên», «Chức vụ», «Bộ phận», «Email mong muốn»).")) }
        if columns != nil && rows.isEmpty && errors.isEmpty { errors.append(ImportRowError(line: 0, message: "Danh sách không có dòng nào dưới dòng tiêu đề.")) }
        return StaffListOutcome(rows: errors.isEmpty ? rows : [], errors: errors)
    }
}
