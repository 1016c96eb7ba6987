import Crypto
import EduCore
import EduData
import Fluent
import Vapor

/// The media library: files recognised by content, size-limited, stored outside the web root
/// under random names, images only with a text alternative.
enum MediaService {
    static let maxImageBytes = 10 << 20
    static let maxFileBytes = 50 << 20

    static func directory(for unitID: UUID, config: AppConfig) -> URL {
        URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("media").appendingPathComponent(unitID.uuidString.lowercased())
    }

    static func fileURL(_ media: Media, config: AppConfig) -> URL {
        directory(for: media.unitID, config: config).appendingPathComponent(media.storedName)
    }

    /// Checks and stores an upload. Throws `FormErrors` (the `file` or `alt` field) for the form.
    static func store(
        _ bytes: [UInt8], originalName: String, alt rawAlt: String, title rawTitle: String, unit: ResolvedUnit, by actor: AuditActor,
        config: AppConfig, on db: any Database
    ) async throws -> Media {
        let user = try actor.person()
        guard !bytes.isEmpty else { throw FormErrors.field("file", "Chọn tệp cần tải lên.") }
        guard bytes.count <= maxFileBytes else {
            throw FormErrors.field("file", "Tệp quá lớn (tối đa \(maxFileBytes >> 20) MB).")
        }
        guard let kind = FileSniffer.sniff(bytes) else {
            throw FormErrors.field("file", "Loại tệp không được nhận. Chấp nhận: ảnh JPEG, PNG, GIF, WebP; PDF; Word, Excel, PowerPoint; OpenDocument; văn bản thuần.")
        }
        let alt = TextNormalizer.normalize(rawAlt, maxLength: 300)
        let title = TextNormalizer.normalize(rawTitle, maxLength: 300)
        if kind.isImage {
            guard bytes.count <= maxImageBytes else { throw FormErrors.field("file", "Ảnh quá lớn (tối đa \(maxImageBytes >> 20) MB).") }
            guard !alt.isEmpty else {
                throw FormErrors.field("alt", "Nhập mô tả ảnh cho người khiếm thị (văn bản thay thế).")
            }
        }
        let unitID = unit.id
        let name = [UInt8].random(count: 16).map { String(format: "%02x", $0) }.joined() + "." + kind.fileExtension
        let folder = directory(for: unitID, config: config)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent(name)
        let temporary = folder.appendingPathComponent("." + name + ".tmp")
        try Data(bytes).write(to: temporary, options: .atomic)
        try FileManager.default.moveItem(at: temporary, to: target)
        let media = Media()
        media.unitID = unitID
        media.storedName = name
        media.originalName = TextNormalizer.normalize(originalName, maxLength: 255)
        media.mimeType = kind.mimeType
        media.size = bytes.count
        media.isImage = kind.isImage
        media.altText = alt
        media.title = title.isEmpty ? media.originalName : title
        if kind.isImage, let size = FileSniffer.imageSize(bytes) {
            media.width = size.width
            media.height = size.height
        }
        media.sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        media.uploadedBy = user.id
        do {
            try await db.transaction { db in
                try await media.create(on: db)
                try await AuditEntry.record(actor, unitID: unitID, action: "media.upload", target: media.originalName,
                    detail: "\(kind.label), \(bytes.count) byte", on: db)
            }
        } catch {
            try? FileManager.default.removeItem(at: target)
            throw error
        }
        return media
    }

    /// A unit's stored file by its random name; another unit's file is not found.
    static func find(storedName: String, in unit: ResolvedUnit, on db: any Database) async throws -> Media? {
        try await Media.query(in: unit, on: db).filter(\.$storedName == storedName).first()
    }

    static func publicPath(_ media: Media) -> String { SiteURL.media(name: .value(media.storedName)).path }
}
