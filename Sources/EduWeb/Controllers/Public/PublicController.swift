import EduCore
import EduData
import Fluent
import Vapor

/// The unit's home page, its list of units below, the list of its sections, the contact page, the English page, and the
/// sections whose modules are still to come (they say so plainly rather than disappearing).
struct PublicController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.home.routePath, use: home)
        routes.get(SiteURL.subUnits.routePath, use: subUnits)
        routes.get(SiteURL.sectionIndex.routePath, use: sectionIndex)
        routes.get(SiteURL.contact.routePath, use: contact)
        routes.get(SiteURL.english.routePath, use: english)
        routes.get(SiteURL.englishPage(slug: .key).routePath, use: english)
    }

    @Sendable func home(req: Request) async throws -> Response {
        req.render(try await HomePage.query(req, unit: try req.requireUnit()))
    }

    @Sendable func subUnits(req: Request) async throws -> Response {
        req.render(try await SubUnitsPage.query(req, unit: try req.requireUnit()))
    }

    /// Every section of the portal on one page: what the navigation's groups hold, for a reader
    /// who does not find a section in them (issue #19).
    @Sendable func sectionIndex(req: Request) async throws -> Response {
        req.render(try await SectionIndexPage.query(req, unit: try req.requireUnit()))
    }

    /// The unit's official address for the public's feedback (A4.2), its leaders' contacts and
    /// the contact form.
    @Sendable func contact(req: Request) async throws -> Response {
        try await contactPage(req, unit: try req.requireUnit(), input: .init())
    }

    func contactPage(
        _ req: Request, unit: ResolvedUnit, input: ContactController.Input, errors: FormErrors = [:], sent: Bool = false,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        req.render(try await ContactPage.query(req, unit: unit, input: input, errors: errors, sent: sent), status: status)
    }

    /// The English version of the introduction, contact and online-services pages (A8.15):
    /// `/en/`, `/en/contact`, `/en/online-services`.
    @Sendable func english(req: Request) async throws -> Response {
        req.render(try await EnglishPage.query(req, unit: try req.requireUnit()))
    }
}
