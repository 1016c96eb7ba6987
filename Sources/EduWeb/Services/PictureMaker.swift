import CVips
import EduCore
import Foundation

/// Photos for the web (#19 point 2), made with libvips: the picture turned upright by its EXIF
/// orientation, every metadata block dropped (EXIF with its GPS position, XMP, IPTC), a master
/// copy at most `masterWidth` wide in the uploaded format, and copies at `widths` in WebP and
/// JPEG for `srcset`. GIFs are kept as uploaded (no copies: they may be animated).
enum PictureMaker {
    static let widths = [320, 640, 960, 1600]
    static let masterWidth = 2560
    /// A photo from a 200-megapixel phone is 200 M; past this a picture is refused before decoding.
    static let maxPixels = 120_000_000
    static let maxSide = 20_000

    struct Copy: Sendable {
        let width: Int
        let jpeg: [UInt8]
        let webp: [UInt8]
    }

    struct Made: Sendable {
        /// The upright, metadata-free picture in the uploaded format.
        let master: [UInt8]
        let width: Int
        let height: Int
        let copies: [Copy]
    }

    enum Failure: Error, Equatable {
        case unreadable(String)
        case tooLarge(width: Int, height: Int)

        /// For the upload form's file field, in Vietnamese.
        var message: String {
            switch self {
            case .unreadable:
                "Không đọc được ảnh: tệp bị hỏng, bị cắt cụt hoặc không đúng định dạng. Hãy xuất lại ảnh (JPEG, PNG hoặc WebP) rồi tải lên."
            case .tooLarge(let width, let height):
                "Ảnh quá lớn: \(width) × \(height) điểm ảnh (tối đa \(PictureMaker.maxSide) điểm ảnh mỗi chiều và \(PictureMaker.maxPixels / 1_000_000) triệu điểm ảnh)."
            }
        }
    }

    private static let started: Bool = edu_vips_start() == 0

    /// Whether libvips started (the server logs it at boot).
    static var available: Bool { started }

    /// Makes the master and the copies. CPU-bound (about a second for a 12-megapixel photo): call
    /// it off the event loop.
    static func make(_ bytes: [UInt8], kind: FileSniffer.Kind) throws(Failure) -> Made? {
        let format: Int32
        switch kind.mimeType {
        case FileSniffer.jpeg.mimeType: format = 1
        case FileSniffer.png.mimeType: format = 2
        case FileSniffer.webp.mimeType: format = 3
        default: return nil
        }
        guard started else { throw .unreadable("libvips did not start") }
        defer { edu_vips_clear_error() }
        let loaded = bytes.withUnsafeBytes { edu_vips_load($0.baseAddress, $0.count, format) }
        guard let loaded else { throw .unreadable(lastError()) }
        defer { edu_vips_release(loaded) }
        let (sourceWidth, sourceHeight) = (Int(edu_vips_width(loaded)), Int(edu_vips_height(loaded)))
        guard sourceWidth <= maxSide, sourceHeight <= maxSide, sourceWidth * sourceHeight <= maxPixels else {
            throw .tooLarge(width: sourceWidth, height: sourceHeight)
        }
        guard let upright = edu_vips_upright(loaded) else { throw .unreadable(lastError()) }
        defer { edu_vips_release(upright) }
        // The master: the uploaded format, alpha kept (PNG, WebP), decoded once and kept in memory
        // for the smaller copies.
        guard let master = edu_vips_fit(upright, Int32(masterWidth), 0) else { throw .unreadable(lastError()) }
        defer { edu_vips_release(master) }
        let masterBytes = try save(master, format: format, quality: 88)
        let (width, height) = (Int(edu_vips_width(master)), Int(edu_vips_height(master)))
        guard let reloaded = masterBytes.withUnsafeBytes({ edu_vips_load($0.baseAddress, $0.count, format) }) else {
            throw .unreadable(lastError())
        }
        defer { edu_vips_release(reloaded) }
        // Every width below the master's, and the master's own (a wide screen never scales one up).
        var copies: [Copy] = []
        for copyWidth in widths.filter({ $0 < width }) + [width] {
            guard let webpImage = edu_vips_fit(reloaded, Int32(copyWidth), 0) else { throw .unreadable(lastError()) }
            defer { edu_vips_release(webpImage) }
            guard let jpegImage = edu_vips_fit(reloaded, Int32(copyWidth), 1) else { throw .unreadable(lastError()) }
            defer { edu_vips_release(jpegImage) }
            copies.append(Copy(width: copyWidth, jpeg: try save(jpegImage, format: 1, quality: 80), webp: try save(webpImage, format: 3, quality: 75)))
        }
        return Made(master: masterBytes, width: width, height: height, copies: copies)
    }

