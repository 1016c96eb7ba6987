import EduCore
import EduData
import Fluent
import Vapor

/// How often the unit's portal was visited: totals, days, the most visited pages and, for a unit
/// with units below it, theirs, over 7 days, 30 days or a year.
struct VisitsPage: PageView {
    static let template = "admin/visits"
    static let pageSize = 50

    struct Total {
        let label: String
        let count: String
    }

    struct Period {
        let label: String
        let url: String
        let current: Bool
    }

    struct DayRow {
        let day: String
        let count: String
    }

    struct PageRow {
        let path: String
        let url: String
        let count: String
    }

    struct UnitRow {
        let rank: Int
        let name: String
        let type: String
        let url: String?
        let count: String
    }

    let layout: LayoutVM
    let heading: String
    let unitName: String
    let periodLabel: String
    let totals: [Total]
    let periods: [Period]
    let days: [DayRow]
    let pages: [PageRow]
    let pagesPager: Pager
    let units: [UnitRow]
    let unitsPager: Pager
    let hasUnits: Bool
    /// Said when this deployment does not count visits.
    let off: Bool
}

extension VisitsPage {
    /// Vietnamese groups thousands with a dot.
    static func number(_ n: Int) -> String { VietnameseNumber.grouped(n) }

    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, now: Date = Date()) async throws -> VisitsPage {
        let requested = (try? req.query.get(Int.self, at: "ky")) ?? 30
        let period = VisitService.periods.contains(requested) ? requested : 30
        let page = max(1, min((try? req.query.get(Int.self, at: "trang")) ?? 1, 10_000))
        let unitPage = max(1, min((try? req.query.get(Int.self, at: "trang-don-vi")) ?? 1, 10_000))
        let own = SiteURL.adminVisits(code: .value(unit.code)).path
        func url(period: Int, page: Int = 1, unitPage: Int = 1) -> String {
            own + "?ky=\(period)" + (page > 1 ? "&trang=\(page)" : "") + (unitPage > 1 ? "&trang-don-vi=\(unitPage)" : "")
        }

        let year = try await VisitService.days(unitID: unit.id, from: VisitService.firstDay(days: 365, now: now), on: req.db)
        func sum(_ days: Int) -> Int {
            let from = VisitService.firstDay(days: days, now: now)
            return year.filter { $0.day >= from }.reduce(0) { $0 + $1.count }
        }
        let totals = [("Hôm nay", 1), ("7 ngày", 7), ("30 ngày", 30), ("365 ngày", 365)].map { Total(label: $0.0, count: number(sum($0.1))) }

        // Every day of the period, days without visits included (at most 30 rows; a year by month would be another page).
        let today = VisitCounter.day(of: now)
        let byDay = Dictionary(year.map { ($0.day, $0.count) }, uniquingKeysWith: +)
        let shownDays = min(period, 30)
        let days = (0..<shownDays).map { offset -> DayRow in
            let day = VisitCounter.dayString(today - offset)
            return DayRow(day: VietnameseDate.day(VisitCounter.date(ofDay: today - offset)), count: number(byDay[day] ?? 0))
        }

        let from = VisitService.firstDay(days: period, now: now)
        let (rows, distinct) = try await VisitService.pages(unitID: unit.id, from: from, offset: (page - 1) * pageSize, limit: pageSize, on: req.db)
        let base = req.publicLinks.url(for: unit)
        let pages = rows.map { row in
            PageRow(path: row.path == VisitCounter.otherPath ? "Các trang khác (quá nhiều trang khác nhau trong một phút)" : row.path,
                    url: row.path == VisitCounter.otherPath ? "" : String(base.dropLast()) + row.path, count: number(row.count))
        }
        let paging = Paging(total: distinct, size: pageSize, requested: page)

        // Units below, ranked by visits (those without any at the end, by name).
        var unitRows: [UnitRow] = []
        var unitPaging = Paging(total: 0, size: pageSize, requested: 1)
        let below = try await OrgUnit.subtree(ofPath: unit.path, on: req.db).filter { $0.id != unit.id }
        if !below.isEmpty {
            let totals = try await VisitService.totals(unitIDs: below.compactMap(\.id), from: from, on: req.db)
            let ranked = below.sorted { a, b in
                let x = totals[a.id!] ?? 0, y = totals[b.id!] ?? 0
                return x != y ? x > y : a.name.localizedStandardCompare(b.name) == .orderedAscending
            }
            unitPaging = Paging(total: ranked.count, size: pageSize, requested: unitPage)
            unitRows = ranked.enumerated().map { ($0.offset, $0.element) }[unitPaging.range.clamped(to: 0..<ranked.count)].map { index, child in
                UnitRow(rank: index + 1, name: child.name, type: child.type.label,
                        url: admin.may(.viewUnit, on: child) ? SiteURL.adminVisits(code: .value(child.code)).path + "?ky=\(period)" : nil,
                        count: number(totals[child.id!] ?? 0))
            }
        }
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Lượt truy cập", url: own)])
        return VisitsPage(
            layout: LayoutVM.make(req, title: "Lượt truy cập: \(unit.name)", admin: true, breadcrumbs: crumbs),
            heading: "Lượt truy cập cổng thông tin", unitName: unit.name,
            periodLabel: period == 365 ? "365 ngày" : "\(period) ngày",
            totals: totals,
            periods: VisitService.periods.map { Period(label: "\($0) ngày", url: url(period: $0), current: $0 == period) },
            days: days, pages: pages, pagesPager: Pager(paging, url: { url(period: period, page: $0, unitPage: unitPage) }),
            units: unitRows, unitsPager: Pager(unitPaging, url: { url(period: period, page: page, unitPage: $0) }), hasUnits: !unitRows.isEmpty, off: req.config.visits == .off)
    }
}
