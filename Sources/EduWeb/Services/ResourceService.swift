import EduCore
import EduData
import Fluent
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// The digital resource library (A8.9, A9.10): a unit's items, contributed by teachers and
/// published through the editorial workflow (`ContentService.transition`), each a file checked by
/// content or an https link; searched by subject, grade, kind and words; open to the units below
/// through `GET /api/v1/resources`.
enum ResourceService {
    typealias Kind = LearningResource.Kind

    struct Input: Sendable, Equatable {
        var title = ""
        var kind = Kind.material.rawValue
        var subject = ""
        var grade = ""
        var description = ""
        var authorName = ""
        var linkURL = ""

        init() {}

        init(form: [String: String]) {
            title = TextNormalizer.normalize(form["title"] ?? "", maxLength: 300)
            kind = form["kind"] ?? ""
            subject = form["subject"] ?? ""
            grade = (form["grade"] ?? "").trimmingCharacters(in: .whitespaces)
            description = TextNormalizer.normalize(form["description"] ?? "", mode: .multiLine, maxLength: 5_000)
            authorName = TextNormalizer.normalize(form["authorName"] ?? "", maxLength: 200)
            linkURL = TextNormalizer.normalize(form["linkURL"] ?? "", maxLength: 1000)
        }

        init(_ resource: LearningResource) {
            title = resource.title
            kind = resource.kind
            subject = resource.subject
            grade = String(resource.grade)
            description = resource.description
            authorName = resource.authorName
            linkURL = resource.linkURL
        }
    }

    /// Creates or changes an item (a new one is a draft of its author). `file` replaces the item's
    /// file; an item needs a file or a link. Throws `FormErrors`.
    @discardableResult
    static func save(_ input: Input, file: (bytes: [UInt8], name: String)?, existing: LearningResource?, unit: ResolvedUnit, by actor: AuditActor,
                     config: AppConfig, now: Date = Date(), on db: any Database) async throws -> LearningResource {
        let user = try actor.person()
        var errors: FormErrors = [:]
        if input.title.count < 5 { errors["title"] = "Nhập tên tài liệu." }
        if Kind(rawValue: input.kind) == nil { errors["kind"] = "Chọn loại tài nguyên." }
        if !LearningResource.subjects.contains(input.subject) { errors["subject"] = "Chọn môn học." }
        let grade = Int(input.grade)
        if grade.map({ !(0...12).contains($0) }) ?? true { errors["grade"] = "Chọn lớp (hoặc «Không theo lớp»)." }
        if !input.linkURL.isEmpty {
            if let url = URL(string: input.linkURL), url.scheme?.lowercased() == "https", url.host?.contains(".") == true {} else {
                errors["linkURL"] = "Đường dẫn phải là địa chỉ https:// đầy đủ."
            }
        }
        let hasFile = !(file?.bytes.isEmpty ?? true) || existing?.mediaID != nil
        if input.linkURL.isEmpty && !hasFile && errors["linkURL"] == nil { errors["file"] = "Tải lên tệp hoặc ghi đường dẫn tới tài nguyên." }
        guard errors.isEmpty, let grade else { throw errors }
        var media: Media?
        if let file, !file.bytes.isEmpty {
            media = try await MediaService.store(file.bytes, originalName: file.name, alt: input.title, title: input.title, unit: unit, by: actor, config: config, on: db)
        }
        let resource = existing ?? LearningResource()
        let creating = existing == nil
        if creating {
            resource.unitID = unit.id
            resource.createdBy = try user.requireID()
            resource.state = .nhap
            resource.reviewComment = ""
            resource.createdAt = now
        }
        resource.title = input.title
        resource.kind = input.kind
        resource.subject = input.subject
        resource.grade = grade
        resource.description = input.description
        resource.authorName = input.authorName.isEmpty ? user.fullName : input.authorName
        resource.linkURL = input.linkURL
        if let media { resource.mediaID = media.id }
        resource.searchText = SearchFolding.foldWords([input.title, input.subject, input.description, resource.authorName].joined(separator: " "))
        resource.updatedAt = now
        try await db.transaction { tx in
            try await resource.save(on: tx)
            try await AuditEntry.record(actor, unitID: unit.id, action: creating ? "resource.create" : "resource.update", target: String(input.title.prefix(120)), on: tx)
            if resource.state == .daDang { try await OrgUnit.touch(unit.id, on: tx) }
        }
        return resource
    }

