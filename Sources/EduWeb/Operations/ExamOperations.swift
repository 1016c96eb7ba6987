import EduCore
import EduData
import EduImport
import Fluent
import Foundation
import Vapor

/// `eduportal exam import` and `eduportal diploma import`.
public enum ExamOperations {

    public struct ImportReport: Sendable {
        public let sessionName: String
        public let created: Bool
        public let version: Int
        public let candidates: Int
        public let errors: [String]
        public let errorCount: Int
        public let published: Bool
    }

    /// Imports a results file into the unit's session named `sessionName` (created when missing).
    public static func importResults(
        app: Application, unitCode: String, sessionName: String, kind: String?, year: Int?, maxScore: Double? = nil, publishNow: Bool, path: String,
        progress: @escaping @Sendable (Int) -> Void
    ) async throws -> ImportReport {
        let unit = try await OperationFailure.unit(unitCode, app: app)
        guard let data = FileManager.default.contents(atPath: path) else { throw OperationFailure("Không đọc được tệp «\(path)».") }
        let name = TextNormalizer.normalize(sessionName, maxLength: 200)
        let actor = "dòng lệnh (\(ProcessInfo.processInfo.environment["USER"] ?? "eduportal"))"
        var created = false
        let session: ExamSession
        if let existing = try await ExamSession.query(in: unit.id, on: app.db).filter(\.$name == name).first() {
            session = existing
        } else {
            var input = ExamService.SessionInput()
            input.name = name
            input.kind = kind ?? ExamKind.khac.rawValue
            input.year = String(year ?? Calendar(identifier: .gregorian).component(.year, from: Date()))
            if let maxScore { input.maxScore = String(maxScore) }
            switch ExamService.validate(input) {
            case .failure(let failure):
                throw OperationFailure(failure.messages.joined(separator: "; "))
            case .success(let valid):
                session = try await ExamService.create(valid, unitID: unit.id, by: .cli(actor), on: app.db)
                created = true
            }
        }
        let row = try await ExamService.begin(session: session, filename: URL(fileURLWithPath: path).lastPathComponent, byteCount: data.count, by: .cli(actor), on: app.db)
        let finished = try await ExamService.run(row, bytes: Array(data), publishNow: publishNow, by: .cli(actor), db: app.db,
                                                 threadPool: app.threadPool, store: nil, logger: app.logger, progress: progress)
        if created && finished.errorCount > 0 {
            // The session existed only for this file: a refused first import leaves nothing behind
            // (no empty "Chưa có dữ liệu" session in the admin list).
            try await ExamService.delete(session, by: .cli(actor), on: app.db)
            return ImportReport(sessionName: session.name, created: false, version: 0, candidates: 0,
                                errors: ExamService.errorList(finished).map(\.text), errorCount: finished.errorCount, published: false)
        }
        let fresh = try await ExamSession.find(session.requireID(), on: app.db)
        return ImportReport(
            sessionName: session.name, created: created, version: finished.version, candidates: finished.candidateCount,
            errors: ExamService.errorList(finished).map(\.text), errorCount: finished.errorCount,
            published: fresh?.publishAt.map { $0 <= Date() } ?? false)
    }

    public static func importDiplomas(app: Application, unitCode: String, kind: String, path: String) async throws -> (added: Int, updated: Int, errors: [String], errorCount: Int) {
        let unit = try await OperationFailure.unit(unitCode, app: app)
        guard let data = FileManager.default.contents(atPath: path) else { throw OperationFailure("Không đọc được tệp «\(path)».") }
        let summary = try await ExamService.importDiplomas(unit: unit, bytes: Array(data), defaultKind: kind, by: .commandLine,
                                                           db: app.db, threadPool: app.threadPool)
        return (summary.added, summary.updated, summary.errors.map(\.text), summary.errorCount)
    }
}
