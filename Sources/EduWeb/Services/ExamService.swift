import EduCore
import EduData
import EduImport
import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import Vapor

/// Exam sessions and their imports: validation, the import pipeline (read and check the whole
/// file off the event loops, then store the snapshot and switch the session's current version
/// in one transaction), publication. Used by the admin and by `eduportal exam import`.
enum ExamService {
    static let chunkBytes = 2 << 20

    struct SessionInput {
        var name = ""
        var year = ""
        var kind = ""
        var subjects = ""
        var maxScore = "10"
        var publishAt = ""
        var requireBirthDate = true

        init() {}

        init(form: [String: String]) {
            name = TextNormalizer.normalize(form["name"] ?? "", maxLength: 200)
            year = TextNormalizer.normalize(form["year"] ?? "", maxLength: 4)
            kind = TextNormalizer.normalize(form["kind"] ?? "", maxLength: 40)
            subjects = TextNormalizer.normalize(form["subjects"] ?? "", maxLength: 1000)
            maxScore = TextNormalizer.normalize(form["maxScore"] ?? "10", maxLength: 6)
            publishAt = TextNormalizer.normalize(form["publishAt"] ?? "", maxLength: 25)
            requireBirthDate = form["requireBirthDate"] != nil
        }

        init(_ session: ExamSession) {
            name = session.name
            year = String(session.year)
            kind = session.kind
            subjects = session.subjectList.joined(separator: ", ")
            maxScore = ExamScore.text(UInt16(session.maxScore * 100))
            publishAt = session.publishAt.map(VietnameseDate.inputValue) ?? ""
            requireBirthDate = session.requireBirthDate
        }
    }

    struct Validated {
        let name: String
        let year: Int
        let kind: ExamKind
        let subjects: [String]
        let maxScore: Double
        let publishAt: Date?
        let requireBirthDate: Bool
    }

    static func validate(_ input: SessionInput) -> Result<Validated, FormErrors> {
        var errors: FormErrors = [:]
        if input.name.count < 3 { errors["name"] = "Nhập tên kỳ thi (ít nhất 3 ký tự)." }
        let year = Int(input.year) ?? 0
        if !(2000...2100).contains(year) { errors["year"] = "Năm không hợp lệ." }
        let kind = ExamKind(text: input.kind)
        if kind == nil { errors["kind"] = "Chọn loại kỳ thi." }
        let subjects = input.subjects.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if subjects.count > 40 || subjects.contains(where: { $0.count > 60 }) { errors["subjects"] = "Danh sách môn không hợp lệ." }
        if Set(subjects.map(SearchFolding.fold)).count != subjects.count { errors["subjects"] = "Có môn bị lặp." }
        var maxScore = 10.0
        if case .value(let v) = ExamScore.parse(input.maxScore), v >= 100, v <= 10_000 { maxScore = Double(v) / 100 } else {
            errors["maxScore"] = "Thang điểm từ 1 đến 100."
        }
        var publishAt: Date? = nil
        if !input.publishAt.isEmpty {
            publishAt = VietnameseDate.parse(input.publishAt)
            if publishAt == nil { errors["publishAt"] = "Thời điểm công bố không hợp lệ (dd/mm/yyyy hh:mm)." }
        }
        if !errors.isEmpty { return .failure(errors) }
        return .success(Validated(name: input.name, year: year, kind: kind!, subjects: subjects, maxScore: maxScore,
                                  publishAt: publishAt, requireBirthDate: input.requireBirthDate))
    }

    static func create(_ valid: Validated, unitID: UUID, by actor: AuditActor, on db: any Database) async throws -> ExamSession {
        if try await ExamSession.query(in: unitID, on: db).filter(\.$name == valid.name).first() != nil {
            throw FormErrors(["name": "Đơn vị đã có kỳ thi tên này."])
        }
        let session = ExamSession()
        session.unitID = unitID
        apply(valid, to: session)
        session.createdAt = Date()
        try await db.transaction { tx in
            try await session.create(on: tx)
            try await AuditEntry.record(actor, unitID: unitID, action: "exam.session.create",
                                        target: session.name, detail: "\(valid.kind.label) \(valid.year)", on: tx)
        }
        return session
    }

