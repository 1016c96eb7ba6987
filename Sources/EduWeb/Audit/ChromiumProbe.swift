import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Measures a page the way the national criteria for state portals (2025) do, in a real headless
/// Chromium driven over the DevTools protocol: a phone's screen, a four-times slower processor and
/// a slow mobile network; first contentful paint, largest contentful paint, the longest task
/// during load and when the load ended; and, given axe-core, the WCAG 2.1 A/AA violations. Without Chromium on the
/// machine it is not made, and the criteria it serves say «not measured».
struct ChromiumProbe: Sendable {
    struct Measures: Sendable, Equatable {
        let fcp: Double?
        let lcp: Double?
        let longestTask: Double
        /// When the page was fully shown: the later of the load event's end and the largest
        /// contentful paint (the load can end before anything is painted), the national criteria's
        /// «page fully shown».
        let load: Double?
        let axeViolations: Int?
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let executable: String
    /// axe.min.js, when the accessibility criterion should be measured.
    let axeScript: String?
    let eventLoopGroup: any EventLoopGroup

    /// `EDUPORTAL_CHROMIUM`, else the usual places; nil when there is none.
    static func find(environment: [String: String] = ProcessInfo.processInfo.environment, eventLoopGroup: any EventLoopGroup) -> ChromiumProbe? {
        let candidates = [environment["EDUPORTAL_CHROMIUM"]].compactMap { $0 } + ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let axe = environment["EDUPORTAL_AXE_JS"].flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        return ChromiumProbe(executable: path, axeScript: axe, eventLoopGroup: eventLoopGroup)
    }

    /// Records LCP and long tasks from the first moment of the document.
    static let observer = """
        window.__edu = {lcp: null, longest: 0};
        try { new PerformanceObserver(l => { for (const e of l.getEntries()) window.__edu.lcp = e.startTime; }).observe({type: 'largest-contentful-paint', buffered: true}); } catch (e) {}
        try { new PerformanceObserver(l => { for (const e of l.getEntries()) window.__edu.longest = Math.max(window.__edu.longest, e.duration); }).observe({type: 'longtask', buffered: true}); } catch (e) {}
        """

    /// Ends Chromium and its renderer and helper processes, which outlived a plain terminate():
    /// Foundation starts the child as the leader of a process group of its own (Debian's
    /// `chromium` script execs the browser under the same pid), so the whole group is signalled:
    /// SIGTERM, a moment to exit, then SIGKILL for whatever is left.
    static func stop(_ process: Process) {
        let pid = process.processIdentifier
        guard pid > 0 else { return }
        let group = getpgid(pid) == pid
        if group { kill(-pid, SIGTERM) } else { process.terminate() }
        for _ in 0..<100 where process.isRunning { usleep(20_000) }
        if group { kill(-pid, SIGKILL) } else if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    func measure(_ url: String, timeout: TimeInterval = 45) async throws -> Measures {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("eduportal-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                             "--disable-crash-reporter", "--disable-breakpad",
                             "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=\(profile.path)", "about:blank"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { Self.stop(process) }
        // Chromium writes the port it chose into its profile.
        var port: Int?
        for _ in 0..<100 where port == nil {
            if let text = try? String(contentsOf: profile.appendingPathComponent("DevToolsActivePort"), encoding: .utf8) { port = text.split(separator: "\n").first.flatMap { Int($0) } }
            if port == nil { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        guard let port else { throw Failure(description: "Chromium không mở cổng điều khiển") }
        let http = HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup))
        let listing: ByteBuffer?
        do {
            listing = try await http.get(url: "http://127.0.0.1:\(port)/json/list").get().body
            try await http.shutdown()
        } catch {
            try? await http.shutdown()
            throw error
        }
        let targets = (try? JSONSerialization.jsonObject(with: Data(buffer: listing ?? ByteBuffer()))) as? [[String: Any]] ?? []
        guard let socket = targets.first(where: { $0["type"] as? String == "page" })?["webSocketDebuggerUrl"] as? String else {
            throw Failure(description: "Chromium không có trang để điều khiển")
        }
        let session = try await DevToolsSession.connect(socket, on: eventLoopGroup)
        defer { session.close() }
        _ = try await session.send("Network.enable")
        _ = try await session.send("Network.emulateNetworkConditions", ["offline": false, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8])
        _ = try await session.send("Emulation.setCPUThrottlingRate", ["rate": 4])
        _ = try await session.send("Emulation.setDeviceMetricsOverride", ["width": 375, "height": 667, "deviceScaleFactor": 2, "mobile": true])
        _ = try await session.send("Page.enable")
        _ = try await session.send("Page.addScriptToEvaluateOnNewDocument", ["source": Self.observer])
        let loaded = session.waitFor("Page.loadEventFired")
        _ = try await session.send("Page.navigate", ["url": url])
        try await loaded.value(timeout: timeout)
        try await Task.sleep(nanoseconds: 1_500_000_000)  // LCP settles after load
        let perf = try await session.evaluate("""
            JSON.stringify({fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime ?? null, lcp: window.__edu ? window.__edu.lcp : null, longest: window.__edu ? window.__edu.longest : 0, load: (performance.getEntriesByType('navigation')[0] || {}).loadEventEnd || null})
            """)
        let values = (try? JSONSerialization.jsonObject(with: Data((perf as? String ?? "{}").utf8))) as? [String: Any] ?? [:]
        var violations: Int?
        if let axeScript {
            _ = try await session.evaluate(axeScript)
            violations = try await session.evaluate("axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => r.violations.length)",
                                                    awaitPromise: true) as? Int
        }
        return Measures(fcp: (values["fcp"] as? NSNumber)?.doubleValue, lcp: (values["lcp"] as? NSNumber)?.doubleValue,
                        longestTask: (values["longest"] as? NSNumber)?.doubleValue ?? 0, load: ((values["load"] as? NSNumber)?.doubleValue).map { max($0, (values["lcp"] as? NSNumber)?.doubleValue ?? 0) },
                        axeViolations: violations)
    }
}

/// One DevTools protocol connection: commands matched to their replies by id, events awaited by name.
final class DevToolsSession: @unchecked Sendable {
    /// An event awaited, completed once: by the event or by its time running out.
    final class Waiter: @unchecked Sendable {
        private let promise: EventLoopPromise<Void>
        private let done = NIOLockedValueBox(false)

        init(on loop: any EventLoop) { promise = loop.makePromise() }

        func complete(_ error: (any Error)? = nil) {
            guard done.withLockedValue({ value in defer { value = true }; return !value }) else { return }
            if let error { promise.fail(error) } else { promise.succeed(()) }
        }

        func value(timeout: TimeInterval) async throws {
            let timer = promise.futureResult.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout * 1000))) { [self] in
                complete(ChromiumProbe.Failure(description: "trang không tải xong trong \(Int(timeout)) giây"))
            }
            defer { timer.cancel() }
            try await promise.futureResult.get()
        }
    }