    struct Filter: Sendable, Equatable {
        var query = ""
        var subject = ""
        var grade: Int?
        var kind = ""

        init(query: String = "", subject: String = "", grade: Int? = nil, kind: String = "") {
            self.query = TextNormalizer.normalize(query, maxLength: 200)
            self.subject = subject
            self.grade = grade
            self.kind = kind
        }

        init(_ parameters: [String: String]) {
            self.init(query: parameters["q"] ?? "", subject: parameters["mon"] ?? "", grade: parameters["lop"].flatMap { Int($0) }, kind: parameters["loai"] ?? "")
        }

        /// The same filter as query parameters (for a parent's API, for page links).
        var parameters: [(String, String)] {
            [("q", query), ("mon", subject), ("lop", grade.map(String.init) ?? ""), ("loai", kind)].filter { !$0.1.isEmpty }
        }
    }

    /// The unit's public items matching the filter (every word of the query, with or without diacritics).
    static func published(in unit: ResolvedUnit, filter: Filter, now: Date = Date(), on db: any Database) -> QueryBuilder<LearningResource> {
        let query = LearningResource.publicQuery(unitID: unit.id, now: now, on: db)
        for word in SearchFolding.foldWords(filter.query).split(separator: " ").prefix(8) {
            query.filter(\.$searchText, .contains(inverse: false, .anywhere), String(word))
        }
        if !filter.subject.isEmpty { query.filter(\.$subject == filter.subject) }
        if let grade = filter.grade { query.filter(\.$grade == grade) }
        if !filter.kind.isEmpty { query.filter(\.$kind == filter.kind) }
        return query
    }

    /// One item as the API and the federated pages carry it: absolute addresses, where it lives.
    struct Item: Content, Equatable {
        let id: String
        let title: String
        let kind: String
        let kindLabel: String
        let subject: String
        let grade: Int
        let gradeLabel: String
        let description: String
        let author: String
        /// The item's page on its own unit's portal.
        let url: String
        /// The file or the external link itself.
        let resourceURL: String
        let publishedAt: Date?
    }

    struct Listing: Content, Equatable {
        let unit: String
        let unitName: String
        let total: Int
        let items: [Item]
    }

    static func item(_ resource: LearningResource, base: String, media: Media?) -> Item {
        let id = resource.id?.uuidString.lowercased() ?? ""
        return Item(id: id, title: resource.title, kind: resource.kind, kindLabel: Kind(rawValue: resource.kind)?.label ?? resource.kind,
                    subject: resource.subject, grade: resource.grade, gradeLabel: resource.gradeLabel, description: resource.description,
                    author: resource.authorName, url: base + SiteURL.resource(id: .value(id)).path,
                    resourceURL: media.map { base + MediaService.publicPath($0) } ?? resource.linkURL, publishedAt: resource.publishedAt)
    }

    /// A page of the unit's public items with the files they point to.
    static func listing(of unit: ResolvedUnit, filter: Filter, range: Range<Int>, base: String, on db: any Database) async throws -> Listing {
        let total = try await published(in: unit, filter: filter, on: db).count()
        let rows = try await published(in: unit, filter: filter, on: db).sort(\.$publishedAt, .descending).range(range).all()
        let mediaIDs = rows.compactMap(\.mediaID)
        let media = mediaIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await Media.query(on: db).filter(\.$id ~~ mediaIDs).all().compactMap { m in m.id.map { ($0, m) } })
        return Listing(unit: unit.code, unitName: unit.name, total: total, items: rows.map { item($0, base: base, media: $0.mediaID.flatMap { media[$0] }) })
    }
}

