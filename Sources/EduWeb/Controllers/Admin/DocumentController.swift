import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/don-vi/:code/van-ban…`: the unit's document registry, through the same workflow.
struct DocumentController {
    static let pageSize = 30

    func register(_ units: UnitRoutes) {
        units.get(.adminDocuments(code: .key), requires: .submitContent, use: index)
        units.get(.adminDocumentNew(code: .key), requires: .submitContent, use: newForm)
        units.post(.adminDocumentNew(code: .key), requires: .submitContent, use: create)
        units.get(.adminDocument(code: .key, id: .key), requires: .submitContent, use: show)
        units.post(.adminDocument(code: .key, id: .key), requires: .submitContent, use: update)
        units.post(.adminDocumentTransition(code: .key, id: .key), requires: .submitContent, use: transition)
        units.post(.adminDocumentFiles(code: .key, id: .key), requires: .submitContent, body: MediaController.uploadBody, use: attach)
    }

    static func document(_ req: Request) async throws -> (AdminContext, ResolvedUnit, LegalDocument) {
        let (admin, unit) = try req.scoped()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let document = try await LegalDocument.query(on: req.db).filter(\.$id == id).filter(\.$unitID == unit.id).first()
        else { throw AppError.notFound }
        if !admin.may(.reviewContent, on: unit) && document.createdBy != admin.user.id { throw AppError.notFound }
        return (admin, unit, document)
    }

    struct ListPage {
        struct Row {
            let number: String
            let summary: String
            let type: String
            let issued: String
            let state: String
            let stateCode: String
            let url: String
        }

        let layout: LayoutVM
        let unitName: String
        let rows: [Row]
        let newURL: String
        let total: Int
        let page: Int
        let pages: Int
        let previousURL: String?
        let nextURL: String?
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let query = LegalDocument.query(on: req.db).filter(\.$unitID == (unit.id))
        if !admin.may(.reviewContent, on: unit) { query.filter(\.$createdBy == (try admin.user.requireID())) }
        let total = try await query.copy().count()
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let page = min(max(1, (try? req.query.get(Int.self, at: "trang")) ?? 1), pages)
        let documents = try await query.sort(\.$issuedOn, .descending).range(((page - 1) * Self.pageSize)..<(page * Self.pageSize)).all()
        let base = SiteURL.adminDocuments(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Văn bản", url: base)])
        let list = ListPage(
            layout: LayoutVM.make(req, title: "Văn bản – \(unit.name)", admin: true, breadcrumbs: crumbs),
            unitName: unit.name,
            rows: documents.map {
                .init(number: $0.number, summary: $0.summary, type: $0.docType, issued: VietnameseDate.day($0.issuedOn),
                      state: $0.state.label, stateCode: $0.stateCode, url: SiteURL.adminDocument(code: .value(unit.code), id: .value($0.id!.uuidString)).path)
            },
            newURL: SiteURL.adminDocumentNew(code: .value(unit.code)).path,
            total: total, page: page, pages: pages,
            previousURL: page > 1 ? base + "?trang=\(page - 1)" : nil, nextURL: page < pages ? base + "?trang=\(page + 1)" : nil)
        return req.theme.render("admin/documents", list)
    }

    struct EditPage {
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

    static func fields(_ input: DocumentService.Input, errors: FormErrors) -> [FormField] {
        func options(_ values: [String], _ selected: String) -> [FormField.Option] {
            [.init(value: "", label: "— Chọn —", selected: selected.isEmpty)] + values.map { .init(value: $0, label: $0, selected: $0 == selected) }
        }
        return [
            FormField(name: "number", label: "Số ký hiệu", value: input.number, error: errors["number"], hint: "Ví dụ: 1234/QĐ-SGDĐT", required: true, maxlength: 100),
            FormField(name: "docType", label: "Loại văn bản", value: input.docType, error: errors["docType"], type: "select", required: true,
                      options: options(DocumentService.types, input.docType)),
            FormField(name: "issuer", label: "Cơ quan ban hành", value: input.issuer, error: errors["issuer"], required: true),
            FormField(name: "signer", label: "Người ký", value: input.signer, error: errors["signer"]),
            FormField(name: "issuedOn", label: "Ngày ban hành", value: input.issuedOn, error: errors["issuedOn"], hint: "dd/mm/yyyy", required: true, maxlength: 20),
            FormField(name: "effectiveOn", label: "Ngày có hiệu lực", value: input.effectiveOn, error: errors["effectiveOn"], hint: "dd/mm/yyyy", maxlength: 20),
            FormField(name: "expiresOn", label: "Ngày hết hiệu lực", value: input.expiresOn, error: errors["expiresOn"], hint: "dd/mm/yyyy; để trống nếu chưa xác định", maxlength: 20),
            FormField(name: "field", label: "Lĩnh vực", value: input.field, error: errors["field"], type: "select", options: options(DocumentService.fields, input.field)),
            FormField(name: "summary", label: "Trích yếu", value: input.summary, error: errors["summary"], type: "textarea", required: true, maxlength: 2000),
            FormField(name: "replaces", label: "Thay thế văn bản số", value: input.replaces, error: errors["replaces"], hint: "Số ký hiệu của văn bản bị thay thế, nếu có.", maxlength: 100),
            FormField(name: "related", label: "Văn bản liên quan", value: input.related, error: errors["related"], hint: "Các số ký hiệu, phân cách bằng dấu phẩy.", maxlength: 1000),
        ]
    }

    func page(_ req: Request, admin: AdminContext, unit: ResolvedUnit, document: LegalDocument?, input: DocumentService.Input,
              errors: FormErrors = [:], transitionError: String? = nil, uploadError: String? = nil,
              status: HTTPResponseStatus = .ok) async throws -> Response {
        let state = document?.state ?? .nhap
        let title = document == nil ? "Thêm văn bản" : "Văn bản \(document?.number ?? "")"
        let action = document.map { SiteURL.adminDocument(code: .value(unit.code), id: .value($0.id!.uuidString)).path } ?? SiteURL.adminDocumentNew(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(
            req, admin: admin, unit: unit,
            extra: [.init(label: "Văn bản", url: SiteURL.adminDocuments(code: .value(unit.code)).path), .init(label: title, url: action)])
        let layout = LayoutVM.make(req, title: "\(title) – \(unit.name)", admin: true, breadcrumbs: crumbs)
        let files = try await document.asyncMap { try await DocumentService.files(of: $0, on: req.db) } ?? []
        let editPage = EditPage(
            layout: layout,
            form: FormPage(layout: layout, heading: title, intro: nil, action: action, submitLabel: "Lưu",
                           fields: Self.fields(input, errors: errors), cancelURL: SiteURL.adminDocuments(code: .value(unit.code)).path),
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
        return req.theme.render("admin/document", editPage, status: status)
    }

    static func input(for document: LegalDocument, on db: any Database) async throws -> DocumentService.Input {
        let replaces = try await document.replacesID.asyncMap { try await LegalDocument.find($0, on: db)?.number } ?? nil
        let related = try await DocumentService.related(to: document, on: db).map(\.number)
        return DocumentService.Input(document, replaces: replaces ?? "", related: related)
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        var input = DocumentService.Input()
        input.issuer = unit.name
        return try await page(req, admin: admin, unit: unit, document: nil, input: input)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let input = DocumentService.Input(form: try req.content.decode([String: String].self))
        let (errors, parsed) = try await DocumentService.validate(input, unitID: unit.id, editing: nil, on: req.db)
        guard let parsed else { return try await page(req, admin: admin, unit: unit, document: nil, input: input, errors: errors, status: .unprocessableEntity) }
        let document = try await DocumentService.save(input, parsed, document: nil, unit: unit, by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminDocument(code: .value(unit.code), id: .value(try document.requireID().uuidString)).path + "?ok=document-saved")
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (admin, unit, document) = try await Self.document(req)
        return try await page(req, admin: admin, unit: unit, document: document, input: try await Self.input(for: document, on: req.db))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let (admin, unit, document) = try await Self.document(req)
        guard admin.mayEdit(document, in: unit) else {
            throw AppError(.forbidden, "Văn bản đang ở trạng thái «\(document.state.label)»; bạn không được sửa lúc này.")
        }
        let input = DocumentService.Input(form: try req.content.decode([String: String].self))
        let (errors, parsed) = try await DocumentService.validate(input, unitID: unit.id, editing: document.id, on: req.db)
        guard let parsed else { return try await page(req, admin: admin, unit: unit, document: document, input: input, errors: errors, status: .unprocessableEntity) }
        _ = try await DocumentService.save(input, parsed, document: document, unit: unit, by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminDocument(code: .value(unit.code), id: .value(try document.requireID().uuidString)).path + "?ok=document-saved")
    }

    @Sendable func transition(req: Request) async throws -> Response {
        let (admin, unit, document) = try await Self.document(req)
        let path = SiteURL.adminDocument(code: .value(unit.code), id: .value(try document.requireID().uuidString)).path
        if let error = try await WorkflowVM.handle(req, item: document, admin: admin, unit: unit, adminPath: path) {
            return try await page(req, admin: admin, unit: unit, document: document, input: try await Self.input(for: document, on: req.db),
                                  transitionError: error, status: .unprocessableEntity)
        }
        return req.redirect(to: path + "?ok=document-moved")
    }

    @Sendable func attach(req: Request) async throws -> Response {
        let (admin, unit, document) = try await Self.document(req)
        guard admin.mayEdit(document, in: unit) else {
            throw AppError.forbidden
        }
        let form = try? req.content.decode(MediaController.UploadForm.self)
        do {
            try await DocumentService.attach(
                form?.file.map { Array($0.data.readableBytesView) } ?? [], originalName: form?.file?.filename ?? "", alt: form?.alt ?? "",
                title: form?.title ?? "", to: document, unit: unit, by: req.actor(admin), config: req.config, on: req.db)
        } catch MediaService.UploadError.field(_, let message) {
            return try await page(req, admin: admin, unit: unit, document: document, input: try await Self.input(for: document, on: req.db),
                                  uploadError: message, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminDocument(code: .value(unit.code), id: .value(try document.requireID().uuidString)).path + "?ok=file-attached")
    }
}
