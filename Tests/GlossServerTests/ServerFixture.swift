import Foundation
import GlossCore
import GlossServer
import GlossService
import GlossStore
import GlossTestSupport
import Hummingbird
import HummingbirdTesting
import Logging

/// A project served over the router: document `a` ("Kabul 😀 talks", assigned to alice and bob, one annotation
/// each), document `b` (bob's only, one annotation), and a token per role.
struct ServerFixture {
    static let context = ChangeContext(actor: "pi", time: "2026-12-03T12:00:00.000Z", source: "test")
    let folder: TemporaryDirectory
    let store: any ProjectStore
    let alice: String, bob: String, adjudicator: String, admin: String
    /// The ids of alice's and bob's annotations on `a`, and bob's on `b`.
    let aliceOnA: Int64, bobOnA: Int64, bobOnB: Int64

    init(_ kind: StoreKind = .sqlite) throws {
        folder = try TemporaryDirectory()
        store = try kind.makeStore(in: folder)
        let documents = try folder.write("docs.jsonl", #"{"id":"a","text":"Kabul 😀 talks"}"# + "\n"
                                          + #"{"id":"b","text":"Moscow talks"}"# + "\n")
        _ = try DocumentImporter(store: store, options: ImportOptions(context: Self.context))
            .importDocuments(from: [documents])
        let time = Self.context.time
        (aliceOnA, bobOnA, bobOnB) = try store.write { writer in
            try writer.insert([Assignment(documentID: "a", coder: "alice", role: .reliability, assignedAt: time),
                               Assignment(documentID: "a", coder: "bob", role: .reliability, assignedAt: time),
                               Assignment(documentID: "b", coder: "bob", role: .single, assignedAt: time)],
                              context: Self.context)
            let ingest = try AnnotationIngest(writer: writer, context: Self.context)
            func add(_ document: String, _ coder: String, _ start: Int, _ end: Int, _ kind: String) throws -> Int64 {
                let record = AnnotationRecord(documentID: document, coder: coder, layer: "actor",
                                              start: start, end: end,
                                              features: ["kind": .string(kind)])
                guard case .inserted(let annotation) = try ingest.add(record) else {
                    throw GlossError(.conflict, "dup")
                }
                return annotation.id
            }
            return (try add("a", "alice", 0, 5, "place"), try add("a", "bob", 0, 5, "person"),
                    try add("b", "bob", 0, 6, "place"))
        }
        let store = store
        func token(_ coder: String, _ role: AccessToken.Role) throws -> String {
            try AccessTokens.create(coder: coder, role: role, store: store, context: Self.context).secret
        }
        (alice, bob) = (try token("alice", .coder), try token("bob", .coder))
        (adjudicator, admin) = (try token("dana", .adjudicator), try token("pi", .admin))
    }

    func router(limits: RequestLimits = RequestLimits()) -> Router<GlossRequestContext> {
        GlossServer.router(store: store, limits: limits, resources: ServerResources(folder: ServerResources.checkout),
                           applicationVersion: "test")
    }

    /// Runs `body` with a client of the router.
    func test<Value: Sendable>(limits: RequestLimits = RequestLimits(),
                               _ body: @Sendable (APIClient) async throws -> Value) async throws -> Value {
        var logger = Logger(label: "gloss.serve.test")
        logger.logLevel = .warning  // the request log line of every call would drown the test output
        return try await Application(router: router(limits: limits), logger: logger).test(.router) { client in
            try await body(APIClient(client: client))
        }
    }
}

/// One answer of the API: status, headers and body (parsed as JSON when it is JSON).
struct APIResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String

    var json: JSONValue? { try? JSONParser.parse(text) }

    /// `json[key]` for an object, else nil.
    subscript(_ key: String) -> JSONValue? {
        guard case .object(let object)? = json else { return nil }
        return object[key]
    }

    /// The `code` of an error body.
    var errorCode: String? {
        guard case .object(let error)? = self["error"], case .string(let code)? = error["code"] else { return nil }
        return code
    }

    /// The objects of the list under `key` (`{"annotations": [...]}`).
    func items(_ key: String) -> [[String: JSONValue]] {
        guard case .array(let items)? = self[key] else { return [] }
        return items.compactMap { if case .object(let object) = $0 { object } else { nil } }
    }
}

struct APIClient: Sendable {
    let client: any TestClientProtocol

    @discardableResult
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil,
              headers: HTTPFields = [:]) async throws -> APIResponse {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        if body != nil && fields[.contentType] == nil { fields[.contentType] = "application/json" }
        let response = try await client.execute(uri: "/api/v1" + uri, method: method, headers: fields,
                                                body: body.map { ByteBuffer(string: $0) })
        return APIResponse(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }
}

extension JSONValue {
    var string: String? { if case .string(let text) = self { text } else { nil } }
    var integer: Int? { if case .integer(let number) = self { number } else { nil } }
}
