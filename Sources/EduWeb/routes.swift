import Vapor

func routes(_ app: Application) throws {
    // MARK: operations
    app.get(SiteURL.healthz.routePath) { _ in
        Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"], body: "ok\n")
    }
    app.get(SiteURL.staticAsset(file: .key).routePath, use: StaticController.serve)
    app.get(SiteURL.metrics.routePath) { req async throws -> Response in
        // Not a public page: whoever may not read it is told it is not there.
        guard EduMetrics.mayRead(req) else { throw AppError.notFound }
        let text = try await EduMetrics.scrape(req.application, db: req.db)
        return Response(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store"],
                        body: .init(string: text))
    }

    // MARK: public portal
    PublicController().register(app)
    NewsController().register(app)
    MediaController().register(public: app)
    DocumentsController().register(app)
    IntroPublicController().register(app)
    SearchController().register(app)
    FeedController().register(app)
    ContactController().register(public: app)
    ExamPagesController().register(app)
    AdmissionController().register(app)
    PollController().register(public: app)
    QuestionController().register(public: app)
    ConsultationController().register(public: app)
    YearbookController().register(public: app)
    DisclosureController().register(public: app)
    ProcedureController().register(public: app)
    ProcurementController().register(public: app)
    CentreController().register(public: app)
    ResourceController().register(public: app)
    InfoSectionController().register(public: app)
    EvaluationController().register(public: app)

    // MARK: JSON API
    UnitsAPIController().register(app)
    ExamAPIController().register(app)

    // MARK: admin
    let admin = app.grouped(AdminSessionMiddleware())
    AuthController().register(admin)
    let protected = admin.grouped(RequireAdminMiddleware())
    // Everything under /quan-tri/don-vi/:code: the person, the unit and the declared right, resolved once.
    let units = UnitRoutes(protected)
    AdminController().register(protected, units: units)
    AuditController().register(protected)
    OperationsController().register(protected)
    SecondFactorController().register(protected)
    PasswordController().register(protected)
    ArticleController().register(units)
    MediaController().register(admin: units)
    DocumentController().register(units)
    IntroController().register(units)
    CategoryController().register(units)
    NameController().register(units)
    ContactController().register(admin: units)
    ExamAdminController().register(units)
    MailAdminController().register(units)
    AdmissionAdminController().register(units)
    PollController().register(admin: units)
    VisitsController().register(units)
    QuestionController().register(admin: units)
    ConsultationController().register(admin: units)
    YearbookController().register(admin: units)
    DisclosureController().register(admin: units)
    ProcedureController().register(admin: units)
    ProcurementController().register(admin: units)
    CentreController().register(admin: units)
    ResourceController().register(admin: units)
    InfoSectionController().register(admin: units)
    EvaluationController().register(admin: units)
    DeploymentReportController().register(units)
}

/// `/static/<name>`: theme assets from memory; fingerprinted names are cached for a year.
enum StaticController {
    @Sendable static func serve(req: Request) async throws -> Response {
        let name = req.parameters.getCatchall().joined(separator: "/")
        guard let asset = req.theme.assets[name] else { throw AppError.notFound }
        var headers = HTTPHeaders()
        headers.contentType = asset.contentType
        headers.replaceOrAdd(
            name: .cacheControl, value: asset.immutable ? "public, max-age=31536000, immutable" : "public, max-age=300")
        return Response(status: .ok, headers: headers, body: .init(buffer: asset.body))
    }
}
