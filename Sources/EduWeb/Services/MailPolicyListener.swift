import EduData
import EduMail
import Fluent
import Foundation
import NIOCore
import NIOPosix
import Vapor

/// Postfix's SMTP access policy delegation for group posting rules (`check_policy_service`):
/// Postfix sends the sender and recipient of each RCPT; a group's `posting` setting decides.
/// Off unless `EDUPORTAL_MAIL_POLICY_PORT` is set; `eduportal mail config --policy-port` writes
/// the matching Postfix line.
final class MailPolicyListener: LifecycleHandler, @unchecked Sendable {
    private var channel: (any Channel)?

    func didBootAsync(_ app: Application) async throws {
        let port = app.eduConfig.mailPolicyPort
        guard port > 0 else { return }
        let db = app.db
        let bootstrap = ServerBootstrap(group: app.eventLoopGroup)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in channel.pipeline.addHandler(MailPolicyHandler(db: db)) }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
        app.logger.notice("Dịch vụ chính sách thư cho Postfix: inet:127.0.0.1:\(port)")
    }

    func shutdownAsync(_ app: Application) async {
        try? await channel?.close()
        channel = nil
    }

    /// The decision for one request, from the directory.
    static func evaluate(_ request: [String: String], on db: any Database) async throws -> PostingPolicy.Decision {
        guard let recipient = request["recipient"].map(PostingPolicy.baseAddress), !recipient.isEmpty else { return .dunno }
        // A consultation's own address: refused at RCPT outside its window, so the sender's own
        // server tells them at once (EduPortal's LMTP service checks again on delivery).
        if let (consultation, _) = try await ConsultationService.intakeTarget(recipient, on: db) {
            return ConsultationService.windowRefusal(consultation, now: Date()).map { .reject("5.7.1 " + $0) } ?? .dunno
        }
        guard let group = try await MailGroup.query(on: db).filter(\.$address == recipient).first() else { return .dunno }
        let sender = (request["sender"] ?? "").lowercased()
        let members = Set(try await MailAliasRow.query(on: db).filter(\.$source == recipient).filter(\.$destination == sender).all().map(\.destination))
        let owners = Set(group.owners.split(separator: "\n").map { $0.lowercased() })
        return PostingPolicy.decide(posting: group.posting, groupAddress: group.address, sender: sender, members: members, owners: owners)
    }
}

final class MailPolicyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let db: any Database
    private var pending = ""

    init(db: any Database) {
        self.db = db
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readString(length: buffer.readableBytes) ?? ""
        guard pending.utf8.count < 64 * 1024 else { context.close(promise: nil); return }
        while let end = pending.range(of: "\n\n") {
            let request = PostingPolicy.parse(String(pending[..<end.lowerBound]))
            pending = String(pending[end.upperBound...])
            let db = self.db
            context.eventLoop.makeFutureWithTask { try await MailPolicyListener.evaluate(request, on: db) }.whenComplete { result in
                // A decision that could not be made is a temporary failure: the sender's server
                // tries again, and a members-only group is never opened by a database hiccup.
                let decision = (try? result.get()) ?? .tempfail("4.3.0 Tạm thời không kiểm tra được quy tắc gửi thư của nhóm; vui lòng thử lại sau")
                var out = context.channel.allocator.buffer(capacity: 64)
                out.writeString(decision.reply)
                context.writeAndFlush(self.wrapOutboundOut(out), promise: nil)
            }
        }
    }
}
