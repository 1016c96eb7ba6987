import FluentKit
import Foundation

/// An exam whose results a unit publishes (A8.11): nothing is public before `publishAt`, and
/// only the import `currentImportID` points at.
public final class ExamSession: Model, @unchecked Sendable {
    public static let schema = "exam_sessions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "year") public var year: Int
    /// `ExamKind`'s code.
    @Field(key: "kind") public var kind: String
    /// The subjects, one per line, in the order of the results table.
    @Field(key: "subjects") public var subjects: String
    @Field(key: "max_score") public var maxScore: Double
    /// Lookups need the date of birth as well as the SBD (the default).
    @Field(key: "require_birth_date") public var requireBirthDate: Bool
    @OptionalField(key: "publish_at") public var publishAt: Date?
    @OptionalField(key: "current_import_id") public var currentImportID: UUID?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var subjectList: [String] { subjects.split(separator: "\n").map(String.init) }
}

/// One upload of a results table. A clean one becomes a numbered version whose snapshot is
/// stored in `exam_chunks`; a failed one keeps its error list and nothing else.
public final class ExamImport: Model, @unchecked Sendable {
    public static let schema = "exam_imports"

    /// `interrupted`: the app stopped (or its process died) while reading; the upload is kept
    /// so an admin can resume it.
    public enum Status: String, Sendable { case running, failed, ready, interrupted }

    @ID(key: .id) public var id: UUID?
    @Field(key: "session_id") public var sessionID: UUID
    /// 1, 2, … for clean imports of the session; 0 until then.
    @Field(key: "version") public var version: Int
    @Field(key: "status") public var status: String
    @Field(key: "filename") public var filename: String
    @Field(key: "byte_count") public var byteCount: Int
    /// Rows read so far (progress while running).
    @Field(key: "rows_read") public var rowsRead: Int
    @Field(key: "candidate_count") public var candidateCount: Int
    @Field(key: "error_count") public var errorCount: Int
    /// The first errors, one per line: `line<TAB>message`.
    @Field(key: "errors") public var errors: String
    /// `ExamStatistics` as JSON.
    @Field(key: "statistics") public var statistics: String
    @Field(key: "snapshot_bytes") public var snapshotBytes: Int
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "finished_at") public var finishedAt: Date?
    /// Written every second while the import runs.
    @OptionalField(key: "heartbeat_at") public var heartbeatAt: Date?

    public init() {}

    /// A heartbeat older than this means nobody is running the import any more.
    public static let heartbeatTimeout: TimeInterval = 30

    /// Running by a live process: its heartbeat (or, before the first, its start) is recent.
    public func isLive(now: Date = Date()) -> Bool {
        status == Status.running.rawValue && now.timeIntervalSince(heartbeatAt ?? createdAt) < Self.heartbeatTimeout
    }

    /// Stopped before it finished: marked so, or still "running" with no heartbeat.
    public func isInterrupted(now: Date = Date()) -> Bool {
        status == Status.interrupted.rawValue || (status == Status.running.rawValue && !isLive(now: now))
    }
}

/// A slice of an import's snapshot (snapshots are tens of megabytes; rows stay small).
public final class ExamChunk: Model, @unchecked Sendable {
    public static let schema = "exam_chunks"

    @ID(key: .id) public var id: UUID?
    @Field(key: "import_id") public var importID: UUID
    @Field(key: "seq") public var seq: Int
    @Field(key: "data") public var data: Data

    public init() {}

    public init(importID: UUID, seq: Int, data: Data) {
        self.importID = importID
        self.seq = seq
        self.data = data
    }
}

/// A diploma or certificate in a unit's register (A8.12): only what confirms it.
public final class Diploma: Model, @unchecked Sendable {
    public static let schema = "diplomas"

    @ID(key: .id) public var id: UUID?
    @Field(key: "unit_id") public var unitID: UUID
    /// Số hiệu, upper case.
    @Field(key: "serial") public var serial: String
    /// Số vào sổ cấp bằng.
    @Field(key: "register_number") public var registerNumber: String
    @Field(key: "full_name") public var fullName: String
    /// The name folded (no case, diacritics or extra spaces), for matching.
    @Field(key: "name_key") public var nameKey: String
    /// `yyyymmdd`.
    @Field(key: "birth_date") public var birthDate: Int
    @Field(key: "kind") public var kind: String
    @Field(key: "graduation_year") public var graduationYear: Int
    @Field(key: "classification") public var classification: String
    /// `yyyymmdd`, 0 when unknown.
    @Field(key: "issued_on") public var issuedOn: Int
    @Field(key: "issuer") public var issuer: String
    @Field(key: "imported_at") public var importedAt: Date

    public init() {}
}
