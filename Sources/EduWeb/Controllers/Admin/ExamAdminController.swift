import EduCore
import EduData
import EduImport
import Fluent
import Vapor

/// Exam sessions, result imports (with progress) and the diploma register, per unit.
struct ExamAdminController {
    /// A whole province's graduation results as CSV are about 100 MB.
    static let maxUploadBytes = 300 << 20
    static let uploadBody = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(value: maxUploadBytes + (1 << 20)))

    func register(_ units: UnitRoutes) {
        units.get(.adminExams(code: .key), requires: .manageExams, use: index)
        units.post(.adminExams(code: .key), requires: .manageExams, use: create)
        units.get(.adminExam(code: .key, id: .key), requires: .manageExams, use: show)
        units.post(.adminExam(code: .key, id: .key), requires: .manageExams, use: update)
        units.post(.adminExamUpload(code: .key, id: .key), requires: .manageExams, body: Self.uploadBody, use: upload)
        units.get(.adminExamImport(code: .key, id: .key, importID: .key), requires: .manageExams, use: importStatus)
        units.post(.adminExamImportResume(code: .key, id: .key, importID: .key), requires: .manageExams, use: resumeImport)
        units.post(.adminExamDelete(code: .key, id: .key), requires: .manageExams, use: delete)
        units.get(.adminDiplomas(code: .key), requires: .manageExams, use: diplomas)
        units.post(.adminDiplomas(code: .key), requires: .manageExams, body: Self.uploadBody, use: importDiplomas)
    }

    static func kindOptions(_ selected: String) -> [FormField.Option] {
        [FormField.Option(value: "", label: "— Chọn —", selected: selected.isEmpty)]
            + ExamKind.allCases.map { FormField.Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) }
    }

    static func sessionFields(_ input: ExamService.SessionInput, errors: FormErrors) -> [FormField] {
        [
            FormField(name: "name", label: "Tên kỳ thi", value: input.name, error: errors["name"],
                      hint: "Ví dụ: Kỳ thi tuyển sinh lớp 10 THPT năm học 2026–2027.", required: true, maxlength: 200),
            FormField(name: "kind", label: "Loại kỳ thi", value: input.kind, error: errors["kind"], type: "select", required: true,
                      options: kindOptions(input.kind)),
            FormField(name: "year", label: "Năm", value: input.year, error: errors["year"], required: true, inputmode: "numeric", maxlength: 4),
            FormField(name: "subjects", label: "Các môn thi", value: input.subjects, error: errors["subjects"],
                      hint: "Cách nhau bởi dấu phẩy, theo tên cột trong tệp kết quả. Để trống: lấy từ dòng tiêu đề của tệp nhập đầu tiên.",
                      maxlength: 1000),
            FormField(name: "maxScore", label: "Thang điểm", value: input.maxScore, error: errors["maxScore"], inputmode: "decimal", maxlength: 6),
            FormField(name: "publishAt", label: "Thời điểm công bố", value: input.publishAt, error: errors["publishAt"],
                      hint: "Trước thời điểm này không ai tra cứu được. Để trống: chưa công bố.", type: "datetime-local", maxlength: 25),
            FormField(name: "requireBirthDate", label: "Tra cứu cần cả ngày sinh (khuyến nghị, chống dò số báo danh)",
                      type: "checkbox", checked: input.requireBirthDate),
        ]
    }

    // MARK: - Sessions

    static func status(_ session: ExamSession, now: Date = Date()) -> String {
        guard session.currentImportID != nil else { return "Chưa có dữ liệu" }
        guard let at = session.publishAt else { return "Chưa công bố" }
        return at <= now ? "Đã công bố" : "Sẽ công bố lúc \(VietnameseDate.dateTime(at))"
    }

    func indexPage(_ req: Request, admin: AdminContext, unit: ResolvedUnit, input: ExamService.SessionInput = .init(),
                   errors: FormErrors = [:], status: HTTPResponseStatus = .ok) async throws -> Response {
        req.render(try await ExamsAdminPage.query(req, admin: admin, unit: unit, input: input, errors: errors), status: status)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return try await indexPage(req, admin: admin, unit: unit)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let input = ExamService.SessionInput(form: (try? req.content.decode([String: String].self)) ?? [:])
        do {
            let valid = try ExamService.validate(input).get()
            let session = try await ExamService.create(valid, unitID: unit.id, by: req.actor(admin), on: req.db)
            return req.redirect(to: SiteURL.adminExam(code: .value(unit.code), id: .value(try session.requireID().uuidString.lowercased())).path + "?ok=exam-saved")
        } catch let errors as FormErrors {
            return try await indexPage(req, admin: admin, unit: unit, input: input, errors: errors, status: .unprocessableEntity)
        }
    }

    static func session(_ req: Request, unit: ResolvedUnit) async throws -> ExamSession {
        guard let session = try await ExamSession.find(req.parameters.get("id").flatMap(UUID.init(uuidString:)), in: unit, on: req.db)
        else { throw AppError.notFound }
        return session
    }

    func sessionPage(_ req: Request, admin: AdminContext, unit: ResolvedUnit, session: ExamSession, input: ExamService.SessionInput? = nil,
                     errors: FormErrors = [:], uploadError: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        req.render(try await ExamAdminPage.query(req, admin: admin, unit: unit, session: session, input: input, errors: errors, uploadError: uploadError), status: status)
    }

    static func importStatus(_ row: ExamImport) -> String {
        switch ExamImport.Status(rawValue: row.status) {
        case .running, .interrupted: row.isInterrupted() ? "Bị gián đoạn" : "Đang nhập"
        case .failed: "Có lỗi, không nhập"
        case .ready: "Đã nhập"
        case nil: row.status
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return try await sessionPage(req, admin: admin, unit: unit, session: Self.session(req, unit: unit))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let session = try await Self.session(req, unit: unit)
        let input = ExamService.SessionInput(form: (try? req.content.decode([String: String].self)) ?? [:])
        do {
            let valid = try ExamService.validate(input).get()
            try await ExamService.update(session, valid, by: req.actor(admin), on: req.db)
            await req.application.examStore.refresh(on: req.db, logger: req.logger)
            return req.redirect(to: SiteURL.adminExam(code: .value(unit.code), id: .value(try session.requireID().uuidString.lowercased())).path + "?ok=exam-saved")
        } catch let errors as FormErrors {
            return try await sessionPage(req, admin: admin, unit: unit, session: session, input: input, errors: errors, status: .unprocessableEntity)
        }
    }

    struct UploadForm: Content {
        var file: File?
        var publishNow: String?
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let session = try await Self.session(req, unit: unit)
        guard let form = try? req.content.decode(UploadForm.self), let file = form.file, file.data.readableBytes > 0 else {
            return try await sessionPage(req, admin: admin, unit: unit, session: session, uploadError: "Chọn tệp kết quả (.xlsx hoặc .csv) để tải lên.", status: .badRequest)
        }
        let bytes = Array(file.data.readableBytesView)
        let row: ExamImport
        do {
            row = try await ExamService.begin(session: session, filename: file.filename, byteCount: bytes.count, by: req.actor(admin), on: req.db)
        } catch let error as AppError {
            return try await sessionPage(req, admin: admin, unit: unit, session: session, uploadError: error.message, status: error.status)
        }
        // The import continues after this response, owned by the app; its page shows the progress.
        try req.application.importJobs.start(row, bytes: bytes, publishNow: form.publishNow != nil, by: req.actor(admin), app: req.application)
        return req.redirect(to: SiteURL.adminExamImport(code: .value(unit.code), id: .value(try session.requireID().uuidString.lowercased()), importID: .value(try row.requireID().uuidString.lowercased())).path)
    }

    /// Starts an interrupted import again from its kept upload (publishing when it is clean, as
    /// an import with "publish now" would not: the session's publication time decides).
    @Sendable func resumeImport(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let session = try await Self.session(req, unit: unit)
        guard let importID = req.parameters.get("import").flatMap(UUID.init(uuidString:)),
            let row = try await ExamService.importRow(importID, of: session, on: req.db)
        else { throw AppError.notFound }
        guard let bytes = ImportUploads.load(importID: importID, config: req.config) else {
            throw AppError(.gone, "Tệp của lần nhập này không còn trên máy chủ; hãy tải lại tệp kết quả.")
        }
        try await ExamService.resume(row, session: session, by: req.actor(admin), on: req.db)
        try req.application.importJobs.start(row, bytes: bytes, publishNow: false, by: req.actor(admin), app: req.application)
        return req.redirect(to: SiteURL.adminExamImport(
            code: .value(unit.code), id: .value(try session.requireID().uuidString.lowercased()), importID: .value(importID.uuidString.lowercased())).path)
    }

    /// The import's progress; the page reloads itself every 2 seconds while it runs.
    @Sendable func importStatus(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let page = try await ExamImportPage.query(req, admin: admin, unit: unit)
        let response = req.render(page).noStore()
        if page.running { response.headers.replaceOrAdd(name: "Refresh", value: "2") }
        return response
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let session = try await Self.session(req, unit: unit)
        try await ExamService.delete(session, by: req.actor(admin), on: req.db)
        await req.application.examStore.refresh(on: req.db, logger: req.logger)
        return req.redirect(to: SiteURL.adminExams(code: .value(unit.code)).path + "?ok=exam-deleted")
    }

    // MARK: - Diplomas

    func diplomasPage(_ req: Request, admin: AdminContext, unit: ResolvedUnit, kind: String = "Bằng tốt nghiệp THPT", result: String? = nil,
                      errors: [ImportRowError] = [], errorCount: Int = 0, uploadError: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        req.render(try await DiplomasAdminPage.query(req, admin: admin, unit: unit, kind: kind, result: result, errors: errors, errorCount: errorCount, uploadError: uploadError), status: status)
    }

    @Sendable func diplomas(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return try await diplomasPage(req, admin: admin, unit: unit)
    }

    struct DiplomaForm: Content {
        var file: File?
        var kind: String?
    }

    @Sendable func importDiplomas(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard let form = try? req.content.decode(DiplomaForm.self), let file = form.file, file.data.readableBytes > 0 else {
            return try await diplomasPage(req, admin: admin, unit: unit, uploadError: "Chọn tệp sổ văn bằng (.xlsx hoặc .csv) để tải lên.", status: .badRequest)
        }
        let kind = TextNormalizer.normalize(form.kind ?? "", maxLength: 200)
        let summary = try await ExamService.importDiplomas(
            unit: unit, bytes: Array(file.data.readableBytesView), defaultKind: kind, by: req.actor(admin), db: req.db, threadPool: req.application.threadPool)
        if summary.errorCount > 0 {
            return try await diplomasPage(req, admin: admin, unit: unit, kind: kind, errors: summary.errors, errorCount: summary.errorCount,
                                          status: .unprocessableEntity)
        }
        return try await diplomasPage(req, admin: admin, unit: unit, kind: kind,
                                      result: "Đã nhập: thêm \(VietnameseNumber.grouped(summary.added)), cập nhật \(VietnameseNumber.grouped(summary.updated)) văn bằng.")
    }
}
