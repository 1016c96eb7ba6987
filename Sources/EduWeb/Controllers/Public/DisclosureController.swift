import EduCore
import EduData
import Fluent
import Vapor

/// Public disclosure (A9.7): `/cong-khai` and its documents on every portal; the school's
/// publishing page and the offices' board in the admin.
struct DisclosureController {
    func register(public routes: any RoutesBuilder) {
        routes.get(SiteURL.disclosure.routePath, use: show)
        routes.get(SiteURL.disclosureFile(id: .key).routePath, use: file)
    }

    func register(admin units: UnitRoutes) {
        units.get(.adminDisclosure(code: .key), requires: .viewUnit, use: adminPage)
        units.post(.adminDisclosureItem(code: .key, item: .key), requires: .publishContent,
                   body: .collect(maxSize: ByteCount(value: DisclosureService.maxFileBytes + (1 << 20))), use: save)
    }

    @Sendable func show(req: Request) async throws -> Response {
        req.render(try await DisclosurePage.query(req, unit: try req.requireUnit()))
    }

    /// A published document: the unit's own, of a school year still kept.
    @Sendable func file(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let entry = try await DisclosureEntry.query(in: unit, on: req.db).filter(\.$id == id).first(), let stored = entry.fileStoredName
        else { throw AppError.notFound }
        let url = DisclosureService.filesRoot(req.config).appendingPathComponent(unit.id.uuidString.lowercased()).appendingPathComponent(stored)
        guard FileManager.default.fileExists(atPath: url.path) else { throw AppError.notFound }
        return try await req.privateDownload(url, contentType: "application/pdf", filename: entry.fileName ?? "cong-khai.pdf")
    }

    @Sendable func adminPage(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await DisclosureAdminPage.query(req, admin: admin, unit: unit))
    }

    struct Submitted: Content {
        var text: String?
        var changedOn: String?
        var file: File?
    }

    @Sendable func save(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let key = req.parameters.get("item") ?? ""
        let year = Int(req.textParameter("nam")) ?? DisclosureService.schoolYear(of: Date())
        let submitted = try? req.content.decode(Submitted.self)
        // The item's figures, by field key, as typed.
        var fields: [String: String] = [:]
        for field in DisclosureCatalogue.item(key)?.fields ?? [] {
            fields[field.key] = (try? req.content.get(String.self, at: DisclosureService.fieldName(field.key))) ?? ""
        }
        do {
            try await DisclosureService.save(
                itemKey: key, year: year, text: submitted?.text ?? "", fields: fields, changedOn: submitted?.changedOn ?? "",
                file: submitted?.file.map { .init(filename: $0.filename, bytes: Array($0.data.readableBytesView)) }, unit: unit,
                by: req.actor(admin), who: admin.user.email, root: DisclosureService.filesRoot(req.config), on: req.db)
            return req.redirect(to: SiteURL.adminDisclosure(code: .value(unit.code)).path + "?nam=\(year)&ok=disclosure-saved#i-\(key)")
        } catch let errors as FormErrors {
            return req.render(try await DisclosureAdminPage.query(req, admin: admin, unit: unit, year: year, failedItem: key,
                                                                  typed: fields.reduce(into: ["text": submitted?.text ?? "", "changedOn": submitted?.changedOn ?? ""]) {
                                                                      $0[DisclosureService.fieldName($1.key)] = $1.value
                                                                  }, errors: errors),
                              status: .unprocessableEntity)
        }
    }
}
