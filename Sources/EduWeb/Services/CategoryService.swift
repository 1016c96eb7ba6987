import EduCore
import EduData
import Fluent
import Vapor

/// A unit's news categories: names and how often each must be updated (A11.2).
enum CategoryService {
    /// Renames categories and sets their update intervals from the form (`name-<id>`,
    /// `interval-<id>`); all or nothing, one audit line listing the changes.
    static func save(form: [String: String], unit: ResolvedUnit, by actor: AuditActor, on db: any Database) async throws {
        let unitID = unit.id
        let categories = try await Category.list(unitID: unitID, on: db)
        var changes: [String] = []
        for category in categories {
            let id = try category.requireID().uuidString
            let name = TextNormalizer.normalize(form["name-" + id] ?? category.name, maxLength: 200)
            let rawInterval = TextNormalizer.normalize(form["interval-" + id] ?? "", maxLength: 10)
            guard !name.isEmpty else { throw FormErrors(form: "Tên chuyên mục không được để trống.") }
            var interval: Int?
            if !rawInterval.isEmpty {
                guard let days = Int(rawInterval), (1...3650).contains(days) else {
                    throw FormErrors(form: "Chu kỳ cập nhật của «\(name)» phải là số ngày từ 1 đến 3650, hoặc để trống.")
                }
                interval = days
            }
            if name != category.name || interval != category.updateIntervalDays {
                changes.append("\(name): \(interval.map { "\($0) ngày" } ?? "không hạn")")
                category.name = name
                category.updateIntervalDays = interval
            }
        }
        let changed = changes
        try await db.transaction { db in
            for category in categories { try await category.save(on: db) }
            try await OrgUnit.touch(unitID, on: db)
            if !changed.isEmpty {
                try await AuditEntry.record(
                    actor, unitID: unitID, action: "category.update", target: unit.name, detail: changed.joined(separator: "; "), on: db)
            }
        }
    }
}
