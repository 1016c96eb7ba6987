import EduCore
import EduData
import Fluent
import Vapor

/// Public disclosure (A9.7, Circular 09/2024): a school publishes each item for each school year
/// (text, and a PDF where the item is a document), updates it after a change, and keeps it five
/// years; the Sở and each office see every school's items on time, late or missing.
enum DisclosureService {
    enum Status: Equatable {
        case notYetDue(Date)
        case onTime(Date)
        case late(Date)
        case missing(Date)
        /// Updated after a change, but later than the update window allows.
        case updateLate(Date)

        var label: String {
            switch self {
            case .notYetDue(let due): "Chưa đến hạn (\(VietnameseDate.day(due)))"
            case .onTime(let at): "Đúng hạn (\(VietnameseDate.day(at)))"
            case .late(let at): "Muộn (\(VietnameseDate.day(at)))"
            case .missing(let due): "Chưa công khai, quá hạn \(VietnameseDate.day(due))"
            case .updateLate(let due): "Cập nhật muộn (hạn \(VietnameseDate.day(due)))"
            }
        }

        var code: String {
            switch self {
            case .notYetDue: "chua-den-han"
            case .onTime: "dung-han"
            case .late, .updateLate: "muon"
            case .missing: "thieu"
            }
        }
    }

    /// The school year a moment falls in (`2025` for 2025–2026; a year starts in August).
    static func schoolYear(of date: Date) -> Int { VietnameseDate.schoolYear(of: date) }

    /// The school years a school may publish for: the kept ones and the coming one.
    static func editableYears(now: Date) -> ClosedRange<Int> {
        let current = schoolYear(of: now)
        return (current - DisclosurePolicy.standard.retentionYears + 1)...(current + 1)
    }

    static func calendar(_ config: AppConfig) -> WorkingCalendar {
        WorkingCalendar(holidays: VietnameseHolidays.days(extra: config.extraHolidays))
    }

    static func status(of entry: DisclosureEntry?, year: Int, now: Date, calendar: WorkingCalendar, policy: DisclosurePolicy = .standard) -> Status {
        let due = policy.yearlyDue(schoolYear: year)
        guard let entry else { return now > due ? .missing(due) : .notYetDue(due) }
        if let changed = entry.changedOn {
            let updateDue = calendar.addingWorkingDays(policy.updateWorkingDays, to: changed)
            if entry.updatedAt > updateDue { return .updateLate(updateDue) }
        }
        return entry.publishedAt <= due ? .onTime(entry.publishedAt) : .late(entry.publishedAt)
    }

    static let maxFileBytes = 20 << 20

    /// A structured field's name in forms and errors: `f_giao_vien`.
    static func fieldName(_ key: String) -> String { "f_" + key }

    /// The figures a school's yearbook for that school year already gives (the start-of-year
    /// report), by field key, to fill the form in before the item is first published.
    static func yearbookFigures(for item: DisclosureItem, unit: ResolvedUnit, year: Int, on db: any Database) async throws -> [String: String] {
        guard item.fields.contains(where: { !$0.yearbookKeys.isEmpty }),
              let period = try await YearbookPeriod.query(on: db).filter(\.$schoolYear == "\(year)-\(year + 1)")
                .filter(\.$kind == YearbookPeriod.Kind.startOfYear.rawValue).first(),
              let report = try await YearbookReport.query(in: unit, on: db).filter(\.$periodID == period.requireID()).first()
        else { return [:] }
        let values = report.values
        var figures: [String: String] = [:]
        for field in item.fields where !field.yearbookKeys.isEmpty {
            figures[field.key] = String(field.yearbookKeys.reduce(0) { $0 + (values[$1] ?? 0) })
        }
        return figures
    }

    static func filesRoot(_ config: AppConfig) -> URL {
        URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("disclosures")
    }

