import EduCore
import EduData
import Fluent
import SQLKit
import Vapor

/// Changes to the tree itself, as the 2025 reform made them (district offices gone, schools moved
/// under communes' offices or the Sở, schools merged): move a unit under another parent, merge
/// it into another unit, or dissolve it into its parent. Ended units keep their row, hostnames
/// (which redirect to the successor) and audit history; their news, documents, media and search
/// entries move to the successor, their categories renamed after where they came from; their
/// accounts are locked with a notice. Every change is audited at both units.
enum UnitChangeService {
    /// Who asks: the operator (CLI, demo), or an admin whose rights must cover both places.
    enum Authority {
        case `operator`
        case admin(AdminContext)

        /// Creating and removing units at `unit`'s level is what `createChildUnit` on its parent allows.
        func mayRearrange(at parent: OrgUnit?) -> Bool {
            switch self {
            case .operator: true
            case .admin(let admin): parent.map { admin.may(.createChildUnit, on: $0) } ?? false
            }
        }
    }

    /// The unit that finally took an ended unit over (following a chain of mergers), or the unit itself when it is active.
    static func finalSuccessor(of unit: ResolvedUnit, on db: any Database) async throws -> ResolvedUnit? {
        var current = unit
        for _ in 0..<16 {
            guard current.state != .active else { return current }
            guard let next = current.successorID, let row = try await OrgUnit.find(next, on: db) else { return nil }
            current = try await ResolvedUnit.resolve(row, on: db)
        }
        return nil
    }

    /// Where re-homed news, a document or a register came from, in words for its page: «Đăng tại
    /// <unit> (đã sáp nhập ngày 01/07/2025); nay do <unit> lưu giữ.» Empty when it did not move.
    static func originNote(_ originID: UUID?, keptBy unit: ResolvedUnit, prefix: String = "Đăng tại", on db: any Database) async throws -> String {
        guard let originID, originID != unit.id, let origin = try await OrgUnit.find(originID, on: db) else { return "" }
        let ended = origin.endedAt.map { " ngày \(VietnameseDate.day($0))" } ?? ""
        let state = origin.state == .active ? "" : " (\(origin.state.label.lowercased())\(ended))"
        return "\(prefix) \(origin.name)\(state); nay do \(unit.name) lưu giữ."
    }

    /// Units whose final successor is `unitID` (merged or dissolved into it, directly or through a chain).
    static func predecessors(of unitID: UUID, on db: any Database) async throws -> [OrgUnit] {
        let ended = try await OrgUnit.query(on: db).filter(\.$stateCode != UnitState.active.rawValue).all()
        var found: [OrgUnit] = [], seen: Set<UUID> = [unitID], frontier: Set<UUID> = [unitID]
        while !frontier.isEmpty {
            let next = ended.filter { unit in unit.successorID.map(frontier.contains) ?? false && !seen.contains(unit.id ?? unitID) }
            found += next
            frontier = Set(next.compactMap(\.id))
            seen.formUnion(frontier)
        }
        return found
    }

    static func parent(of unit: OrgUnit, on db: any Database) async throws -> OrgUnit? {
        guard let id = unit.parentID else { return nil }
        return try await OrgUnit.find(id, on: db)
    }

    static func isWithin(_ unit: OrgUnit, _ other: OrgUnit) -> Bool { unit.path.hasPrefix(other.path) }

    // MARK: - Move

    /// Moves a unit (with everything below it) under a new parent the tree rules allow.
    static func move(_ unit: OrgUnit, under newParent: OrgUnit, authority: Authority, by actor: AuditActor, on db: any Database) async throws {
        guard unit.state == .active, newParent.state == .active else { throw FormErrors(form: "Đơn vị đã sáp nhập hoặc giải thể không chuyển được.") }
        guard let oldParent = try await parent(of: unit, on: db) else { throw FormErrors(form: "Đơn vị cấp cao nhất không chuyển được.") }
        guard oldParent.id != newParent.id else { throw FormErrors.field("parent", "\(unit.name) đã trực thuộc \(newParent.name).") }
        guard !isWithin(newParent, unit) else { throw FormErrors.field("parent", "Không chuyển được một đơn vị vào chính nó hay đơn vị trực thuộc nó.") }
        guard authority.mayRearrange(at: oldParent), authority.mayRearrange(at: newParent) else {
            throw FormErrors(form: "Bạn cần quyền quản trị ở cả đơn vị quản lý hiện nay (\(oldParent.name)) và đơn vị nhận (\(newParent.name)).")
        }
        let rules = try await OrgUnit.treeRules(on: db)
        guard rules.allows(parent: newParent.type, child: unit.type) else {
            throw FormErrors.field("parent", "\(newParent.type.label) không quản lý \(unit.type.label.lowercased()) (theo quy tắc cây đơn vị).")
        }
        let oldPrefix = unit.path, newPrefix = newParent.path + (try unit.requireID()).uuidString.lowercased() + "/"
        let delta = newParent.depth + 1 - unit.depth
        try await db.transaction { tx in
            for row in try await OrgUnit.subtree(ofPath: oldPrefix, includingEnded: true, on: tx) {
                row.path = newPrefix + row.path.dropFirst(oldPrefix.count)
                row.depth += delta
                if row.id == unit.id { row.parentID = newParent.id }
                try await row.save(on: tx)
            }
            // Rule-based groups select by subtree: who a group reaches may have changed.
            try await MailService.rebuildAliasMap(on: tx)
            // So do the units above each item in the search index (the province-wide search).
            try await SearchIndex.rescope(unitIDs: try await OrgUnit.subtree(ofPath: newPrefix, includingEnded: true, on: tx).map { try $0.requireID() }, on: tx)
            let detail = "từ \(oldParent.name) sang \(newParent.name)"
            for id in [unit.id, oldParent.id, newParent.id] {
                try await AuditEntry.record(actor, unitID: id, action: "unit.move", target: unit.code, detail: detail, on: tx)
                if let id { try await OrgUnit.touch(id, on: tx) }
            }
        }
        unit.path = newPrefix
        unit.depth += delta
        unit.parentID = newParent.id
    }

