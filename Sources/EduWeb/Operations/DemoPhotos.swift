import EduCore
import EduData
import Fluent
import Vapor

/// Photos for the demo's news (#19 point 2), made on this machine by libvips (nothing is
/// downloaded) and uploaded through the media library like an editor's, so they get the same
/// upright, metadata-free copies: the two newest published stories of every unit carry one as
/// their cover (the home page leads with it), and at the Sở and one school the newest carries a
/// gallery of three more.
enum DemoPhotos {
    static let width = 1280
    static let height = 854
    static let galleryUnits: Set<String> = ["so-ninh-binh", "thpt-chu-van-an"]

    static func create(for unit: ResolvedUnit, admin: User, index: Int, app: Application) async throws {
        let notice = try await Category.find(unitID: unit.id, slug: "thong-bao", on: app.db)
        let stories = try await Article.publicQuery(unitID: unit.id, on: app.db).filter(\.$categoryID != (notice?.id ?? UUID()))
            .sort(\.$publishedAt, .descending).limit(2).all()
        let actor = AuditActor.person(admin, address: "127.0.0.1")
        func photo(_ seed: Int, title: String, alt: String) async throws -> Media? {
            let seedValue = UInt32(truncatingIfNeeded: index * 37 + seed)
            guard let bytes = try await NIOThreadPool.singleton.runIfActive({ PictureMaker.demoPhoto(width: width, height: height, seed: seedValue) }) else {
                return nil
            }
            return try await MediaService.store(bytes, originalName: "anh-\(unit.code)-\(seed).jpg", alt: alt, title: title, unit: unit,
                                                by: actor, config: app.eduConfig, on: app.db)
        }
        for (position, story) in stories.enumerated() {
            guard let cover = try await photo(position, title: story.title,
                alt: "Ảnh minh họa (dữ liệu mẫu): dãy phòng học mái đỏ, lá cờ đỏ sao vàng và học sinh trên sân trường \(unit.name)")
            else { return }
            story.coverMediaID = cover.id
            if position == 0 && galleryUnits.contains(unit.code) {
                var gallery: [UUID] = []
                for (number, view) in ["toàn cảnh sân trường", "học sinh tập trung dưới cờ", "khu nhà học nhìn từ cổng"].enumerated() {
                    if let picture = try await photo(10 + number, title: "\(story.title) – ảnh \(number + 1)",
                                                     alt: "Ảnh minh họa (dữ liệu mẫu): \(view), \(unit.name)"),
                       let id = picture.id
                    {
                        gallery.append(id)
                    }
                }
                story.gallery = gallery.map { $0.uuidString.lowercased() }.joined(separator: ",")
            }
            try await story.save(on: app.db)
        }
    }
}
