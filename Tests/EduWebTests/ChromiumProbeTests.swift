import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// The browser measures (#17: first and largest contentful paint, the longest task, axe-core) in
/// a real headless Chromium over the DevTools protocol, on a unit's home page served on loopback.
/// Chromium is required: `scripts/test` installs it, and without it this test fails saying so.
@Suite struct ChromiumProbeTests {
    /// Processes whose command line names a profile folder the probe made.
    static func chromiumProcesses() -> [String] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return ids.filter { Int($0) != nil }.compactMap { id in
            guard let data = FileManager.default.contents(atPath: "/proc/\(id)/cmdline") else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return line.contains("eduportal-chromium-") ? "\(id): \(line.prefix(120))" : nil
        }
    }

    @Test func aUnitsHomePageIsMeasuredInARealBrowser() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            try await UnitHostname(unitID: province.so.requireID(), hostname: "so-thu.localhost").create(on: app.db)
            try await province.user("bientap@so.edu.vn", .truongBanBienTap, at: province.so, app: app)
            _ = try await FeedAndMetadataTests().publish("Hội nghị tổng kết năm học", slug: "tin-tuc-su-kien", at: province.so, app: app)
            let port = freeLoopbackPort()
            try await TestApp.serving(app, port: port) {
                let probe = try #require(ChromiumProbe.find(eventLoopGroup: app.eventLoopGroup), "Chromium is not installed: scripts/test installs the chromium package")
                let measures = try await probe.measure("http://so-thu.localhost:\(port)/", timeout: 120)
                #expect(measures.fcp.map { $0 > 0 } == true && measures.lcp.map { $0 > 0 } == true && measures.load.map { $0 > 0 && $0 >= measures.lcp ?? 0 } == true)
                if probe.axeScript != nil { #expect(measures.axeViolations == 0) } else { #expect(measures.axeViolations == nil) }
                // Chromium and its helpers are gone once the measure returns (they used to outlive it).
                #expect(Self.chromiumProcesses().isEmpty, "left running: \(Self.chromiumProcesses())")
                // The checks read one run for the three criteria and say what they measured.
                var context = EvaluationRoundTests.context(app)
                context.browser = EvaluationChecks.BrowserRuns(probe)
                let links = PublicLinks(config: app.eduConfig, port: port)
                context = EvaluationChecks.Context(db: context.db, config: context.config, links: links, fetch: context.fetch, now: context.now, browser: context.browser)
                let so = try await province.so.resolved(on: app.db)
                let fcp = try await EvaluationChecks.measure("fcp", unit: so, context: context)
                #expect(fcp.value.map { $0 > 0 } == true && fcp.evidence.contains("điện thoại 375 px"))
                // Without a browser the criterion is not measured, and says so.
                let none = try await EvaluationChecks.measure("lcp", unit: so, context: EvaluationRoundTests.context(app))
                #expect(none.value == nil && none.evidence.contains("Chromium"))
            }
        }
    }
}
