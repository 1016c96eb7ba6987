import EduData
import Fluent
import Foundation

/// A catalogue entry that is public once an editorial head publishes it (procedures,
/// procurement, the other information of Article 10).
protocol PublishedEntry: UnitOwned {
    var publishedAt: Date? { get set }
    /// What the audit log names it by.
    var auditName: String { get }
    /// The first part of its audit actions (`procedure` → `procedure.publish`).
    static var auditPrefix: String { get }
}

enum Publishing {
    /// Publishes or withdraws `entry` (keeping its first publication date), audited, and marks
    /// the unit's pages changed.
    static func set<Entry: PublishedEntry>(_ entry: Entry, _ published: Bool, unit: ResolvedUnit, by actor: AuditActor, now: Date = Date(),
                                           on db: any Database) async throws {
        entry.publishedAt = published ? (entry.publishedAt ?? now) : nil
        let saved = entry
        try await db.transaction { tx in
            try await saved.save(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: Entry.auditPrefix + (published ? ".publish" : ".unpublish"),
                                        target: String(saved.auditName.prefix(120)), on: tx)
            try await OrgUnit.touch(unit.id, on: tx)
        }
    }
}

extension Procedure: PublishedEntry {
    var auditName: String { name }
    static var auditPrefix: String { "procedure" }
}

extension ProcurementItem: PublishedEntry {
    var auditName: String { title }
    static var auditPrefix: String { "procurement" }
}

extension SectionEntry: PublishedEntry {
    var auditName: String { title }
    static var auditPrefix: String { "section" }
}
