import EduCore
import Foundation
import Logging
import NIOConcurrencyHelpers

/// One JSON object per line on standard error (`EDUPORTAL_LOG_FORMAT=json`), for journald,
/// Loki or any collector: time, level, logger, message, the request id Vapor attaches to each
/// request's logger (`request-id`, which the error page shows the visitor), and the rest of the
/// metadata. swift-log ships only a plain-text handler and no mirrored package writes JSON; this is
/// the `LogHandler` protocol's whole surface.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    private static let lock = NIOLock()

    public init(label: String, level: Logger.Level = .info) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if let error = event.error { merged["error"] = .string(String(reflecting: error)) }
        let line = Self.line(time: Date(), level: event.level, label: label, message: event.message.description, metadata: merged)
        Self.lock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
    }

    static func line(time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var out = "{\"time\":\(Escape.json(Self.iso(time))),\"level\":\"\(level.rawValue)\",\"logger\":\(Escape.json(label)),\"message\":\(Escape.json(message))"
        for key in metadata.keys.sorted() where !["time", "level", "logger", "message"].contains(key) {
            out += "," + Escape.json(key) + ":" + Escape.json(metadata[key]!.description)
        }
        return out + "}\n"
    }

    private static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
