import EduCore
import EduData
import Fluent
import Vapor

struct ContactPage: PageView {
    static let template = "contact"

    struct Person {
        let name: String
        let title: String
        let phone: String
        let email: String
    }

    let layout: LayoutVM
    let name: String
    let address: String
    let phone: String
    let email: String
    let leaders: [Person]
    let portalContact: String
    let mailContact: String
    let form: FormPage
    let sent: Bool
    let challengeURL: String
}

extension ContactPage {
    /// The query that builds the page.
    static func query(
        _ req: Request, unit: ResolvedUnit, input: ContactController.Input, errors: FormErrors = [:], sent: Bool = false
    ) async throws -> ContactPage {
        let leaders = try await IntroService.leaders(unitID: unit.id, on: req.db)
        let layout = LayoutVM.make(req, title: "Liên hệ", admin: false, notice: sent ? "Đã nhận ý kiến của bạn. Đơn vị sẽ trả lời qua thư điện tử." : nil)
        let page = ContactPage(
            layout: layout, name: unit.name, address: unit.address, phone: unit.phone,
            email: unit.email,
            leaders: leaders.map { .init(name: $0.fullName, title: $0.title, phone: $0.phone, email: $0.email) },
            portalContact: [unit.portalContactName, unit.portalContactEmail].filter { !$0.isEmpty }.joined(separator: " – "),
            mailContact: [unit.mailContactName, unit.mailContactEmail].filter { !$0.isEmpty }.joined(separator: " – "),
            form: FormPage(layout: layout, heading: "Gửi ý kiến", intro: nil, action: SiteURL.contact.path, submitLabel: "Gửi ý kiến",
                           fields: ContactController.fields(input, errors: errors), cancelURL: SiteURL.home.path),
            sent: sent, challengeURL: SiteURL.contactChallenge.path)
        return page
    }
}
