import EduCore
import FluentKit
import Foundation

/// A unit as a request sees it: an immutable value, safe to share between concurrent requests
/// (the host cache holds these, never a Fluent model). The admin's unit scope and the public
/// portal both hand handlers one of these; a service that changes the unit loads its row.
public struct ResolvedUnit: Sendable, Equatable {
    // identity
    public let id: UUID
    public let code: String
    public let type: UnitType
    public let parentID: UUID?
    /// `/<root id>/…/<own id>/`
    public let path: String
    public let depth: Int
    // data
    public let name: String
    public let nameEn: String
    public let mailDomain: String
    public let address: String
    public let phone: String
    public let email: String
    public let headName: String
    public let headTitle: String
    public let portalContactName: String
    public let portalContactEmail: String
    public let portalContactPhone: String
    public let mailContactName: String
    public let mailContactEmail: String
    public let mailContactPhone: String
    public let requireTOTPForAdmins: Bool
    /// Bumped whenever the unit's public pages change (the page cache keys on it).
    public let contentVersion: Int
    /// Its own hostnames, sorted (may be empty: `<code>.<base domain>` still reaches it).
    public let hostnames: [String]
    /// Ended units answer their hostnames with a redirect to the successor.
    public let state: UnitState
    public let successorID: UUID?
    /// The national monitoring system's script address (empty: none).
    public let monitoringScript: String
    /// `https://host[:port]` of that script, for the unit's Content-Security-Policy.
    public let monitoringOrigin: String?

    public init(_ unit: OrgUnit, hostnames: [String]) throws {
        id = try unit.requireID()
        code = unit.code
        type = unit.type
        parentID = unit.parentID
        path = unit.path
        depth = unit.depth
        name = unit.name
        nameEn = unit.nameEn
        mailDomain = unit.mailDomain
        address = unit.address
        phone = unit.phone
        email = unit.email
        headName = unit.headName
        headTitle = unit.headTitle
        portalContactName = unit.portalContactName
        portalContactEmail = unit.portalContactEmail
        portalContactPhone = unit.portalContactPhone
        mailContactName = unit.mailContactName
        mailContactEmail = unit.mailContactEmail
        mailContactPhone = unit.mailContactPhone
        requireTOTPForAdmins = unit.requireTOTPForAdmins
        contentVersion = unit.contentVersion
        self.hostnames = hostnames.sorted()
        state = unit.state
        successorID = unit.successorID
        monitoringScript = unit.monitoringScript
        monitoringOrigin = MonitoringScript.origin(of: unit.monitoringScript)
    }

    /// Loads the unit with this code and its hostnames.
    public static func find(code: String, on db: any Database) async throws -> ResolvedUnit? {
        guard let unit = try await OrgUnit.find(code: code, on: db) else { return nil }
        return try await resolve(unit, on: db)
    }

    public static func resolve(_ unit: OrgUnit, on db: any Database) async throws -> ResolvedUnit {
        try ResolvedUnit(unit, hostnames: try await unit.hostnames(on: db))
    }

    /// The unit as the permission rules see it.
    public var ref: UnitRef {
        let ids = path.split(separator: "/").map(String.init)
        return UnitRef(id: ids.last ?? id.uuidString.lowercased(), ancestorIDs: Array(ids.dropLast()))
    }

    public var ancestorIDs: [UUID] { ref.ancestorIDs.compactMap(UUID.init(uuidString:)) }

    /// The stored row, for a service that changes the unit itself.
    public func record(on db: any Database) async throws -> OrgUnit {
        guard let unit = try await OrgUnit.find(id, on: db) else { throw ResolvedUnitGone(code: code) }
        return unit
    }

    /// Ancestors from the root down.
    public func ancestors(on db: any Database) async throws -> [OrgUnit] {
        let ids = ancestorIDs
        guard !ids.isEmpty else { return [] }
        return try await OrgUnit.query(on: db).filter(\.$id ~~ ids).sort(\.$depth).all()
    }
}

/// Anything the permission rules can place in the tree: the stored unit or its resolved value.
public protocol UnitPlaced {
    var ref: UnitRef { get }
}

extension OrgUnit: UnitPlaced {}
extension ResolvedUnit: UnitPlaced {}