    // MARK: - Merge and dissolve

    /// Merges `unit` into `successor`: the unit ends, its content moves to the successor and its
    /// hostnames redirect there. A unit with units still under it must have them moved first.
    static func merge(_ unit: OrgUnit, into successor: OrgUnit, authority: Authority, by actor: AuditActor, now: Date = Date(),
                      notices: PublicLinks? = nil, on db: any Database) async throws {
        try await end(unit, state: .merged, successor: successor, authority: authority, by: actor, now: now, notices: notices, on: db)
    }

    /// Dissolves `unit`: it ends and its parent takes over its content and hostnames.
    static func dissolve(_ unit: OrgUnit, authority: Authority, by actor: AuditActor, now: Date = Date(), notices: PublicLinks? = nil,
                         on db: any Database) async throws {
        guard let parent = try await parent(of: unit, on: db) else { throw FormErrors(form: "Đơn vị cấp cao nhất không giải thể được.") }
        try await end(unit, state: .dissolved, successor: parent, authority: authority, by: actor, now: now, notices: notices, on: db)
    }

    static func end(_ unit: OrgUnit, state: UnitState, successor: OrgUnit, authority: Authority, by actor: AuditActor, now: Date,
                    notices: PublicLinks?, on db: any Database) async throws {
        let unitID = try unit.requireID(), successorID = try successor.requireID()
        guard unit.state == .active else { throw FormErrors(form: "\(unit.name) đã \(unit.state.label.lowercased()).") }
        guard successor.state == .active else { throw FormErrors.field("successor", "\(successor.name) đã \(successor.state.label.lowercased()).") }
        guard unitID != successorID, !isWithin(successor, unit) else {
            throw FormErrors.field("successor", "Không sáp nhập được một đơn vị vào chính nó hay đơn vị trực thuộc nó.")
        }
        guard let parent = try await parent(of: unit, on: db) else { throw FormErrors(form: "Đơn vị cấp cao nhất không sáp nhập hay giải thể được.") }
        let successorLevel = try await self.parent(of: successor, on: db) ?? successor
        guard authority.mayRearrange(at: parent), state == .dissolved || authority.mayRearrange(at: successorLevel) else {
            throw FormErrors(form: "Bạn cần quyền quản trị ở đơn vị quản lý \(unit.name) (\(parent.name)) và ở đơn vị quản lý \(successor.name).")
        }
        let children = try await OrgUnit.query(on: db).filter(\.$parentID == unitID).filter(\.$stateCode == UnitState.active.rawValue).all()
        guard children.isEmpty else {
            throw FormErrors(form: "Còn \(children.count) đơn vị trực thuộc \(unit.name) (\(children.prefix(5).map(\.name).joined(separator: ", "))…): chuyển các đơn vị này sang đơn vị quản lý mới trước.")
        }
        let verb = state == .merged ? "sáp nhập vào" : "giải thể; \(successor.name) tiếp nhận"
        let successorURL = try await notices.asyncMap { $0.url(for: try await ResolvedUnit.resolve(successor, on: db)) }
        try await db.transaction { tx in
            unit.stateCode = state.rawValue
            unit.successorID = successorID
            unit.endedAt = now
            try await unit.save(on: tx)
            let moved = try await rehomeContent(from: unit, to: successor, on: tx)
            // Accounts whose home is the ended unit are locked, their sessions ended, and told.
            let users = try await User.query(on: tx).filter(\.$unitID == unitID).filter(\.$disabled == false).all()
            for user in users {
                user.disabled = true
                try await user.save(on: tx)
                try await LoginSession.query(on: tx).filter(\.$userID == user.requireID()).delete()
                try await OutboxMessage(
                    unitID: successorID, recipients: [user.email],
                    subject: "Tài khoản tại \(unit.name) đã được khóa",
                    body: """
                    Kính gửi \(user.fullName),

                    \(unit.name) đã \(verb) \(successor.name) từ \(VietnameseDate.day(now)). Tài khoản \(user.email) trên cổng thông tin của \(unit.name) đã được khóa; tin bài và văn bản của đơn vị nay ở cổng của \(successor.name)\(successorURL.map { " (\($0))" } ?? "").
                    Nếu bạn tiếp tục công tác tại \(successor.name), đề nghị quản trị của đơn vị cấp tài khoản mới.
                    Thư này được gửi tự động; xin không trả lời.
                    """
                ).create(on: tx)
            }
            let detail = "\(unit.name) \(verb) \(successor.name); chuyển \(moved); khóa \(users.count) tài khoản"
            for id in Set([unitID, successorID, try parent.requireID()]) {
                try await AuditEntry.record(actor, unitID: id, action: state == .merged ? "unit.merge" : "unit.dissolve", target: unit.code, detail: detail, on: tx)
                try await OrgUnit.touch(id, on: tx)
            }
            try await MailService.rebuildAliasMap(on: tx)
        }
    }