    private let socket: WebSocket
    private let loop: any EventLoop
    private let state = NIOLockedValueBox<(next: Int, replies: [Int: CheckedContinuation<[String: Any], any Error>], events: [String: [Waiter]])>(
        (1, [:], [:]))

    private init(socket: WebSocket, loop: any EventLoop) {
        self.socket = socket
        self.loop = loop
    }

    static func connect(_ url: String, on group: any EventLoopGroup) async throws -> DevToolsSession {
        let box = NIOLockedValueBox<DevToolsSession?>(nil)
        try await WebSocket.connect(to: url, configuration: .init(maxFrameSize: 1 << 24), on: group) { socket in
            let session = DevToolsSession(socket: socket, loop: socket.eventLoop)
            box.withLockedValue { $0 = session }
            socket.onText { _, text in session.receive(text) }
        }.get()
        // The upgrade's callback may run just after the connection's future completes.
        for _ in 0..<200 where box.withLockedValue({ $0 }) == nil { try await Task.sleep(nanoseconds: 10_000_000) }
        guard let session = box.withLockedValue({ $0 }) else { throw ChromiumProbe.Failure(description: "không nối được tới Chromium") }
        return session
    }

    private func receive(_ text: String) {
        guard let message = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return }
        if let id = message["id"] as? Int {
            let waiting = state.withLockedValue { $0.replies.removeValue(forKey: id) }
            if let error = message["error"] as? [String: Any] {
                waiting?.resume(throwing: ChromiumProbe.Failure(description: error["message"] as? String ?? "lỗi DevTools"))
            } else {
                waiting?.resume(returning: message["result"] as? [String: Any] ?? [:])
            }
        } else if let method = message["method"] as? String {
            for waiter in state.withLockedValue({ $0.events.removeValue(forKey: method) ?? [] }) { waiter.complete() }
        }
    }

    func send(_ method: String, _ params: [String: Any] = [:]) async throws -> [String: Any] {
        try await withCheckedThrowingContinuation { continuation in
            let id = state.withLockedValue { state -> Int in
                let id = state.next
                state.next += 1
                state.replies[id] = continuation
                return id
            }
            guard let data = try? JSONSerialization.data(withJSONObject: ["id": id, "method": method, "params": params]) else {
                _ = state.withLockedValue { $0.replies.removeValue(forKey: id) }
                continuation.resume(throwing: ChromiumProbe.Failure(description: "không mã hóa được lệnh \(method)"))
                return
            }
            socket.send(String(decoding: data, as: UTF8.self))
        }
    }

    /// Starts waiting for an event before the command that causes it is sent.
    func waitFor(_ event: String) -> Waiter {
        let waiter = Waiter(on: loop)
        state.withLockedValue { $0.events[event, default: []].append(waiter) }
        return waiter
    }

    func evaluate(_ expression: String, awaitPromise: Bool = false) async throws -> Any? {
        let result = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": awaitPromise])
        if let exception = result["exceptionDetails"] as? [String: Any] {
            throw ChromiumProbe.Failure(description: "lỗi JavaScript: \((exception["exception"] as? [String: Any])?["description"] as? String ?? "không rõ")")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    func close() {
        _ = socket.close()
        let pending = state.withLockedValue { state -> [CheckedContinuation<[String: Any], any Error>] in
            let all = Array(state.replies.values)
            state.replies.removeAll()
            return all
        }
        for continuation in pending { continuation.resume(throwing: ChromiumProbe.Failure(description: "Chromium đã đóng")) }
        for waiter in state.withLockedValue({ state in defer { state.events.removeAll() }; return state.events.values.flatMap { $0 } }) {
            waiter.complete(ChromiumProbe.Failure(description: "Chromium đã đóng"))
        }
    }
}
