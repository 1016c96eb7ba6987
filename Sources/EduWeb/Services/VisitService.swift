import EduCore
import EduData
import Fluent
import Foundation
import SQLKit

/// Reading the visit counts (`VisitCounter` writes them): a unit's days, its most visited pages
/// and the units below it, over a period ending today (Vietnam's time).
enum VisitService {
    /// The periods the staff page offers, in days.
    static let periods = [7, 30, 365]

    /// SUM of the counts as a bigint (PostgreSQL sums a bigint to numeric).
    static let sumOfCounts = SQLRaw("CAST(SUM(\"count\") AS BIGINT)")

    /// `YYYY-MM-DD` of the first day of the `days` days ending on the day of `now`.
    static func firstDay(days: Int, now: Date) -> String {
        VisitCounter.dayString(VisitCounter.day(of: now) - max(1, days) + 1)
    }

    /// Visits per day of one unit since `from` (`YYYY-MM-DD`), newest first.
    static func days(unitID: UUID, from: String, on db: any Database) async throws -> [(day: String, count: Int)] {
        guard let sql = db as? any SQLDatabase else { return [] }
        struct Row: Decodable { let day: String; let n: Int64 }
        return try await sql.select().column("day").column(SQLAlias(sumOfCounts, as: SQLIdentifier("n")))
            .from(PageVisit.schema).where("unit_id", .equal, SQLBind(unitID)).where("day", .greaterThanOrEqual, SQLBind(from))
            .groupBy("day").orderBy("day", .descending).all(decoding: Row.self).map { ($0.day, Int($0.n)) }
    }

    /// A unit's pages by visits since `from`, most visited first (ties by path), a page of them.
    static func pages(unitID: UUID, from: String, offset: Int, limit: Int, on db: any Database) async throws -> (rows: [(path: String, count: Int)], total: Int) {
        guard let sql = db as? any SQLDatabase else { return ([], 0) }
        struct Row: Decodable { let path: String; let n: Int64 }
        struct Count: Decodable { let n: Int64 }
        let total = try await sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLDistinct(SQLColumn("path"))), as: SQLIdentifier("n")))
            .from(PageVisit.schema).where("unit_id", .equal, SQLBind(unitID)).where("day", .greaterThanOrEqual, SQLBind(from))
            .first(decoding: Count.self)?.n ?? 0
        let rows = try await sql.select().column("path").column(SQLAlias(sumOfCounts, as: SQLIdentifier("n")))
            .from(PageVisit.schema).where("unit_id", .equal, SQLBind(unitID)).where("day", .greaterThanOrEqual, SQLBind(from))
            .groupBy("path").orderBy(SQLIdentifier("n"), SQLDirection.descending).orderBy("path").limit(limit).offset(offset)
            .all(decoding: Row.self)
        return (rows.map { ($0.path, Int($0.n)) }, Int(total))
    }

    /// Visits since `from` of each of these units (those without any are absent).
    static func totals(unitIDs: [UUID], from: String, on db: any Database) async throws -> [UUID: Int] {
        guard let sql = db as? any SQLDatabase, !unitIDs.isEmpty else { return [:] }
        struct Row: Decodable { let unit_id: UUID; let n: Int64 }
        var totals: [UUID: Int] = [:]
        for start in stride(from: 0, to: unitIDs.count, by: 500) {
            let batch = Array(unitIDs[start..<min(unitIDs.count, start + 500)])
            let rows = try await sql.select().column("unit_id").column(SQLAlias(sumOfCounts, as: SQLIdentifier("n")))
                .from(PageVisit.schema).where("unit_id", .in, SQLBind.group(batch)).where("day", .greaterThanOrEqual, SQLBind(from))
                .groupBy("unit_id").all(decoding: Row.self)
            for row in rows { totals[row.unit_id] = Int(row.n) }
        }
        return totals
    }
}
