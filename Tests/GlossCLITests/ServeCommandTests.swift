import Foundation
import Glibc
import GlossCore
import GlossTestSupport
import Testing

@Suite("gloss serve")
struct ServeCommandTests {
    /// Starts on a free loopback port, answers with the project's documents to a token made by `gloss tokens create`,
    /// logs each request, and exits 0 on SIGTERM.
    @Test func servesTheProjectAndStopsCleanly() throws {
        let folder = try TemporaryDirectory()
        let environment = ["GLOSS_DB": folder.path("gloss.sqlite"), "GLOSS_ACTOR": "tester"]
        func gloss(_ arguments: String...) throws -> String {
            let result = try ProcessResult.run(TestPaths.glossExecutable, arguments, environment: environment)
            try #require(result.status == 0, "\(arguments): \(result.standardError)")
            return result.standardOutput
        }
        _ = try gloss("init")
        _ = try gloss("import", "docs", TestPaths.fixtures.path + "/documents.jsonl",
                      TestPaths.fixtures.path + "/articles")
        let token = try #require(try gloss("tokens", "create", "--coder", "pi", "--role", "admin")
            .split(separator: "\n").last.map(String.init))
        let process = try ChildProcess(TestPaths.glossExecutable, ["serve", "--port", "0"], environment: environment,
                                       in: folder)
        let server = try #require(LocalServer(process: process), "\(process.standardErrorSoFar)")
        #expect(try server.get("/health").status == 200)
        #expect(try server.get("/documents").status == 401)
        let documents = try server.get("/documents", token: token)
        #expect(documents.status == 200)
        guard case .object(let body) = try JSONParser.parse(documents.body),
              case .array(let items)? = body["documents"] else {
            Issue.record("not a document list: \(documents.body)")
            return
        }
        // Fixtures/documents.jsonl holds seven documents and Fixtures/articles one.
        #expect(items.count == 8)
        let spec = try server.get("/openapi.yaml")
        #expect(spec.status == 200 && spec.body.hasPrefix("openapi: 3.1"))
        process.kill(SIGTERM)
        let ended = process.wait()
        #expect(ended.status == 0, "\(ended.standardError)")
        #expect(ended.standardError.contains("/api/v1/documents"))
    }

    /// A client that stops halfway through its request is disconnected after the idle timeout (1 s here).
    @Test func closesAConnectionThatStopsSending() throws {
        let folder = try TemporaryDirectory()
        let environment = ["GLOSS_DB": folder.path("gloss.sqlite")]
        let created = try ProcessResult.run(TestPaths.glossExecutable, ["init"], environment: environment)
        try #require(created.status == 0)
        let process = try ChildProcess(TestPaths.glossExecutable, ["serve", "--port", "0", "--idle-timeout", "1"],
                                       environment: environment, in: folder)
        defer { process.kill(SIGTERM); _ = process.wait() }
        let server = try #require(LocalServer(process: process), "\(process.standardErrorSoFar)")
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(server.port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(connected == 0)
        let partial = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"  // no blank line: the request never ends
        _ = partial.withCString { send(socket, $0, strlen($0), 0) }
        // A receive timeout of 10 s bounds the wait; the server should close the connection after about 1 s.
        var limit = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let started = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 4096)
        var received = 0
        repeat { received = recv(socket, &buffer, buffer.count, 0) } while received > 0  // a 408, if any, then EOF
        let waited = ContinuousClock.now - started
        #expect(received == 0, "the connection was not closed (recv returned \(received), errno \(errno))")
        #expect(waited > .milliseconds(500) && waited < .seconds(9), "closed after \(waited)")
    }

    @Test func refusesABadPortAsUsage() throws {
        let result = try ProcessResult.run(TestPaths.glossExecutable, ["serve", "--port", "70000"])
        #expect(result.status == 64 && result.standardError.contains("--port"))
    }
}
