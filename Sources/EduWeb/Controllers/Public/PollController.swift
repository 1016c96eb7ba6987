import EduCore
import EduData
import Fluent
import Vapor

/// Polls (A10.7): the public list, the ballot and results; the admin's list, creation and early
/// close (editorial heads: `publishContent`). Never cached: the counts move with every vote and the
/// page differs for a visitor who has voted.
struct PollController {
    static let cookieName = "eduportal_voter"

    func register(public routes: any RoutesBuilder) {
        routes.get(SiteURL.polls.routePath, use: list)
        routes.get(SiteURL.poll(id: .key).routePath, use: show)
        routes.post(SiteURL.poll(id: .key).routePath, use: vote)
    }

    func register(admin units: UnitRoutes) {
        units.get(.adminPolls(code: .key), requires: .publishContent, use: adminList)
        units.post(.adminPolls(code: .key), requires: .publishContent, use: create)
        units.post(.adminPollClose(code: .key, id: .key), requires: .publishContent, use: close)
    }

    /// The voter id a signed cookie carries; nil when there is none or its signature fails.
    static func voterID(_ req: Request) -> String? {
        guard let value = req.cookies[cookieName]?.string else { return nil }
        let parts = value.split(separator: ".")
        guard parts.count == 2, parts[0].count >= 20, req.serverKey.verify(String(parts[0]), signature: String(parts[1])) else { return nil }
        return String(parts[0])
    }

    static func noStore(_ response: Response) -> Response {
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func poll(_ req: Request, unit: ResolvedUnit) async throws -> Poll {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let poll = try await Poll.query(in: unit, on: req.db).filter(\.$id == id).first()
        else { throw AppError.notFound }
        return poll
    }

    @Sendable func list(req: Request) async throws -> Response {
        Self.noStore(req.render(try await PollsPage.query(req, unit: try req.requireUnit())))
    }

    @Sendable func show(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let poll = try await poll(req, unit: unit)
        return Self.noStore(req.render(try await PollPage.query(req, unit: unit, poll: poll, voterID: Self.voterID(req))))
    }

    @Sendable func vote(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let poll = try await poll(req, unit: unit)
        struct Form: Decodable {
            var choice: [String]?
            var powToken: String?
            var powNonce: String?
            enum CodingKeys: String, CodingKey {
                case choice
                case powToken = "pow-token"
                case powNonce = "pow-nonce"
            }
        }
        let form = (try? req.content.decode(Form.self)) ?? Form()
        let chosen = (form.choice ?? []).prefix(PollService.maxOptions + 1).map { TextNormalizer.normalize($0, maxLength: 40).lowercased() }
        // A first-time voter gets their signed id now; the vote is kept under its hash.
        var newCookie: String?
        let voterID: String
        if let existing = Self.voterID(req) {
            voterID = existing
        } else {
            voterID = SecureToken.generate()
            newCookie = voterID + "." + req.serverKey.sign(voterID)
        }
        var status = HTTPResponseStatus.ok
        var errors: FormErrors = [:]
        do {
            try await PollService.vote(poll, choices: Array(chosen), voterID: voterID,
                                       proof: .init(token: form.powToken ?? "", nonce: form.powNonce ?? ""), key: req.serverKey,
                                       addressKey: ClientAddress.rateLimitKey(req.clientAddress), on: req.db)
        } catch let refusal as FormErrors {
            errors = refusal
            status = refusal.status
        }
        let page = try await PollPage.query(req, unit: unit, poll: poll, voterID: errors.isEmpty ? voterID : Self.voterID(req),
                                            chosen: errors.isEmpty ? [] : Array(chosen), errors: errors)
        let response = Self.noStore(req.render(page, status: status))
        if let newCookie, errors.isEmpty || status == .unprocessableEntity {
            response.cookies[Self.cookieName] = SessionService.cookie(newCookie, tls: req.config.tls, maxAge: 365 * 86_400)
        }
        return response
    }

    @Sendable func adminList(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await PollsAdminPage.query(req, admin: admin, unit: unit))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let input = PollService.Input(form: (try? req.content.decode([String: String].self)) ?? [:])
        do {
            _ = try await PollService.create(input, unit: unit, by: req.actor(admin), on: req.db)
            return req.redirect(to: SiteURL.adminPolls(code: .value(unit.code)).path + "?ok=poll-created")
        } catch let errors as FormErrors {
            return req.render(try await PollsAdminPage.query(req, admin: admin, unit: unit, input: input, errors: errors), status: .unprocessableEntity)
        }
    }

    @Sendable func close(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let poll = try await poll(req, unit: unit)
        do {
            try await PollService.close(poll, unit: unit, by: req.actor(admin), on: req.db)
        } catch let errors as FormErrors {
            return req.render(try await PollsAdminPage.query(req, admin: admin, unit: unit, errors: errors), status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.adminPolls(code: .value(unit.code)).path + "?ok=poll-closed")
    }
}