    static func apply(_ valid: Validated, to session: ExamSession) {
        session.name = valid.name
        session.year = valid.year
        session.kind = valid.kind.rawValue
        if !valid.subjects.isEmpty || session.currentImportID == nil { session.subjects = valid.subjects.joined(separator: "\n") }
        session.maxScore = valid.maxScore
        session.publishAt = valid.publishAt
        session.requireBirthDate = valid.requireBirthDate
        session.updatedAt = Date()
    }

    static func update(_ session: ExamSession, _ valid: Validated, by actor: AuditActor, on db: any Database) async throws {
        if valid.name != session.name,
           try await ExamSession.query(in: session.unitID, on: db).filter(\.$name == valid.name).first() != nil {
            throw FormErrors(["name": "Đơn vị đã có kỳ thi tên này."])
        }
        apply(valid, to: session)
        try await db.transaction { tx in
            try await session.save(on: tx)
            try await AuditEntry.record(actor, unitID: session.unitID, action: "exam.session.update",
                                        target: session.name, detail: "công bố: \(session.publishAt.map(VietnameseDate.dateTime) ?? "chưa")", on: tx)
            try await OrgUnit.touch(session.unitID, on: tx)
        }
    }

    /// Deletes a session with every import and snapshot it has.
    static func delete(_ session: ExamSession, by actor: AuditActor, on db: any Database) async throws {
        let sessionID = try session.requireID()
        try await db.transaction { tx in
            let imports = try await ExamImport.query(on: tx).filter(\.$sessionID == sessionID).all().compactMap(\.id)
            if !imports.isEmpty {
                try await ExamChunk.query(on: tx).filter(\.$importID ~~ imports).delete()
                try await ExamImport.query(on: tx).filter(\.$id ~~ imports).delete()
            }
            try await session.delete(on: tx)
            try await AuditEntry.record(actor, unitID: session.unitID, action: "exam.session.delete", target: session.name, on: tx)
            try await OrgUnit.touch(session.unitID, on: tx)
        }
    }

    /// A new import row, refused while another import of the session is running.
    static func begin(session: ExamSession, filename: String, byteCount: Int, by actor: AuditActor, on db: any Database) async throws -> ExamImport {
        let sessionID = try session.requireID()
        try await refuseWhileAnotherRuns(sessionID: sessionID, except: nil, on: db)
        let row = ExamImport()
        row.sessionID = sessionID
        row.version = 0
        row.status = ExamImport.Status.running.rawValue
        row.filename = String(filename.prefix(200))
        row.byteCount = byteCount
        row.rowsRead = 0
        row.candidateCount = 0
        row.errorCount = 0
        row.errors = ""
        row.statistics = ""
        row.snapshotBytes = 0
        row.createdBy = actor.name
        row.createdAt = Date()
        row.heartbeatAt = row.createdAt
        try await row.create(on: db)
        return row
    }

    /// One live import per session at a time.
    private static func refuseWhileAnotherRuns(sessionID: UUID, except id: UUID?, on db: any Database) async throws {
        let running = try await ExamImport.query(on: db).filter(\.$sessionID == sessionID)
            .filter(\.$status == ExamImport.Status.running.rawValue).all()
        if running.contains(where: { $0.isLive() && $0.id != id }) {
            throw AppError(.conflict, "Đang có một lần nhập khác của kỳ thi này; hãy chờ nó xong.")
        }
    }

    /// Records that an import stopped before it finished (nothing of it is published).
    private static func interrupt(_ row: ExamImport, at now: Date = Date(), on db: any Database) async throws {
        row.status = ExamImport.Status.interrupted.rawValue
        row.finishedAt = now
        try await row.save(on: db)
    }

