import EduCore
import EduData
import Fluent
import Vapor

/// Questions and answers (A8.6, A9.5): anyone asks (the contact form's proof of work and hourly
/// limit per address); staff route a question to a department, answer it (the asker is e-mailed
/// the answer) and publish it in the FAQ only when the asker consented, without their contact
/// details. An answer is due `responseDays` after the question arrives.
enum QuestionService {
    static let responseDays = 7
    static let perHour = 5

    struct Input: Sendable {
        var name = ""
        var email = ""
        var phone = ""
        var topic = ""
        var question = ""
        var consent = false

        init() {}

        init(form: [String: String]) {
            name = TextNormalizer.normalize(form["name"] ?? "", maxLength: 120)
            email = TextNormalizer.normalize(form["email"] ?? "", maxLength: 254).lowercased()
            phone = TextNormalizer.normalize(form["phone"] ?? "", maxLength: 20)
            topic = TextNormalizer.normalize(form["topic"] ?? "", maxLength: 100)
            question = TextNormalizer.normalize(form["question"] ?? "", mode: .multiLine, maxLength: 5000)
            consent = ["on", "dong-y"].contains(form["consent"] ?? "")
        }
    }


    /// Checks and stores a question, with a notice to the unit's address. Throws `FormErrors`,
    /// `FormErrors` marked `isRateLimited` past the hourly limit.
    static func ask(
        _ input: Input, proof: ContactService.Proof, key: ServerKey, addressKey: String, unit: ResolvedUnit, now: Date = Date(), on db: any Database
    ) async throws -> Question {
        var errors: FormErrors = [:]
        if input.name.isEmpty { errors["name"] = "Nhập họ và tên." }
        if input.email.isEmpty && input.phone.isEmpty { errors["email"] = "Nhập thư điện tử hoặc số điện thoại để đơn vị trả lời bạn." }
        if !input.email.isEmpty && !Validation.isEmail(input.email) { errors["email"] = "Địa chỉ thư điện tử không hợp lệ." }
        if !input.phone.isEmpty && !Validation.isPhone(input.phone) { errors["phone"] = "Số điện thoại không hợp lệ." }
        if !Question.topics.contains(input.topic) { errors["topic"] = "Chọn chủ đề." }
        if input.question.count < 15 { errors["question"] = "Câu hỏi quá ngắn (ít nhất 15 ký tự)." }
        let recent = try await Question.query(on: db).filter(\.$addressKey == addressKey).filter(\.$createdAt > now.addingTimeInterval(-3600)).count()
        if recent >= perHour {
            throw FormErrors.rateLimited(FormErrors(form: "Bạn đã gửi nhiều câu hỏi trong một giờ qua. Vui lòng thử lại sau."))
        }
        if errors.isEmpty && !ContactService.isSolved(proof, key: key) {
            errors.form = "Không xác minh được người gửi (cần bật JavaScript để trình duyệt giải mã chống thư rác). Bạn cũng có thể gửi thư tới \(unit.email)."
        }
        guard errors.isEmpty else { throw errors }
        let question = Question()
        question.unitID = unit.id
        question.topic = input.topic
        question.askerName = input.name
        question.askerEmail = input.email
        question.askerPhone = input.phone
        question.question = input.question
        question.consentPublish = input.consent
        question.addressKey = addressKey
        question.answer = ""
        question.dueAt = now.addingTimeInterval(Double(responseDays) * 86_400)
        question.createdAt = now
        question.updatedAt = now
        let recipients = [unit.email].filter(Validation.isEmail)
        try await db.transaction { tx in
            try await ContactService.markUsed(proof, on: tx)
            try await question.create(on: tx)
            if !recipients.isEmpty {
                try await OutboxMessage(unitID: unit.id, recipients: recipients, subject: "Câu hỏi mới qua cổng thông tin: \(input.topic)",
                                        body: "Người hỏi: \(input.name)\n\n\(input.question)\n\nHạn trả lời: \(VietnameseDate.dateTime(question.dueAt)).\n").create(on: tx)
            }
        }
        return question
    }

    /// Sends a question to one of the unit's departments (its address is told).
    static func route(_ question: Question, to departmentID: UUID?, unit: ResolvedUnit, by actor: AuditActor, now: Date = Date(), on db: any Database) async throws {
        guard let departmentID, let department = try await Department.query(on: db).filter(\.$id == departmentID).filter(\.$unitID == unit.id).first()
        else { throw FormErrors.field("department", "Chọn một phòng, ban của đơn vị.") }
        question.departmentID = departmentID
        question.updatedAt = now
        try await db.transaction { tx in
            try await question.save(on: tx)
            if Validation.isEmail(department.email) {
                try await OutboxMessage(unitID: unit.id, recipients: [department.email], subject: "Câu hỏi cần trả lời: \(question.topic)",
                                        body: "\(question.question)\n\nHạn trả lời: \(VietnameseDate.dateTime(question.dueAt)).\n").create(on: tx)
            }
            try await AuditEntry.record(actor, unitID: unit.id, action: "question.route", target: question.topic, detail: department.name, on: tx)
        }
    }

