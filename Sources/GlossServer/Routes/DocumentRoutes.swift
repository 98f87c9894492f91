import Foundation
import GlossCore
import GlossService
import GlossStore
import GlossWorkflow
import Hummingbird

/// `/documents`: the documents a token holder may see, one with its text, an admin's import of one, and a coder's
/// done and reopen.
struct DocumentRoutes {
    let access: StoreAccess
    let limits: InputLimits

    func add(to group: APIGroup) {
        group.get("documents", use: list)
        group.post("documents", use: create)
        group.get("documents/:id", use: show)
        group.post("documents/:id/done") { request, context in try await mark(request, context, done: true) }
        group.post("documents/:id/reopen") { request, context in try await mark(request, context, done: false) }
    }

    /// A coder sees the documents assigned to them, with the state of their assignment and the number of their own
    /// annotations; others see every document (and their own assignment's state, if any).
    @Sendable func list(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        let items = try await access.read { reader -> [String] in
            let states = Dictionary(try reader.assignments(coder: policy.token.coder).map {
                (ExactKey($0.documentID), $0.state.rawValue)
            }, uniquingKeysWith: { first, _ in first })
            var own: [ExactKey: Int] = [:]
            if policy.token.role == .coder {
                try reader.forEachAnnotation(matching: AnnotationFilter(coder: policy.token.coder)) {
                    own[ExactKey($0.documentID), default: 0] += 1
                }
            }
            return try reader.documentSummaries().filter { policy.mayRead(documentID: $0.externalID) }.map { summary in
                guard case .object(var object) = summary.json else { return summary.json.canonicalJSON }
                let key = ExactKey(summary.externalID)
                if let state = states[key] { object["state"] = .string(state) }
                if policy.token.role == .coder { object["annotations"] = .integer(own[key] ?? 0) }
                return JSONValue.object(object).canonicalJSON
            }
        }
        return JSONResponse.list("documents", items)
    }

    /// The document with its text, exactly as stored.
    @Sendable func show(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        let id = try context.pathParameter("id")
        try Self.checkReadable(id, policy)
        let line = try await access.read { reader in try reader.document(externalID: id)?.nativeJSONLine() }
        guard let line else { throw Self.missing(id) }
        return JSONResponse.make(line)
    }

    /// Imports one document (admin): the body is a native document record, as one line of `gloss import docs`.
    /// 201 when stored, 200 when the same text is already stored under the id, 409 when another text is.
    @Sendable func create(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        try policy.checkAdministration("import documents")
        let record: DocumentRecord
        do {
            record = try DocumentRecord(json: try await request.jsonBody(context: context))
        } catch let error as RecordError {
            throw APIError(.unprocessableContent, code: "invalid", error.message)
        }
        let options = ImportOptions(limits: limits, context: request.changeContext(policy))
        let report = try await access.run { store in
            try DocumentImporter(store: store, options: options).importRecords([(record, SourceLocation(file: "body"))])
        }
        let summary = try await access.read { reader in try reader.document(externalID: record.externalID) }
        guard let summary else { throw Self.missing(record.externalID) }
        return JSONResponse.make(summary.nativeJSONLine(includingText: false),
                                 status: report.imported.isEmpty ? .ok : .created,
                                 headers: [.location: "/api/v1/documents/\(Self.pathComponent(record.externalID))"])
    }

    /// Marks the token holder's assignment done, or reopens it (an admin may name `?coder=`).
    func mark(_ request: Request, _ context: GlossRequestContext, done: Bool) async throws -> Response {
        let policy = try context.policy()
        let id = try context.pathParameter("id")
        let coder = try request.query("coder") ?? policy.token.coder
        if !coder.isIdentical(to: policy.token.coder) { try policy.checkAdministration("mark another coder's work") }
        try Self.checkReadable(id, policy)
        guard try await access.read({ try $0.document(externalID: id) }) != nil else { throw Self.missing(id) }
        let changeContext = request.changeContext(policy)
        let assignment = try await access.run { store in
            try ProjectStatus.mark(documentID: id, coder: coder, done: done, store: store, context: changeContext)
        }
        return JSONResponse.make(assignment.json.canonicalJSON)
    }

    static func checkReadable(_ id: String, _ policy: AccessPolicy) throws {
        guard policy.mayRead(documentID: id) else {
            throw APIError(.forbidden, code: "forbidden", "document \"\(id)\" is not assigned to \(policy.token.coder)")
        }
    }

    static func missing(_ id: String) -> APIError {
        APIError(.notFound, code: "not_found", "no document \"\(id)\"")
    }

    /// An id as one percent-encoded path component.
    static func pathComponent(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id
    }
}
