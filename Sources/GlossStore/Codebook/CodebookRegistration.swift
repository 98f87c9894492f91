import Foundation
import GlossCodebook
import GlossCore
import GlossIO

/// Registers codebook versions in a project.
///
/// Versions of one codebook are registered in order (the first may start anywhere; each later one is the
/// next number), a version already registered with the same text is left as it is, and a layer belongs
/// to one codebook only.
public struct CodebookRegistration {
    public enum Outcome: Sendable, Equatable {
        case registered(CodebookReference)
        case alreadyRegistered(CodebookReference)
    }

    public let store: any ProjectStore

    public init(store: any ProjectStore) { self.store = store }

    /// Reads, checks and registers the codebook in `path`. Problems in the file throw `CodebookError`.
    public func register(file path: String, context: ChangeContext) throws -> Outcome {
        try register(files: [path], context: context)[0]
    }

    /// Reads, checks and registers the codebooks in `paths` in one transaction: all or none. Versions of one
    /// codebook are registered in version order whatever the order of the files.
    public func register(files paths: [String], context: ChangeContext) throws -> [Outcome] {
        let sources = try paths.map { path in (path: path, source: try InputFile(path: path).text) }
        let parsed = try sources.map { entry in (entry, try Codebook.parse(entry.source, file: entry.path)) }
        let ordered = parsed.sorted { ($0.1.id, $0.1.version) < ($1.1.id, $1.1.version) }
        return try store.write { writer in
            try ordered.map { try Self.register(source: $0.0.source, file: $0.0.path, writer: writer, context: context) }
        }
    }

    /// Checks and registers the codebook `source` (read from `file`) within `writer`'s transaction.
    public static func register(source: String, file path: String, writer: any ProjectWriter, context: ChangeContext) throws -> Outcome {
        let codebook = try Codebook.parse(source, file: path)
        let reference = CodebookReference(id: codebook.id, version: codebook.version)
        let sha256 = SHA256.hexDigest(of: source)
        let registered = try writer.registeredCodebooks()
        if let same = registered.first(where: { $0.id == codebook.id && $0.version == codebook.version }) {
            guard same.sha256 == sha256 else {
                throw GlossError(.conflict, "\(reference) is already registered with different content (from \(same.file)); raise the version number for a changed codebook", at: SourceLocation(file: path))
            }
            return .alreadyRegistered(reference)
        }
        if let latest = registered.filter({ $0.id == codebook.id }).map(\.version).max(), codebook.version - 1 != latest {
            throw GlossError(.conflict, "\(codebook.id) is registered up to version \(latest); the next version to register is \(latest + 1), not \(codebook.version)", at: SourceLocation(file: path))
        }
        let others = try writer.codebookRegistry().latest.filter { $0.id != codebook.id }
        for layer in codebook.layers {
            if let owner = others.first(where: { $0.layer(layer.id) != nil }) {
                throw GlossError(.conflict, "layer \(layer.id) is already defined by codebook \(owner.id)@\(owner.version); a layer belongs to one codebook", at: SourceLocation(file: path))
            }
        }
        try writer.register(RegisteredCodebook(id: codebook.id, version: codebook.version, title: codebook.title, source: source,
                                               sha256: sha256, file: path, addedAt: context.time), context: context)
        return .registered(reference)
    }
}
