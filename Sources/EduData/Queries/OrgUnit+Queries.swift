import EduCore
import FluentKit
import Foundation
import SQLKit

extension OrgUnit {
    /// Marks the unit's public pages as changed. Its parent's too: their footers and "units
    /// below" lists show the unit's name and links.
    public static func touch(_ unitID: UUID, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("UPDATE \(ident: OrgUnit.schema) SET content_version = content_version + 1 WHERE id = \(bind: unitID)").run()
        try await ClusterChannel.announce(.unit(unitID), on: db)
    }

    public static func find(code: String, on db: any Database) async throws -> OrgUnit? {
        try await OrgUnit.query(on: db).filter(\.$code == code.lowercased()).first()
    }

    /// The unit that answers for a request's `Host`: an exact hostname, else `<code>.<base domain>`.
    public static func find(host: String, baseDomain: String, on db: any Database) async throws -> OrgUnit? {
        if let entry = try await UnitHostname.query(on: db).filter(\.$hostname == host).first() {
            return try await OrgUnit.find(entry.unitID, on: db)
        }
        let suffix = "." + baseDomain
        if !baseDomain.isEmpty, host.hasSuffix(suffix) {
            let code = String(host.dropLast(suffix.count))
            if !code.contains("."), Slug.isValid(code) { return try await OrgUnit.find(code: code, on: db) }
        }
        return nil
    }

    /// The unit and everything below it, ordered as a tree (by path).
    public static func subtree(of root: OrgUnit, on db: any Database) async throws -> [OrgUnit] {
        try await subtree(ofPath: root.path, on: db)
    }

    /// The unit whose tree path is `path` and every unit below it.
    /// Units that ended (merged, dissolved) are left out unless asked for.
    public static func subtree(ofPath path: String, includingEnded: Bool = false, on db: any Database) async throws -> [OrgUnit] {
        let query = OrgUnit.query(on: db)
            .filter(\.$path =~ path)  // prefix match (LIKE 'path%'); paths hold only hex and '/'
        if !includingEnded { query.filter(\.$stateCode == UnitState.active.rawValue) }
        return try await query.sort(\.$depth).sort(\.$name).all()
    }

    /// Every unit (root first, then by code) with its hostnames, for the open directory.
    public static func directory(on db: any Database) async throws -> ([OrgUnit], [UUID: [String]]) {
        let units = try await OrgUnit.query(on: db).filter(\.$stateCode == UnitState.active.rawValue).sort(\.$depth).sort(\.$code).all()
        let hostRows = try await UnitHostname.query(on: db).sort(\.$hostname).all()
        return (units, Dictionary(grouping: hostRows, by: \.unitID).mapValues { $0.map(\.hostname) })
    }

    public static func children(of parentID: UUID, on db: any Database) async throws -> [OrgUnit] {
        try await OrgUnit.query(on: db).filter(\.$parentID == parentID).filter(\.$stateCode == UnitState.active.rawValue).sort(\.$name).all()
    }

    /// From the root down to the parent.
    public func ancestors(on db: any Database) async throws -> [OrgUnit] {
        let ids = ancestorIDs
        guard !ids.isEmpty else { return [] }
        let units = try await OrgUnit.query(on: db).filter(\.$id ~~ ids).all()
        return units.sorted { $0.depth < $1.depth }
    }

    public func hostnames(on db: any Database) async throws -> [String] {
        try await UnitHostname.query(on: db).filter(\.$unitID == requireID()).sort(\.$hostname).all().map(\.hostname)
    }

    /// The tree's shape rules, as stored.
    public static func treeRules(on db: any Database) async throws -> UnitTreeRules {
        let rows = try await UnitTypeRule.query(on: db).all()
        return UnitTreeRules(pairs: rows.compactMap { row in
            guard let parent = UnitType(rawValue: row.parentType), let child = UnitType(rawValue: row.childType) else { return nil }
            return (parent: parent, child: child)
        })
    }
}

extension User {
    public static func find(email: String, on db: any Database) async throws -> User? {
        try await User.query(on: db).filter(\.$email == email.lowercased()).first()
    }

    /// The user's grants, with each unit's position in the tree, for the permission rules.
    public func grants(on db: any Database) async throws -> [Grant] {
        let rows = try await RoleGrant.query(on: db).filter(\.$userID == requireID()).all()
        guard !rows.isEmpty else { return [] }
        let units = try await OrgUnit.query(on: db).filter(\.$id ~~ rows.map(\.unitID)).all()
        let byID = Dictionary(uniqueKeysWithValues: units.compactMap { unit in unit.id.map { ($0, unit) } })
        return rows.compactMap { row in
            guard let role = row.role, let unit = byID[row.unitID] else { return nil }
            return Grant(role: role, unit: unit.ref)
        }
    }
}
