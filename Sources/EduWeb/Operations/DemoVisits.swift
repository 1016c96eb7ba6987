import EduCore
import EduData
import Foundation
import Vapor

/// The demo's visit counts: sixty days of page views for every unit, so the staff page and the
/// ranking by visits have something to show. Deterministic per unit (the same demo each time):
/// the Sở busiest, weekends quieter, the news and the exam lookup most read.
enum DemoVisits {
    static let days = 60
    static let pages: [(path: String, weight: Int)] = [
        ("/", 40), ("/tin-tuc", 18), ("/van-ban", 6), ("/thu-tuc-hanh-chinh", 4), ("/tuyen-sinh", 8), ("/tra-cuu-diem-thi", 12),
        ("/cong-khai", 3), ("/thong-ke", 2), ("/lien-he", 2), ("/gioi-thieu", 5),
    ]

    static func create(units: [String: OrgUnit], app: Application, now: Date = Date()) async throws {
        let counter = VisitCounter()
        let today = VisitCounter.day(of: now)
        for (code, unit) in units {
            guard let id = unit.id else { continue }
            // A small generator seeded by the unit's code (FNV-1a), so each unit has its own pattern.
            var state = code.utf8.reduce(UInt64(0xcbf29ce484222325)) { ($0 ^ UInt64($1)) &* 0x100000001b3 }
            func next(_ bound: Int) -> Int {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Int((state >> 33) % UInt64(max(1, bound)))
            }
            let scale = unit.type == .so ? 12 : (unit.type.isManagementAgency ? 4 : 1 + next(3))
            for offset in 0..<days {
                let day = today - offset
                let weekday = (day + 4) % 7  // 1970-01-01 was a Thursday: 0 = Sunday
                let quiet = weekday == 0 || weekday == 6
                for page in pages where !(page.path == "/thu-tuc-hanh-chinh" && !unit.type.isManagementAgency) {
                    let base = page.weight * scale * (quiet ? 1 : 2)
                    let count = base / 2 + next(base + 1)
                    if count > 0 { counter.add(unit: id, day: day, path: page.path, count: count) }
                }
            }
        }
        try await counter.flush(on: app.db)
    }
}
