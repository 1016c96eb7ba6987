import EduCore
import EduData
import EduImport
import Fluent
import Foundation
import SQLKit

/// From the reviewed registrations to the published lists (#13 points 4–6): scores imported from
/// a file, places allocated by score and ranked choices within quotas, reviewed by staff,
/// published with names masked, withdrawn when the window ends; the registrations of children
/// not admitted deleted after the plan's retention period.
extension AdmissionService {
    /// Only the unit running a plan scores, allocates and publishes it.
    static func requireRunner(_ plan: AdmissionPlan, _ unit: ResolvedUnit) throws {
        guard plan.unitID == unit.id else { throw FormErrors(form: "Chỉ đơn vị tổ chức tuyển sinh nhập điểm, phân bổ và công bố kết quả của kế hoạch này.") }
    }

    // MARK: - Scores

    /// Reads a file of scores (columns «Mã hồ sơ», «Điểm xét tuyển», optionally «Số báo danh»;
    /// CSV or XLSX) and stores them only if every row is right: otherwise throws the faults, each
    /// with its row and column as Excel shows them. Returns how many registrations got a score.
    static func importScores(
        _ bytes: [UInt8], plan: AdmissionPlan, at unit: ResolvedUnit, by actor: AuditActor, now: Date = Date(), on db: any Database
    ) async throws -> Int {
        try requireRunner(plan, unit)
        guard plan.publishedAt == nil else { throw FormErrors(form: "Kết quả đã công bố; không nhập lại điểm được.") }
        guard !bytes.isEmpty else { throw FormErrors.field("file", "Chọn tệp điểm (CSV hoặc XLSX).") }
        let planID = try plan.requireID()
        var codeOf: [String: UUID] = [:]
        for row in try await AdmissionRegistration.query(on: db).filter(\.$planID == planID).field(\.$id).field(\.$trackingCode).all() {
            codeOf[row.trackingCode] = row.id
        }
        var errors: [ImportRowError] = []
        var header: (code: Int, score: Int, number: Int?)?
        var headerless: HeaderlessColumns?
        var scores: [(id: UUID, score: Int, number: String?)] = []
        var seen: [String: Int] = [:]
        do {
            try Spreadsheet.forEachRow(in: bytes) { line, cells in
                guard let columns = header else {
                    let folded = cells.map { SearchFolding.foldWords(Spreadsheet.clean($0, maxLength: 60)) }
                    if let code = folded.firstIndex(where: { $0 == "ma ho so" || $0 == "ma ho so tuyen sinh" }),
                       let score = folded.firstIndex(where: { $0.hasPrefix("diem") }) {
                        header = (code, score, folded.firstIndex(where: { $0 == "so bao danh" || $0 == "sbd" }))
                        headerless = HeaderlessColumns(header: cells)
                    } else if line >= 20 {
                        throw SheetError("Không tìm thấy dòng tiêu đề trong 20 dòng đầu: cần các cột «Mã hồ sơ» và «Điểm xét tuyển».")
                    }
                    return
                }
                headerless!.check(line: line, cells: cells)
                func cell(_ index: Int?) -> String { index.map { $0 < cells.count ? Spreadsheet.clean(cells[$0], maxLength: 60) : "" } ?? "" }
                let code = cell(columns.code).uppercased().replacingOccurrences(of: " ", with: "")
                let scoreText = cell(columns.score)
                if code.isEmpty && scoreText.isEmpty { return }  // a blank row
                guard errors.count < 200 else { return }
                guard !code.isEmpty else { errors.append(.init(line: line, column: columns.code, message: "thiếu mã hồ sơ.")); return }
                guard let id = codeOf[code] else {
                    errors.append(.init(line: line, column: columns.code, message: "mã hồ sơ «\(code)» không có trong kế hoạch này."))
                    return
                }
                if let earlier = seen[code] {
                    errors.append(.init(line: line, column: columns.code, message: "mã hồ sơ \(code) đã có ở dòng \(earlier)."))
                    return
                }
                seen[code] = line
                switch ExamScore.parse(scoreText) {
                case .value(let hundredths) where hundredths <= 10_000:
                    let number = cell(columns.number)
                    scores.append((id, Int(hundredths), number.isEmpty ? nil : String(number.prefix(20))))
                case .value:
                    errors.append(.init(line: line, column: columns.score, message: "điểm «\(scoreText)» vượt quá 100."))
                case .empty:
                    errors.append(.init(line: line, column: columns.score, message: "thiếu điểm xét tuyển của \(code)."))
                case .invalid:
                    errors.append(.init(line: line, column: columns.score, message: "«\(scoreText)» không phải là điểm (ví dụ 38,25)."))
                }
            }
        } catch let error as SheetError {
            throw FormErrors.field("file", error.message + Spreadsheet.encodingHint(bytes))
        }
        guard header != nil else {
            throw FormErrors.field("file", "Không tìm thấy dòng tiêu đề: cần các cột «Mã hồ sơ» và «Điểm xét tuyển»." + Spreadsheet.encodingHint(bytes))
        }
        let faults = (headerless?.errors(noun: { if case .value = ExamScore.parse($0) { "điểm" } else { "dữ liệu" } }) ?? []) + errors
        guard faults.isEmpty else {
            throw FormErrors.field("file", "Chưa lưu điểm nào; sửa tệp rồi tải lại. " + faults.prefix(20).map(\.text).joined(separator: " ")
                + (faults.count > 20 ? " … và \(faults.count - 20) lỗi khác." : ""))
        }
        guard !scores.isEmpty else { throw FormErrors.field("file", "Tệp không có dòng điểm nào.") }
        let scored = scores
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            for item in scored {
                try await sql.update(AdmissionRegistration.schema)
                    .set("score", to: item.score).set("exam_number", to: item.number).set("updated_at", to: now)
                    .where("id", .equal, item.id).run()
            }
            plan.allocatedAt = nil
            try await plan.save(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: "admission.scores", target: plan.title, detail: "\(scored.count) điểm", on: tx)
        }
        return scores.count
    }

    // MARK: - Allocation

    /// The order of equal scores: the plan's priority categories in their listed order (none
    /// last), then the earlier registration, then the tracking code.
    static func tieBreak(_ registration: AdmissionRegistration, priorities: [String]) -> String {
        let rank = registration.priority.isEmpty ? 99 : (priorities.firstIndex(of: registration.priority) ?? 98)
        let stamp = String(Int64(registration.createdAt.timeIntervalSince1970 * 1000)).leftPadded(to: 15)
        return String(rank).leftPadded(to: 2) + "|" + stamp + "|" + registration.trackingCode
    }

    struct AllocationSummary: Sendable {
        let candidates: Int
        let admitted: Int
        /// Registrations not yet decided on (not allocated; not admitted when published).
        let pending: Int
    }

    /// Allocates the places of a plan among its accepted registrations (after the change window),
    /// storing each one's place and explanation and each school's cut-off. Repeatable until published.
    static func allocate(_ plan: AdmissionPlan, at unit: ResolvedUnit, by actor: AuditActor, now: Date = Date(), on db: any Database) async throws -> AllocationSummary {
        try requireRunner(plan, unit)
        guard plan.publishedAt == nil else { throw FormErrors(form: "Kết quả đã công bố; không phân bổ lại được.") }
        let lastChange = max(plan.registrationClosesAt, plan.changesCloseAt)
        guard now >= lastChange else {
            throw FormErrors(form: "Chỉ phân bổ sau khi hết hạn đăng ký và đổi nguyện vọng (\(VietnameseDate.dateTime(lastChange))).")
        }
        let planID = try plan.requireID()
        let registrations = try await AdmissionRegistration.query(on: db).filter(\.$planID == planID).all()
        let accepted = registrations.filter { $0.currentStatus == .accepted }
        let pending = registrations.filter { $0.currentStatus == .submitted || $0.currentStatus == .needsDocuments }.count
        guard !accepted.isEmpty else { throw FormErrors(form: "Chưa có hồ sơ hợp lệ nào để phân bổ: xét hồ sơ trước.") }
        let needsScores = AdmissionPlan.Method(rawValue: plan.method) != .xetTuyen
        let unscored = accepted.filter { $0.score == nil }
        if needsScores && !unscored.isEmpty {
            throw FormErrors(form: "\(unscored.count) hồ sơ hợp lệ chưa có điểm (\(unscored.prefix(5).map(\.trackingCode).joined(separator: ", "))\(unscored.count > 5 ? ", …" : "")): nhập tệp điểm trước khi phân bổ.")
        }
        let schools = try await Self.schools(of: plan, on: db)
        let ids = accepted.compactMap(\.id)
        var choicesOf: [UUID: [AdmissionChoice]] = [:]
        let version = Dictionary(uniqueKeysWithValues: accepted.compactMap { r in r.id.map { ($0, r.choicesVersion) } })
        for batch in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[batch..<min(ids.count, batch + 500)])
            for choice in try await AdmissionChoice.query(on: db).filter(\.$registrationID ~~ slice).all() where version[choice.registrationID] == choice.version {
                choicesOf[choice.registrationID, default: []].append(choice)
            }
        }
        let priorities = plan.priorityList
        let candidates = accepted.compactMap { registration -> AdmissionAllocation.Candidate? in
            guard let id = registration.id else { return nil }
            return .init(id: id.uuidString, score: registration.score ?? 0, tieBreak: tieBreak(registration, priorities: priorities),
                         choices: (choicesOf[id] ?? []).sorted { $0.rank < $1.rank }.map { $0.schoolID.uuidString })
        }
        let result = AdmissionAllocation.allocate(candidates, schools: schools.compactMap { s in
            s.unit.id.map { .init(id: $0.uuidString, name: s.unit.name, quota: s.quota.quota) }
        })
        try await db.transaction { tx in
            for registration in accepted {
                guard let id = registration.id, let placement = result.placements[id.uuidString] else { continue }
                registration.resultSchoolID = placement.schoolID.flatMap(UUID.init(uuidString:))
                registration.resultChoice = placement.choice
                registration.resultNote = placement.explanation
                try await registration.save(on: tx)
            }
            // Registrations no longer accepted lose an earlier allocation's answer.
            for registration in registrations where registration.currentStatus != .accepted && registration.resultNote != nil {
                registration.resultSchoolID = nil
                registration.resultChoice = nil
                registration.resultNote = nil
                try await registration.save(on: tx)
            }
            for (school, quota) in schools {
                let key = school.id?.uuidString ?? ""
                quota.admitted = result.admittedCounts[key] ?? 0
                quota.cutoff = needsScores ? (result.cutoffs[key] ?? nil) : nil
                try await quota.save(on: tx)
            }
            plan.allocatedAt = now
            try await plan.save(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: "admission.allocate", target: plan.title,
                                        detail: "\(accepted.count) hồ sơ, \(result.admittedCounts.values.reduce(0, +)) trúng tuyển", on: tx)
        }
        return AllocationSummary(candidates: accepted.count, admitted: result.admittedCounts.values.reduce(0, +), pending: pending)
    }

    // MARK: - Publication

    /// Turns the reviewed allocation into results: admitted or not (a registration still awaiting
    /// a decision is not admitted), every parent with an address told, the schools' portals
    /// renewed. Only within the publication window and with a moment when the lists come down.
    static func publish(_ plan: AdmissionPlan, at unit: ResolvedUnit, statusURL: String, by actor: AuditActor, now: Date = Date(), on db: any Database) async throws -> Int {
        try requireRunner(plan, unit)
        guard plan.publishedAt == nil else { throw FormErrors(form: "Kết quả đã công bố.") }
        guard plan.allocatedAt != nil else { throw FormErrors(form: "Phân bổ (lại) trước khi công bố: điểm hoặc hồ sơ đã thay đổi sau lần phân bổ trước.") }
        if let from = plan.resultsAt, now < from {
            throw FormErrors(form: "Chưa đến thời gian công bố kết quả (\(VietnameseDate.dateTime(from))).")
        }
        guard let until = plan.resultsWithdrawnAt, until > now else {
            throw FormErrors(form: "Kế hoạch cần thời điểm gỡ danh sách kết quả ở tương lai trước khi công bố.")
        }
        let planID = try plan.requireID()
        let registrations = try await AdmissionRegistration.query(on: db).filter(\.$planID == planID).all()
        let names = Dictionary(uniqueKeysWithValues: try await schools(of: plan, on: db).compactMap { s in s.unit.id.map { ($0, s) } })
        let admitted = registrations.filter { $0.currentStatus == .accepted && $0.resultSchoolID != nil }.count
        try await db.transaction { tx in
            for registration in registrations {
                switch registration.currentStatus {
                case .accepted:
                    registration.status = (registration.resultSchoolID != nil ? AdmissionRegistration.Status.admitted : .notAdmitted).rawValue
                case .submitted, .needsDocuments:
                    registration.status = AdmissionRegistration.Status.notAdmitted.rawValue
                    registration.resultNote = "Hồ sơ chưa được xác nhận hợp lệ khi xét tuyển."
                default:
                    continue
                }
                registration.updatedAt = now
                try await registration.save(on: tx)
                guard !registration.parentEmail.isEmpty else { continue }
                let school = registration.resultSchoolID.flatMap { names[$0]?.unit.name }
                try await OutboxMessage(
                    unitID: plan.unitID, recipients: [registration.parentEmail],
                    subject: "Kết quả tuyển sinh \(registration.trackingCode): \(school.map { "trúng tuyển \($0)" } ?? "không trúng tuyển")",
                    body: """
                    Kính gửi phụ huynh \(registration.parentName),

                    Kết quả tuyển sinh của \(registration.pupilName) theo «\(plan.title)»:
                    \(registration.resultNote ?? "")

                    Xem chi tiết (cần mã hồ sơ \(registration.trackingCode) và ngày sinh của trẻ): \(statusURL)
                    Thư này được gửi tự động; xin không trả lời.
                    """
                ).create(on: tx)
            }
            plan.publishedAt = now
            try await plan.save(on: tx)
            try await OrgUnit.touch(plan.unitID, on: tx)
            for id in names.keys where id != plan.unitID { try await OrgUnit.touch(id, on: tx) }
            try await AuditEntry.record(actor, unitID: unit.id, action: "admission.publish", target: plan.title,
                                        detail: "\(admitted) trúng tuyển / \(registrations.count) hồ sơ", on: tx)
        }
        return admitted
    }

    /// "Nguyễn Văn An" → "N*** V*** A***": enough for a parent who knows the code, nothing for anyone else.
    static func maskedName(_ name: String) -> String {
        name.split(whereSeparator: \.isWhitespace).map { ($0.first.map(String.init) ?? "") + "***" }.joined(separator: " ")
    }

    struct PublishedEntry: Sendable {
        let trackingCode: String
        let examNumber: String
        let maskedName: String
        let result: String
    }

    /// One school's admitted list as published: code, exam number, masked name, which choice;
    /// nothing else, in tracking-code order. Empty unless the plan's results are shown now.
    static func publishedList(of plan: AdmissionPlan, school: UUID, page requested: Int?, size: Int = 100, now: Date = Date(),
                              on db: any Database) async throws -> (entries: [PublishedEntry], paging: Paging) {
        guard plan.resultsAreShown(at: now) else { return ([], Paging(total: 0, size: size, requested: nil)) }
        let planID = try plan.requireID()
        let query = AdmissionRegistration.query(on: db).filter(\.$planID == planID)
            .filter(\.$status == AdmissionRegistration.Status.admitted.rawValue).filter(\.$resultSchoolID == school)
        let paging = Paging(total: try await query.count(), size: size, requested: requested)
        let rows = try await query.sort(\.$trackingCode).range(paging.range).all()
        return (rows.map { r in
            PublishedEntry(trackingCode: r.trackingCode, examNumber: r.examNumber ?? "", maskedName: maskedName(r.pupilName),
                           result: "Trúng tuyển" + (r.resultChoice.map { " nguyện vọng \($0)" } ?? ""))
        }, paging)
    }

    /// The next moment one of the plans shown on `unitID`'s portal changes what its pages say
    /// (a window opens or closes, the lists appear or come down): cached pages end there.
    static func nextScheduledChange(unitID: UUID, after now: Date, on db: any Database) async throws -> Date? {
        try await plans(covering: unitID, on: db).flatMap { plan in
            [plan.registrationOpensAt, plan.registrationClosesAt, plan.changesCloseAt, plan.resultsAt, plan.resultsWithdrawnAt].compactMap { $0 }
        }.filter { $0 > now }.min()
    }

    // MARK: - Retention

    /// Deletes, with their choices and files, the registrations of children not admitted (or
    /// refused) once the plan's lists have come down and its retention period has passed.
    /// Returns how many were deleted.
    @discardableResult
    static func purgeExpired(now: Date = Date(), attachmentsRoot: URL, on db: any Database) async throws -> Int {
        var deleted = 0
        let plans = try await AdmissionPlan.query(on: db).filter(\.$publishedAt != nil).filter(\.$resultsWithdrawnAt <= now).all()
        for plan in plans {
            guard let until = plan.resultsWithdrawnAt, until.addingTimeInterval(Double(plan.retentionDays) * 86_400) <= now else { continue }
            let gone = try await AdmissionRegistration.query(on: db).filter(\.$planID == plan.requireID())
                .filter(\.$status ~~ [AdmissionRegistration.Status.notAdmitted.rawValue, AdmissionRegistration.Status.rejected.rawValue]).all()
            guard !gone.isEmpty else { continue }
            let ids = gone.compactMap(\.id)
            var files: [String] = []
            for batch in stride(from: 0, to: ids.count, by: 500) {
                let slice = Array(ids[batch..<min(ids.count, batch + 500)])
                files += try await AdmissionAttachment.query(on: db).filter(\.$registrationID ~~ slice).all().map(\.storedName)
            }
            try await db.transaction { tx in
                for batch in stride(from: 0, to: ids.count, by: 500) {
                    try await AdmissionRegistration.query(on: tx).filter(\.$id ~~ Array(ids[batch..<min(ids.count, batch + 500)])).delete()
                }
                try await AuditEntry.record(.system, unitID: plan.unitID, action: "admission.purge", target: plan.title,
                                            detail: "Đã xóa \(gone.count) hồ sơ không trúng tuyển sau \(plan.retentionDays) ngày lưu", on: tx)
            }
            let folder = attachmentsRoot.appendingPathComponent(try plan.requireID().uuidString.lowercased())
            for name in files { try? FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
            deleted += gone.count
        }
        return deleted
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
