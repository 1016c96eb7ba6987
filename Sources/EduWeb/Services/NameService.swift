import EduCore
import EduData
import Fluent
import Foundation

/// Who may hold which hostname and mail domain. A unit holds its own `<code>.<base domain>`
/// (and names below it) by right; any other name must lie under a suffix the Sở has delegated
/// to the unit's subtree, and an admin of a unit above must approve it (an admin of a unit
/// above asking for it is that approval). Names held by another unit, names below them, and
/// public providers are refused for everyone; the operator's CLI assigns any other name.
enum NameService {
    /// How much the one asking may decide alone.
    enum Authority: Equatable {
        /// The CLI or the system (the demo): any name no other unit holds.
        case `operator`
        /// An admin of a unit above (for the top unit: its own admins): delegated names at once.
        case ancestor
        /// The unit's own admin: its own namespace at once, delegated names by request.
        case unit
    }

    enum Verdict: Equatable {
        case granted
        case needsApproval
        case refused(String)
    }

    /// The unit a name is judged for: an existing unit, or one being created under a parent.
    struct Claimant {
        let id: UUID?
        let code: String
        /// From the root down to the parent.
        let ancestorIDs: [UUID]

        init(_ unit: ResolvedUnit) {
            id = unit.id
            code = unit.code
            ancestorIDs = unit.ancestorIDs
        }

        init(newChild code: String, under parent: ResolvedUnit) {
            id = nil
            self.code = code
            ancestorIDs = parent.ancestorIDs + [parent.id]
        }

        func isSelfOrAncestor(_ unitID: UUID) -> Bool { unitID == id || ancestorIDs.contains(unitID) }
    }

    static func authority(_ admin: AdminContext, over unit: ResolvedUnit) -> Authority {
        let ref = unit.ref
        guard let parentID = ref.ancestorIDs.last else {
            return admin.may(.editUnit, on: unit) ? .ancestor : .unit
        }
        let parent = UnitRef(id: parentID, ancestorIDs: Array(ref.ancestorIDs.dropLast()))
        return Permissions.allows(admin.grants, .editUnit, on: parent) ? .ancestor : .unit
    }

    /// Whether this person may hand suffixes to subtrees: an admin of the top unit.
    static func mayDelegate(_ admin: AdminContext, in unit: ResolvedUnit) -> Bool {
        let ref = unit.ref
        let root = UnitRef(id: ref.ancestorIDs.first ?? ref.id, ancestorIDs: [])
        return Permissions.allows(admin.grants, .editUnit, on: root)
    }

    /// `name` and every domain above it (`a.b.c.vn`, `b.c.vn`, `c.vn`).
    static func selfAndParents(_ name: String) -> [String] {
        var labels = name.split(separator: ".").map(String.init)
        var out: [String] = []
        while labels.count >= 2 {
            out.append(labels.joined(separator: "."))
            labels.removeFirst()
        }
        return out
    }

