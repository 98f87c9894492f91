import Foundation
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

    @Test func refusesABadPortAsUsage() throws {
        let result = try ProcessResult.run(TestPaths.glossExecutable, ["serve", "--port", "70000"])
        #expect(result.status == 64 && result.standardError.contains("--port"))
    }
}
