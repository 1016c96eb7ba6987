import EduCore
import EduData
import EduImport
import Fluent
import Vapor

struct ExamsAdminPage: PageView {
    static let template = "admin/exams"

    struct Row {
        let name: String
        let kind: String
        let year: Int
        let url: String
        let status: String
        let version: String
        let candidates: String
    }

    let layout: LayoutVM
    let unitName: String
    let rows: [Row]
    let form: FormPage
    let diplomasURL: String
}

extension ExamsAdminPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, input: ExamService.SessionInput = .init(),
                   errors: FormErrors = [:]) async throws -> ExamsAdminPage {
        let sessions = try await ExamSession.query(in: unit.id, on: req.db).sort(\.$year, .descending).sort(\.$createdAt, .descending).all()
        let importIDs = sessions.compactMap(\.currentImportID)
        let imports = importIDs.isEmpty ? [] : try await ExamImport.query(on: req.db).filter(\.$id ~~ importIDs).all()
        let byID = Dictionary(uniqueKeysWithValues: imports.compactMap { row in row.id.map { ($0, row) } })
        let base = SiteURL.adminExams(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Kỳ thi", url: base)])
        var defaults = input
        if defaults.year.isEmpty { defaults.year = String(Calendar(identifier: .gregorian).component(.year, from: Date())) }
        let page = ExamsAdminPage(
            layout: LayoutVM.make(req, title: "Kỳ thi – \(unit.name)", admin: true, breadcrumbs: crumbs), unitName: unit.name,
            rows: try sessions.map { session in
                let current = session.currentImportID.flatMap { byID[$0] }
                return ExamsAdminPage.Row(
                    name: session.name, kind: (ExamKind(rawValue: session.kind) ?? .khac).label, year: session.year,
                    url: SiteURL.adminExam(code: .value(unit.code), id: .value(try session.requireID().uuidString.lowercased())).path, status: ExamAdminController.status(session),
                    version: current.map { String($0.version) } ?? "–", candidates: current.map { VietnameseNumber.grouped($0.candidateCount) } ?? "–")
            },
            form: FormPage(layout: LayoutVM.make(req, title: "Tạo kỳ thi", admin: true), heading: "Tạo kỳ thi", intro: nil, action: base,
                           submitLabel: "Tạo kỳ thi", fields: ExamAdminController.sessionFields(defaults, errors: errors), cancelURL: SiteURL.adminUnit(code: .value(unit.code)).path),
            diplomasURL: SiteURL.adminDiplomas(code: .value(unit.code)).path)
        return page
    }
}
