import Vapor

/// The form's text fields and its files (`attachments`), from a multipart or URL-encoded body.
struct SubmittedForm: Decodable {
    var fields: [String: String] = [:]
    var files: [AdmissionService.Upload] = []

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys {
            if key.stringValue == "attachments" {
                let many = (try? container.decode([File].self, forKey: key)) ?? (try? container.decode(File.self, forKey: key)).map { [$0] } ?? []
                files = many.map { AdmissionService.Upload(filename: $0.filename, bytes: Array($0.data.readableBytesView)) }
            } else if let value = try? container.decode(String.self, forKey: key) {
                fields[key.stringValue] = value
            }
        }
    }

    /// Reads a public form's body of at most `max` bytes (refused with 413 and `tooLarge` past
    /// it; a body already collected, as in tests or behind a buffering proxy, is measured too).
    /// The route streams its body, so this runs only after the checks before it passed.
    static func read(_ req: Request, max: Int, tooLarge: String) async throws -> SubmittedForm {
        let refusal = AppError(.payloadTooLarge, tooLarge)
        let body: ByteBuffer?
        do { body = try await req.body.collect(max: max).get() } catch { throw refusal }
        guard (body?.readableBytes ?? 0) <= max else { throw refusal }
        return (try? req.content.decode(SubmittedForm.self)) ?? SubmittedForm()
    }
}

extension Request {
    /// A private file (a parent's proof, a commenter's attachment) to the staff allowed to read
    /// it: streamed, never cached, always downloaded, sandboxed if opened anyway.
    func privateDownload(_ url: URL, contentType: String, filename: String) async throws -> Response {
        let response = try await fileio.asyncStreamFile(at: url.path)
        response.headers.replaceOrAdd(name: .contentType, value: contentType)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "tep"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; sandbox")
        return response
    }
}

extension Request {
    private struct FileField: Content {
        var file: File?
    }

    /// The bytes of the form's `file` field (a spreadsheet to import); empty when none was sent.
    var uploadedFileBytes: [UInt8] {
        (try? content.decode(FileField.self))?.file.map { Array($0.data.readableBytesView) } ?? []
    }
}