    /// The verdict on `name` for `claimant`. `name` is already lower case and a valid hostname.
    static func judge(_ name: String, for claimant: Claimant, authority: Authority, baseDomain: String, on db: any Database) async throws -> Verdict {
        if let provider = NameRules.reservedOwner(of: name) {
            return .refused("Tên miền \(name) thuộc \(provider), không phải của đơn vị; không thể dùng làm tên miền của đơn vị.")
        }
        let candidates = selfAndParents(name)
        // Names other units hold: the name itself, or a domain above it, as a hostname, a mail
        // domain or a unit's own namespace. A unit above the claimant may hold a domain above it.
        var holders: [(unitID: UUID, name: String)] = []
        if !candidates.isEmpty {
            holders += try await UnitHostname.query(on: db).filter(\.$hostname ~~ candidates).all().map { ($0.unitID, $0.hostname) }
            holders += try await MailDomainRecord.query(on: db).filter(\.$domain ~~ candidates).all().map { ($0.unitID, $0.domain) }
            let codes = candidates.compactMap { candidate -> String? in
                guard candidate.hasSuffix("." + baseDomain) else { return nil }
                let code = String(candidate.dropLast(baseDomain.count + 1))
                return code.contains(".") ? nil : code
            }
            if !codes.isEmpty {
                for unit in try await OrgUnit.query(on: db).filter(\.$code ~~ codes).all() {
                    holders.append((try unit.requireID(), NameRules.ownNamespace(code: unit.code, baseDomain: baseDomain)))
                }
            }
        }
        for holder in holders where holder.unitID != claimant.id {
            if holder.name == name || !claimant.ancestorIDs.contains(holder.unitID) {
                let owner = try await OrgUnit.find(holder.unitID, on: db)
                let what = holder.name == name ? "Tên miền \(name)" : "Tên miền \(name) nằm dưới \(holder.name), tên miền"
                return .refused("\(what) đã thuộc \(owner?.name ?? "đơn vị khác"); đơn vị không thể dùng.")
            }
        }
        if NameRules.isWithin(name, NameRules.ownNamespace(code: claimant.code, baseDomain: baseDomain)) {
            return .granted
        }
        // Suffixes delegated to a subtree belong to it: a unit outside that subtree cannot take
        // a name under them (this is also how the operator reserves names for later).
        let delegations = candidates.isEmpty ? [] : try await NameDelegation.query(on: db).filter(\.$suffix ~~ candidates).all()
        if let foreign = delegations.first(where: { !claimant.isSelfOrAncestor($0.unitID) }) {
            let owner = try await OrgUnit.find(foreign.unitID, on: db)
            return .refused("Tên miền \(name) nằm trong phần \(foreign.suffix) đã giao cho \(owner?.name ?? "đơn vị khác"); đơn vị không thể dùng.")
        }
        if authority == .operator { return .granted }
        // A suffix itself goes only to the unit it was delegated to; names below it to its whole subtree.
        let covered = delegations.contains { d in d.suffix != name || d.unitID == claimant.id }
        guard covered else {
            let scope = claimant.ancestorIDs + (claimant.id.map { [$0] } ?? [])
            let offered = scope.isEmpty ? [] : Set(try await NameDelegation.query(on: db).filter(\.$unitID ~~ scope).all().map(\.suffix)).sorted()
            let hint = offered.isEmpty
                ? "Chưa có hậu tố tên miền nào được giao cho đơn vị."
                : "Đơn vị được xin tên miền dưới: \(offered.joined(separator: ", "))."
            return .refused("Tên miền \(name) nằm ngoài các tên miền được giao cho đơn vị. \(hint) Liên hệ quản trị Sở để được giao thêm.")
        }
        return authority == .ancestor ? .granted : .needsApproval
    }

    // MARK: - Requests

    /// Files a request for a unit above to approve; a pending request for the same name is reused.
    @discardableResult
    static func request(_ name: String, kind: NameRequest.Kind, for unit: ResolvedUnit, by actor: AuditActor, on db: any Database) async throws -> NameRequest {
        if let existing = try await NameRequest.query(in: unit, on: db).filter(\.$name == name).filter(\.$kindCode == kind.rawValue)
            .filter(\.$stateCode == NameRequest.State.pending.rawValue).first()
        {
            return existing
        }
        let request = NameRequest(unitID: unit.id, kind: kind, name: name, requestedBy: actor.name)
        try await request.create(on: db)
        try await AuditEntry.record(actor, unitID: unit.id, action: "name.request", target: name, detail: kind.label, on: db)
        return request
    }

    /// Pending requests this person may decide, oldest first.
    static func pendingRequests(decidableBy admin: AdminContext, on db: any Database) async throws -> [(NameRequest, ResolvedUnit)] {
        let pending = try await NameRequest.query(on: db).filter(\.$stateCode == NameRequest.State.pending.rawValue)
            .sort(\.$createdAt).limit(500).all()
        var out: [(NameRequest, ResolvedUnit)] = []
        for request in pending {
            guard let unit = try await OrgUnit.find(request.unitID, on: db) else { continue }
            let resolved = try await unit.resolved(on: db)
            if authority(admin, over: resolved) == .ancestor { out.append((request, resolved)) }
        }
        return out
    }

