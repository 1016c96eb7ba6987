import EduCore
import EduData
import EduImport
import Fluent
import Vapor

/// The Sở's list of foreign-language and IT centres (A8.16): kept by its editorial heads and
/// admins (an entry in the form or rows of a spreadsheet), public as soon as saved, each change
/// audited. Only a Sở keeps one.
enum CentreService {
    typealias Kind = Centre.Kind
    typealias Status = Centre.Status

    struct Input: Sendable, Equatable {
        var name = ""
        var kind = Kind.language.rawValue
        var licence = ""
        var licensedOn = ""
        var address = ""
        var commune = ""
        var phone = ""
        var programmes = ""
        var status = Status.active.rawValue
        var statusDecision = ""
        var statusOn = ""

        init() {}

        init(form: [String: String]) {
            func line(_ key: String, _ max: Int = 300) -> String { TextNormalizer.normalize(form[key] ?? "", maxLength: max) }
            name = line("name")
            kind = form["kind"] ?? ""
            licence = line("licence", 100)
            licensedOn = line("licensedOn", 20)
            address = line("address", 500)
            commune = line("commune", 200)
            phone = line("phone", 100)
            programmes = TextNormalizer.normalize(form["programmes"] ?? "", mode: .multiLine, maxLength: 5_000)
            status = form["status"] ?? ""
            statusDecision = line("statusDecision", 200)
            statusOn = line("statusOn", 20)
        }

        init(_ centre: Centre) {
            name = centre.name
            kind = centre.kind
            licence = centre.licence
            licensedOn = VietnameseDate.day(centre.licensedOn)
            address = centre.address
            commune = centre.commune
            phone = centre.phone
            programmes = centre.programmes
            status = centre.status
            statusDecision = centre.statusDecision
            statusOn = centre.statusOn.map(VietnameseDate.day) ?? ""
        }
    }

    struct Checked {
        let input: Input
        let licensedOn: Date
        let statusOn: Date?
    }

    /// A day written dd/mm/yyyy (not in the future), or nil with the fault noted.
    static func day(_ text: String, field: String, label: String, required: Bool, now: Date, into errors: inout FormErrors) -> Date? {
        if text.isEmpty {
            if required { errors[field] = "Nhập \(label) (dd/mm/yyyy)." }
            return nil
        }
        guard let date = VietnameseDate.parse(text), !text.contains(":") else { errors[field] = "\(label.prefix(1).uppercased() + label.dropFirst()) viết dạng dd/mm/yyyy."; return nil }
        if date > now { errors[field] = "\(label.prefix(1).uppercased() + label.dropFirst()) \(VietnameseDate.day(date)) ở tương lai." }
        return date
    }

    static func check(_ input: Input, now: Date = Date()) -> Result<Checked, FormErrors> {
        var errors: FormErrors = [:]
        if input.name.count < 5 { errors["name"] = "Nhập tên trung tâm." }
        if Kind(rawValue: input.kind) == nil { errors["kind"] = "Chọn loại trung tâm (Ngoại ngữ, Tin học, Ngoại ngữ, tin học)." }
        if input.licence.isEmpty { errors["licence"] = "Nhập số quyết định cho phép hoạt động giáo dục." }
        let licensed = day(input.licensedOn, field: "licensedOn", label: "ngày cấp phép", required: true, now: now, into: &errors)
        if input.address.isEmpty { errors["address"] = "Nhập địa chỉ." }
        if input.commune.isEmpty { errors["commune"] = "Nhập xã, phường." }
        let status = Status(rawValue: input.status)
        if status == nil { errors["status"] = "Chọn tình trạng (Đang hoạt động, Đình chỉ, Chấm dứt)." }
        var statusOn: Date?
        if let status, status != .active {
            if input.statusDecision.isEmpty { errors["statusDecision"] = "Ghi quyết định \(status == .suspended ? "đình chỉ" : "chấm dứt") hoạt động." }
            statusOn = day(input.statusOn, field: "statusOn", label: "ngày quyết định", required: true, now: now, into: &errors)
            if let statusOn, let licensed, statusOn < licensed { errors["statusOn"] = "Ngày quyết định \(VietnameseDate.day(statusOn)) trước ngày cấp phép \(VietnameseDate.day(licensed))." }
        }
        guard errors.isEmpty, let licensed else { return .failure(errors) }
        return .success(Checked(input: input, licensedOn: licensed, statusOn: statusOn))
    }