    /// A photograph-like JPEG for the demo, made here (nothing is downloaded).
    static func demoPhoto(width: Int, height: Int, seed: UInt32) -> [UInt8]? {
        guard started else { return nil }
        return buffer { edu_vips_demo_photo(Int32(width), Int32(height), seed, $0, $1) }
    }

    /// For tests: a JPEG red on its left half, blue on its right.
    static func testPattern(width: Int, height: Int) -> [UInt8]? {
        guard started else { return nil }
        return buffer { edu_vips_test_pattern(Int32(width), Int32(height), $0, $1) }
    }

    struct Inspection: Equatable {
        let red: Double, green: Double, blue: Double
        let hasMetadata: Bool
        let hasGPS: Bool
    }

    /// For tests: the colour at a point of a JPEG (1), PNG (2) or WebP (3) and what metadata it keeps.
    static func inspect(_ bytes: [UInt8], format: Int32, x: Int, y: Int) -> Inspection? {
        guard started else { return nil }
        var rgb: [Double] = [0, 0, 0]
        var metadata: Int32 = 0, gps: Int32 = 0
        let status = bytes.withUnsafeBytes { raw in
            rgb.withUnsafeMutableBufferPointer { edu_vips_inspect(raw.baseAddress, raw.count, format, Int32(x), Int32(y), $0.baseAddress, &metadata, &gps) }
        }
        edu_vips_clear_error()
        return status == 0 ? Inspection(red: rgb[0], green: rgb[1], blue: rgb[2], hasMetadata: metadata != 0, hasGPS: gps != 0) : nil
    }

    private static func buffer(_ make: (UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int>) -> Int32) -> [UInt8]? {
        var pointer: UnsafeMutableRawPointer?
        var length = 0
        defer { edu_vips_clear_error() }
        guard make(&pointer, &length) == 0, let pointer else { return nil }
        defer { edu_vips_free(pointer) }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    private static func save(_ image: UnsafeMutablePointer<VipsImage>, format: Int32, quality: Int32) throws(Failure) -> [UInt8] {
        var pointer: UnsafeMutableRawPointer?
        var length = 0
        guard edu_vips_save(image, format, quality, &pointer, &length) == 0, let pointer else {
            throw .unreadable(lastError())
        }
        defer { edu_vips_free(pointer) }
        let bytes = Array(UnsafeRawBufferPointer(start: pointer, count: length))
        return format == 3 ? withoutMetadata(webp: bytes) : bytes
    }

    /// A WebP file without its EXIF and XMP chunks. libvips 8.14 (Debian 12) writes an EXIF chunk
    /// of its own (orientation, resolution) even when asked to strip; no position is in it, but
    /// nothing of the kind should leave. The RIFF container's chunks are copied but those two, the
    /// VP8X flags that announce them are cleared and the RIFF size is set again.
    static func withoutMetadata(webp: [UInt8]) -> [UInt8] {
        guard webp.count >= 12, webp[0..<4].elementsEqual("RIFF".utf8), webp[8..<12].elementsEqual("WEBP".utf8) else { return webp }
        var out = Array(webp[0..<12])
        var index = 12
        while index + 8 <= webp.count {
            let tag = String(decoding: webp[index..<index + 4], as: UTF8.self)
            let size = Int(webp[index + 4]) | Int(webp[index + 5]) << 8 | Int(webp[index + 6]) << 16 | Int(webp[index + 7]) << 24
            let end = index + 8 + size + (size & 1)
            guard end <= webp.count else { return webp }
            if tag != "EXIF" && tag != "XMP " {
                var chunk = Array(webp[index..<end])
                if tag == "VP8X", chunk.count > 8 { chunk[8] &= ~UInt8(0x08 | 0x04) }
                out += chunk
            }
            index = end
        }
        let riff = UInt32(out.count - 8)
        out.replaceSubrange(4..<8, with: [UInt8(riff & 0xFF), UInt8(riff >> 8 & 0xFF), UInt8(riff >> 16 & 0xFF), UInt8(riff >> 24)])
        return out
    }

    private static func lastError() -> String {
        edu_vips_error().map { String(cString: $0) } ?? "libvips"
    }
}
