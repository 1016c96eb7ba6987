import EduCore
import EduData
import Fluent
import Vapor

/// The circular's other information (A8.14, Article 10), one set of routes per section: its
/// public page and each entry; the unit's list, form, documents and publishing in the admin.
/// A section the unit's type does not carry answers 404.
struct InfoSectionController {
    func register(public routes: any RoutesBuilder) {
        for key in InfoSection.Key.allCases {
            routes.get(SiteURL.infoSection(key).routePath) { req in
                let unit = try req.requireUnit()
                return req.render(try await InfoSectionPage.query(req, section: try section(key, unit), unit: unit))
            }
            routes.get(SiteURL.infoEntry(key, id: .key).routePath) { req in
                let unit = try req.requireUnit()
                return req.render(try await InfoEntryPage.query(req, section: try section(key, unit), unit: unit))
            }
        }
    }

    func register(admin units: UnitRoutes) {
        for key in InfoSection.Key.allCases {
            units.get(.adminInfoSection(code: .key, section: key), requires: .submitContent) { req in try await adminList(req, key) }
            units.get(.adminInfoEntryNew(code: .key, section: key), requires: .submitContent) { req in try await newForm(req, key) }
            units.post(.adminInfoEntryNew(code: .key, section: key), requires: .submitContent) { req in try await save(req, key, creating: true) }
            units.get(.adminInfoEntry(code: .key, section: key, id: .key), requires: .submitContent) { req in try await edit(req, key) }
            units.post(.adminInfoEntry(code: .key, section: key, id: .key), requires: .submitContent) { req in try await save(req, key, creating: false) }
            units.post(.adminInfoEntryPublish(code: .key, section: key, id: .key), requires: .publishContent) { req in try await publish(req, key) }
            units.post(.adminInfoEntryFiles(code: .key, section: key, id: .key), requires: .submitContent, body: MediaController.uploadBody) { req in
                try await attach(req, key)
            }
        }
    }

    /// The section, if this unit's portal carries it.
    func section(_ key: InfoSection.Key, _ unit: ResolvedUnit) throws -> InfoSection {
        guard let section = InfoSection.forType(unit.type).first(where: { $0.key == key }) else { throw AppError.notFound }
        return section
    }

    func entry(_ req: Request, _ section: InfoSection, unit: ResolvedUnit) async throws -> SectionEntry {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let entry = try await SectionEntryService.entries(section, in: unit, published: false, on: req.db).filter(\.$id == id).first()
        else { throw AppError.notFound }
        return entry
    }

    func form(_ req: Request) -> [String: String] { (try? req.content.decode([String: String].self)) ?? [:] }

    func adminList(_ req: Request, _ key: InfoSection.Key) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await InfoSectionAdminPage.list(req, admin: admin, unit: unit, section: try section(key, unit)))
    }

    func newForm(_ req: Request, _ key: InfoSection.Key) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await InfoSectionAdminPage.edit(req, admin: admin, unit: unit, section: try section(key, unit), entry: nil, input: .init()))
    }

    func edit(_ req: Request, _ key: InfoSection.Key) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let section = try section(key, unit)
        let entry = try await entry(req, section, unit: unit)
        return req.render(try await InfoSectionAdminPage.edit(req, admin: admin, unit: unit, section: section, entry: entry, input: .init(entry, section: section)))
    }

    func save(_ req: Request, _ key: InfoSection.Key, creating: Bool) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let section = try section(key, unit)
        let existing = creating ? nil : try await entry(req, section, unit: unit)
        let input = SectionEntryService.Input(form: form(req), section: section)
        do {
            let entry = try await SectionEntryService.save(input, section: section, existing: existing, unit: unit, mayPublish: admin.may(.publishContent, on: unit),
                                                           by: req.actor(admin), who: admin.user.email, on: req.db)
            let id = try entry.requireID().uuidString.lowercased()
            return req.redirect(to: SiteURL.adminInfoEntry(code: .value(unit.code), section: key, id: .value(id)).path + "?ok=entry-saved")
        } catch let errors as FormErrors {
            return req.render(try await InfoSectionAdminPage.edit(req, admin: admin, unit: unit, section: section, entry: existing, input: input, errors: errors),
                              status: .unprocessableEntity)
        }
    }

    func publish(_ req: Request, _ key: InfoSection.Key) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let section = try section(key, unit)
        let entry = try await entry(req, section, unit: unit)
        let published = form(req)["publish"] == "1"
        try await Publishing.set(entry, published, unit: unit, by: req.actor(admin), on: req.db)
        return req.redirect(to: SiteURL.adminInfoSection(code: .value(unit.code), section: key).path + "?ok=" + (published ? "entry-published" : "entry-withdrawn"))
    }

    func attach(_ req: Request, _ key: InfoSection.Key) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let section = try section(key, unit)
        let entry = try await entry(req, section, unit: unit)
        let upload = try? req.content.decode(MediaController.UploadForm.self)
        do {
            try await AttachedFiles.attach(SectionEntryFile.self, owner: try entry.requireID(), bytes: upload?.file.map { Array($0.data.readableBytesView) } ?? [],
                                           originalName: upload?.file?.filename ?? "", title: upload?.title ?? "", unit: unit, by: req.actor(admin),
                                           audit: ("section.file", String(entry.title.prefix(120))), config: req.config, on: req.db)
            return req.redirect(to: SiteURL.adminInfoEntry(code: .value(unit.code), section: key, id: .value(try entry.requireID().uuidString.lowercased())).path + "?ok=file-attached")
        } catch let errors as FormErrors {
            return req.render(try await InfoSectionAdminPage.edit(req, admin: admin, unit: unit, section: section, entry: entry, input: .init(entry, section: section),
                                                                  uploadErrors: errors), status: .unprocessableEntity)
        }
    }
}
