import EduCore
import EduData
import EduImport
import Fluent
import Vapor

struct ExamImportPage: PageView {
    static let template = "admin/exam-import"


    let layout: LayoutVM
    let sessionName: String
    let sessionURL: String
    let filename: String
    let status: String
    let running: Bool
    let failed: Bool
    let ready: Bool
    let rowsRead: String
    let candidates: String
    let errorCount: String
    let errors: [ImportErrorRow]
    let moreErrors: Bool
    let version: Int
    let by: String
    let at: String
    let finished: String
    let interrupted: Bool
    /// Set when the upload is still kept and the import can be started again.
    let resumeURL: String?
    let csrf: String
}

extension ExamImportPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit) async throws -> ExamImportPage {
        let session = try await ExamAdminController.session(req, unit: unit)
        guard let importID = req.parameters.get("import").flatMap(UUID.init(uuidString:)),
            let row = try await ExamService.importRow(importID, of: session, on: req.db)
        else { throw AppError.notFound }
        let sessionURL = SiteURL.adminExam(code: .value(unit.code), id: .value(try session.requireID().uuidString.lowercased())).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Kỳ thi", url: SiteURL.adminExams(code: .value(unit.code)).path), .init(label: session.name, url: sessionURL),
        ])
        let errors = ExamService.errorList(row)
        let running = row.isLive()
        let interrupted = row.isInterrupted()
        let resumable = interrupted && ImportUploads.exists(importID: importID, config: req.config)
        let page = ExamImportPage(
            layout: LayoutVM.make(req, title: "Nhập kết quả – \(session.name)", admin: true, breadcrumbs: crumbs),
            sessionName: session.name, sessionURL: sessionURL, filename: row.filename, status: ExamAdminController.importStatus(row), running: running,
            failed: row.status == ExamImport.Status.failed.rawValue, ready: row.status == ExamImport.Status.ready.rawValue,
            rowsRead: VietnameseNumber.grouped(row.rowsRead), candidates: VietnameseNumber.grouped(row.candidateCount),
            errorCount: VietnameseNumber.grouped(row.errorCount),
            errors: errors.map(ImportErrorRow.init),
            moreErrors: row.errorCount > errors.count, version: row.version, by: row.createdBy, at: VietnameseDate.dateTime(row.createdAt),
            finished: row.finishedAt.map(VietnameseDate.dateTime) ?? "", interrupted: interrupted,
            resumeURL: resumable
                ? SiteURL.adminExamImportResume(
                    code: .value(unit.code), id: .value(try session.requireID().uuidString.lowercased()), importID: .value(importID.uuidString.lowercased())).path
                : nil,
            csrf: req.csrfToken)
        return page
    }
}
