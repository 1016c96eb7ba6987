import EduCore
import EduData
import Fluent
import SQLKit
import Vapor

/// Update deadlines (A11.2c): a category with an interval must get something new published
/// within that many days of its last publication.
enum DeadlineService {
    struct Status {
        let unit: OrgUnit
        let category: Category
        let lastPublished: Date?
        let due: Date
        var daysOverdue: Int
    }

    /// Every category with a rule in `units`, with when it was last fed and when it is due.
    static func statuses(of units: [OrgUnit], now: Date = Date(), on db: any Database) async throws -> [Status] {
        let ids = units.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let categories = try await Category.query(on: db).filter(\.$unitID ~~ ids).filter(\.$updateIntervalDays != nil).all()
        guard let sql = db as? any SQLDatabase else { return [] }
        struct Last: Decodable {
            let category_id: UUID
            let last: Date?
        }
        var last: [UUID: Date] = [:]
        // One grouped query for all categories (chunked to stay under bind limits).
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let rows = try await sql.select()
                .column("category_id")
                .column(SQLFunction("MAX", args: SQLColumn("published_at")), as: "last")
                .from(Article.schema)
                .where("unit_id", .in, chunk)
                .where("state", .equal, ContentState.daDang.rawValue)
                .where("published_at", .lessThanOrEqual, now)
                .groupBy("category_id")
                .all(decoding: Last.self)
            for row in rows { if let date = row.last { last[row.category_id] = date } }
        }
        let unitsByID = Dictionary(uniqueKeysWithValues: units.compactMap { u in u.id.map { ($0, u) } })
        return categories.compactMap { category in
            guard let unit = unitsByID[category.unitID], let days = category.updateIntervalDays, let id = category.id else { return nil }
            let lastPublished = last[id]
            let start = lastPublished ?? category.createdAt ?? now
            let due = start.addingTimeInterval(TimeInterval(days) * 86_400)
            let overdue = due < now ? Int(now.timeIntervalSince(due) / 86_400) : -1
            return Status(unit: unit, category: category, lastPublished: lastPublished, due: due, daysOverdue: overdue)
        }
    }

    /// Tells each overdue category's editorial head (or the unit's admin) once per overdue period.
    @discardableResult
    static func notifyOverdue(now: Date = Date(), links: NoticeLinks, on db: any Database) async throws -> Int {
        let units = try await OrgUnit.query(on: db).filter(\.$stateCode == UnitState.active.rawValue).all()
        var sent = 0
        for status in try await statuses(of: units, now: now, on: db) where status.daysOverdue >= 0 {
            if let notified = status.category.overdueNotifiedAt, notified >= status.due { continue }
            let people = try await Notifier.people(
                with: [.truongBanBienTap, .quanTri], chain: [try status.unit.requireID()] + status.unit.ancestorIDs.reversed(), on: db)
            try await db.transaction { db in
                status.category.overdueNotifiedAt = now
                try await status.category.save(on: db)
                guard !people.isEmpty else { return }
                let body = """
                    Chuyên mục «\(status.category.name)» của \(status.unit.name) cần có bài mới ít nhất \(status.category.updateIntervalDays ?? 0) ngày một lần \
                    (Điều 11, khoản 2, điểm c). Lần đăng gần nhất: \(status.lastPublished.map(VietnameseDate.day) ?? "chưa có"). \
                    Hạn cập nhật: \(VietnameseDate.day(status.due)).

                    Viết bài: \(links.url(SiteURL.adminArticleNew(code: .value(status.unit.code)).path))
                    """
                try await OutboxMessage(
                    unitID: status.unit.id, recipients: people.map(\.email),
                    subject: "Quá hạn cập nhật: \(status.category.name) – \(status.unit.name)", body: body
                ).create(on: db)
            }
            sent += 1
        }
        return sent
    }
}