    /// Publishes or updates one item for one school year. Throws `FormErrors`.
    @discardableResult
    static func save(
        itemKey: String, year: Int, text rawText: String, fields typed: [String: String] = [:], changedOn rawChanged: String,
        file: AdmissionService.Upload?, unit: ResolvedUnit,
        by actor: AuditActor, who: String, root: URL, now: Date = Date(), on db: any Database
    ) async throws -> DisclosureEntry {
        guard let item = DisclosureCatalogue.item(itemKey), item.applies(to: unit.type), !YearbookLevel.levels(of: unit.type).isEmpty else {
            throw FormErrors(form: "Mục công khai này không áp dụng cho \(unit.type.label.lowercased()).")
        }
        guard editableYears(now: now).contains(year) else {
            throw FormErrors(form: "Năm học \(year)–\(year + 1) ngoài khoảng công khai (\(DisclosurePolicy.standard.retentionYears) năm gần nhất).")
        }
        var errors: FormErrors = [:]
        let text = TextNormalizer.normalize(rawText, mode: .multiLine, maxLength: 20_000)
        var changed: Date?
        if !rawChanged.trimmingCharacters(in: .whitespaces).isEmpty {
            if let date = VietnameseDate.parse(rawChanged.trimmingCharacters(in: .whitespaces)) {
                if date > now { errors["changedOn"] = "Ngày thay đổi \(VietnameseDate.day(date)) ở tương lai." } else { changed = date }
            } else {
                errors["changedOn"] = "Ngày thay đổi viết dạng dd/mm/yyyy."
            }
        }
        let existing = try await DisclosureEntry.query(in: unit, on: db).filter(\.$itemKey == itemKey).filter(\.$schoolYear == year).first()
        var pdf: [UInt8]?
        if let file, !file.bytes.isEmpty {
            let name = TextNormalizer.normalize(file.filename, maxLength: 100)
            if file.bytes.count > maxFileBytes {
                errors["file"] = "Tệp «\(name)» quá lớn (tối đa \(maxFileBytes >> 20) MB)."
            } else if FileSniffer.sniff(file.bytes) != FileSniffer.pdf {
                errors["file"] = "Tệp «\(name)» không phải PDF (kiểm tra theo nội dung tệp)."
            } else {
                pdf = file.bytes
            }
        }
        if item.form == .file && pdf == nil && existing?.fileStoredName == nil && errors["file"] == nil {
            errors["file"] = "Mục này cần tệp PDF."
        }
        // The figures, each checked (a text item whose figures are required needs no text beside them).
        let (fieldValues, faults) = item.read(typed, year: year)
        for (key, message) in faults { errors[fieldName(key)] = message }
        if item.form == .text && !item.fields.contains(where: \.required) && text.count < 10 && errors["text"] == nil {
            errors["text"] = "Nhập nội dung công khai (ít nhất 10 ký tự)."
        }
        if existing != nil && changed == nil && errors["changedOn"] == nil {
            errors["changedOn"] = "Ghi ngày có thay đổi mà lần cập nhật này phản ánh (hạn cập nhật tính từ ngày đó)."
        }
        guard errors.isEmpty else { throw errors }
        let entry = existing ?? DisclosureEntry()
        var written: URL?
        var oldFile: URL?
        if let pdf {
            let folder = root.appendingPathComponent(unit.id.uuidString.lowercased())
            let (stored, url) = try DurableFile.write(pdf, fileExtension: "pdf", in: folder)
            written = url
            if let previous = entry.fileStoredName { oldFile = folder.appendingPathComponent(previous) }
            entry.fileStoredName = stored
            entry.fileName = TextNormalizer.normalize(file?.filename ?? "", maxLength: 255).isEmpty ? "\(itemKey).pdf" : TextNormalizer.normalize(file?.filename ?? "", maxLength: 255)
            entry.fileSize = pdf.count
        }
        entry.unitID = unit.id
        entry.itemKey = itemKey
        entry.schoolYear = year
        entry.text = text
        entry.fields = fieldValues
        if existing == nil { entry.publishedAt = now }
        entry.updatedAt = now
        entry.changedOn = existing == nil ? nil : changed
        entry.updatedBy = who
        let detail = changed.map { "thay đổi ngày \(VietnameseDate.day($0))" } ?? ""
        do {
            try await db.transaction { tx in
                try await entry.save(on: tx)
                try await AuditEntry.record(actor, unitID: unit.id, action: existing == nil ? "disclosure.publish" : "disclosure.update",
                                            target: "\(item.title.prefix(60)) \(year)–\(year + 1)", detail: detail, on: tx)
                for id in [unit.id] + unit.ancestorIDs { try await OrgUnit.touch(id, on: tx) }
            }
        } catch {
            if let written { try? FileManager.default.removeItem(at: written) }
            throw error
        }
        // The earlier version's file goes once the new one is committed (the page shows the current one).
        if let oldFile { try? FileManager.default.removeItem(at: oldFile) }
        return entry
    }

