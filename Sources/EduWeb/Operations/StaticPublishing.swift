import Crypto
import EduCore
import EduData
import EduImport
import Foundation
import Vapor

/// `eduportal publish-static --out DIR` (#18 point 6): what nginx can serve on result day without
/// asking the application.
///
///     DIR/current -> releases/<time>        switched with one rename(2): readers see the old
///                                           release or the new one, never half of one
///     DIR/releases/<time>/sites/<host>/…    every unit's published public pages (index.html per path)
///     DIR/releases/<time>/exams/<session>/<hh>/<hash>.html
///                                           one result page per candidate, named by a keyed hash
///                                           of the session, SBD and date of birth: without the key
///                                           nothing can be listed or guessed offline
///     DIR/releases/<time>/results.map       nginx's index: the form's query (normalised) → file
///     DIR/releases/<time>/results-sbd.map   the same for sessions looked up by SBD alone
///     DIR/releases/<time>/limited.html      the answer past the lookup limit (429)
///     DIR/static.key                        the key (made once, mode 600)
///     DIR/nginx-static-http.conf            for nginx's http block: the maps and the limits
///     DIR/nginx-static.conf                 for the shipped server block: the location
///
/// nginx finds the file with its own `map`s (regular expressions over the query, then a hash
/// table), not a script: a script per request (njs or Lua) measured 0.55–0.8 of a plain file on
/// this hardware, the maps about the same as the file (README, «Benchmarks»). The index holds
/// session, SBD and birth date in clear, so it is as private as the pages themselves (mode 640).
/// A request the files cannot answer (a typo, a page with a query, a session published later, a
/// private page) goes on to the application, which answers it as always. Every request to the
/// location, hit or miss, first passes nginx's limits at the application's own rates (per IPv4
/// address ×4, per IPv6 /64 and /48 ×16): a hit the application never sees must still count.
public enum StaticPublishing {
    public struct Summary: Sendable {
        public let release: String
        public let pages: Int
        public let hosts: Int
        public let sessions: Int
        public let candidates: Int
    }

    /// Pages of one unit at most (the newest content is reached first from its home page).
    static let pagesPerUnit = 3_000
    /// Paths the static copy never holds: private, per-visitor or answered from the query.
    static let skipped = ["/quan-tri", "/api/", "/tep/", "/static/", "/tim-kiem", "/lien-he", "/tra-cuu-diem-thi/ket-qua", "/tra-cuu-van-bang",
                          "/tuyen-sinh/tra-cuu", "/tuyen-sinh/dang-ky", "/binh-chon", "/healthz", "/metrics"]

