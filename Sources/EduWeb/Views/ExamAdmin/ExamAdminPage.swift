import EduCore
import EduData
import EduImport
import Fluent
import Vapor

struct ExamAdminPage: PageView {
    static let template = "admin/exam"

    struct ImportRow {
        let version: String
        let filename: String
        let status: String
        let statusCode: String
        let candidates: String
        let errors: String
        let by: String
        let at: String
        let url: String
        let current: Bool
    }

    let layout: LayoutVM
    let name: String
    let status: String
    let subjects: String
    let publicURL: String
    let uploadAction: String
    let deleteAction: String
    let imports: [ImportRow]
    let form: FormPage
    let maxMB: Int
    let uploadError: String?
}

extension ExamAdminPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, session: ExamSession, input: ExamService.SessionInput? = nil,
                     errors: FormErrors = [:], uploadError: String? = nil) async throws -> ExamAdminPage {
        let id = try session.requireID().uuidString.lowercased()
        let imports = try await ExamImport.query(on: req.db).filter(\.$sessionID == session.requireID()).sort(\.$createdAt, .descending).range(0..<50).all()
        let base = SiteURL.adminExams(code: .value(unit.code)).path
        let url = SiteURL.adminExam(code: .value(unit.code), id: .value(id)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Kỳ thi", url: base), .init(label: session.name, url: url)])
        let page = ExamAdminPage(
            layout: LayoutVM.make(req, title: "\(session.name) – \(unit.name)", admin: true, breadcrumbs: crumbs),
            name: session.name, status: ExamAdminController.status(session), subjects: session.subjectList.joined(separator: ", "),
            publicURL: SiteURL.examLookup.path, uploadAction: SiteURL.adminExamUpload(code: .value(unit.code), id: .value(id)).path,
            deleteAction: SiteURL.adminExamDelete(code: .value(unit.code), id: .value(id)).path,
            imports: try imports.map { row in
                ExamAdminPage.ImportRow(
                    version: row.version > 0 ? String(row.version) : "–", filename: row.filename, status: ExamAdminController.importStatus(row), statusCode: row.status,
                    candidates: VietnameseNumber.grouped(row.candidateCount), errors: VietnameseNumber.grouped(row.errorCount), by: row.createdBy,
                    at: VietnameseDate.dateTime(row.createdAt),
                    url: SiteURL.adminExamImport(code: .value(unit.code), id: .value(id), importID: .value(try row.requireID().uuidString.lowercased())).path,
                    current: row.id == session.currentImportID)
            },
            form: FormPage(layout: LayoutVM.make(req, title: session.name, admin: true), heading: "Thông tin kỳ thi", intro: nil, action: url,
                           submitLabel: "Lưu", fields: ExamAdminController.sessionFields(input ?? ExamService.SessionInput(session), errors: errors), cancelURL: base),
            maxMB: ExamAdminController.maxUploadBytes >> 20, uploadError: uploadError)
        return page
    }
}
