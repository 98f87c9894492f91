import Foundation
import GlossCore
import GlossIO

/// Writes a project as native JSON Lines: `documents.jsonl` and `annotations.jsonl` in a folder, and
/// every registered codebook version, exactly as registered, as `codebooks/ID@VERSION.yaml`.
///
/// Documents are ordered by external id and annotations by id, and every field an import keeps is
/// written, so that registering the codebooks (in version order), importing the documents and then the
/// annotations into a new database, and exporting again gives identical bytes. The two JSON Lines files
/// are written under temporary names and moved into place only when both are complete.
public struct NativeExporter {
    public struct Report: Sendable, Equatable {
        public var documents = 0
        public var annotations = 0
        public var codebooks = 0
    }

    public let store: any ProjectStore
    /// Only this coder's annotations (a coder reading blind), or nil for all.
    public let coder: String?

    public init(store: any ProjectStore, coder: String? = nil) {
        self.store = store
        self.coder = coder
    }

    /// Writes the export into `folder`; refuses (exit 73) when one of its files is already there, unless `overwriting`.
    @discardableResult
    public func export(to folder: String, overwriting: Bool = false) throws -> Report {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw GlossError(.ioFailure, "cannot create the output folder: \(error.localizedDescription)", at: SourceLocation(file: folder))
        }
        var report = Report()
        try store.read { reader in
            let codebooks = try reader.registeredCodebooks()
            let codebookFolder = (folder as NSString).appendingPathComponent("codebooks")
            let codebookPaths = codebooks.map {
                (codebookFolder as NSString).appendingPathComponent("\($0.id)@\($0.version).yaml")
            }
            try OutputFile.prepare(["documents.jsonl", "annotations.jsonl"].map { (folder as NSString).appendingPathComponent($0) }
                                   + codebookPaths, overwriting: overwriting)
            if !codebooks.isEmpty {
                do {
                    try FileManager.default.createDirectory(atPath: codebookFolder, withIntermediateDirectories: true)
                } catch {
                    throw GlossError(.ioFailure, "cannot create the codebook folder: \(error.localizedDescription)", at: SourceLocation(file: codebookFolder))
                }
                for (codebook, path) in zip(codebooks, codebookPaths) { try OutputFile.write(Array(codebook.source.utf8), to: path) }
                report.codebooks = codebooks.count
            }
            let documents = try LineFileWriter.write(to: (folder as NSString).appendingPathComponent("documents.jsonl")) { output in
                try reader.forEachDocument { document in
                    try output.writeLine(document.nativeJSONLine())
                    report.documents += 1
                }
            }
            let annotations: LineFileWriter.Partial
            do {
                annotations = try LineFileWriter.write(to: (folder as NSString).appendingPathComponent("annotations.jsonl")) { output in
                    try reader.forEachAnnotation(matching: AnnotationFilter(coder: coder)) { annotation in
                        try output.writeLine(annotation.nativeJSONLine)
                        report.annotations += 1
                    }
                }
            } catch {
                documents.discard()
                throw error
            }
            // Both files are complete before either replaces an earlier export.
            try documents.moveIntoPlace()
            try annotations.moveIntoPlace()
        }
        return report
    }
}