    public static func publish(app: Application, out: String, progress: (String) -> Void = { _ in }) async throws -> Summary {
        let root = URL(fileURLWithPath: out).standardizedFileURL
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("releases"), withIntermediateDirectories: true)
        let key = try loadKey(root.appendingPathComponent("static.key"))
        let stamp = Self.stamp()
        let release = root.appendingPathComponent("releases").appendingPathComponent(stamp)
        let staging = root.appendingPathComponent("releases").appendingPathComponent(".\(stamp).partial")
        try? fm.removeItem(at: staging)
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            await app.examStore.refresh(on: app.db, logger: app.logger)
            let (records, hostnames) = try await OrgUnit.directory(on: app.db)
            let units = try records.map { try ResolvedUnit($0, hostnames: $0.id.flatMap { hostnames[$0] } ?? []) }
            let links = PublicLinks(config: app.eduConfig, port: app.eduConfig.publicPort)
            var pages = 0, hosts = 0, sessions = 0, candidates = 0
            let index = try ResultIndex(folder: staging)
            let fetch = EvaluationChecks.inProcess(app)
            for unit in units {
                let host = PublicLinks.preferredHost(code: unit.code, hostnames: unit.hostnames, baseDomain: links.baseDomain)
                let written = try await copySite(host: host, fetch: fetch, into: staging.appendingPathComponent("sites").appendingPathComponent(host))
                pages += written
                hosts += 1
                // The unit's other names read the same files.
                for alias in Set(unit.hostnames + [unit.code + "." + links.baseDomain]) where alias != host && Validation.isHostname(alias) {
                    try fm.createSymbolicLink(atPath: staging.appendingPathComponent("sites").appendingPathComponent(alias).path, withDestinationPath: host)
                }
                for entry in app.examStore.published(unitID: unit.id) {
                    let count = try await writeResults(entry, unit: unit, host: host, key: key, app: app, index: index,
                                                       into: staging.appendingPathComponent("exams"))
                    sessions += 1
                    candidates += count
                    progress("\(unit.name): «\(entry.name)» \(count) thí sinh")
                }
                progress("\(unit.name): \(written) trang")
            }
            try index.close()
            try Data(limitedPage.utf8).write(to: staging.appendingPathComponent("limited.html"))
            try Data("\(stamp)\n".utf8).write(to: staging.appendingPathComponent("RELEASE"))
            try fm.moveItem(at: staging, to: release)
            try switchCurrent(root: root, to: "releases/" + stamp)
            try writeNginxFiles(root: root, entries: index.count, perMinute: app.eduConfig.lookupRateLimit)
            try prune(root.appendingPathComponent("releases"), keep: 2, current: stamp)
            return Summary(release: release.path, pages: pages, hosts: hosts, sessions: sessions, candidates: candidates)
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }

    // MARK: - Pages

    /// Follows the unit's own links from its home page, breadth first, and writes each public page
    /// that answers 200 as `<path>/index.html` (feeds and files with an extension under their name).
    static func copySite(host: String, fetch: EvaluationChecks.Fetch, into folder: URL) async throws -> Int {
        var queue = ["/"], seen: Set<String> = ["/"], written = 0
        while !queue.isEmpty, written < pagesPerUnit {
            let path = queue.removeFirst()
            let (status, body) = try await fetch(host, path)
            guard status == 200 else { continue }
            try write(body, path: path, into: folder)
            written += 1
            guard !path.hasSuffix(".xml"), !path.hasSuffix(".txt") else { continue }
            for link in links(in: body) where seen.insert(link).inserted { queue.append(link) }
        }
        return written
    }

    /// The page's links to its own host: absolute paths without a query, outside `skipped`.
    static func links(in html: String) -> [String] {
        var found: [String] = []
        var rest = html[...]
        while let range = rest.range(of: "href=\"/") {
            let after = rest[range.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            var path = "/" + after[..<end]
            rest = after[end...]
            if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
            guard !path.hasPrefix("//"), !path.contains("?"), !path.contains("&"), !path.contains(".."), path.utf8.count < 300,
                  !skipped.contains(where: { path.hasPrefix($0) })
            else { continue }
            found.append(path)
        }
        return found
    }

    static func write(_ body: String, path: String, into folder: URL) throws {
        let parts = path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        guard parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("/") }) else { return }
        var target = parts.reduce(folder) { $0.appendingPathComponent($1) }
        if parts.last.map({ !$0.contains(".") }) ?? true { target = target.appendingPathComponent("index.html") }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(body.utf8).write(to: target)
    }

    // MARK: - Exam results

    /// The file a candidate's answer lives in, relative to the release, which
    /// nginx finds from the form's query through `ResultIndex`.
    static func resultPath(session: UUID, sbd: String, birth: Int32?, key: SymmetricKey) -> String {
        let birthText = birth.map { ExamDate.iso($0) } ?? ""
        let message = session.uuidString.lowercased() + "|" + sbd + "|" + birthText
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)
        let hex = mac.prefix(16).map { String(format: "%02x", $0) }.joined()
        return "exams/" + session.uuidString.lowercased() + "/" + hex.prefix(2) + "/" + hex + ".html"
    }

    /// One page per candidate, rendered as the application renders it.
    static func writeResults(_ entry: ExamStore.Entry, unit: ResolvedUnit, host: String, key: SymmetricKey, app: Application,
                             index: ResultIndex, into folder: URL) async throws -> Int {
        guard let snapshot = entry.snapshot else { return 0 }
        let request = Request(application: app, method: .GET, url: URI(path: SiteURL.examResult.path), headers: ["Host": host], on: app.eventLoopGroup.next())
        request.unit = unit
        // The frame the public pages carry (navigation, metadata), as `PublicFrameMiddleware` sets it.
        request.storage[PublicFrameKey.self] = try await PublicFrame.make(request, unit: unit)
        let controller = ExamPagesController()
        let layout = controller.layout(request, "Kết quả thi – \(entry.name)")
        let release = folder.deletingLastPathComponent()
        var count = 0
        var failure: (any Error)?
        var made: Set<String> = []
        index.startSession(entry.sessionID, requireBirthDate: entry.requireBirthDate)
        snapshot.forEach { candidate in
            guard failure == nil else { return }
            let path = resultPath(session: entry.sessionID, sbd: candidate.sbd, birth: entry.requireBirthDate ? candidate.birthDate : nil, key: key)
            let target = release.appendingPathComponent(path)
            do {
                let directory = target.deletingLastPathComponent().path
                if made.insert(directory).inserted { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
                let response = request.render(ExamResultPage(layout: layout, entry: entry, candidate: candidate))
                guard let buffer = response.body.buffer else { throw OperationFailure("Không dựng được trang kết quả của số báo danh \(candidate.sbd).") }
                try Data(buffer.readableBytesView).write(to: target)
                try index.add(sbd: candidate.sbd, birth: candidate.birthDate, path: path)
                count += 1
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return count
    }

    // MARK: - Key, switch, nginx

    static func loadKey(_ file: URL) throws -> SymmetricKey {
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard hex.count == 64, let bytes = hexBytes(hex) else {
                throw OperationFailure("Tệp khóa \(file.path) bị hỏng (cần 64 chữ số hệ 16). Xóa nó để tạo khóa mới (phải xuất bản lại).")
            }
            return SymmetricKey(data: bytes)
        }
        let key = SymmetricKey(size: .bits256)
        let hex = key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
        guard FileManager.default.createFile(atPath: file.path, contents: Data((hex + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw OperationFailure("Không ghi được tệp khóa \(file.path).")
        }
        return key
    }

    static func hexBytes(_ hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// `current` is replaced by a new link in one rename: nginx opens a file of one release or the other.
    static func switchCurrent(root: URL, to target: String) throws {
        let temporary = root.appendingPathComponent(".current.\(UUID().uuidString)")
        try FileManager.default.createSymbolicLink(atPath: temporary.path, withDestinationPath: target)
        guard rename(temporary.path, root.appendingPathComponent("current").path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw OperationFailure("Không chuyển được sang bản mới: \(reason)")
        }
    }

    /// Keeps the current release and the one before (a page being sent while the switch happens).
    static func prune(_ releases: URL, keep: Int, current: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: releases.path).filter { !$0.hasPrefix(".") }.sorted(by: >)
        for name in names.dropFirst(keep) where name != current {
            try? FileManager.default.removeItem(at: releases.appendingPathComponent(name))
        }
    }

    static func stamp(_ date: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02d.%03dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, c.nanosecond! / 1_000_000)
    }

    static func writeNginxFiles(root: URL, entries: Int, perMinute: Int) throws {
        try Data(nginxHTTP(root: root.path, entries: entries, perMinute: perMinute).utf8).write(to: root.appendingPathComponent("nginx-static-http.conf"))
        try Data(nginxSnippet(root: root.path, perMinute: perMinute).utf8).write(to: root.appendingPathComponent("nginx-static.conf"))
    }

    /// The separators a birth date may be typed with (`/` arrives from a form as `%2F`).
    static let dateSeparator = #"(?:%2[Ff]|/|\.|-)"#
    /// Spaces around a value (`+` or `%20` in a query), as the application trims them.
    static let space = #"(?:\+|%20)*"#

    /// For nginx's http block: the lookup form's query (`ky`, `sbd`, `ngay-sinh`, in the form's
    /// order) read into the index's key the way the application reads it (SBD and birth date
    /// trimmed, day and month with or without their leading zero, `/`, `.` or `-` between them,
    /// or year first), the indexes, and the client keys the limits count by. A query in another
    /// shape finds no key and goes on to the application. Regular expressions only when PCRE's
    /// JIT is on (`pcre_jit on;` in nginx.conf's main context) cost nginx little.
    static func nginxHTTP(root: String, entries: Int, perMinute: Int) -> String {
        var hashSize = 2_048
        while hashSize < entries * 2 { hashSize *= 2 }
        let s = dateSeparator, sp = space
        let head = #"^ky=(?<edu_static_k>[0-9a-fA-F-]{36})&sbd=\#(sp)(?<edu_static_s>[0-9A-Za-z]{1,20})\#(sp)"#
        let value = #""$edu_static_k|$edu_static_s|$edu_static_y-$edu_static_m-$edu_static_d""#
        var text = """
        # Written by «eduportal publish-static»: include it in nginx's http block (the shipped
        # deploy/nginx/eduportal.conf has the line, commented), and put `pcre_jit on;` in nginx.conf's
        # main context. nginx reads the index of results (\(entries) entries) when it starts and on
        # every reload: reload it after each publication (`systemctl reload nginx`). Until then a
        # candidate added since is answered by the application; file names do not change between
        # releases.

        map_hash_max_size \(hashSize);
        map_hash_bucket_size 512;

        # The lookup form's query → session|SBD|year-month-day (no leading zeros), as the
        # application reads it; anything else → "" (the application answers).
        map $args $edu_static_key {
            "~\(head)&ngay-sinh=\(sp)0?(?<edu_static_d>\\d\\d?)\(s)0?(?<edu_static_m>\\d\\d?)\(s)(?<edu_static_y>\\d{4})\(sp)$" \(value);
            "~\(head)&ngay-sinh=\(sp)(?<edu_static_y>\\d{4})-0?(?<edu_static_m>\\d\\d?)-0?(?<edu_static_d>\\d\\d?)\(sp)$" \(value);
            default "";
        }
        # Sessions looked up by SBD alone: session|SBD| (a birth date typed anyway is not read).
        map $args $edu_static_sbd_key {
            "~\(head)(?:&ngay-sinh=[^&]*)?$" "$edu_static_k|$edu_static_s|";
            default "";
        }
        # The key → the candidate's file (keys match ignoring case).
        map $edu_static_key $edu_static_file {
            include \(root)/current/results.map;
            default /-;
        }
        map $edu_static_sbd_key $edu_static_sbd_file {
            include \(root)/current/results-sbd.map;
            default /-;
        }

        """
        if perMinute > 0 {
            text += """
            # The lookup limits at the application's rate (EDUPORTAL_LOOKUP_RATE_LIMIT=\(perMinute) a minute):
            # an IPv4 address ×4, an IPv6 client by its /64 ×1 and /48 ×16. A hit from the files never
            # reaches the application, so nginx counts it here.
            map $remote_addr $edu_static_v4 {
                "~^[0-9.]+$" $binary_remote_addr;
                default "";
            }
            map $remote_addr $edu_static_v6_64 {
                "~^(?<edu_static_p>[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}):" $edu_static_p;
                "~^(?<edu_static_p>[0-9a-f:]*?)::" "$edu_static_p::";
                default "";
            }
            map $remote_addr $edu_static_v6_48 {
                "~^(?<edu_static_p>[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}):" $edu_static_p;
                "~^(?<edu_static_p>[0-9a-f:]*?)::" "$edu_static_p::";
                default "";
            }
            limit_req_zone $edu_static_v4 zone=edu_static_v4:20m rate=\(perMinute * 4)r/m;
            limit_req_zone $edu_static_v6_64 zone=edu_static_64:20m rate=\(perMinute)r/m;
            limit_req_zone $edu_static_v6_48 zone=edu_static_48:20m rate=\(perMinute * 16)r/m;

            """
        }
        return text
    }

    /// For the `server` block of deploy/nginx/eduportal.conf, which already holds the pages'
    /// fallback (`@eduportal_static`, read when every node fails) and `@eduportal_app`.
    static func nginxSnippet(root: String, perMinute: Int) -> String {
        let limits = perMinute > 0 ? """

                limit_req zone=edu_static_v4 burst=\(perMinute * 4) nodelay;
                limit_req zone=edu_static_64 burst=\(perMinute) nodelay;
                limit_req zone=edu_static_48 burst=\(perMinute * 16) nodelay;
                limit_req_status 429;
                error_page 429 @edu_static_limited;
            """ : ""
        return """
        # Written by «eduportal publish-static»: a candidate's result from the published files.
        # Needs nginx-static-http.conf in the http block (see there); in the EduPortal server block:
        #     include \(root)/nginx-static.conf;
        # A query the files do not answer (a typo, a session published since) goes on to the
        # application, which answers it as always. Publish again after every import, then reload
        # nginx: the switch to the new files is atomic.

        location = /tra-cuu-diem-thi/ket-qua {\(limits)
            root \(root)/current;
            default_type text/html;
            charset utf-8;
            add_header Cache-Control "no-store" always;
            add_header X-Content-Type-Options nosniff always;
            add_header Referrer-Policy strict-origin-when-cross-origin always;
            add_header X-Frame-Options DENY always;
            add_header X-Served-From static always;
            # Open files kept: a page asked for again (parents reload it) costs no walk down the
            # path; after a new release a kept file may answer for up to 10 s more (each answer
            # whole, from one release or the other).
            open_file_cache max=100000 inactive=60s;
            open_file_cache_valid 10s;
            try_files $edu_static_file $edu_static_sbd_file @eduportal_app;
        }

        location @edu_static_limited {
            root \(root)/current;
            default_type text/html;
            charset utf-8;
            add_header Retry-After 60 always;
            add_header Cache-Control "no-store" always;
            add_header X-Content-Type-Options nosniff always;
            try_files /limited.html =429;
        }

        """
    }

    /// What a client past the limit reads (status 429).
    static let limitedPage = """
        <!doctype html>
        <html lang="vi">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Quá nhiều lượt tra cứu</title>
        </head>
        <body>
        <main>
        <h1>Quá nhiều lượt tra cứu</h1>
        <p>Địa chỉ mạng của bạn đã tra cứu quá nhiều lần trong một phút. Vui lòng đợi một phút rồi thử lại.</p>
        <p><a href="/tra-cuu-diem-thi">Quay lại trang tra cứu điểm thi</a></p>
        </main>
        </body>
        </html>

        """
}

/// nginx's index of the published results (`results.map` for sessions that ask for a birth
/// date, `results-sbd.map` for those looked up by SBD alone), written while the pages are: one
/// line per candidate whose SBD nginx can read from a query (letters and digits); anyone else is
/// answered by the application. Mode 640: it holds SBDs and birth dates.
final class ResultIndex {
    private let withBirth: FileHandle
    private let sbdOnly: FileHandle
    private var buffers = [Data(), Data()]
    private var session = ""
    private var requireBirthDate = true
    private var seen: Set<String> = []
    private(set) var count = 0

    init(folder: URL) throws {
        func open(_ name: String) throws -> FileHandle {
            let file = folder.appendingPathComponent(name)
            guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o640]),
                  let handle = try? FileHandle(forWritingTo: file) else {
                throw OperationFailure("Không ghi được \(file.path).")
            }
            return handle
        }
        withBirth = try open("results.map")
        sbdOnly = try open("results-sbd.map")
    }

    func startSession(_ id: UUID, requireBirthDate: Bool) {
        session = id.uuidString.lowercased()
        self.requireBirthDate = requireBirthDate
        seen.removeAll(keepingCapacity: true)
    }

    /// The key nginx's maps build from the form's query: session|sbd|year-month-day without
    /// leading zeros (nginx reads `05/03/2011`, `5/3/2011` and `2011-03-05` alike).
    static func key(session: String, sbd: String, birth: Int32?) -> String {
        var key = session + "|" + sbd.lowercased() + "|"
        if let birth { key += "\(birth / 10_000)-\(birth / 100 % 100)-\(birth % 100)" }
        return key
    }

    func add(sbd: String, birth: Int32?, path: String) throws {
        // What the maps' `[0-9A-Za-z]{1,20}` reads.
        guard (1...20).contains(sbd.count), sbd.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return }
        if requireBirthDate && birth == nil { return }
        let key = Self.key(session: session, sbd: sbd, birth: requireBirthDate ? birth : nil)
        // nginx refuses a map with a key twice (keys match ignoring case).
        guard seen.insert(key).inserted else { return }
        let slot = requireBirthDate ? 0 : 1
        buffers[slot].append(Data("\"\(key)\" /\(path);\n".utf8))
        count += 1
        if buffers[slot].count >= 1 << 16 { try flush(slot) }
    }

    private func flush(_ slot: Int) throws {
        try (slot == 0 ? withBirth : sbdOnly).write(contentsOf: buffers[slot])
        buffers[slot].removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush(0)
        try flush(1)
        try withBirth.close()
        try sbdOnly.close()
    }
}
