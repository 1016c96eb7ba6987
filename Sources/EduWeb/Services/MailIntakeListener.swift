import EduData
import Fluent
import Foundation
import NIOCore
import NIOPosix
import Vapor

/// What Postfix's LMTP client is told about one recipient: taken, refused for good (Postfix
/// returns the mail to its sender with this text), or "try again later" (Postfix keeps it queued).
enum IntakeVerdict: Sendable, Equatable {
    case accepted(String)
    case refused(String)
    case later(String)

    var reply: String {
        switch self {
        case .accepted(let text): "250 \(text)"
        case .refused(let text): "550 \(text)"
        case .later(let text): "451 \(text)"
        }
    }
}

/// Where a listener's mail goes: recipients are checked at RCPT, each taken one gets the whole message.
protocol MailIntake: Sendable {
    func check(recipient: String, sender: String) async -> IntakeVerdict
    func deliver(_ message: [UInt8], recipient: String, sender: String) async -> IntakeVerdict
}

/// EduPortal's LMTP service (RFC 2033) on loopback: Postfix's transport for consultations' own
/// addresses (`eduportal mail config --intake-port`) hands each mail here, and it is filed in the
/// consultation's moderation queue (`ConsultationService.commentByMail`). Off unless
/// `EDUPORTAL_MAIL_INTAKE_PORT` is set. Postfix queues and retries while EduPortal is down.
final class MailIntakeListener: LifecycleHandler, @unchecked Sendable {
    private var channel: (any Channel)?

    func didBootAsync(_ app: Application) async throws {
        let port = app.eduConfig.mailIntakePort
        guard port > 0 else { return }
        let channel = try await Self.bind(port: port, intake: ConsultationMailIntake(app: app), group: app.eventLoopGroup)
        self.channel = channel
        app.logger.notice("Dịch vụ nhận thư góp ý (LMTP) cho Postfix: inet:127.0.0.1:\(port)")
    }

    func shutdownAsync(_ app: Application) async {
        try? await channel?.close()
        channel = nil
    }

    static func bind(port: Int, intake: any MailIntake, group: any EventLoopGroup, hostname: String = "eduportal") async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.addHandlers([IdleStateHandler(readTimeout: .minutes(5)), LMTPHandler(intake: intake, hostname: hostname)])
            }
            .bind(host: "127.0.0.1", port: port).get()
    }
}

