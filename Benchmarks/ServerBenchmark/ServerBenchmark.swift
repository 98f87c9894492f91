import AsyncHTTPClient
import Foundation
import GlossCore
import GlossService
import GlossStore
import GlossWorkflow
import NIOCore
import NIOHTTP1

/// `make bench-server`: a load run against `gloss serve` on loopback, not a timed test.
///
/// Makes a project of the fixture articles in a temporary folder, assigns every article to each of `--coders`
/// coders (50), gives each a token, starts `gloss serve` (the release build) on 127.0.0.1, and has every coder,
/// concurrently, add an annotation on one of their documents, change it with `If-Match`, and delete it, over and
/// over for `--seconds` (60). Then it stops the server with SIGTERM and checks that the database accounts for every
/// acknowledged write: one audited create, update and delete for each 201, 200 and 204, and the annotations left
/// equal to those created and not deleted. Prints requests per second, p50/p99 latency per operation, errors, and the
/// check. With `--database-url URL` the project is made in that PostgreSQL database (which must be empty) instead of
/// a SQLite file. Usage: `gloss-server-bench [--coders N] [--seconds S] [--gloss PATH] [--database-url URL]`.
@main
struct ServerBenchmark {
    static func main() async {
        do {
            try await run()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run() async throws {
        var coders = 50, seconds = 60, gloss = ".build/release/gloss", databaseURL: String?
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--coders": coders = Int(arguments.next() ?? "") ?? coders
            case "--seconds": seconds = Int(arguments.next() ?? "") ?? seconds
            case "--gloss": gloss = arguments.next() ?? gloss
            case "--database-url": databaseURL = arguments.next()
            default:
                let usage = "usage: gloss-server-bench [--coders N] [--seconds S] [--gloss PATH] [--database-url URL]\n"
                FileHandle.standardError.write(Data(usage.utf8))
                exit(64)
            }
        }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("gloss-server-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try databaseURL.map { StoreLocation.postgres(try PostgresURL($0)) }
            ?? .sqlite(path: folder.appendingPathComponent("bench.sqlite").path)
        let (tokens, documents) = try prepare(database: database, coders: coders)
        let server = try Server(gloss: gloss, database: database)
        defer { server.stop() }
        print("gloss serve on 127.0.0.1:\(server.port) with \(database): \(coders) coders, \(documents.count) "
              + "documents, \(seconds) s")

        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: coders)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let deadline = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        let results = await withTaskGroup(of: CoderResult.self) { group in
            for (index, token) in tokens.enumerated() {
                group.addTask {
                    await Self.code(client: client, port: server.port, token: token, documents: documents,
                                    seed: UInt64(index + 1), until: deadline)
                }
            }
            var all: [CoderResult] = []
            for await result in group { all.append(result) }
            return all
        }
        let elapsed = ContinuousClock.now - started
        try await client.shutdown()
        let stopped = server.stop()

        let merged = results.reduce(into: CoderResult()) { $0.merge($1) }
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("requests: \(merged.requests) in \(String(format: "%.1f", wall)) s = "
              + "\(String(format: "%.0f", Double(merged.requests) / wall)) requests/s; server exit status \(stopped)")
        print("operation   count    p50 ms   p99 ms   max ms   errors")
        for operation in Operation.allCases {
            let latencies = (merged.latencies[operation] ?? []).sorted()
            func percentile(_ p: Double) -> String {
                guard !latencies.isEmpty else { return "-" }
                return String(format: "%.2f", latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))])
            }
            print(operation.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                  + String(format: "%7d", latencies.count) + "   " + percentile(0.5).leftPadded(6) + "   "
                  + percentile(0.99).leftPadded(6) + "   " + (latencies.last.map { String(format: "%.2f", $0) } ?? "-")
                    .leftPadded(6) + "   " + String(merged.errors[operation] ?? 0))
        }
        for (status, count) in merged.statuses.sorted(by: { $0.key < $1.key }) where !(200..<300).contains(status) {
            print("status \(status): \(count)")
        }
        try check(database: database, merged)
    }

    /// The project: the fixture articles, all assigned to every coder, one coder token each.
    static func prepare(database: StoreLocation,
                        coders: Int) throws -> (tokens: [String], documents: [(id: String, length: Int)]) {
        let context = ChangeContext(actor: "bench", time: Timestamp.now(), source: "gloss-server-bench")
        let store = try database.open(creating: true)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures")
        _ = try DocumentImporter(store: store, options: ImportOptions(context: context))
            .importDocuments(from: [fixtures.appendingPathComponent("documents.jsonl").path])
        let names = (1...coders).map { String(format: "coder%02d", $0) }
        _ = try AssignmentPlanner.assign(.init(coders: names, overlap: coders > 1 ? 1 : 0), store: store,
                                         context: context, dryRun: false)
        let tokens = try names.map {
            try AccessTokens.create(coder: $0, role: .coder, store: store, context: context).secret
        }
        let documents = try store.read { try $0.documentSummaries().map { ($0.externalID, $0.length) } }
        return (tokens, documents)
    }

    enum Operation: String, CaseIterable, Sendable { case create, update, delete }

    struct CoderResult: Sendable {
        var latencies: [Operation: [Double]] = [:]
        var errors: [Operation: Int] = [:]
        var statuses: [Int: Int] = [:]
        var acknowledged: [Operation: Int] = [:]
        var requests = 0

        mutating func merge(_ other: CoderResult) {
            latencies.merge(other.latencies, uniquingKeysWith: +)
            errors.merge(other.errors, uniquingKeysWith: +)
            statuses.merge(other.statuses, uniquingKeysWith: +)
            acknowledged.merge(other.acknowledged, uniquingKeysWith: +)
            requests += other.requests
        }
    }

    /// One coder's loop: add, change, delete, until the deadline.
    static func code(client: HTTPClient, port: Int, token: String, documents: [(id: String, length: Int)],
                     seed: UInt64, until deadline: ContinuousClock.Instant) async -> CoderResult {
        var result = CoderResult()
        var generator = SplitMix64(seed: seed)
        let base = "http://127.0.0.1:\(port)/api/v1"
        func call(_ operation: Operation, _ method: HTTPMethod, _ url: String, body: String?,
                  ifMatch: String? = nil, expect: Int) async -> (body: String, etag: String?)? {
            var request = HTTPClientRequest(url: url)
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            if let ifMatch { request.headers.add(name: "If-Match", value: ifMatch) }
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body))
            }
            let started = ContinuousClock.now
            result.requests += 1
            do {
                let response = try await client.execute(request, timeout: .seconds(30))
                let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                let elapsed = (ContinuousClock.now - started).components
                result.latencies[operation, default: []].append(
                    Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15)
                result.statuses[Int(response.status.code), default: 0] += 1
                guard Int(response.status.code) == expect else {
                    result.errors[operation, default: 0] += 1
                    return nil
                }
                result.acknowledged[operation, default: 0] += 1
                return (text, response.headers.first(name: "ETag"))
            } catch {
                result.errors[operation, default: 0] += 1
                return nil
            }
        }
        while ContinuousClock.now < deadline {
            let document = documents[Int(generator.next() % UInt64(documents.count))]
            let start = Int(generator.next() % UInt64(max(1, document.length - 20)))
            let end = start + 1 + Int(generator.next() % 19)
            let path = document.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? document.id
            guard let created = await call(.create, .POST, "\(base)/documents/\(path)/annotations",
                                           body: #"{"layer":"mention","start":\#(start),"end":\#(end)}"#, expect: 201),
                  case .object(let fields)? = try? JSONParser.parse(created.body), case .integer(let id)? = fields["id"]
            else { continue }
            guard let updated = await call(.update, .PATCH, "\(base)/annotations/\(id)",
                                           body: #"{"features":{"note":"checked"}}"#, ifMatch: created.etag,
                                           expect: 200)
            else { continue }
            _ = await call(.delete, .DELETE, "\(base)/annotations/\(id)", body: nil, ifMatch: updated.etag, expect: 204)
        }
        return result
    }

    /// Every acknowledged write is in the database and its audit log, and nothing else is.
    static func check(database: StoreLocation, _ result: CoderResult) throws {
        let store = try database.open()
        let (audited, left) = try store.read { reader in
            let entries = try reader.auditEntries(limit: nil).filter { $0.entity == .annotation }
            return (Dictionary(grouping: entries, by: \.action).mapValues(\.count),
                    try reader.annotations(matching: AnnotationFilter(layer: "mention")).count)
        }
        let created = result.acknowledged[.create] ?? 0, updated = result.acknowledged[.update] ?? 0
        let deleted = result.acknowledged[.delete] ?? 0
        let auditedCreates = audited[.create] ?? 0, auditedUpdates = audited[.update] ?? 0
        let auditedDeletes = audited[.delete] ?? 0
        print("acknowledged: \(created) created, \(updated) updated, \(deleted) deleted; audited: \(auditedCreates), "
              + "\(auditedUpdates), \(auditedDeletes); annotations left: \(left) (expected \(created - deleted))")
        let lost = max(0, created - auditedCreates) + max(0, updated - auditedUpdates)
            + max(0, deleted - auditedDeletes) + abs(left - (created - deleted))
        print(lost == 0 && auditedCreates == created && auditedUpdates == updated && auditedDeletes == deleted
              ? "check: 0 lost writes, and every audited write was acknowledged"
              : "check FAILED: \(lost) acknowledged writes unaccounted for")
    }
}

