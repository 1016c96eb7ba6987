import EduCore
import EduData
import Fluent
import Vapor

/// Absolute addresses of units' portals, built from their stored hostnames and the configuration
/// (scheme, base domain, port), never from the request that happens to be running: a notice
/// queued from one school's host links to the right unit's host.
struct PublicLinks: Sendable {
    let scheme: String
    /// `:8080`, or empty for the scheme's default port.
    let port: String
    let baseDomain: String

    init(config: AppConfig, port: Int?) {
        scheme = config.tls ? "https://" : "http://"
        let defaultPort = config.tls ? 443 : 80
        self.port = port.map { $0 == defaultPort ? "" : ":\($0)" } ?? ""
        baseDomain = config.baseDomain
    }

    /// A unit's preferred public host: its first named hostname (not an IP address), else
    /// `<code>.<base domain>`.
    static func preferredHost(code: String, hostnames: [String], baseDomain: String) -> String {
        hostnames.first { !($0.first?.isNumber ?? true) && !$0.hasPrefix("[") } ?? hostnames.first ?? (code + "." + baseDomain)
    }

    /// `http://host:port/`
    func url(host: String) -> String { scheme + host + port + "/" }

    /// A resolved unit carries its hostnames: no query.
    func url(for unit: ResolvedUnit) -> String {
        url(host: Self.preferredHost(code: unit.code, hostnames: unit.hostnames, baseDomain: baseDomain))
    }

    /// `http://host:port` with no trailing slash, for appending a path.
    func base(of unit: ResolvedUnit) -> String {
        String(url(for: unit).dropLast())
    }

    /// Links for many units with one hostname query.
    func links(for units: [OrgUnit], on db: any Database) async throws -> [UnitLink] {
        let ids = units.compactMap(\.id)
        let rows = ids.isEmpty ? [] : try await UnitHostname.query(on: db).filter(\.$unitID ~~ ids).sort(\.$hostname).all()
        let hostnames = Dictionary(grouping: rows, by: \.unitID)
        return units.map { unit in
            let names = unit.id.flatMap { hostnames[$0]?.map(\.hostname) } ?? []
            let host = Self.preferredHost(code: unit.code, hostnames: names, baseDomain: baseDomain)
            return .init(name: unit.name, url: url(host: host), typeLabel: unit.type.label)
        }
    }
}

/// A link to a unit's portal, as lists of units show it.
struct UnitLink {
    let name: String
    let url: String
    let typeLabel: String
}

/// Absolute links for notice bodies: the unit's own portal host, from configuration.
struct NoticeLinks: Sendable {
    let base: String

    init(base: String) { self.base = base }

    static func of(_ unit: ResolvedUnit, config: AppConfig) -> NoticeLinks {
        NoticeLinks(base: PublicLinks(config: config, port: config.publicPort).base(of: unit))
    }

    func url(_ path: String) -> String { base + path }
}
