import ArgumentParser
import EduCore
import EduData
import EduMail
import EduWeb
import Foundation
import Vapor

@main
struct EduPortal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eduportal",
        abstract: "EduPortal: cổng thông tin điện tử và thư điện tử cho ngành giáo dục.",
        subcommands: [Serve.self, Demo.self, Migrate.self, UserCommand.self, ExamCommand.self, DiplomaCommand.self, MailCommand.self, NameCommand.self, UnitCommand.self, AuditCommand.self, BackupCommand.self, RestoreCommand.self, PublishStaticCommand.self, BenchCommand.self],
        defaultSubcommand: nil)
}

/// Options every command shares.
struct DataOptions: ParsableArguments {
    @ArgumentParser.Option(name: .customLong("data"), help: "Thư mục dữ liệu (mặc định: $EDUPORTAL_DATA_DIR hoặc ./data).")
    var data: String?
}

/// Builds the application (database, migrations, templates, routes) without starting it.
func makeApp(_ options: DataOptions, environment: Environment = .production, publicPort: Int? = nil) async throws -> Application {
    var env = environment
    env.arguments = ["eduportal"]
    let app = try await Application.make(env)
    do {
        var config = try AppConfig.fromEnvironment(dataDirectory: options.data)
        if config.publicPort == nil, let publicPort, publicPort != 80 { config.publicPort = publicPort }
        try await configure(app, config: config)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    return app
}

/// Runs the HTTP server until SIGINT or SIGTERM.
func serve(_ app: Application, hostname: String, port: Int) async throws {
    app.http.server.configuration.hostname = hostname
    app.http.server.configuration.port = port
    // Units on this deployment are asked for their libraries here, with their own host (`ResourceFederation`).
    if app.localOrigin == nil {
        app.localOrigin = hostname == "::1" ? "http://[::1]:\(port)" : "http://127.0.0.1:\(port)"
    }
    app.environment.arguments = ["eduportal", "serve"]
    do {
        try await app.execute()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

/// A child process closing its pipe (sendmail without an MTA) must not kill the server.
func ignoreBrokenPipes() {
    signal(SIGPIPE, SIG_IGN)
}

func bootstrapLogging() {
    struct Once { nonisolated(unsafe) static var done = false }
    guard !Once.done else { return }
    Once.done = true
    ignoreBrokenPipes()
    // EDUPORTAL_LOG_FORMAT=json: one JSON object per line (what deploy/ sets for journald);
    // otherwise Vapor's readable lines. LOG_LEVEL sets the level either way.
    if ProcessInfo.processInfo.environment["EDUPORTAL_LOG_FORMAT"]?.lowercased() == "json" {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        return
    }
    var env = Environment(name: "production", arguments: ["eduportal"])
    try? LoggingSystem.bootstrap(from: &env)
}

/// A command that could not do its work because of what it was given (a file's content, a unit
/// that does not exist): the Vietnamese report goes to standard error, with no "Error:" and no
/// usage text, and the process exits 65 (EX_DATAERR from sysexits.h), not 64 (a usage error).
func refused(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    return ExitCode(65)
}

/// Runs `body` with an app and shuts the app down either way; an operation's Vietnamese message
/// is printed as it is and the command exits 65.
func withApp<T>(_ options: DataOptions, _ body: (Application) async throws -> T) async throws -> T {
    let app = try await makeApp(options)
    do {
        let value = try await body(app)
        try await app.asyncShutdown()
        return value
    } catch {
        try? await app.asyncShutdown()
        switch error {
        case let failure as OperationFailure: throw refused(failure.description)
        case let failure as AppError: throw refused(failure.message)
        case let errors as FormErrors: throw refused(errors.messages.joined(separator: "\n"))
        default: throw error
        }
    }
}
