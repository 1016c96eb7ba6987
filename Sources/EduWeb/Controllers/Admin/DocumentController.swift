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
        try await req.scopedItem(LegalDocument.self)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await DocumentListPage.query(req, admin: admin, unit: unit))
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
        req.render(try await DocumentEditPage.query(req, admin: admin, unit: unit, document: document, input: input, errors: errors, transitionError: transitionError, uploadError: uploadError), status: status)
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        var input = DocumentService.Input()
        input.issuer = unit.name
        return try await page(req, admin: admin, unit: unit, document: nil, input: input)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return try await save(req, admin: admin, unit: unit, document: nil)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (admin, unit, document) = try await Self.document(req)
        return try await page(req, admin: admin, unit: unit, document: document, input: try await DocumentService.input(for: document, on: req.db))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let (admin, unit, document) = try await Self.document(req)
        guard admin.mayEdit(document, in: unit) else {
            throw AppError(.forbidden, "Văn bản đang ở trạng thái «\(document.state.label)»; bạn không được sửa lúc này.")
        }
        return try await save(req, admin: admin, unit: unit, document: document)
    }

    /// Validates and stores a posted form, new (`document` nil) or an edit; a refused form comes back with its errors.
    private func save(_ req: Request, admin: AdminContext, unit: ResolvedUnit, document: LegalDocument?) async throws -> Response {
        let input = DocumentService.Input(form: try req.content.decode([String: String].self))
        let saved: LegalDocument
        do {
            let parsed = try await DocumentService.validate(input, unitID: unit.id, editing: document?.id, on: req.db)
            saved = try await DocumentService.save(input, parsed, document: document, unit: unit, by: req.actor(admin), on: req.db)
        } catch let errors as FormErrors {
            return try await page(req, admin: admin, unit: unit, document: document, input: input, errors: errors, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminDocument(code: .value(unit.code), id: .value(try saved.requireID().uuidString)).path + "?ok=document-saved")
    }

    @Sendable func transition(req: Request) async throws -> Response {
        let (admin, unit, document) = try await Self.document(req)
        let path = SiteURL.adminDocument(code: .value(unit.code), id: .value(try document.requireID().uuidString)).path
        if let error = try await WorkflowVM.handle(req, item: document, admin: admin, unit: unit, adminPath: path) {
            return try await page(req, admin: admin, unit: unit, document: document, input: try await DocumentService.input(for: document, on: req.db),
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
        } catch let errors as FormErrors {
            return try await page(req, admin: admin, unit: unit, document: document, input: try await DocumentService.input(for: document, on: req.db),
                                  uploadError: errors.messagesWithoutFields.first, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminDocument(code: .value(unit.code), id: .value(try document.requireID().uuidString)).path + "?ok=file-attached")
    }
}