/// The libraries above a unit, read through their JSON API (A8.9, A9.10: "connected to the
/// library of the level above"): each fetched with a 2-second limit and kept a minute (a failure
/// 15 seconds), so a parent that is down or slow costs a child's page at most one short wait a
/// quarter-minute and never breaks it.
final class ResourceFederation: Sendable {
    struct Source: Equatable {
        let unitName: String
        let libraryURL: String
        let listing: ResourceService.Listing?
        /// Why the parent's library could not be read, in Vietnamese; nil when it was.
        let failure: String?
    }

    private struct Entry {
        let at: Date
        let listing: ResourceService.Listing?
        let failure: String?
    }

    private let entries = NIOLockedValueBox([String: Entry]())
    /// How long a library above may take (2 s; tests on a loaded machine allow more).
    let timeout: TimeAmount

    init(timeout: TimeAmount = .seconds(2)) {
        self.timeout = timeout
    }

    /// Where the API of a unit on this deployment is asked: this server's own address with the
    /// unit's host (set by `serve`), else the unit's public address.
    static func apiRequest(for unit: ResolvedUnit, origin: String?, links: PublicLinks, filter: ResourceService.Filter) -> (url: String, host: String?) {
        var components = URLComponents()
        components.queryItems = filter.parameters.map { URLQueryItem(name: $0.0, value: $0.1) } + [URLQueryItem(name: "so", value: "5")]
        let query = components.percentEncodedQuery.map { "?" + $0 } ?? ""
        let path = SiteURL.apiResources.path + query
        if let origin {
            return (origin + path, PublicLinks.preferredHost(code: unit.code, hostnames: unit.hostnames, baseDomain: links.baseDomain))
        }
        return (links.base(of: unit) + path, nil)
    }

    func source(_ unit: ResolvedUnit, filter: ResourceService.Filter, origin: String?, links: PublicLinks, client: any Client, now: Date = Date()) async -> Source {
        let (url, host) = Self.apiRequest(for: unit, origin: origin, links: links, filter: filter)
        let key = (host ?? "") + " " + url
        let library = links.url(for: unit) + String(SiteURL.resources.path.dropFirst())
        if let cached = entries.withLockedValue({ $0[key] }), now.timeIntervalSince(cached.at) < (cached.failure == nil ? 60 : 15) {
            return Source(unitName: unit.name, libraryURL: library, listing: cached.listing, failure: cached.failure)
        }
        var listing: ResourceService.Listing?
        var failure: String?
        do {
            var headers = HTTPHeaders()
            if let host { headers.replaceOrAdd(name: .host, value: host) }
            headers.replaceOrAdd(name: .accept, value: "application/json")
            let response = try await client.send(.GET, headers: headers, to: URI(string: url)) { [timeout] in $0.timeout = timeout }
            if response.status == .ok {
                listing = try response.content.decode(ResourceService.Listing.self, using: Self.decoder)
            } else {
                failure = "thư viện trả lời mã \(response.status.code)"
            }
        } catch {
            failure = "không kết nối được"
        }
        let entry = Entry(at: now, listing: listing, failure: failure)
        entries.withLockedValue { stored in
            if stored.count > 2_000 { stored.removeAll() }
            stored[key] = entry
        }
        return Source(unitName: unit.name, libraryURL: library, listing: listing, failure: failure)
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}

struct ResourceFederationKey: StorageKey { typealias Value = ResourceFederation }
/// This server's own origin (`http://127.0.0.1:<port>`), set when it starts listening.
struct LocalOriginKey: StorageKey { typealias Value = String }

extension Application {
    /// Made in `configure`, before any request.
    var resourceFederation: ResourceFederation { storage[ResourceFederationKey.self]! }

    /// Where this server answers on loopback (`EDUPORTAL_FEDERATION_ORIGIN`, else set by `serve`);
    /// the federation asks units on this deployment here. Set before the server starts.
    public var localOrigin: String? {
        get { storage[LocalOriginKey.self] }
        set { storage[LocalOriginKey.self] = newValue }
    }
}
