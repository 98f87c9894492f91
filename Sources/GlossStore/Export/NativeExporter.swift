import Foundation
import GlossCore

/// Writes a project as native JSON Lines: `documents.jsonl` and `annotations.jsonl` in a folder.
///
/// Documents are ordered by external id and annotations by id, and every field an import keeps is
/// written, so importing the export into a new database and exporting again gives identical bytes.
/// Both files are written under temporary names and moved into place only when both are complete.
public struct NativeExporter {
    public struct Report: Sendable, Equatable {
        public var documents = 0
        public var annotations = 0
    }

    public let store: any ProjectStore

    public init(store: any ProjectStore) { self.store = store }

    @discardableResult
    public func export(to folder: String) throws -> Report {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw GlossError(.ioFailure, "cannot create the output folder: \(error.localizedDescription)", at: SourceLocation(file: folder))
        }
        var report = Report()
        try store.read { reader in
            let documents = try LineFileWriter.write(to: (folder as NSString).appendingPathComponent("documents.jsonl")) { output in
                try reader.forEachDocument { document in
                    try output.writeLine(document.nativeJSONLine())
                    report.documents += 1
                }
            }
            let annotations: LineFileWriter.Partial
            do {
                annotations = try LineFileWriter.write(to: (folder as NSString).appendingPathComponent("annotations.jsonl")) { output in
                    try reader.forEachAnnotation(matching: AnnotationFilter()) { annotation in
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
