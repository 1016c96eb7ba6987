import EduCore
import EduData
import Foundation
import NIOCore
import NIOPosix
import Vapor

/// Visits as nginx saw them: behind nginx's cache most page views never reach a node, so nginx
/// sends one syslog line per request of `location /` over UDP (`deploy/nginx/eduportal.conf`,
/// `log_format eduportal_visit`) and this listener counts the visits among them. Off unless
/// `EDUPORTAL_VISIT_PORT` is set (on one node); with `EDUPORTAL_VISITS=nginx` on every node, no
/// node counts the pages it answers itself (`VisitMiddleware`), so nothing is counted twice.
/// Lines that do not parse, hosts that are no unit's, robots and non-pages are dropped; a lost
/// datagram is a lost visit, never a stalled page.
final class VisitLogListener: LifecycleHandler, @unchecked Sendable {
    private var channel: (any Channel)?

    func didBootAsync(_ app: Application) async throws {
        let config = app.eduConfig
        guard config.visits == .nginx, config.visitPort > 0 else { return }
        let handler = VisitLogHandler(counter: app.visitCounter, units: app.unitCache)
        let bootstrap = DatagramBootstrap(group: app.eventLoopGroup)
            .channelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .channelOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 16 * 1024))
            .channelInitializer { channel in channel.pipeline.addHandler(handler) }
        channel = try await bootstrap.bind(host: config.visitHost, port: config.visitPort).get()
        app.logger.notice("Nhận nhật ký lượt truy cập từ nginx: udp \(config.visitHost):\(config.visitPort)")
    }

    func shutdownAsync(_ app: Application) async {
        try? await channel?.close()
        channel = nil
    }

    /// One request as nginx logged it.
    struct Line: Equatable {
        let method: String
        let status: UInt
        let host: String
        let path: String
        let contentType: String
        let userAgent: String
        let purpose: String
    }

    /// Reads `<PRI>Mmm dd hh:mm:ss [host ]tag: ` followed by the tab-separated fields of
    /// `eduportal_visit` (values JSON-escaped by nginx, so a tab is always a separator).
    static func parse(_ datagram: String) -> Line? {
        guard datagram.hasPrefix("<"), datagram.utf8.count <= 16 * 1024, let start = datagram.range(of: ": ") else { return nil }
        var message = datagram[start.upperBound...]
        while message.hasSuffix("\n") || message.hasSuffix("\r") { message = message.dropLast() }
        let fields = message.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 7, let status = UInt(fields[1]) else { return nil }
        func unescape(_ text: Substring) -> String {
            guard text.contains("\\") else { return String(text) }
            // nginx's escape=json: \" \\ and \uXXXX (control characters); enough to read them back.
            var out = ""
            var chars = text.makeIterator()
            while let c = chars.next() {
                guard c == "\\", let n = chars.next() else { out.append(c); continue }
                switch n {
                case "u":
                    let hex = String([chars.next(), chars.next(), chars.next(), chars.next()].compactMap { $0 })
                    out.append(UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init).map(Character.init) ?? "\u{FFFD}")
                case "t": out.append("\t")
                case "n": out.append("\n")
                case "r": out.append("\r")
                default: out.append(n)
                }
            }
            return out
        }
        return Line(method: String(fields[0]), status: status, host: Validation.canonicalHost(unescape(fields[2])), path: unescape(fields[3]),
                    contentType: unescape(fields[4]), userAgent: unescape(fields[5]), purpose: unescape(fields[6]))
    }

    /// Whether the line is a visit (the unit is resolved afterwards).
    static func isVisit(_ line: Line) -> Bool {
        line.method == "GET" && VisitCounter.isVisitor(userAgent: line.userAgent, purpose: line.purpose)
            && VisitCounter.isPage(status: line.status, contentType: line.contentType, path: line.path)
    }
}

final class VisitLogHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let counter: VisitCounter
    let units: UnitCache

    init(counter: VisitCounter, units: UnitCache) {
        self.counter = counter
        self.units = units
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data).data
        guard let text = buffer.readString(length: buffer.readableBytes), let line = VisitLogListener.parse(text), VisitLogListener.isVisit(line)
        else { return }
        let counter = self.counter
        let now = Date()
        switch units.resolve(line.host, on: context.eventLoop) {
        case .known(let unit):
            if let unit { counter.record(unit: unit.id, path: line.path, at: now) }
        case .pending(let future):
            future.whenSuccess { unit in
                if let unit { counter.record(unit: unit.id, path: line.path, at: now) }
            }
        }
    }
}
