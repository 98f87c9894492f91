import ArgumentParser
import Dispatch
import Foundation
import GlossCore
import GlossServer
import Logging

extension Gloss {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the project to a team: a JSON API under /api/v1 for coders, adjudicators and admins.",
            discussion: """
                Every endpoint but /api/v1/health and /api/v1/openapi.yaml needs a token (`Authorization: Bearer \
                gloss_…`), made by `gloss tokens create`. A coder sees only the documents assigned to them and \
                only their own annotations; an adjudicator sees every coder's work and writes gold annotations; \
                an admin also imports, registers codebooks, assigns and manages tokens. The API is described in \
                /api/v1/openapi.yaml. The server listens on loopback unless --host says otherwise, logs one line \
                per request to standard error, and stops cleanly on Ctrl-C or SIGTERM (requests in flight finish).

                Examples:
                  gloss tokens create --coder pi --role admin
                  gloss serve --port 8471
                  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8471/api/v1/documents
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The address to listen on (loopback by default).", valueName: "address"))
        var host = "127.0.0.1"
        @Option(help: ArgumentHelp("The port (0 picks a free one, printed on start).", valueName: "port"))
        var port = 8080
        @Option(help: ArgumentHelp("The largest request body, in bytes.", valueName: "bytes"))
        var maxBodyBytes = 16 << 20
        @Option(help: ArgumentHelp("Close a connection that sends nothing for this many seconds.",
                                   valueName: "seconds"))
        var idleTimeout = 30
        @Option(help: ArgumentHelp("Requests worked on at once; more are answered 503 (retry).", valueName: "n"))
        var maxConcurrentRequests = 64
        @OptionGroup var limits: LimitOptions

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port takes 0 to 65535") }
            guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be 1024 or more") }
            guard (1...3600).contains(idleTimeout) else {
                throw ValidationError("--idle-timeout takes 1 to 3600 seconds")
            }
            guard maxConcurrentRequests >= 1 else {
                throw ValidationError("--max-concurrent-requests must be 1 or more")
            }
        }

        func run() throws {
            guard let resources = ServerResources.locate() else {
                throw GlossError(.missingInput, "cannot find the server's files (openapi.yaml) in "
                                 + "\(ServerResources.checkout) or PREFIX/share/gloss; reinstall with `make install` "
                                 + "or set GLOSS_SHARE to their folder")
            }
            let location = try project.location
            let store = try location.open()
            let configuration = ServerConfiguration(
                host: host, port: port,
                limits: RequestLimits(maximumBodyBytes: maxBodyBytes, idleTimeout: .seconds(idleTimeout),
                                      maximumConcurrentRequests: maxConcurrentRequests),
                resources: resources)
            LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
            let application = GlossServer.application(
                store: store, configuration: configuration, inputLimits: limits.inputLimits,
                applicationVersion: Gloss.version, logger: Logger(label: "gloss.serve"),
                onServerRunning: { port in
                    printError("gloss serve: \(location) on http://\(host):\(port)/api/v1 (Ctrl-C stops)")
                })
            let outcome = BlockingResult()
            Task {
                do { try await application.runService() } catch { outcome.failure = error }
                outcome.done.signal()
            }
            outcome.done.wait()
            if let failure = outcome.failure {
                throw GlossError(.ioFailure, "the server stopped: \(failure)")
            }
        }
    }
}

/// The end of the server's task, waited for by the command's synchronous `run`.
private final class BlockingResult: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    /// Written by the task before `done` is signalled, read after.
    var failure: (any Error)?
}
