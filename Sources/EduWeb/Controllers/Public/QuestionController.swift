import EduCore
import EduData
import Fluent
import Vapor

/// Questions and answers (A8.6, A9.5): the public FAQ and the question form; the admin queue,
/// routing and answers (`reviewContent` holders of the unit).
struct QuestionController {
    func register(public routes: any RoutesBuilder) {
        routes.get(SiteURL.questions.routePath, use: list)
        routes.post(SiteURL.questions.routePath, use: ask)
        routes.get(SiteURL.question(id: .key).routePath, use: show)
    }

    func register(admin units: UnitRoutes) {
        units.get(.adminQuestions(code: .key), requires: .reviewContent, use: queue)
        units.get(.adminQuestion(code: .key, id: .key), requires: .reviewContent, use: detail)
        units.post(.adminQuestionStep(code: .key, id: .key, step: .key), requires: .reviewContent, use: step)
    }

    @Sendable func list(req: Request) async throws -> Response {
        req.render(try await QuestionsPage.query(req, unit: try req.requireUnit()))
    }

    @Sendable func show(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let question = try await Question.query(in: unit, on: req.db).filter(\.$id == id).filter(\.$publishedAt != nil).first()
        else { throw AppError.notFound }
        return req.render(QuestionPage.query(req, unit: unit, question: question))
    }

    @Sendable func ask(req: Request) async throws -> Response {
        let unit = try req.requireUnit()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let input = QuestionService.Input(form: form)
        // A filled honeypot is a robot: answer as if all went well, keep nothing.
        if !(form["website"] ?? "").isEmpty {
            return req.render(try await QuestionsPage.query(req, unit: unit, sent: "Đã nhận câu hỏi."))
        }
        do {
            let question = try await QuestionService.ask(
                input, proof: .init(token: form["pow-token"] ?? "", nonce: form["pow-nonce"] ?? ""), key: req.serverKey,
                addressKey: ClientAddress.rateLimitKey(req.clientAddress), unit: unit, on: req.db)
            let response = req.render(try await QuestionsPage.query(req, unit: unit, sent:
                "Đã nhận câu hỏi của bạn. Đơn vị trả lời trước \(VietnameseDate.dateTime(question.dueAt))\(question.askerEmail.isEmpty ? " (liên hệ qua số điện thoại bạn để lại)" : " qua thư điện tử")."))
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        } catch let errors as FormErrors {
            return req.render(try await QuestionsPage.query(req, unit: unit, input: input, errors: errors), status: errors.status)
        }
    }

    func question(_ req: Request, unit: ResolvedUnit) async throws -> Question {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let question = try await Question.query(in: unit, on: req.db).filter(\.$id == id).first()
        else { throw AppError.notFound }
        return question
    }

    @Sendable func queue(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await QuestionsAdminPage.query(req, admin: admin, unit: unit))
    }

    @Sendable func detail(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await QuestionAdminPage.query(req, admin: admin, unit: unit, question: try await question(req, unit: unit)))
    }

    @Sendable func step(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let question = try await question(req, unit: unit)
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let page = SiteURL.adminQuestion(code: .value(unit.code), id: .value(try question.requireID().uuidString.lowercased())).path
        do {
            switch req.parameters.get("step") ?? "" {
            case "chuyen":
                try await QuestionService.route(question, to: (form["department"]).flatMap(UUID.init(uuidString:)), unit: unit, by: req.actor(admin), on: req.db)
                return req.redirect(to: page + "?ok=question-routed")
            case "tra-loi":
                try await QuestionService.answer(question, text: form["answer"] ?? "", publish: form["publish"] == "on", unit: unit, by: req.actor(admin), on: req.db)
                return req.redirect(to: page + "?ok=question-answered")
            default:
                throw AppError.notFound
            }
        } catch let errors as FormErrors {
            return req.render(try await QuestionAdminPage.query(req, admin: admin, unit: unit, question: question, answer: form["answer"], errors: errors),
                              status: .unprocessableEntity)
        }
    }
}
