import GlossCore
import GlossService
import GlossStore
import Hummingbird

/// `/codebooks`: the registered versions, one version's YAML, and an admin's registration of a new one.
struct CodebookRoutes {
    let access: StoreAccess

    func add(to group: APIGroup) {
        group.get("codebooks") { _, context in
            _ = try context.policy()
            let codebooks = try await access.read { try $0.registeredCodebooks() }
            return JSONResponse.list("codebooks", codebooks.map { Self.json($0, source: false).canonicalJSON })
        }
        group.get("codebooks/:id") { request, context in
            _ = try context.policy()
            let id = try context.pathParameter("id")
            let version = try request.queryInteger("version")
            let found = try await access.read { reader -> (RegisteredCodebook, JSONValue?)? in
                let codebooks = try reader.registeredCodebooks().filter { $0.id == id }
                guard let codebook = version.map({ wanted in codebooks.first { $0.version == wanted } })
                        ?? codebooks.max(by: { $0.version < $1.version }) else { return nil }
                return (codebook, try reader.codebookRegistry().codebook(id, version: codebook.version)?.layersJSON)
            }
            guard let (codebook, layers) = found else {
                throw APIError(.notFound, code: "not_found", "no codebook \(id)\(version.map { "@\($0)" } ?? "")")
            }
            var json = Self.json(codebook, source: true)
            if case .object(var fields) = json, let layers {
                fields["layers"] = layers
                json = .object(fields)
            }
            return JSONResponse.make(json.canonicalJSON)
        }
        // The body is the codebook's YAML, as in a codebook file.
        group.post("codebooks") { request, context in
            let policy = try context.policy()
            try policy.checkAdministration("register codebooks")
            let source = try await request.textBody(context: context)
            let changeContext = request.changeContext(policy)
            let outcome = try await access.write { writer in
                try CodebookRegistration.register(source: source, file: "body", writer: writer, context: changeContext)
            }
            switch outcome {
            case .registered(let reference):
                return JSONResponse.make(Self.outcome(reference, registered: true), status: .created)
            case .alreadyRegistered(let reference):
                return JSONResponse.make(Self.outcome(reference, registered: false))
            }
        }
    }

    static func outcome(_ reference: CodebookReference, registered: Bool) -> String {
        JSONValue.object(["codebook": .string(reference.description), "registered": .bool(registered)]).canonicalJSON
    }

    static func json(_ codebook: RegisteredCodebook, source: Bool) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(codebook.id), "version": .integer(codebook.version), "title": .string(codebook.title),
            "sha256": .string(codebook.sha256), "added": .string(codebook.addedAt),
        ]
        if source { object["source"] = .string(codebook.source) }
        return .object(object)
    }
}
