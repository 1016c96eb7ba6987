import EduCore
import Foundation

/// A notice as `sendmail` takes it: no database here (the outbox loop that reads and updates the
/// queued rows is EduWeb's `OutboxWorker`).
public struct MailNotice: Sendable {
    public var id: UUID?
    public var recipients: String
    public var subject: String
    public var body: String

    public init(id: UUID?, recipients: String, subject: String, body: String) {
        self.id = id
        self.recipients = recipients
        self.subject = subject
        self.body = body
    }
}

/// Hands notices to the local MTA through `sendmail`, and the retry rule (back-off, statuses) the
/// outbox follows. Without an MTA the notices stay in the outbox, with the reason, visible in the admin.
public struct OutboxDelivery: Sendable {
    /// The sendmail command: a path, optionally followed by arguments (`/usr/sbin/sendmail -C /etc/postfix-b`).
    public var sendmailPath: String
    public var from: String
    public var maxAttempts: Int

    public init(sendmailPath: String = "/usr/sbin/sendmail", from: String, maxAttempts: Int = 12) {
        self.sendmailPath = sendmailPath
        self.from = from
        self.maxAttempts = maxAttempts
    }

    public static let pending = "cho-gui"
    public static let sent = "da-gui"
    public static let failed = "that-bai"

    /// Wait before the next try after `attempts` failures: 1 min, 5 min, 15 min, 1 h, 3 h, then 6 h.
    public static func backoff(afterAttempts attempts: Int) -> TimeInterval {
        let steps: [TimeInterval] = [60, 300, 900, 3600, 3 * 3600]
        return attempts >= 1 && attempts <= steps.count ? steps[attempts - 1] : 6 * 3600
    }

    public enum DeliveryError: Error, CustomStringConvertible {
        case noMTA(String)
        case rejected(Int32, String)

        public var description: String {
            switch self {
            case .noMTA(let path): "Không có máy chủ thư (MTA): không tìm thấy \(path)."
            case .rejected(let status, let output): "sendmail từ chối (mã \(status)): \(output)"
            }
        }
    }

    public func send(_ message: MailNotice) throws {
        let command = sendmailPath.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let executable = command.first, FileManager.default.isExecutableFile(atPath: executable) else {
            throw DeliveryError.noMTA(command.first ?? sendmailPath)
        }
        let recipients = message.recipients.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter(Validation.isEmail)
        guard !recipients.isEmpty else { throw DeliveryError.rejected(-1, "không có người nhận hợp lệ") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // -i: a lone "." does not end the message; recipients as arguments, never from headers.
        process.arguments = Array(command.dropFirst()) + ["-i", "-f", Self.address(in: from), "--"] + recipients
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // A sendmail that exits early (no MTA configured) closes the pipe: that is an error to
        // retry later, never a crash, so the throwing write is used.
        var writeError: (any Error)?
        do {
            try input.fileHandleForWriting.write(contentsOf: Data(Self.compose(message, from: from, to: recipients).utf8))
        } catch {
            writeError = error
        }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0, writeError == nil else {
            throw DeliveryError.rejected(process.terminationStatus, String(text.prefix(500)) + (writeError.map { " (\($0))" } ?? ""))
        }
    }

    static func address(in from: String) -> String {
        if let open = from.lastIndex(of: "<"), let close = from.lastIndex(of: ">"), open < close {
            return String(from[from.index(after: open)..<close])
        }
        return from
    }

    /// An RFC 5322 message in UTF-8 for local submission: the subject as an RFC 2047 encoded word,
    /// the body in base64.
    public static func compose(_ message: MailNotice, from: String, to recipients: [String], date: Date = Date()) -> String {
        func encodedWord(_ text: String) -> String {
            text.allSatisfy(\.isASCII) ? text : "=?UTF-8?B?" + Data(text.utf8).base64EncodedString() + "?="
        }
        // No header may carry a line break taken from data.
        func header(_ text: String) -> String { text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let body = Data(message.body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        let messageID = "<\(message.id?.uuidString.lowercased() ?? UUID().uuidString.lowercased())@eduportal>"
        return [
            "From: \(header(from))",
            "To: \(header(recipients.joined(separator: ", ")))",
            "Subject: \(encodedWord(header(message.subject)))",
            "Date: \(formatter.string(from: date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
            "",
            body,
            "",
        ].joined(separator: "\n")  // local submission to sendmail uses plain newlines
    }
}