    static func apply(_ checked: Checked, to centre: Centre) {
        let input = checked.input
        let active = input.status == Status.active.rawValue
        centre.name = input.name
        centre.kind = input.kind
        centre.licence = input.licence
        centre.licensedOn = checked.licensedOn
        centre.address = input.address
        centre.commune = input.commune
        centre.phone = input.phone
        centre.programmes = input.programmes
        centre.status = input.status
        centre.statusDecision = active ? "" : input.statusDecision
        centre.statusOn = active ? nil : checked.statusOn
        centre.searchText = SearchFolding.foldWords([input.name, input.licence, input.address, input.commune, input.programmes].joined(separator: " "))
    }

    static func requireSo(_ unit: ResolvedUnit) throws {
        guard unit.type == .so else { throw FormErrors(form: "Danh sách trung tâm ngoại ngữ, tin học do Sở quản lý.") }
    }

    @discardableResult
    static func save(_ input: Input, existing: Centre?, unit: ResolvedUnit, by actor: AuditActor, who: String, now: Date = Date(),
                     on db: any Database) async throws -> Centre {
        try requireSo(unit)
        let checked: Checked
        switch check(input, now: now) {
        case .success(let value): checked = value
        case .failure(let errors): throw errors
        }
        if let other = try await Centre.query(in: unit, on: db).filter(\.$licence == input.licence).first(), other.id != existing?.id {
            throw FormErrors.field("licence", "Quyết định \(input.licence) đã ghi cho «\(other.name)».")
        }
        let centre = existing ?? Centre()
        let creating = existing == nil
        if creating {
            centre.unitID = unit.id
            centre.createdAt = now
        }
        let before = creating ? "" : centre.status
        apply(checked, to: centre)
        centre.updatedAt = now
        centre.updatedBy = who
        try await db.transaction { tx in
            try await centre.save(on: tx)
            let changed = !creating && before != centre.status ? "tình trạng: \(Status(rawValue: centre.status)?.label ?? centre.status) (\(centre.statusDecision))" : ""
            try await AuditEntry.record(actor, unitID: unit.id, action: creating ? "centre.create" : "centre.update", target: String(centre.name.prefix(120)),
                                        detail: changed, on: tx)
            try await OrgUnit.touch(unit.id, on: tx)
        }
        return centre
    }

    static let sheet = CatalogueSheet(columns: [
        .init(key: "name", header: "Tên trung tâm", aliases: ["Tên cơ sở", "Trung tâm"]),
        .init(key: "kind", header: "Loại", aliases: ["Loại hình", "Lĩnh vực"]),
        .init(key: "licence", header: "Quyết định cho phép hoạt động", aliases: ["Số quyết định", "Giấy phép", "Số giấy phép"]),
        .init(key: "licensedOn", header: "Ngày cấp phép", aliases: ["Ngày cấp", "Ngày quyết định cho phép"]),
        .init(key: "address", header: "Địa chỉ", aliases: []),
        .init(key: "commune", header: "Xã, phường", aliases: ["Xã/phường", "Phường, xã"]),
        .init(key: "phone", header: "Điện thoại", aliases: ["Số điện thoại"]),
        .init(key: "programmes", header: "Chương trình đào tạo", aliases: ["Chương trình", "Chương trình giảng dạy"]),
        .init(key: "status", header: "Tình trạng", aliases: ["Trạng thái"]),
        .init(key: "statusDecision", header: "Quyết định đình chỉ, chấm dứt", aliases: ["Quyết định đình chỉ", "Quyết định chấm dứt"]),
        .init(key: "statusOn", header: "Ngày đình chỉ, chấm dứt", aliases: ["Ngày quyết định đình chỉ, chấm dứt"]),
    ], requiredKey: "name", noun: "trung tâm")