    /// The import with this id, within the session.
    static func importRow(_ id: UUID, of session: ExamSession, on db: any Database) async throws -> ExamImport? {
        try await ExamImport.query(on: db).filter(\.$id == id).filter(\.$sessionID == session.requireID()).first()
    }

    /// Marks imports whose heartbeat stopped as interrupted; returns how many.
    static func markInterrupted(now: Date = Date(), on db: any Database) async throws -> Int {
        let stale = try await ExamImport.query(on: db).filter(\.$status == ExamImport.Status.running.rawValue).all().filter { !$0.isLive(now: now) }
        for row in stale { try await interrupt(row, at: now, on: db) }
        return stale.count
    }

    /// Starts an interrupted import again from the beginning of its kept upload.
    static func resume(_ row: ExamImport, session: ExamSession, by actor: AuditActor, on db: any Database) async throws {
        guard row.isInterrupted() else { throw AppError(.conflict, "Lần nhập này không bị gián đoạn.") }
        try await refuseWhileAnotherRuns(sessionID: session.requireID(), except: row.id, on: db)
        try await db.transaction { tx in
            row.status = ExamImport.Status.running.rawValue
            row.rowsRead = 0
            row.errorCount = 0
            row.errors = ""
            row.finishedAt = nil
            row.heartbeatAt = Date()
            try await row.save(on: tx)
            try await AuditEntry.record(actor, unitID: session.unitID, action: "exam.import.resume", target: session.name, detail: row.filename, on: tx)
        }
    }

