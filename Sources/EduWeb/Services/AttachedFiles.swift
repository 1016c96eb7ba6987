import EduCore
import EduData
import Fluent
import Vapor

/// Files listed with a catalogue entry (a procedure's forms, a tender's documents): stored in the
/// unit's media library (checked by content), linked in order, audited.
enum AttachedFiles {
    static func attach<F: AttachedFile>(
        _ type: F.Type, owner: UUID, bytes: [UInt8], originalName: String, title: String, unit: ResolvedUnit, by actor: AuditActor,
        audit: (action: String, target: String), config: AppConfig, on db: any Database
    ) async throws {
        let media = try await MediaService.store(bytes, originalName: originalName, alt: "", title: title, unit: unit, by: actor, config: config, on: db)
        try await db.transaction { tx in
            let count = try await F.query(on: tx).filter(F.ownerKey == owner).count()
            try await F(owner: owner, mediaID: try media.requireID(), position: count).create(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: audit.action, target: audit.target, detail: media.originalName, on: tx)
            try await OrgUnit.touch(unit.id, on: tx)
        }
    }

    static func list<F: AttachedFile>(_ type: F.Type, owner: UUID, on db: any Database) async throws -> [Media] {
        let links = try await F.query(on: db).filter(F.ownerKey == owner).all().sorted { $0.position < $1.position }
        guard !links.isEmpty else { return [] }
        let media = try await Media.query(on: db).filter(\.$id ~~ links.map(\.mediaID)).all()
        let byID = Dictionary(uniqueKeysWithValues: media.compactMap { m in m.id.map { ($0, m) } })
        return links.compactMap { byID[$0.mediaID] }
    }

    /// An owner's files as the pages link them.
    static func links<F: AttachedFile>(_ type: F.Type, owner: UUID, on db: any Database) async throws -> [ProcedurePage.Link] {
        try await list(type, owner: owner, on: db).map {
            .init(label: $0.title.isEmpty ? $0.originalName : $0.title, url: MediaService.publicPath($0), detail: MediaController.size($0.size))
        }
    }

    /// The form that adds a file to an entry (its token in the address: an upload is checked before its body is read).
    static func uploadForm(layout: LayoutVM, heading: String, titleLabel: String, action: String, token: String, errors: FormErrors, cancelURL: String) -> FormPage {
        FormPage(layout: layout, heading: heading, intro: errors.form, action: action + "?_csrf=" + token, submitLabel: "Tải lên", fields: [
            FormField(name: "title", label: titleLabel, error: errors["title"], maxlength: 300, idPrefix: "tep-"),
            FormField(name: "file", label: "Tệp (PDF, Word, Excel)", error: errors["file"], type: "file", required: true,
                      idPrefix: "tep-", accept: ".pdf,.doc,.docx,.xls,.xlsx,.odt,.ods"),
        ], cancelURL: cancelURL)
    }
}