    struct BoardRow {
        let school: OrgUnit
        let statuses: [(item: DisclosureItem, status: Status?)]
    }

    /// Every school below (or being) the unit, every item, for one school year; nil where the item does not apply.
    static func board(under unit: ResolvedUnit, year: Int, now: Date = Date(), calendar: WorkingCalendar, on db: any Database) async throws -> [BoardRow] {
        let schools = try await OrgUnit.subtree(ofPath: unit.path, on: db).filter { !YearbookLevel.levels(of: $0.type).isEmpty }
        let ids = schools.compactMap(\.id)
        var entries: [String: DisclosureEntry] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min(ids.count, $0 + 500)]) }) {
            for entry in try await DisclosureEntry.query(on: db).filter(\.$unitID ~~ chunk).filter(\.$schoolYear == year).all() {
                entries["\(entry.unitID)|\(entry.itemKey)"] = entry
            }
        }
        return schools.map { school in
            BoardRow(school: school, statuses: DisclosureCatalogue.items.map { item in
                (item, item.applies(to: school.type) ? status(of: entries["\(school.id?.uuidString ?? "")|\(item.key)"], year: year, now: now, calendar: calendar) : nil)
            })
        }
    }

    /// Tells each school's editorial head and admin (or the nearest unit above that has them) once
    /// when the yearly due date is `reminderDays` away with items unpublished, and once after it has
    /// passed with items still missing; each notice lists the items. Returns the notices queued.
    @discardableResult
    static func remind(now: Date = Date(), links: NoticeLinks, policy: DisclosurePolicy = .standard, on db: any Database) async throws -> Int {
        let current = schoolYear(of: now)
        var sent = 0
        for year in [current - 1, current] {
            let due = policy.yearlyDue(schoolYear: year)
            let phase: String
            if now > due && now < due.addingTimeInterval(60 * 86_400) { phase = "sau" }
            else if now <= due && now > due.addingTimeInterval(-Double(policy.reminderDays) * 86_400) { phase = "truoc" }
            else { continue }
            let schools = try await OrgUnit.query(on: db).filter(\.$stateCode == UnitState.active.rawValue).all()
                .filter { !YearbookLevel.levels(of: $0.type).isEmpty }
            let done = Set(try await DisclosureReminder.query(on: db).filter(\.$schoolYear == year).filter(\.$phase == phase).all().map(\.unitID))
            let published = Set(try await DisclosureEntry.query(on: db).filter(\.$schoolYear == year).all().map { "\($0.unitID)|\($0.itemKey)" })
            for school in schools {
                guard let schoolID = school.id, !done.contains(schoolID) else { continue }
                let missing = DisclosureCatalogue.items(for: school.type).filter { !published.contains("\(schoolID)|\($0.key)") }
                guard !missing.isEmpty else { continue }
                let people = try await Notifier.people(with: [.truongBanBienTap, .quanTri], chain: [schoolID] + school.ancestorIDs.reversed(), on: db)
                try await db.transaction { tx in
                    let reminder = DisclosureReminder()
                    reminder.unitID = schoolID
                    reminder.schoolYear = year
                    reminder.phase = phase
                    reminder.sentAt = now
                    try await reminder.create(on: tx)
                    guard !people.isEmpty else { return }
                    try await OutboxMessage(
                        unitID: schoolID, recipients: people.map(\.email),
                        subject: (phase == "sau" ? "Quá hạn công khai" : "Sắp đến hạn công khai") + " năm học \(year)–\(year + 1) – \(school.name)",
                        body: """
                            \(school.name) \(phase == "sau" ? "đã quá hạn" : "cần") công khai trước \(VietnameseDate.day(due)) (Thông tư 09/2024/TT-BGDĐT) \(phase == "sau" ? "mà còn thiếu" : "các mục chưa đăng"):
                            \(missing.map { "- " + $0.title }.joined(separator: "\n"))

                            Đăng tại: \(links.url(SiteURL.adminDisclosure(code: .value(school.code)).path))
                            """
                    ).create(on: tx)
                }
                sent += 1
            }
        }
        return sent
    }
}