    /// Saves the answer (e-mailed to the asker the first time and when it changes), and
    /// publishes it in the FAQ when asked to and the asker consented.
    static func answer(
        _ question: Question, text rawText: String, publish: Bool, unit: ResolvedUnit, by actor: AuditActor, now: Date = Date(), on db: any Database
    ) async throws {
        let text = TextNormalizer.normalize(rawText, mode: .multiLine, maxLength: 10_000)
        guard text.count >= 10 else { throw FormErrors.field("answer", "Nhập câu trả lời (ít nhất 10 ký tự).") }
        if publish && !question.consentPublish {
            throw FormErrors.field("publish", "Người hỏi không đồng ý công khai câu hỏi: chỉ gửi câu trả lời cho người hỏi.")
        }
        let changed = text != question.answer
        question.answer = text
        if question.answeredAt == nil { question.answeredAt = now }
        question.answeredBy = actor.user?.id
        question.publishedAt = publish ? (question.publishedAt ?? now) : nil
        question.updatedAt = now
        try await db.transaction { tx in
            try await question.save(on: tx)
            if changed && Validation.isEmail(question.askerEmail) {
                try await OutboxMessage(unitID: unit.id, recipients: [question.askerEmail], subject: "Trả lời câu hỏi của bạn: \(question.topic)",
                                        body: "Kính gửi \(question.askerName),\n\nCâu hỏi: \(question.question)\n\nTrả lời:\n\(text)\n\n\(unit.name)\n").create(on: tx)
            }
            try await AuditEntry.record(actor, unitID: unit.id, action: "question.answer", target: question.topic,
                                        detail: publish ? "trả lời, công khai" : "trả lời", on: tx)
            try await SearchService.refresh(question, on: tx)
            try await OrgUnit.touch(unit.id, on: tx)
        }
    }

    /// Published questions of a unit, newest first, optionally of one topic.
    static func published(in unit: ResolvedUnit, topic: String?, on db: any Database) -> QueryBuilder<Question> {
        let query = Question.query(in: unit, on: db).filter(\.$publishedAt != nil)
        if let topic { query.filter(\.$topic == topic) }
        return query
    }

    struct Stats: Sendable {
        let waiting: Int
        let overdue: Int
        let answered: Int
        /// Median hours from arrival to answer, nil before any answer.
        let medianHours: Double?
    }

    static func stats(of unit: ResolvedUnit, now: Date = Date(), on db: any Database) async throws -> Stats {
        let all = try await Question.query(in: unit, on: db).field(\.$id).field(\.$createdAt).field(\.$answeredAt).field(\.$dueAt).all()
        let hours = all.compactMap { q in q.answeredAt.map { $0.timeIntervalSince(q.createdAt) / 3600 } }.sorted()
        let median: Double? = hours.isEmpty ? nil : (hours.count % 2 == 1 ? hours[hours.count / 2] : (hours[hours.count / 2 - 1] + hours[hours.count / 2]) / 2)
        return Stats(waiting: all.filter { $0.answeredAt == nil }.count, overdue: all.filter { $0.isOverdue(at: now) }.count,
                     answered: hours.count, medianHours: median)
    }
}

extension SearchService {
    /// A question is in the site search while it is published in the FAQ.
    static func refresh(_ question: Question, on db: any Database) async throws {
        let id = try question.requireID()
        guard question.publishedAt != nil else { return try await SearchIndex.set(kind: "question", itemID: id, to: nil, on: db) }
        try await SearchIndex.set(kind: "question", itemID: id, to: .init(
            unitID: question.unitID, kind: "question", itemID: id, title: String(question.question.prefix(200)),
            path: SiteURL.question(id: .value(id.uuidString.lowercased())).path, text: question.topic + " " + question.answer,
            publishedAt: question.publishedAt, publishAt: nil, expiresAt: nil), on: db)
    }
}

extension QuestionService {
    struct Overdue: Sendable {
        let unit: OrgUnit
        let count: Int
        let oldestDue: Date
    }

    /// Per unit among `units`: how many questions are past their answer date, and the oldest date.
    static func overdue(in units: [OrgUnit], now: Date = Date(), on db: any Database) async throws -> [Overdue] {
        let ids = units.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        var late: [Question] = []
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            late += try await Question.query(on: db).filter(\.$unitID ~~ chunk).filter(\.$answeredAt == nil).filter(\.$dueAt < now)
                .field(\.$id).field(\.$unitID).field(\.$dueAt).all()
        }
        let byUnit = Dictionary(uniqueKeysWithValues: units.compactMap { u in u.id.map { ($0, u) } })
        return Dictionary(grouping: late, by: \.unitID).compactMap { unitID, questions in
            byUnit[unitID].map { Overdue(unit: $0, count: questions.count, oldestDue: questions.map(\.dueAt).min() ?? now) }
        }.sorted { $0.oldestDue < $1.oldestDue }
    }

    /// Tells each unit's editorial heads (or, without one, the nearest above) about questions
    /// that passed their answer date, once per question. Returns how many notices were queued.
    @discardableResult
    static func notifyOverdue(now: Date = Date(), links: NoticeLinks, on db: any Database) async throws -> Int {
        let late = try await Question.query(on: db).filter(\.$answeredAt == nil).filter(\.$dueAt < now).filter(\.$overdueNotifiedAt == nil).all()
        var sent = 0
        for (unitID, questions) in Dictionary(grouping: late, by: \.unitID) {
            guard let unit = try await OrgUnit.find(unitID, on: db) else { continue }
            let people = try await Notifier.people(with: [.truongBanBienTap, .quanTri], chain: [unitID] + unit.ancestorIDs.reversed(), on: db)
            try await db.transaction { tx in
                for question in questions {
                    question.overdueNotifiedAt = now
                    try await question.save(on: tx)
                }
                guard !people.isEmpty else { return }
                try await OutboxMessage(
                    unitID: unitID, recipients: people.map(\.email), subject: "Câu hỏi quá hạn trả lời – \(unit.name)",
                    body: """
                        \(questions.count) câu hỏi của người dân gửi \(unit.name) đã quá \(responseDays) ngày mà chưa được trả lời.

                        Trả lời: \(links.url(SiteURL.adminQuestions(code: .value(unit.code)).path + "?trang-thai=qua-han"))
                        """
                ).create(on: tx)
            }
            sent += 1
        }
        return sent
    }
}