    enum DecisionError: Error { case notYours, notPending }

    /// Approves a request: judged again (another unit may have taken the name meanwhile), then
    /// the name is the unit's. Throws `FormErrors` when the name can no longer be given.
    static func approve(_ request: NameRequest, by actor: AuditActor, baseDomain: String, on db: any Database) async throws {
        guard request.state == .pending else { throw DecisionError.notPending }
        guard let unit = try await OrgUnit.find(request.unitID, on: db) else { throw DecisionError.notPending }
        let resolved = try await unit.resolved(on: db)
        if case .refused(let why) = try await judge(request.name, for: Claimant(resolved), authority: .ancestor, baseDomain: baseDomain, on: db) {
            throw FormErrors.field("request", why)
        }
        try await db.transaction { db in
            switch request.kind {
            case .hostname:
                if try await UnitHostname.query(on: db).filter(\.$hostname == request.name).first() == nil {
                    try await UnitHostname(unitID: resolved.id, hostname: request.name).create(on: db)
                }
                try await OrgUnit.touch(resolved.id, on: db)
            case .mailDomain:
                if try await MailDomainRecord.query(on: db).filter(\.$domain == request.name).first() == nil {
                    try await MailDomainRecord(unitID: resolved.id, domain: request.name).create(on: db)
                }
            }
            request.stateCode = NameRequest.State.approved.rawValue
            request.decidedBy = actor.name
            request.decidedAt = Date()
            try await request.save(on: db)
            try await AuditEntry.record(actor, unitID: resolved.id, action: "name.approve", target: request.name, detail: request.kind.label, on: db)
        }
    }

    static func reject(_ request: NameRequest, reason: String, by actor: AuditActor, on db: any Database) async throws {
        guard request.state == .pending else { throw DecisionError.notPending }
        try await db.transaction { db in
            request.stateCode = NameRequest.State.rejected.rawValue
            request.decidedBy = actor.name
            request.reason = reason
            request.decidedAt = Date()
            try await request.save(on: db)
            try await AuditEntry.record(actor, unitID: request.unitID, action: "name.reject", target: request.name, detail: reason, on: db)
        }
    }

    // MARK: - Delegations

    static func delegate(_ raw: String, to unit: ResolvedUnit, by actor: AuditActor, on db: any Database) async throws -> NameDelegation {
        let suffix = raw.trimmingCharacters(in: .whitespaces).lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "*."))
        guard Validation.isDomain(suffix) else {
            throw FormErrors.field("suffix", "Hậu tố tên miền không hợp lệ (ví dụ đúng: ninhbinh.edu.vn).")
        }
        if let provider = NameRules.reservedOwner(of: suffix) {
            throw FormErrors.field("suffix", "\(suffix) thuộc \(provider), không thể giao cho đơn vị.")
        }
        if try await NameDelegation.query(in: unit, on: db).filter(\.$suffix == suffix).first() != nil {
            throw FormErrors.field("suffix", "Đơn vị đã được giao \(suffix).")
        }
        let delegation = NameDelegation(unitID: unit.id, suffix: suffix, createdBy: actor.name)
        try await db.transaction { db in
            try await delegation.create(on: db)
            try await AuditEntry.record(actor, unitID: unit.id, action: "name.delegate", target: suffix, on: db)
        }
        return delegation
    }

    static func removeDelegation(_ delegation: NameDelegation, by actor: AuditActor, on db: any Database) async throws {
        try await db.transaction { db in
            try await delegation.delete(on: db)
            try await AuditEntry.record(actor, unitID: delegation.unitID, action: "name.undelegate", target: delegation.suffix, on: db)
        }
    }
}
