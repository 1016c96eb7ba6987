import EduCore
import EduData
import Fluent
import Vapor

/// The contact form (A8.1b, A9.1b): a honeypot, a proof of work fetched per visitor, a rate limit
/// per address (IPv6 by /64). A message is acknowledged only once its transaction has committed;
/// it is listed in the admin and forwarded to the unit's official address through the outbox.
struct ContactController {
    static let bits = 16
    static let perHour = ContactService.perHour

    func register(public routes: any RoutesBuilder) {
        routes.get(SiteURL.contactChallenge.routePath, use: challenge)
        routes.post(SiteURL.contact.routePath, use: submit)
    }

    func register(admin units: UnitRoutes) {
        units.get(.adminMessages(code: .key), requires: .reviewContent, use: messages)
    }

    struct Challenge: Content {
        let token: String
        let bits: Int
    }

    /// A fresh, single-use challenge (never cached: each visitor gets their own).
    @Sendable func challenge(req: Request) async throws -> Response {
        _ = try req.requireUnit()
        let challenge = ContactService.issueChallenge(bits: Self.bits, key: req.serverKey)
        let response = Response(status: .ok)
        try response.content.encode(Challenge(token: challenge.token, bits: challenge.bits), as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    struct Input {
        var name = ""
        var email = ""
        var phone = ""
        var subject = ""
        var body = ""
    }

    static func fields(_ input: Input, errors: FormErrors) -> [FormField] {
        [
            FormField(name: "name", label: "Họ và tên", value: input.name, error: errors["name"], required: true, autocomplete: "name", maxlength: 120),
            FormField(name: "email", label: "Thư điện tử", value: input.email, error: errors["email"], hint: "Để đơn vị trả lời bạn.",
                      type: "email", required: true, autocomplete: "email", maxlength: 254),
            FormField(name: "phone", label: "Số điện thoại", value: input.phone, error: errors["phone"], type: "tel", autocomplete: "tel", maxlength: 20),
            FormField(name: "subject", label: "Tiêu đề", value: input.subject, error: errors["subject"], required: true, maxlength: 200),
            FormField(name: "body", label: "Nội dung", value: input.body, error: errors["body"], type: "textarea", required: true, maxlength: 5000),
        ]
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        var input = Input()
        input.name = TextNormalizer.normalize(form["name"] ?? "", maxLength: 120)
        input.email = TextNormalizer.normalize(form["email"] ?? "", maxLength: 254).lowercased()
        input.phone = TextNormalizer.normalize(form["phone"] ?? "", maxLength: 20)
        input.subject = TextNormalizer.normalize(form["subject"] ?? "", maxLength: 200)
        input.body = TextNormalizer.normalize(form["body"] ?? "", mode: .multiLine, maxLength: 5000)

        // A filled honeypot is a robot: answer as if all went well, keep nothing.
        if !(form["website"] ?? "").isEmpty {
            return try await PublicController().contactPage(req, unit: unit, input: Input(), sent: true)
        }
        do {
            try await ContactService.submit(
                input, proof: .init(token: form["pow-token"] ?? "", nonce: form["pow-nonce"] ?? ""), key: req.serverKey,
                addressKey: ClientAddress.rateLimitKey(req.clientAddress), unit: unit, on: req.db)
        } catch let errors as FormErrors {
            return try await PublicController().contactPage(req, unit: unit, input: input, errors: errors, status: errors.status)
        }
        return try await PublicController().contactPage(req, unit: unit, input: Input(), sent: true)
    }

    @Sendable func messages(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await MessagesPage.query(req, admin: admin, unit: unit))
    }
}