/// One LMTP conversation. Commands are handled one at a time (no PIPELINING is offered); the
/// message is kept in memory up to `maxMessageBytes` and its end found without copying it twice.
final class LMTPHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Announced as SIZE; a larger message is refused before its bytes are kept.
    static let maxMessageBytes = 25 << 20
    static let maxRecipients = 50

    let intake: any MailIntake
    let hostname: String
    private var buffer: ByteBuffer?
    private var busy = false
    private var greeted = false
    private var sender: String?
    private var recipients: [String] = []
    private var inData = false
    private var dataScanFrom = 0
    private var dataTooLarge = false

    init(intake: any MailIntake, hostname: String) {
        self.intake = intake
        self.hostname = hostname
    }

    func channelActive(context: ChannelHandlerContext) {
        write("220 \(hostname) LMTP EduPortal", context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            write("421 4.4.2 Hết thời gian chờ", context: context)
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer == nil { buffer = incoming } else { buffer!.writeBuffer(&incoming) }
        process(context: context)
    }

    private func write(_ line: String, context: ChannelHandlerContext) {
        var out = context.channel.allocator.buffer(capacity: line.utf8.count + 2)
        out.writeString(line + "\r\n")
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }

    private func reset() {
        sender = nil
        recipients = []
        inData = false
        dataTooLarge = false
        dataScanFrom = 0
    }

    /// Handles whatever complete commands (or the whole message) the buffer holds.
    private func process(context: ChannelHandlerContext) {
        while !busy, var current = buffer, current.readableBytes > 0 {
            if inData {
                guard let message = takeMessage(&current) else {
                    buffer = current
                    return
                }
                buffer = current
                finishData(message, context: context)
                continue
            }
            let view = current.readableBytesView
            guard let newline = view.firstIndex(of: 0x0A) else {
                if current.readableBytes > 4096 {
                    write("500 5.5.2 Dòng lệnh quá dài", context: context)
                    context.close(promise: nil)
                }
                return
            }
            let length = newline - view.startIndex
            var line = current.readString(length: length) ?? ""
            current.moveReaderIndex(forwardBy: 1)
            buffer = current
            if line.hasSuffix("\r") { line.removeLast() }
            command(line, context: context)
        }
        if !busy, buffer?.readableBytes == 0 { buffer = nil }
    }

    /// The message up to the lone dot, unstuffed; nil until the dot has arrived.
    private func takeMessage(_ current: inout ByteBuffer) -> [UInt8]? {
        let view = current.readableBytesView
        let start = view.startIndex
        // The end is CRLF "." CRLF, or "." CRLF at the very start (an empty message).
        var end: Int?
        if view.starts(with: [0x2E, 0x0D, 0x0A]) {
            end = start
        } else {
            var i = max(start, start + dataScanFrom - 4)
            while i + 4 < view.endIndex {
                if view[i] == 0x0D && view[i + 1] == 0x0A && view[i + 2] == 0x2E && view[i + 3] == 0x0D && view[i + 4] == 0x0A { end = i + 2; break }
                i += 1
            }
        }
        guard let end else {
            dataScanFrom = view.count
            if view.count > Self.maxMessageBytes + 64 * 1024 {
                // Too large: keep reading for the end, holding only its last bytes.
                dataTooLarge = true
                current.moveReaderIndex(forwardBy: view.count - 8)
                dataScanFrom = 8
            }
            return nil
        }
        let bodyLength = end - start
        let raw = current.readBytes(length: bodyLength) ?? []
        current.moveReaderIndex(forwardBy: 3)  // ".\r\n"
        dataScanFrom = 0
        // Dot-unstuffing: a line that starts with ".." loses one dot.
        var message: [UInt8] = []
        message.reserveCapacity(raw.count)
        var atLineStart = true
        var i = 0
        while i < raw.count {
            let byte = raw[i]
            if atLineStart && byte == 0x2E && i + 1 < raw.count && raw[i + 1] == 0x2E { i += 1 }
            message.append(raw[i])
            atLineStart = raw[i] == 0x0A
            i += 1
        }
        return message
    }

    private func command(_ line: String, context: ChannelHandlerContext) {
        let verb = line.prefix { $0 != " " && $0 != ":" }.uppercased()
        let argument = String(line.dropFirst(verb.count)).trimmingCharacters(in: .whitespaces)
        switch verb {
        case "LHLO":
            greeted = true
            reset()
            write("250-\(hostname)\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 SIZE \(Self.maxMessageBytes)", context: context)
        case "MAIL":
            guard greeted else { return write("503 5.5.1 Gửi LHLO trước", context: context) }
            guard sender == nil else { return write("503 5.5.1 Đã có MAIL FROM", context: context) }
            guard let address = Self.path(after: "FROM:", in: argument) else { return write("501 5.5.4 Cú pháp: MAIL FROM:<địa chỉ>", context: context) }
            if let size = Self.parameter("SIZE", in: argument).flatMap(Int.init), size > Self.maxMessageBytes {
                return write("552 5.3.4 Thư quá lớn (tối đa \(Self.maxMessageBytes >> 20) MB)", context: context)
            }
            sender = address
            write("250 2.1.0 OK", context: context)
        case "RCPT":
            guard let sender else { return write("503 5.5.1 Gửi MAIL FROM trước", context: context) }
            guard let address = Self.path(after: "TO:", in: argument), !address.isEmpty else { return write("501 5.5.4 Cú pháp: RCPT TO:<địa chỉ>", context: context) }
            guard recipients.count < Self.maxRecipients else { return write("452 4.5.3 Quá nhiều người nhận", context: context) }
            busy = true
            let intake = self.intake
            context.eventLoop.makeFutureWithTask { await intake.check(recipient: address, sender: sender) }.whenComplete { result in
                self.busy = false
                let verdict = (try? result.get()) ?? .later("4.3.0 Tạm thời không kiểm tra được người nhận")
                if case .accepted = verdict { self.recipients.append(address) }
                self.write(verdict.reply, context: context)
                self.process(context: context)
            }
        case "DATA":
            guard sender != nil else { return write("503 5.5.1 Gửi MAIL FROM trước", context: context) }
            guard !recipients.isEmpty else { return write("503 5.5.1 Chưa có người nhận hợp lệ", context: context) }
            inData = true
            dataScanFrom = 0
            write("354 Gửi nội dung thư, kết thúc bằng một dòng chỉ có dấu chấm", context: context)
        case "RSET":
            reset()
            write("250 2.0.0 OK", context: context)
        case "NOOP":
            write("250 2.0.0 OK", context: context)
        case "VRFY":
            write("252 2.5.0 Không xác minh địa chỉ", context: context)
        case "QUIT":
            write("221 2.0.0 Tạm biệt", context: context)
            context.close(promise: nil)
        default:
            write("500 5.5.2 Lệnh không được hỗ trợ", context: context)
        }
    }

    /// After DATA: one reply per recipient taken (LMTP), in order.
    private func finishData(_ message: [UInt8], context: ChannelHandlerContext) {
        let targets = recipients, from = sender ?? "", tooLarge = dataTooLarge
        reset()
        if tooLarge {
            for _ in targets { write("552 5.3.4 Thư quá lớn (tối đa \(Self.maxMessageBytes >> 20) MB)", context: context) }
            return
        }
        busy = true
        let intake = self.intake
        context.eventLoop.makeFutureWithTask {
            var verdicts: [IntakeVerdict] = []
            for target in targets { verdicts.append(await intake.deliver(message, recipient: target, sender: from)) }
            return verdicts
        }.whenComplete { result in
            self.busy = false
            let verdicts = (try? result.get()) ?? targets.map { _ in .later("4.3.0 Tạm thời không lưu được thư") }
            for verdict in verdicts { self.write(verdict.reply, context: context) }
            self.process(context: context)
        }
    }

    /// `FROM:<a@b> SIZE=1` → "a@b" (lower-cased; `<>` is the empty sender of a bounce).
    static func path(after keyword: String, in argument: String) -> String? {
        guard argument.uppercased().hasPrefix(keyword) else { return nil }
        let rest = argument.dropFirst(keyword.count).trimmingCharacters(in: .whitespaces)
        guard rest.hasPrefix("<"), let close = rest.firstIndex(of: ">") else { return nil }
        return rest[rest.index(after: rest.startIndex)..<close].lowercased()
    }

    static func parameter(_ name: String, in argument: String) -> String? {
        for word in argument.split(separator: " ") where word.uppercased().hasPrefix(name + "=") {
            return String(word.dropFirst(name.count + 1))
        }
        return nil
    }
}