/// `gloss serve` in a child process; its port is read from the line it prints on start.
final class Server: @unchecked Sendable {
    let process = Process()
    let port: Int
    private var stopped: Int32?

    init(gloss: String, database: StoreLocation) throws {
        process.executableURL = URL(fileURLWithPath: gloss)
        let store = switch database {
        case .sqlite(let path): ["--db", path]
        case .postgres(let url): ["--database-url", url.connectionString]
        }
        process.arguments = ["serve", "--port", "0", "--max-concurrent-requests", "256"] + store
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var printed = ""
        while !printed.contains("/api/v1") {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { throw GlossError(.ioFailure, "gloss serve ended: \(printed)") }
            printed += String(decoding: data, as: UTF8.self)
        }
        guard let match = printed.firstMatch(of: /on http:\/\/[^ ]*:(\d+)\/api\/v1/), let port = Int(match.1) else {
            throw GlossError(.ioFailure, "gloss serve printed no address: \(printed)")
        }
        self.port = port
        // Drain the request log so that the server never blocks on a full pipe.
        Thread.detachNewThread { while !errors.fileHandleForReading.availableData.isEmpty {} }
    }

    /// Stops the server with SIGTERM (once) and returns its exit status.
    @discardableResult
    func stop() -> Int32 {
        if let stopped { return stopped }
        process.terminate()
        process.waitUntilExit()
        stopped = process.terminationStatus
        return process.terminationStatus
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
