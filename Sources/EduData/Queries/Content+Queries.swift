import EduCore
import FluentKit
import Foundation
import SQLKit

extension Category {
    /// Creates the categories a unit of this type starts with (skipping any that exist).
    public static func createDefaults(for unit: OrgUnit, on db: any Database) async throws {
        try await createDefaults(unitID: try unit.requireID(), type: unit.type, on: db)
    }

    public static func createDefaults(unitID: UUID, type: UnitType, on db: any Database) async throws {
        let existing = Set(try await Category.query(in: unitID, on: db).all().map(\.slug))
        for (position, category) in DefaultCategories.forType(type).enumerated() where !existing.contains(category.slug) {
            try await Category(
                unitID: unitID, slug: category.slug, name: category.name, position: position,
                updateIntervalDays: category.updateIntervalDays
            ).create(on: db)
        }
    }

    public static func list(unitID: UUID, on db: any Database) async throws -> [Category] {
        try await Category.query(in: unitID, on: db).sort(\.$position).sort(\.$name).all()
    }

    public static func find(unitID: UUID, slug: String, on db: any Database) async throws -> Category? {
        try await Category.query(in: unitID, on: db).filter(\.$slug == slug).first()
    }
}

/// What articles and documents share: the public window as a query (the query form of
/// `Workflow.isPublic`, the one rule), the next scheduled change, and the check on one item.
extension WorkflowItem {
    /// Items the public may see at `unitID`: published and inside their window.
    public static func publicQuery(unitID: UUID, now: Date = Date(), on db: any Database) -> QueryBuilder<Self> {
        query(on: db)
            .filter(unitKey == unitID)
            .filter(stateKey == ContentState.daDang.rawValue)
            .group(.or) { $0.filter(publishAtKey == nil).filter(publishAtKey <= now) }
            .group(.or) { $0.filter(expiresAtKey == nil).filter(expiresAtKey > now) }
    }

    /// `publicQuery` for long reads made with SQLKit rather than Fluent's models, which decode each
    /// row by reflection over every property of the model (about 0.1 ms an article: a sitemap of
    /// 40,000 items took 5 s so). The same window, from the same keys; the caller names columns.
    public static func publicSelect(_ sql: any SQLDatabase, unitID: UUID, now: Date = Date()) -> SQLSelectBuilder {
        let model = Self()
        let unit = model[keyPath: unitKey].key.description, state = model[keyPath: stateKey].key.description
        let publishAt = model[keyPath: publishAtKey].key.description, expiresAt = model[keyPath: expiresAtKey].key.description
        return sql.select().from(schema)
            .where(SQLColumn(unit), .equal, SQLBind(unitID))
            .where(SQLColumn(state), .equal, SQLBind(ContentState.daDang.rawValue))
            .where { $0.where(SQLColumn(publishAt), .is, SQLLiteral.null).orWhere(SQLColumn(publishAt), .lessThanOrEqual, SQLBind(now)) }
            .where { $0.where(SQLColumn(expiresAt), .is, SQLLiteral.null).orWhere(SQLColumn(expiresAt), .greaterThan, SQLBind(now)) }
    }

    /// The next moment one of the unit's published items is due to appear or expire.
    public static func nextScheduledChange(unitID: UUID, after now: Date, on db: any Database) async throws -> Date? {
        let published = query(on: db).filter(unitKey == unitID).filter(stateKey == ContentState.daDang.rawValue)
        let appears = try await published.copy().filter(publishAtKey > now).sort(publishAtKey).first()?[keyPath: publishAtKey].value ?? nil
        let expires = try await published.copy().filter(expiresAtKey > now).sort(expiresAtKey).first()?[keyPath: expiresAtKey].value ?? nil
        return [appears, expires].compactMap { $0 }.min()
    }

    /// Whether the public may see this item now.
    public func isPublic(now: Date = Date()) -> Bool {
        Workflow.isPublic(state: state, publishAt: publishAt, expiresAt: expiresAt, now: now)
    }
}

extension Article {
    /// The article at `unitID` with this slug, if the public may see it.
    public static func findPublic(unitID: UUID, slug: String, now: Date = Date(), on db: any Database) async throws -> Article? {
        try await publicQuery(unitID: unitID, now: now, on: db).filter(\.$slug == slug).first()
    }

    /// The article with this id, only within `unitID` (tenancy: never across units).
    public static func find(_ id: UUID, unitID: UUID, on db: any Database) async throws -> Article? {
        try await Article.query(in: unitID, on: db).filter(\.$id == id).first()
    }

    /// A slug unique within the unit, from the title.
    public static func uniqueSlug(for title: String, unitID: UUID, excluding: UUID? = nil, on db: any Database) async throws -> String {
        let base = Slug.make(title, maxLength: 80).isEmpty ? "bai-viet" : Slug.make(title, maxLength: 80)
        var candidate = base
        var counter = 2
        while let other = try await Article.query(in: unitID, on: db).filter(\.$slug == candidate).first(),
            other.id != excluding
        {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        return candidate
    }
}
