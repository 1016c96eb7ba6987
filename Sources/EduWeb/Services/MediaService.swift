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
        // Photos are remade upright and without metadata, with their copies, before anything is
        // written: a picture libvips cannot read is refused and nothing is stored.
        let made: PictureMaker.Made?
        do {
            made = try await NIOThreadPool.singleton.runIfActive { () throws(PictureMaker.Failure) in try PictureMaker.make(bytes, kind: kind) }
        } catch let failure as PictureMaker.Failure {
            if case .unreadable(let reason) = failure { Logger(label: "eduportal.media").notice("picture refused: \(reason)") }
            throw FormErrors.field("file", failure.message)
        }
        let unitID = unit.id
        let base = [UInt8].random(count: 16).map { String(format: "%02x", $0) }.joined()
        let name = base + "." + kind.fileExtension
        let folder = directory(for: unitID, config: config)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var files: [(String, [UInt8])] = [(name, made?.master ?? bytes)]
        for copy in made?.copies ?? [] {
            files += [("\(base)-\(copy.width).jpg", copy.jpeg), ("\(base)-\(copy.width).webp", copy.webp)]
        }
        var written: [URL] = []
        func removeWritten() { for url in written { try? FileManager.default.removeItem(at: url) } }
        do {
            for (file, content) in files {
                let target = folder.appendingPathComponent(file)
                let temporary = folder.appendingPathComponent("." + file + ".tmp")
                try Data(content).write(to: temporary, options: .atomic)
                try FileManager.default.moveItem(at: temporary, to: target)
                written.append(target)
            }
        } catch {
            removeWritten()
            throw error
        }
        let media = Media()
        media.unitID = unitID
        media.storedName = name
        media.originalName = TextNormalizer.normalize(originalName, maxLength: 255)
        media.mimeType = kind.mimeType
        media.size = made?.master.count ?? bytes.count
        media.isImage = kind.isImage
        media.altText = alt
        media.title = title.isEmpty ? media.originalName : title
        if let made {
            media.width = made.width
            media.height = made.height
        } else if kind.isImage, let size = FileSniffer.imageSize(bytes) {
            media.width = size.width
            media.height = size.height
        }
        media.copyWidths = (made?.copies ?? []).map { String($0.width) }.joined(separator: ",")
        media.sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        media.uploadedBy = user.id
        do {
            try await db.transaction { db in
                try await media.create(on: db)
                try await AuditEntry.record(actor, unitID: unitID, action: "media.upload", target: media.originalName,
                    detail: "\(kind.label), \(bytes.count) byte", on: db)
            }
        } catch {
            removeWritten()
            throw error
        }
        return media
    }

    /// A unit's stored file by its random name; another unit's file is not found.
    static func find(storedName: String, in unit: ResolvedUnit, on db: any Database) async throws -> Media? {
        try await Media.query(in: unit, on: db).filter(\.$storedName == storedName).first()
    }

    static func publicPath(_ media: Media) -> String { SiteURL.media(name: .value(media.storedName)).path }

    /// A resized copy's file name: `<name without extension>-<width>.<jpg|webp>`.
    static func copyName(_ media: Media, width: Int, ext: String) -> String {
        let base = media.storedName.split(separator: ".").first.map(String.init) ?? media.storedName
        return "\(base)-\(width).\(ext)"
    }

    static func copyPath(_ media: Media, width: Int, ext: String) -> String {
        SiteURL.media(name: .value(copyName(media, width: width, ext: ext))).path
    }

    /// What a requested name is: the stored file, or one of its copies (its width and type).
    struct Requested {
        let media: Media
        let file: String
        let mimeType: String
    }

    /// The stored file or copy a name asks for, of this unit only; nil for anything else.
    static func find(requested name: String, in unit: ResolvedUnit, on db: any Database) async throws -> Requested? {
        if let media = try await find(storedName: name, in: unit, on: db) {
            return Requested(media: media, file: media.storedName, mimeType: media.mimeType)
        }
        // `<32 hex>-<width>.<jpg|webp>`
        let parts = name.split(separator: ".")
        guard parts.count == 2, let ext = parts.last, ext == "jpg" || ext == "webp" else { return nil }
        let stem = parts[0].split(separator: "-")
        guard stem.count == 2, stem[0].count == 32, stem[0].allSatisfy(\.isHexDigit), let width = Int(stem[1]) else { return nil }
        guard let media = try await Media.query(in: unit, on: db).filter(\.$storedName =~ (String(stem[0]) + ".")).first(),
            media.copyWidthList.contains(width)
        else { return nil }
        return Requested(media: media, file: name, mimeType: ext == "jpg" ? "image/jpeg" : "image/webp")
    }
}