    /// Reads, checks and (when clean) publishes an import. The session keeps its current version
    /// until the transaction that switches it commits; a file with any bad row changes nothing.
    static func run(
        _ row: ExamImport, bytes: [UInt8], publishNow: Bool, by actor: AuditActor,
        db: any Database, threadPool: NIOThreadPool, store: ExamStore?, logger: Logger, progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> ExamImport {
        guard let session = try await ExamSession.find(row.sessionID, on: db) else { throw AppError.notFound }
        let options = ExamImportOptions(subjects: session.subjectList, maxScore: session.maxScore)
        let rowsRead = NIOLockedValueBox(0)
        let reporter = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                // Progress and the heartbeat that tells other nodes (and the next boot) this import is alive.
                row.rowsRead = rowsRead.withLockedValue { $0 }
                row.heartbeatAt = Date()
                try? await row.save(on: db)
            }
        }
        let outcome: ExamImportOutcome
        do {
            outcome = try await threadPool.runIfActive {
                ExamImporter.run(bytes: bytes, options: options) { n in
                    rowsRead.withLockedValue { $0 = n }
                    progress?(n)
                }
            }
        } catch {
            reporter.cancel()
            _ = await reporter.value
            // Stopped by the app's shutdown, not by the file: resumable, nothing published.
            if Task.isCancelled || error is CancellationError {
                try await interrupt(row, on: db)
                return row
            }
            row.status = ExamImport.Status.failed.rawValue
            row.errors = "0\tKhông đọc được tệp: \(error)"
            row.errorCount = 1
            row.finishedAt = Date()
            try await row.save(on: db)
            throw error
        }
        reporter.cancel()
        _ = await reporter.value
        row.rowsRead = max(row.rowsRead, rowsRead.withLockedValue { $0 })
        // The app is shutting down: publish nothing half-way; the upload stays for a resume.
        if Task.isCancelled {
            try await interrupt(row, on: db)
            return row
        }
        row.candidateCount = outcome.candidateCount
        row.errorCount = outcome.errorCount
        row.finishedAt = Date()
        guard outcome.isClean, let snapshot = outcome.snapshot else {
            row.status = ExamImport.Status.failed.rawValue
            row.errors = outcome.errors.map { "\($0.line)\t\($0.column.map(String.init) ?? "")\t\($0.message)" }.joined(separator: "\n")
            try await db.transaction { tx in
                try await row.save(on: tx)
                try await AuditEntry.record(actor, unitID: session.unitID, action: "exam.import.failed",
                                            target: session.name, detail: "\(row.filename): \(outcome.errorCount) lỗi", on: tx)
            }
            return row
        }
        let statistics = outcome.statistics.flatMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let rowID = try row.requireID()
        let sessionID = try session.requireID()
        try await db.transaction { tx in
            var seq = 0
            var offset = 0
            while offset < snapshot.count {
                let end = min(snapshot.count, offset + chunkBytes)
                try await ExamChunk(importID: rowID, seq: seq, data: Data(snapshot[offset..<end])).create(on: tx)
                seq += 1
                offset = end
            }
            let latest = try await ExamImport.query(on: tx).filter(\.$sessionID == sessionID).max(\.$version) ?? 0
            row.version = latest + 1
            row.status = ExamImport.Status.ready.rawValue
            row.statistics = statistics
            row.snapshotBytes = snapshot.count
            row.finishedAt = Date()
            try await row.save(on: tx)
            // Keep the snapshot being replaced (for a quick look back) and drop older ones.
            let keep = [rowID] + (session.currentImportID.map { [$0] } ?? [])
            let older = try await ExamImport.query(on: tx).filter(\.$sessionID == sessionID).filter(\.$id !~ keep).all().compactMap(\.id)
            if !older.isEmpty { try await ExamChunk.query(on: tx).filter(\.$importID ~~ older).delete() }
            guard let fresh = try await ExamSession.find(sessionID, on: tx) else { throw AppError.notFound }
            fresh.currentImportID = rowID
            if fresh.subjects.isEmpty { fresh.subjects = outcome.subjects.joined(separator: "\n") }
            if publishNow && (fresh.publishAt == nil || fresh.publishAt! > Date()) { fresh.publishAt = Date() }
            fresh.updatedAt = Date()
            try await fresh.save(on: tx)
            try await AuditEntry.record(actor, unitID: fresh.unitID, action: "exam.import",
                                        target: fresh.name, detail: "\(row.filename): phiên bản \(row.version), \(outcome.candidateCount) thí sinh", on: tx)
            try await OrgUnit.touch(fresh.unitID, on: tx)
        }
        // This node built the snapshot: it installs it without reading the chunks back.
        if let store {
            await store.install(importID: rowID, snapshot: try ExamSnapshot(bytes: snapshot), statistics: outcome.statistics, on: db, logger: logger)
        }
        return row
    }

    static func errorList(_ row: ExamImport) -> [ImportRowError] {
        // "line\tcolumn\tmessage" (column empty for a whole row or file); older rows have no column part.
        row.errors.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count == 3, parts[1].isEmpty || Int(parts[1]) != nil {
                return ImportRowError(line: Int(parts[0]) ?? 0, column: Int(parts[1]), message: String(parts[2]))
            }
            let two = line.split(separator: "\t", maxSplits: 1)
            return ImportRowError(line: Int(two.first ?? "") ?? 0, message: two.count > 1 ? String(two[1]) : String(line))
        }
    }

    // MARK: - Diplomas

    struct DiplomaImportSummary {
        let added: Int
        let updated: Int
        let errors: [ImportRowError]
        let errorCount: Int
    }

    /// All rows clean or nothing: new số hiệu are added, known ones updated, in one transaction.
    static func importDiplomas(unit: ResolvedUnit, bytes: [UInt8], defaultKind: String, by actor: AuditActor,
                               db: any Database, threadPool: NIOThreadPool) async throws -> DiplomaImportSummary {
        let unitID = unit.id
        let issuer = unit.name
        let outcome = try await threadPool.runIfActive { DiplomaImporter.run(bytes: bytes, defaultKind: defaultKind, defaultIssuer: issuer) }
        guard outcome.isClean else {
            return DiplomaImportSummary(added: 0, updated: 0, errors: outcome.errors, errorCount: outcome.errorCount)
        }
        let (added, updated) = try await db.transaction { tx -> (Int, Int) in
            var added = 0, updated = 0
            var existing: [String: Diploma] = [:]
            for slice in stride(from: 0, to: outcome.records.count, by: 500) {
                let serials = outcome.records[slice..<min(outcome.records.count, slice + 500)].map(\.serial)
                for diploma in try await Diploma.query(in: unitID, on: tx).filter(\.$serial ~~ serials).all() {
                    existing[diploma.serial] = diploma
                }
            }
            let now = Date()
            for record in outcome.records {
                let diploma = existing[record.serial] ?? Diploma()
                if diploma.id == nil { diploma.unitID = unitID; diploma.serial = record.serial; added += 1 } else { updated += 1 }
                diploma.registerNumber = record.registerNumber
                diploma.fullName = record.fullName
                diploma.nameKey = DiplomaImporter.nameKey(record.fullName)
                diploma.birthDate = Int(record.birthDate)
                diploma.kind = record.kind
                diploma.graduationYear = record.graduationYear
                diploma.classification = record.classification
                diploma.issuedOn = Int(record.issuedOn)
                diploma.issuer = record.issuer
                diploma.importedAt = now
                try await diploma.save(on: tx)
            }
            try await AuditEntry.record(actor, unitID: unitID, action: "diploma.import",
                                        target: unit.name, detail: "thêm \(added), cập nhật \(updated)", on: tx)
            return (added, updated)
        }
        return DiplomaImportSummary(added: added, updated: updated, errors: [], errorCount: 0)
    }

    /// The diploma with this số hiệu at the unit, if the name and date of birth match too.
    static func findDiploma(unitID: UUID, serial: String, name: String, birthDate: Int32, on db: any Database) async throws -> Diploma? {
        let key = serial.uppercased().trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, key.count <= 40 else { return nil }
        guard let diploma = try await Diploma.query(in: unitID, on: db).filter(\.$serial == key).first() else { return nil }
        // Compared from the stored name, not the stored key: keys written before names were
        // compared with their marks were folded.
        guard DiplomaImporter.nameKey(diploma.fullName) == DiplomaImporter.nameKey(name), diploma.birthDate == Int(birthDate) else { return nil }
        return diploma
    }

    enum DiplomaOutcome {
        /// `origin` says where it came from when a unit merged into this one kept it.
        case found(Diploma, origin: String)
        case notFound
        case badRequest(String)
    }

    static let diplomaNotFound = "Không tìm thấy văn bằng, chứng chỉ khớp với số hiệu, họ tên và ngày sinh đã nhập. Vui lòng kiểm tra lại."

    /// The diploma lookup rule (A8.12): serial, name and date of birth must all match.
    static func lookupDiploma(_ query: DiplomaQuery, in unit: ResolvedUnit, on db: any Database) async throws -> DiplomaOutcome {
        guard !query.serial.isEmpty else { return .badRequest("Nhập số hiệu văn bằng, chứng chỉ.") }
        guard !query.name.isEmpty else { return .badRequest("Nhập họ và tên.") }
        guard let birthDate = ExamDate.parse(query.birth) else { return .badRequest("Nhập ngày sinh hợp lệ (dd/mm/yyyy).") }
        // A unit that took others over (2025 reform) answers for their registers too.
        for unitID in try await registerUnits(of: unit, on: db) {
            if let diploma = try await findDiploma(unitID: unitID, serial: query.serial, name: query.name, birthDate: birthDate, on: db) {
                return .found(diploma, origin: try await UnitChangeService.originNote(unitID, keptBy: unit, prefix: "Sổ gốc của", on: db))
            }
        }
        return .notFound
    }

    /// The unit's own register first, then those of the units merged or dissolved into it.
    static func registerUnits(of unit: ResolvedUnit, on db: any Database) async throws -> [UUID] {
        [unit.id] + (try await UnitChangeService.predecessors(of: unit.id, on: db)).compactMap(\.id)
    }

    static func diplomaCount(in unit: ResolvedUnit, on db: any Database) async throws -> Int {
        try await Diploma.query(on: db).filter(\.$unitID ~~ registerUnits(of: unit, on: db)).count()
    }
}
