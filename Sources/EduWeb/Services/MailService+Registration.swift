import EduCore
import EduData
import EduMail
import Fluent
import Foundation
import Vapor

/// Registration requests (A5.2): a unit asks a group owned by a unit above it to take one of its
/// addresses (its director's, its clerical office's); the owner unit approves or refuses.
extension MailService {
    /// Groups a unit may ask to join: those owned by the units above it.
    static func groupsAbove(_ unit: ResolvedUnit, on db: any Database) async throws -> [MailGroup] {
        let ancestors = unit.ancestorIDs
        guard !ancestors.isEmpty else { return [] }
        return try await MailGroup.query(on: db).filter(\.$unitID ~~ ancestors).sort(\.$address).all()
    }

    static func requestRegistration(unit: ResolvedUnit, groupID: UUID, address raw: String, note: String, by actor: AuditActor,
                                    on db: any Database) async throws -> MailRegistrationRequest {
        let address = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard let group = try await MailGroup.find(groupID, on: db), unit.ancestorIDs.contains(group.unitID) else {
            throw FormErrors.field("group", "Chỉ đăng ký được vào nhóm thư của đơn vị cấp trên.")
        }
        guard let box = try await Mailbox.query(on: db).filter(\.$address == address).first(), box.unitID == unit.id, box.active else {
            throw FormErrors.field("address", "Địa chỉ đăng ký phải là một hộp thư đang dùng của đơn vị.")
        }
        let groupKey = try group.requireID()
        if try await MailRegistrationRequest.query(on: db).filter(\.$groupID == groupKey).filter(\.$address == address)
            .filter(\.$status == "pending").first() != nil {
            throw FormErrors.field("address", "Địa chỉ này đã có yêu cầu đang chờ duyệt.")
        }
        let request = MailRegistrationRequest()
        request.groupID = groupKey
        request.unitID = unit.id
        request.address = address
        request.note = TextNormalizer.normalize(note, maxLength: 500)
        request.status = "pending"
        request.requestedBy = actor.name
        request.decidedBy = ""
        request.createdAt = Date()
        try await db.transaction { tx in
            try await request.create(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: "mail.registration.request", target: group.address,
                                        detail: address, on: tx)
        }
        return request
    }

    /// Pending requests to the groups a unit owns.
    static func pendingRequests(for unit: ResolvedUnit, on db: any Database) async throws -> [(MailRegistrationRequest, MailGroup)] {
        let groups = try await MailGroup.query(in: unit.id, on: db).all()
        let byID = Dictionary(uniqueKeysWithValues: groups.compactMap { group in group.id.map { ($0, group) } })
        guard !byID.isEmpty else { return [] }
        return try await MailRegistrationRequest.query(on: db).filter(\.$groupID ~~ Array(byID.keys)).filter(\.$status == "pending")
            .sort(\.$createdAt).all().compactMap { request in byID[request.groupID].map { (request, $0) } }
    }

    /// The owner unit decides; an approval adds the address to the group in the same transaction.
    static func decide(_ request: MailRegistrationRequest, approve: Bool, owner: ResolvedUnit, by actor: AuditActor, on db: any Database) async throws {
        guard let group = try await MailGroup.find(request.groupID, on: db), group.unitID == owner.id else {
            throw FormErrors.field("request", "Yêu cầu không thuộc nhóm thư của đơn vị này.")
        }
        guard request.status == "pending" else { throw FormErrors.field("request", "Yêu cầu đã được xử lý.") }
        request.status = approve ? "approved" : "refused"
        request.decidedBy = actor.name
        request.decidedAt = Date()
        try await db.transaction { tx in
            try await request.save(on: tx)
            if approve {
                let groupID = try group.requireID()
                let already = try await MailGroupMember.query(on: tx).filter(\.$groupID == groupID).all()
                let box = try await Mailbox.query(on: tx).filter(\.$address == request.address).first()
                if !already.contains(where: { ($0.mailboxID != nil && $0.mailboxID == box?.id) || $0.externalAddress == request.address }) {
                    try await addMember(request.address, to: group, on: tx)
                }
                try await rebuildAliasMap(on: tx)
            }
            try await AuditEntry.record(actor, unitID: owner.id, action: approve ? "mail.registration.approve" : "mail.registration.refuse",
                                        target: group.address, detail: request.address, on: tx)
        }
    }
}
