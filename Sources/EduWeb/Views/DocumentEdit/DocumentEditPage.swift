import EduCore
import EduData
import Fluent
import Vapor

struct DocumentEditPage: PageView {
    static let template = "admin/document"

    struct FileRow {
        let name: String
        let url: String
        let size: String
    }

    let layout: LayoutVM
    let form: FormPage
    let editable: Bool
    let isExisting: Bool
    let stateLabel: String
    let stateCode: String
    let reviewComment: String
    let summary: String
    let files: [FileRow]
    let uploadURL: String
    let uploadField: FormField
    let workflow: WorkflowVM
}

extension DocumentEditPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, document: LegalDocument?, input: DocumentService.Input,
              errors: FormErrors = [:], transitionError: String? = nil, uploadError: String? = nil) async throws -> DocumentEditPage {
        let state = document?.state ?? .nhap
        let title = document == nil ? "Thêm văn bản" : "Văn bản \(document?.number ?? "")"
        let action = document.map { SiteURL.adminDocument(code: .value(unit.code), id: .value($0.id!.uuidString)).path } ?? SiteURL.adminDocumentNew(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(
            req, admin: admin, unit: unit,
            extra: [.init(label: "Văn bản", url: SiteURL.adminDocuments(code: .value(unit.code)).path), .init(label: title, url: action)])
        let layout = LayoutVM.make(req, title: "\(title) – \(unit.name)", admin: true, breadcrumbs: crumbs)
        let files = try await document.asyncMap { try await DocumentService.files(of: $0, on: req.db) } ?? []
        let editPage = DocumentEditPage(
            layout: layout,
            form: FormPage(layout: layout, heading: title, intro: nil, action: action, submitLabel: "Lưu",
                           fields: DocumentController.fields(input, errors: errors), cancelURL: SiteURL.adminDocuments(code: .value(unit.code)).path),
            editable: admin.mayEdit(document, in: unit),
            isExisting: document != nil, stateLabel: state.label, stateCode: state.rawValue,
            reviewComment: state == .traLai ? document?.reviewComment ?? "" : "",
            summary: input.summary,
            files: files.map { .init(name: $0.title, url: MediaService.publicPath($0), size: MediaController.size($0.size)) },
            uploadURL: document.map { SiteURL.adminDocumentFiles(code: .value(unit.code), id: .value($0.id!.uuidString)).path } ?? "",
            uploadField: FormField(name: "file", label: "Tệp đính kèm", error: uploadError, hint: "PDF, Word, Excel…; tối đa 50 MB.", type: "file", required: true),
            workflow: try await WorkflowVM.make(
                document, admin: admin, unit: unit,
                transitionURL: document.map { SiteURL.adminDocumentTransition(code: .value(unit.code), id: .value($0.id!.uuidString)).path } ?? "",
                error: transitionError, on: req.db))
        return editPage
    }
}
