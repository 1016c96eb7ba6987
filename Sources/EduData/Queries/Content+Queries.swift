import EduCore
import FluentKit
import Foundation

extension Category {
    /// Creates the categories a unit of this type starts with (skipping any that exist).
    public static func createDefaults(for unit: OrgUnit, on db: any Database) async throws {
        try await createDefaults(unitID: try unit.requireID(), type: unit.type, on: db)
    }

    public static func createDefaults(unitID: UUID, type: UnitType, on db: any Database) async throws {
        let existing = Set(try await Category.query(on: db).filter(\.$unitID == unitID).all().map(\.slug))
        for (position, category) in DefaultCategories.forType(type).enumerated() where !existing.contains(category.slug) {
            try await Category(
                unitID: unitID, slug: category.slug, name: category.name, position: position,
                updateIntervalDays: category.updateIntervalDays
            ).create(on: db)
        }
    }

    public static func list(unitID: UUID, on db: any Database) async throws -> [Category] {
        try await Category.query(on: db).filter(\.$unitID == unitID).sort(\.$position).sort(\.$name).all()
    }

    public static func find(unitID: UUID, slug: String, on db: any Database) async throws -> Category? {
        try await Category.query(on: db).filter(\.$unitID == unitID).filter(\.$slug == slug).first()
    }
}

extension Article {
    /// Articles the public may see at `unitID`: published and inside their window.
    public static func publicQuery(unitID: UUID, now: Date = Date(), on db: any Database) -> QueryBuilder<Article> {
        Article.query(on: db)
            .filter(\.$unitID == unitID)
            .filter(\.$stateCode == ContentState.daDang.rawValue)
            .group(.or) { $0.filter(\.$publishAt == nil).filter(\.$publishAt <= now) }
            .group(.or) { $0.filter(\.$expiresAt == nil).filter(\.$expiresAt > now) }
    }

    /// The article at `unitID` with this slug, if the public may see it.
    public static func findPublic(unitID: UUID, slug: String, now: Date = Date(), on db: any Database) async throws -> Article? {
        try await publicQuery(unitID: unitID, now: now, on: db).filter(\.$slug == slug).first()
    }

    /// The article with this id, only within `unitID` (tenancy: never across units).
    public static func find(_ id: UUID, unitID: UUID, on db: any Database) async throws -> Article? {
        try await Article.query(on: db).filter(\.$id == id).filter(\.$unitID == unitID).first()
    }

    /// A slug unique within the unit, from the title.
    public static func uniqueSlug(for title: String, unitID: UUID, excluding: UUID? = nil, on db: any Database) async throws -> String {
        let base = Slug.make(title, maxLength: 80).isEmpty ? "bai-viet" : Slug.make(title, maxLength: 80)
        var candidate = base
        var counter = 2
        while let other = try await Article.query(on: db).filter(\.$unitID == unitID).filter(\.$slug == candidate).first(),
            other.id != excluding
        {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        return candidate
    }
}
