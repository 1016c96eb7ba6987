import EduData
import Fluent
import Foundation

/// A picture from the media library as a page shows it (`partials/picture`): WebP and JPEG copies
/// in `srcset` with the page's `sizes`, the master's width and height (the browser keeps the room
/// before the file arrives), and lazy loading below the first screen. A file uploaded before
/// copies were made is shown as it is.
struct Picture: Sendable {
    let src: String
    let alt: String
    let width: Int?
    let height: Int?
    let jpegSet: String?
    let webpSet: String?
    let sizes: String
    let lazy: Bool
    /// The largest copy (a gallery links to it).
    let large: String

    /// `sizes` for the main column (72rem wide less its padding), a card of a grid, a thumbnail.
    static let columnSizes = "(min-width: 72rem) 70rem, calc(100vw - 2rem)"
    static let cardSizes = "(min-width: 72rem) 22rem, (min-width: 40rem) 45vw, calc(100vw - 2rem)"
    static let thumbnailSizes = "(min-width: 40rem) 10rem, 7rem"

    init(_ media: Media, sizes: String, lazy: Bool) {
        let widths = media.copyWidthList
        let path = MediaService.publicPath(media)
        func set(_ ext: String) -> String {
            widths.map { MediaService.copyPath(media, width: $0, ext: ext) + " \($0)w" }.joined(separator: ", ")
        }
        let middle = widths.first { $0 >= 640 } ?? widths.last
        src = middle.map { MediaService.copyPath(media, width: $0, ext: "jpg") } ?? path
        large = widths.last.map { MediaService.copyPath(media, width: $0, ext: "jpg") } ?? path
        alt = media.altText
        width = media.width
        height = media.height
        jpegSet = widths.isEmpty ? nil : set("jpg")
        webpSet = widths.isEmpty ? nil : set("webp")
        self.sizes = sizes
        self.lazy = lazy
    }

    /// The unit's pictures by id, for a page that shows several (one query).
    static func media(_ ids: [UUID], unitID: UUID, on db: any Database) async throws -> [UUID: Media] {
        guard !ids.isEmpty else { return [:] }
        let found = try await Media.query(in: unitID, on: db).filter(\.$id ~~ Array(Set(ids))).filter(\.$isImage == true).all()
        return Dictionary(found.compactMap { media in media.id.map { ($0, media) } }, uniquingKeysWith: { first, _ in first })
    }
}