    /// Moves news (with their categories, renamed «… (<old unit>)»), documents, media and search
    /// entries to the successor; an article whose address the successor already uses gets the
    /// old unit's code appended. Returns what moved, for the audit log.
    static func rehomeContent(from unit: OrgUnit, to successor: OrgUnit, on db: any Database) async throws -> String {
        let from = try unit.requireID(), to = try successor.requireID()
        let takenCategories = Set(try await Category.query(on: db).filter(\.$unitID == to).all().map(\.slug))
        let categories = try await Category.query(on: db).filter(\.$unitID == from).all()
        for category in categories {
            if takenCategories.contains(category.slug) { category.slug = String((category.slug + "-" + unit.code).prefix(120)) }
            category.name = String((category.name + " (" + unit.name + ")").prefix(300))
            category.unitID = to
            try await category.save(on: db)
        }
        let takenArticles = Set(try await Article.query(on: db).filter(\.$unitID == to).all().map(\.slug))
        let articles = try await Article.query(on: db).filter(\.$unitID == from).all()
        for article in articles where takenArticles.contains(article.slug) {
            let old = article.slug
            article.slug = old + "-" + unit.code
            try await article.save(on: db)
            for entry in try await SearchEntry.query(on: db).filter(\.$itemID == article.requireID()).all() where entry.path.hasSuffix("/" + old) {
                entry.path = String(entry.path.dropLast(old.count)) + article.slug
                try await entry.save(on: db)
            }
        }
        guard let sql = db as? any SQLDatabase else { return "" }
        // News and documents remember who published them (the first unit, through a chain of mergers).
        for table in [Article.schema, LegalDocument.schema] {
            try await sql.update(table).set("origin_unit_id", to: SQLBind(from))
                .where("unit_id", .equal, SQLBind(from)).where("origin_unit_id", .is, SQLLiteral.null).run()
        }
        var counts: [String] = []
        for (table, label) in [(Article.schema, "tin bài"), (ArticleRevision.schema, ""), (WorkflowEvent.schema, ""), (LegalDocument.schema, "văn bản"),
                               (Media.schema, "tệp"), (Procedure.schema, "thủ tục"), (ProcurementItem.schema, "dự án, gói thầu"), (LearningResource.schema, "tài nguyên"), (SearchEntry.schema, "")] {
            if !label.isEmpty {
                struct Row: Decodable { let n: Int }
                let n = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
                    .where("unit_id", .equal, SQLBind(from)).first(decoding: Row.self)?.n ?? 0
                counts.append("\(n) \(label)")
            }
            try await sql.update(table).set("unit_id", to: SQLBind(to)).where("unit_id", .equal, SQLBind(from)).run()
        }
        // Conferences, press releases and scholarships are its record and move; its spokespeople
        // and organisations ended with it and stay behind.
        let people = InfoSection.Key.allCases.flatMap { InfoSection.section($0).kinds.filter(\.isPerson).map(\.value) }
        try await sql.update(SectionEntry.schema).set("unit_id", to: SQLBind(to)).where("unit_id", .equal, SQLBind(from))
            .where("kind", .notIn, SQLBind.group(people)).run()
        // The moved entries are now the successor's: their scope in the search index too.
        try await SearchIndex.rescope(unitIDs: [to], on: db)
        counts.append("\(categories.count) chuyên mục")
        return counts.joined(separator: ", ")
    }
}