/// The unit was deleted between resolving it and using it.
public struct ResolvedUnitGone: Error, CustomStringConvertible {
    public let code: String
    public var description: String { "Đơn vị «\(code)» không còn tồn tại." }
}

/// A row that belongs to one unit. Every query over tenant data starts from `query(in:)`, so an
/// unscoped query is something you have to go out of your way to write.
public protocol UnitOwned: Model where IDValue == UUID {
    static var unitKey: KeyPath<Self, FieldProperty<Self, UUID>> { get }
}

extension UnitOwned {
    /// The unit's rows.
    public static func query(in unit: ResolvedUnit, on db: any Database) -> QueryBuilder<Self> {
        query(in: unit.id, on: db)
    }

    /// The rows of the unit with this id.
    public static func query(in unitID: UUID, on db: any Database) -> QueryBuilder<Self> {
        query(on: db).filter(unitKey == unitID)
    }

    /// The row with this id if it belongs to the unit; nil for another unit's row, as for none.
    public static func find(_ id: UUID?, in unit: ResolvedUnit, on db: any Database) async throws -> Self? {
        guard let id else { return nil }
        return try await query(in: unit, on: db).filter(\._$id == id).first()
    }
}

extension NameDelegation: UnitOwned { public static var unitKey: KeyPath<NameDelegation, FieldProperty<NameDelegation, UUID>> { \.$unitID } }
extension NameRequest: UnitOwned { public static var unitKey: KeyPath<NameRequest, FieldProperty<NameRequest, UUID>> { \.$unitID } }
extension Article: UnitOwned { public static var unitKey: KeyPath<Article, FieldProperty<Article, UUID>> { \.$unitID } }
extension ArticleRevision: UnitOwned {
    public static var unitKey: KeyPath<ArticleRevision, FieldProperty<ArticleRevision, UUID>> { \.$unitID }
}
extension Category: UnitOwned { public static var unitKey: KeyPath<Category, FieldProperty<Category, UUID>> { \.$unitID } }
extension ContactMessage: UnitOwned {
    public static var unitKey: KeyPath<ContactMessage, FieldProperty<ContactMessage, UUID>> { \.$unitID }
}
extension Department: UnitOwned { public static var unitKey: KeyPath<Department, FieldProperty<Department, UUID>> { \.$unitID } }
extension Diploma: UnitOwned { public static var unitKey: KeyPath<Diploma, FieldProperty<Diploma, UUID>> { \.$unitID } }
extension ExamSession: UnitOwned { public static var unitKey: KeyPath<ExamSession, FieldProperty<ExamSession, UUID>> { \.$unitID } }
extension IntroPage: UnitOwned { public static var unitKey: KeyPath<IntroPage, FieldProperty<IntroPage, UUID>> { \.$unitID } }
extension Leader: UnitOwned { public static var unitKey: KeyPath<Leader, FieldProperty<Leader, UUID>> { \.$unitID } }
extension LegalDocument: UnitOwned {
    public static var unitKey: KeyPath<LegalDocument, FieldProperty<LegalDocument, UUID>> { \.$unitID }
}
extension MailDomainRecord: UnitOwned {
    public static var unitKey: KeyPath<MailDomainRecord, FieldProperty<MailDomainRecord, UUID>> { \.$unitID }
}
extension Mailbox: UnitOwned { public static var unitKey: KeyPath<Mailbox, FieldProperty<Mailbox, UUID>> { \.$unitID } }
extension MailGroup: UnitOwned { public static var unitKey: KeyPath<MailGroup, FieldProperty<MailGroup, UUID>> { \.$unitID } }
extension Media: UnitOwned { public static var unitKey: KeyPath<Media, FieldProperty<Media, UUID>> { \.$unitID } }
extension RoleGrant: UnitOwned { public static var unitKey: KeyPath<RoleGrant, FieldProperty<RoleGrant, UUID>> { \.$unitID } }
extension User: UnitOwned { public static var unitKey: KeyPath<User, FieldProperty<User, UUID>> { \.$unitID } }

extension OrgUnit {
    /// This unit as an immutable value, with its hostnames.
    public func resolved(on db: any Database) async throws -> ResolvedUnit {
        try await ResolvedUnit.resolve(self, on: db)
    }
}
