import EduCore
import EduData
import EduImport
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Vapor

/// Result day's own door: a small HTTP/1.1 listener (SwiftNIO, no framework) that answers only
/// `GET /api/v1/exams/{id}/results` and `/healthz`, from the same in-memory `ExamStore`, the same
/// lookup rule and the same rate limit as the main server. Off unless `EDUPORTAL_LOOKUP_PORT` is
/// set; the reverse proxy sends `/api/v1/exams/` there on the days that need it. Measured reason
/// (bench/exam.sh): at 256 connections on two cores, the framework's own bare route has a p99 of
/// about 30 ms, so no route behind it can meet the 25 ms target; this listener can.
final class LookupListener: LifecycleHandler, @unchecked Sendable {
    private var channel: (any Channel)?

    func didBootAsync(_ app: Application) async throws {
        let config = app.eduConfig
        guard config.lookupPort > 0 else { return }
        let context = LookupContext(app: app)
        let bootstrap = ServerBootstrap(group: app.eventLoopGroup)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(LookupHTTPHandler(context: context))
                }
            }
        channel = try await bootstrap.bind(host: config.lookupHost, port: config.lookupPort).get()
        app.logger.notice("Cổng tra cứu điểm thi: http://\(config.lookupHost):\(config.lookupPort)/api/v1/exams/{id}/results")
    }

    func shutdownAsync(_ app: Application) async {
        try? await channel?.close()
        channel = nil
    }
}

/// What the handler needs from the app, captured once.
struct LookupContext: Sendable {
    let store: ExamStore
    let limiter: LookupRateLimiter
    let units: UnitCache
    let trustedProxies: TrustedProxies

    init(app: Application) {
        store = app.examStore
        limiter = app.lookupLimiter
        units = app.unitCache
        trustedProxies = app.eduConfig.trustedProxies
    }
}

final class LookupHTTPHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let context: LookupContext
    private var head: HTTPRequestHead?

    init(context: LookupContext) {
        self.context = context
    }

    func channelRead(context ctx: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            answer(head, ctx: ctx)
        }
    }

    func answer(_ head: HTTPRequestHead, ctx: ChannelHandlerContext) {
        let keepAlive = head.isKeepAlive
        guard head.method == .GET || head.method == .HEAD else {
            return write(ctx, .methodNotAllowed, "{\"error\":\"Chỉ nhận GET.\"}", keepAlive: keepAlive, head: head)
        }
        let uri = head.uri
        let path: Substring, query: Substring
        if let mark = uri.firstIndex(of: "?") { (path, query) = (uri[..<mark], uri[uri.index(after: mark)...]) } else { (path, query) = (uri[...], "") }
        if path == "/healthz" { return write(ctx, .ok, "ok\n", contentType: "text/plain; charset=utf-8", keepAlive: keepAlive, head: head) }
        guard let key = ExamLookup.resultsSessionKey(path: path) else {
            return write(ctx, .notFound, ExamLookup.error(AppError.notFound.message), keepAlive: keepAlive, head: head)
        }
        let host = Validation.canonicalHost(head.headers.first(name: "host") ?? "")
        let address = clientAddress(head, ctx: ctx)
        let reply: (ResolvedUnit?) -> Void = { [self] unit in
            guard let unitID = unit?.id else {
                return self.write(ctx, .notFound, "{\"error\":\"Không tìm thấy cổng thông tin nào ứng với tên miền này.\"}", keepAlive: keepAlive, head: head)
            }
            let answer = ExamLookup.answer(
                store: self.context.store, limiter: self.context.limiter, unitID: unitID, sessionKey: key, query: query, clientAddress: address)
            self.write(ctx, HTTPResponseStatus(statusCode: answer.status), answer.body, keepAlive: keepAlive, head: head, retryAfter: answer.retryAfter)
        }
        switch context.units.resolve(host, on: ctx.eventLoop) {
        case .known(let unit): reply(unit)
        case .pending(let future): future.whenComplete { result in reply((try? result.get()) ?? nil) }
        }
    }

    func clientAddress(_ head: HTTPRequestHead, ctx: ChannelHandlerContext) -> String {
        ClientAddress.resolve(
            forwardedFor: head.headers.first(name: "x-forwarded-for"), peer: ctx.remoteAddress?.ipAddress,
            trusted: context.trustedProxies)
    }

    func write(_ ctx: ChannelHandlerContext, _ status: HTTPResponseStatus, _ body: String, contentType: String = "application/json; charset=utf-8",
               keepAlive: Bool, head: HTTPRequestHead, retryAfter: Int? = nil) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "content-length", value: String(body.utf8.count))
        headers.add(name: "cache-control", value: "no-store")
        headers.add(name: "x-content-type-options", value: "nosniff")
        headers.add(name: "content-security-policy", value: "default-src 'none'; frame-ancestors 'none'")
        if let retryAfter { headers.add(name: "retry-after", value: String(retryAfter)) }
        if !keepAlive { headers.add(name: "connection", value: "close") }
        ctx.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if head.method != .HEAD {
            var buffer = ctx.channel.allocator.buffer(capacity: body.utf8.count)
            buffer.writeString(body)
            ctx.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = ctx.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.whenComplete { _ in ctx.close(promise: nil) } }
    }
}