    /// `Ngoại ngữ`, `tin hoc`, `Ngoại ngữ - Tin học` → a kind, as a list writes it.
    static func readKind(_ text: String) -> Kind? {
        let folded = SearchFolding.foldWords(text)
        switch (folded.contains("ngoai ngu"), folded.contains("tin hoc")) {
        case (true, true): return .both
        case (true, false): return .language
        case (false, true): return .computing
        default: return Kind(rawValue: text.trimmingCharacters(in: .whitespaces))
        }
    }

    /// `Đình chỉ`, `Chấm dứt hoạt động`, `Đang hoạt động` → a status («đình chỉ hoạt động» is a suspension, not activity).
    static func readStatus(_ text: String) -> Status? {
        let folded = SearchFolding.foldWords(text)
        if folded.contains("dinh chi") { return .suspended }
        if folded.contains("cham dut") || folded.contains("giai the") || folded.contains("thu hoi") { return .closed }
        if folded.contains("hoat dong") { return .active }
        return Status(rawValue: text.trimmingCharacters(in: .whitespaces))
    }

    /// Imports the Sở's list all or nothing; a row whose licence the list has updates that centre.
    static func importFile(_ bytes: [UInt8], unit: ResolvedUnit, by actor: AuditActor, who: String, now: Date = Date(),
                           on db: any Database) async throws -> ProcedureService.ImportSummary {
        try requireSo(unit)
        var seen: [String: Int] = [:]
        let rows = try sheet.read(bytes) { line, form -> Result<Checked, FormErrors> in
            var input = Input(form: form)
            // A date cell arrives as Excel's day number.
            for path in [\Input.licensedOn, \Input.statusOn] as [WritableKeyPath<Input, String>] {
                if let number = Int(input[keyPath: path]), let day = YearbookService.dateSerial(number) { input[keyPath: path] = day }
            }
            let kindText = form["kind"] ?? "", statusText = form["status"] ?? ""
            input.kind = readKind(kindText)?.rawValue ?? ""
            input.status = statusText.trimmingCharacters(in: .whitespaces).isEmpty ? Status.active.rawValue : readStatus(statusText)?.rawValue ?? ""
            var errors: FormErrors = [:]
            if case .failure(let faults) = check(input, now: now) { errors = faults }
            if input.kind.isEmpty && !kindText.isEmpty { errors["kind"] = "loại «\(Spreadsheet.clean(kindText, maxLength: 40))» không có (Ngoại ngữ, Tin học, Ngoại ngữ, tin học)." }
            if input.status.isEmpty { errors["status"] = "tình trạng «\(Spreadsheet.clean(statusText, maxLength: 40))» không có (Đang hoạt động, Đình chỉ, Chấm dứt)." }
            if !input.licence.isEmpty, let earlier = seen[input.licence] { errors["licence"] = "quyết định \(input.licence) đã có ở dòng \(earlier)." }
            if !input.licence.isEmpty && seen[input.licence] == nil { seen[input.licence] = line }
            guard errors.isEmpty, case .success(let checked) = check(input, now: now) else { return .failure(errors) }
            return .success(checked)
        }
        let byLicence = Dictionary(try await Centre.query(in: unit, on: db).all().map { ($0.licence, $0) }, uniquingKeysWith: { a, _ in a })
        var summary = ProcedureService.ImportSummary()
        var targets: [Centre] = []
        for (_, checked) in rows {
            let centre = byLicence[checked.input.licence] ?? Centre()
            if centre.id == nil {
                centre.unitID = unit.id
                centre.createdAt = now
                summary.added += 1
            } else {
                summary.updated += 1
            }
            apply(checked, to: centre)
            centre.updatedAt = now
            centre.updatedBy = who
            targets.append(centre)
        }
        let counted = summary, saving = targets
        try await db.transaction { tx in
            for centre in saving { try await centre.save(on: tx) }
            try await AuditEntry.record(actor, unitID: unit.id, action: "centre.import", target: "\(saving.count) trung tâm",
                                        detail: "thêm \(counted.added), cập nhật \(counted.updated)", on: tx)
            try await OrgUnit.touch(unit.id, on: tx)
        }
        return summary
    }
}
