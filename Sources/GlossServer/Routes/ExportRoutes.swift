import Foundation
import GlossCore
import GlossIO
import GlossService
import GlossStore
import GlossTEI
import Hummingbird

/// `/export/…`: the project (what the token holder may see of it) as native JSON Lines, CSV or TEI, written to a
/// temporary file by the same exporters as `gloss export` and streamed from it in chunks, so memory stays flat.
struct ExportRoutes {
    let access: StoreAccess
    let applicationVersion: String

    func add(to group: APIGroup) {
        group.get("export/documents.jsonl") { request, context in
            let policy = try context.policy()
            return try await stream(context, type: "application/jsonl; charset=utf-8") { path in
                try access.store.read { reader in
                    try LineFileWriter.write(to: path) { output in
                        try reader.forEachDocument { document in
                            if policy.mayRead(documentID: document.externalID) {
                                try output.writeLine(document.nativeJSONLine())
                            }
                        }
                    }.moveIntoPlace()
                }
            }
        }
        group.get("export/annotations.jsonl") { request, context in
            let policy = try context.policy()
            let filter = try Self.filter(request, policy)
            return try await stream(context, type: "application/jsonl; charset=utf-8") { path in
                try access.store.read { reader in
                    try LineFileWriter.write(to: path) { output in
                        try reader.forEachAnnotation(matching: filter) { annotation in
                            if policy.mayRead(annotation) { try output.writeLine(annotation.nativeJSONLine) }
                        }
                    }.moveIntoPlace()
                }
            }
        }
        group.get("export/annotations.csv") { request, context in
            let policy = try context.policy()
            let filter = try Self.filter(request, policy)
            return try await stream(context, type: "text/csv; charset=utf-8") { path in
                _ = try CSVExporter(store: access.store, filter: filter, includes: policy.mayRead)
                    .export(to: path, overwriting: true)
            }
        }
        // One teiCorpus file of the documents asked for (`?doc=a,b`, default all the holder may read).
        group.get("export/tei") { request, context in
            let policy = try context.policy()
            var documents = try request.queryList("doc")
            var coders: [String]?
            if policy.token.role == .coder {
                for id in documents ?? [] { try DocumentRoutes.checkReadable(id, policy) }
                let coder = policy.token.coder
                let (assigned, known) = try await access.read { reader in
                    (try reader.assignments(coder: coder).map(\.documentID),
                     try reader.coderNames().contains { $0.isIdentical(to: coder) })
                }
                documents = documents ?? assigned
                coders = known ? [coder] : []  // a coder with no annotations yet exports the texts alone
            }
            let options = TEIExporter.Options(documents: documents, coders: coders, isSingleFile: true,
                                              applicationVersion: applicationVersion)
            return try await stream(context, type: "application/tei+xml; charset=utf-8") { path in
                _ = try TEIExporter(store: access.store, options: options).export(to: path, overwriting: true)
            }
        }
    }

    /// `?doc=`, `?coder=`, `?layer=`; a coder's filter is always their own name.
    static func filter(_ request: Request, _ policy: AccessPolicy) throws -> AnnotationFilter {
        var filter = AnnotationFilter(documentID: try request.query("doc"), coder: try request.query("coder"),
                                      layer: try request.query("layer"))
        if policy.token.role == .coder {
            if let coder = filter.coder, !coder.isIdentical(to: policy.token.coder) {
                throw APIError(.forbidden, code: "forbidden", "a coder exports only their own annotations")
            }
            if let documentID = filter.documentID { try DocumentRoutes.checkReadable(documentID, policy) }
            filter.coder = policy.token.coder
        }
        return filter
    }

    /// Writes the export to a temporary file on the thread pool, then streams it and removes it.
    private func stream(_ context: GlossRequestContext, type: String,
                        write: @escaping @Sendable (String) throws -> Void) async throws -> Response {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-export-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("export").path
        let remove: @Sendable () -> Void = { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try await access.threadPool.runIfActive { try write(path) }
            let body = try await FileIO().loadFile(path: path, context: context)
            return Response(status: .ok, headers: [.contentType: type], body: ResponseBody { writer in
                defer { remove() }
                try await body.write(writer)
            })
        } catch {
            remove()
            throw error
        }
    }
}
