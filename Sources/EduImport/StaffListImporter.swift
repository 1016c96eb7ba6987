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
    /// National form ("0912345678", "02293871234"), or "".
    public let phone: String

    public init(line: Int, fullName: String, title: String, department: String, wantedLocalPart: String, phone: String = "") {
        self.line = line
        self.fullName = fullName
        self.title = title
        self.department = department
        self.wantedLocalPart = wantedLocalPart
        self.phone = phone
    }
}

public struct StaffListOutcome: Sendable {
    public let rows: [StaffRow]
    public let errors: [ImportRowError]
    /// What was corrected and should be checked (a phone number's lost leading zero restored).
    public let notices: [ImportRowError]
    public var isClean: Bool { errors.isEmpty && !rows.isEmpty }
}

/// Reads a staff list (CSV or XLSX): Họ tên, Chức vụ, Bộ phận, Email mong muốn, Số điện thoại.
/// A wanted address must be on `domain` (or be a bare local part); every bad cell is reported
/// by row and column; a person listed twice is reported; data under a blank header refuses the file.
public enum StaffListImporter {
    enum Column { case name, title, department, email, phone, ignored }

    static let headerNames: [(Column, [String])] = [
        (.name, ["ho ten", "ho va ten", "ten", "ten bo phan", "ho ten / bo phan"]),
        (.title, ["chuc vu", "chuc danh", "vi tri"]),
        (.department, ["bo phan", "phong ban", "to", "to chuyen mon", "don vi"]),
        (.email, ["email mong muon", "email", "dia chi email", "thu dien tu", "email de nghi"]),
        (.phone, ["so dien thoai", "dien thoai", "sdt", "so dt", "dt", "di dong", "so di dong", "dien thoai di dong", "dien thoai lien he"]),
    ]

    public static func run(bytes: [UInt8], domain: String, maxRows: Int = 20_000) -> StaffListOutcome {
        var errors: [ImportRowError] = []
        var notices: [ImportRowError] = []
        var rows: [StaffRow] = []
        var columns: [Column]? = nil
        var at: [Column: Int] = [:]
        var headerless: HeaderlessColumns? = nil
        var seenWanted: [String: Int] = [:]
        var seenPerson: [String: Int] = [:]
        var count = 0
        let domain = domain.lowercased()
        do {
            try Spreadsheet.forEachRow(in: bytes) { line, cells in
                count += 1
                if count > maxRows + 30 { throw SheetError("Danh sách có quá \(maxRows) dòng.") }
                guard let map = columns else {
                    let roles = cells.map { cell in headerNames.first { $0.1.contains(ExamImporter.headerKey(cell)) }?.0 ?? .ignored }
                    if roles.contains(.name) && (roles.contains(.title) || roles.contains(.email)) {
                        columns = roles
                        headerless = HeaderlessColumns(header: cells)
                        for (i, role) in roles.enumerated() where role != .ignored && at[role] == nil { at[role] = i }
                    } else if count >= 30 {
                        throw SheetError("Không tìm thấy dòng tiêu đề (cần các cột «Họ tên», «Chức vụ», «Bộ phận», «Email mong muốn») trong 30 dòng đầu." + Spreadsheet.encodingHint(bytes))
                    }
                    return
                }
                if cells.allSatisfy({ Spreadsheet.clean($0).isEmpty }) { return }
                headerless!.check(line: line, cells: cells)
                var value: [Column: String] = [:]
                for (i, role) in map.enumerated() where role != .ignored && i < cells.count && value[role] == nil {
                    value[role] = Spreadsheet.clean(cells[i], maxLength: 200)
                }
                func fail(_ column: Column, _ message: String) { errors.append(ImportRowError(line: line, column: at[column], message: message)) }
                let name = value[.name] ?? ""
                var ok = true
                if name.isEmpty || name.count > 120 || name.utf8.contains(where: { ExamImporter.forbiddenInName[Int($0)] && !($0 >= 0x30 && $0 <= 0x39) }) {
                    fail(.name, name.isEmpty ? "thiếu họ tên." : "họ tên «\(name.prefix(40))» không hợp lệ."); ok = false
                }
                var wanted = (value[.email] ?? "").lowercased()
                if !wanted.isEmpty {
                    if let at = wanted.firstIndex(of: "@") {
                        let local = String(wanted[..<at]), host = String(wanted[wanted.index(after: at)...])
                        if local.isEmpty || host.isEmpty || host.contains("@") || !host.contains(".") || host.hasPrefix(".") || host.hasSuffix(".") || host.contains("..") {
                            fail(.email, "địa chỉ «\(wanted.prefix(60))» không đúng dạng tên@tên-miền."); ok = false
                        } else if host != domain {
                            fail(.email, "địa chỉ «\(wanted.prefix(60))» không thuộc tên miền \(domain)."); ok = false
                        }
                        wanted = local
                    }
                    if ok && !LocalPart.isValid(wanted) {
                        fail(.email, "tên hộp thư «\(wanted.prefix(60))» không hợp lệ (chữ thường không dấu, số, dấu chấm, gạch)."); ok = false
                    }
                    if ok, let first = seenWanted[wanted] {
                        fail(.email, "địa chỉ \(wanted)@\(domain) trùng với dòng \(first)."); ok = false
                    }
                    if ok { seenWanted[wanted] = line }
                }
                var phone = ""
                switch PhoneNumber.parse(value[.phone] ?? "") {
                case .empty: break
                case .number(let national, let restored):
                    phone = national
                    if restored {
                        notices.append(ImportRowError(line: line, column: at[.phone], message:
                            "số điện thoại «\(value[.phone] ?? "")» thiếu số 0 đầu (Excel bỏ đi khi ô là số); đã ghi là \(national)."))
                    }
                case .invalid(let why):
                    fail(.phone, "số điện thoại «\((value[.phone] ?? "").prefix(30))» \(why)."); ok = false
                }
                // The same person pasted twice: one mailbox, not two.
                let person = [name, value[.title] ?? "", value[.department] ?? ""].map { $0.lowercased() }.joined(separator: "\u{1F}")
                if !name.isEmpty, let first = seenPerson[person] {
                    errors.append(ImportRowError(line: line, message: "trùng với dòng \(first) (cùng họ tên, chức vụ và bộ phận): mỗi người chỉ ghi một dòng."))
                    ok = false
                } else if !name.isEmpty {
                    seenPerson[person] = line
                }
                guard ok else { return }
                rows.append(StaffRow(line: line, fullName: name, title: value[.title] ?? "", department: value[.department] ?? "",
                                     wantedLocalPart: wanted, phone: phone))
            }
        } catch let error as SheetError {
            errors.append(ImportRowError(line: 0, message: error.message))
        } catch {
            errors.append(ImportRowError(line: 0, message: "Không đọc được tệp: \(error)"))
        }
        if let headerless, !headerless.isEmpty { errors = headerless.errors() + errors }
        if columns == nil && errors.isEmpty { errors.append(ImportRowError(line: 0, message: count == 0 ? "Tệp rỗng." : "Không tìm thấy dòng tiêu đề (cần các cột «Họ tên», «Chức vụ», «Bộ phận», «Email mong muốn»)." + Spreadsheet.encodingHint(bytes))) }
        if columns != nil && rows.isEmpty && errors.isEmpty { errors.append(ImportRowError(line: 0, message: "Danh sách không có dòng nào dưới dòng tiêu đề.")) }
        return StaffListOutcome(rows: errors.isEmpty ? rows : [], errors: errors, notices: notices)
    }
}
