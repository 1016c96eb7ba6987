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
///     DIR/static.key                        the key (made once, mode 600)
///     DIR/eduportal-static.js               njs: the same hash from the lookup form's query
///     DIR/nginx-static.conf                 the snippet for the shipped server block
///
/// A request the files cannot answer (a typo, a page with a query, a session published later, a
/// private page) goes on to the application, which answers it as always, rate limits included.
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
                    let count = try await writeResults(entry, unit: unit, host: host, key: key, app: app, into: staging.appendingPathComponent("exams"))
                    sessions += 1
                    candidates += count
                    progress("\(unit.name): «\(entry.name)» \(count) thí sinh")
                }
                progress("\(unit.name): \(written) trang")
            }
            try Data("\(stamp)\n".utf8).write(to: staging.appendingPathComponent("RELEASE"))
            try fm.moveItem(at: staging, to: release)
            try switchCurrent(root: root, to: "releases/" + stamp)
            try writeNginxFiles(root: root, key: key)
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

    /// The file a candidate's answer lives in, relative to the release: the same function
    /// `eduportal-static.js` computes from the form's query.
    static func resultPath(session: UUID, sbd: String, birth: Int32?, key: SymmetricKey) -> String {
        let birthText = birth.map { ExamDate.iso($0) } ?? ""
        let message = session.uuidString.lowercased() + "|" + sbd + "|" + birthText
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)
        let hex = mac.prefix(16).map { String(format: "%02x", $0) }.joined()
        return "exams/" + session.uuidString.lowercased() + "/" + hex.prefix(2) + "/" + hex + ".html"
    }

    /// One page per candidate, rendered as the application renders it.
    static func writeResults(_ entry: ExamStore.Entry, unit: ResolvedUnit, host: String, key: SymmetricKey, app: Application, into folder: URL) async throws -> Int {
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

    static func writeNginxFiles(root: URL, key: SymmetricKey) throws {
        let hex = key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
        let script = javascript(keyHex: hex)
        let scriptURL = root.appendingPathComponent("eduportal-static.js")
        guard FileManager.default.createFile(atPath: scriptURL.path, contents: Data(script.utf8), attributes: [.posixPermissions: 0o640]) else {
            throw OperationFailure("Không ghi được \(scriptURL.path).")
        }
        try Data(nginxSnippet(root: root.path).utf8).write(to: root.appendingPathComponent("nginx-static.conf"))
    }

    /// The hash of `resultPath` from the lookup form's query, in njs (nginx's JavaScript module).
    /// What it cannot read the same way (another date shape, no SBD) finds no file and goes to the
    /// application, which answers it.
    static func javascript(keyHex: String) -> String {
        """
        // Written by «eduportal publish-static»: the file holding a candidate's result page. Keep it
        // readable by nginx only (it carries the key).
        const crypto = require('crypto');
        const KEY = Buffer.from('\(keyHex)', 'hex');

        function arg(r, name) {
            const value = r.args[name];
            return (Array.isArray(value) ? value[0] : value || '').trim();
        }

        function birth(text) {
            let m = /^(\\d{1,2})[\\/.-](\\d{1,2})[\\/.-](\\d{4})$/.exec(text);
            if (m) return m[3] + '-' + m[2].padStart(2, '0') + '-' + m[1].padStart(2, '0');
            m = /^(\\d{4})-(\\d{1,2})-(\\d{1,2})$/.exec(text);
            if (m) return m[1] + '-' + m[2].padStart(2, '0') + '-' + m[3].padStart(2, '0');
            return null;
        }

        function file(r, withBirth) {
            const session = arg(r, 'ky').toLowerCase();
            const sbd = arg(r, 'sbd').toUpperCase();
            if (!/^[0-9a-f-]{36}$/.test(session) || sbd === '' || sbd.length > 20) return '/-';
            let day = '';
            if (withBirth) {
                day = birth(arg(r, 'ngay-sinh'));
                if (day === null) return '/-';
            }
            const hex = crypto.createHmac('sha256', KEY).update(session + '|' + sbd + '|' + day).digest('hex').slice(0, 32);
            return '/exams/' + session + '/' + hex.slice(0, 2) + '/' + hex + '.html';
        }

        function withBirth(r) { return file(r, true); }
        function sbdOnly(r) { return file(r, false); }

        export default { withBirth, sbdOnly };

        """
    }

    /// For the `server` block of deploy/nginx/eduportal.conf, which already holds the pages'
    /// fallback (`@eduportal_static`, read when every node fails) and `@eduportal_app`.
    static func nginxSnippet(root: String) -> String {
        """
        # Written by «eduportal publish-static»: a candidate's result from the published files.
        # Needs nginx's njs module (Debian: libnginx-mod-http-js). In the http block:
        #     js_import edu_static from \(root)/eduportal-static.js;
        # and in the EduPortal server block:
        #     include \(root)/nginx-static.conf;
        # A query the files do not answer (a typo, a session published since) goes on to the
        # application, which answers it as always, rate limits included. Publish again after every
        # import: the switch to the new files is atomic.

        js_set $edu_result_birth edu_static.withBirth;
        js_set $edu_result_sbd edu_static.sbdOnly;

        location = /tra-cuu-diem-thi/ket-qua {
            root \(root)/current;
            default_type text/html;
            charset utf-8;
            add_header Cache-Control "no-store" always;
            add_header X-Content-Type-Options nosniff always;
            add_header Referrer-Policy strict-origin-when-cross-origin always;
            add_header X-Frame-Options DENY always;
            add_header X-Served-From static always;
            try_files $edu_result_birth $edu_result_sbd @eduportal_app;
        }

        """
    }
}
