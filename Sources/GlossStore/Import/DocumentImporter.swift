import Foundation
import GlossCore

/// Imports documents from `.txt` files, `.jsonl` files of native document records, and folders of both.
///
/// A `.txt` file becomes one document: its external id is the file name without extension, its title the
/// first non-empty line. A document whose id is already stored with the same text is skipped; with a
/// different text it is a conflict (exit 75). Everything is written in one transaction.
public struct DocumentImporter {
    public struct Report: Sendable, Equatable {
        /// External ids of the documents stored, in input order.
        public var imported: [String] = []
        /// External ids already stored with the same text.
        public var skipped: [String] = []
        /// Records refused and skipped under `skipsInvalid`.
        public var invalid = 0
    }

    public let store: any ProjectStore
    public let options: ImportOptions

    public init(store: any ProjectStore, options: ImportOptions) {
        self.store = store
        self.options = options
    }

    public func importDocuments(from paths: [String]) throws -> Report {
        var report = Report()
        var records: [(DocumentRecord, SourceLocation)] = []
        for path in try InputFile.expand(paths, extensions: ["txt", "jsonl"]) {
            switch (path as NSString).pathExtension.lowercased() {
            case "txt":
                let location = SourceLocation(file: path)
                do {
                    let file = try InputFile(path: path)
                    let externalID = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
                    records.append((DocumentRecord(externalID: externalID, text: file.text), location))
                } catch let error as GlossError where error.code == .badData {
                    try options.handle(error)
                    report.invalid += 1
                }
            case "jsonl":
                let file = try InputFile(path: path)
                try JSONLines(file: file).forEachRecord(decode: DocumentRecord.init(json:)) { line, parsed in
                    switch parsed {
                    case .success(let record):
                        records.append((record, SourceLocation(file: path, line: line)))
                    case .failure(let error):
                        try options.handle(error)
                        report.invalid += 1
                    }
                }
            default:
                throw GlossError(.usage, "unsupported file type; `gloss import docs` reads .txt files, .jsonl files and folders of them",
                                 at: SourceLocation(file: path))
            }
        }
        let context = options.context
        try store.write { writer in
            var seen: [ExactKey: (sha256: String, location: SourceLocation)] = [:]
            for (index, (record, location)) in records.enumerated() {
                if index % 1000 == 0 { options.reportProgress(index) }
                do throws(RecordError) {
                    try record.check()
                } catch {
                    try options.handle(GlossError(.badData, error.message, at: location))
                    report.invalid += 1
                    continue
                }
                let document = record.document(importedAt: context.time)
                let key = ExactKey(document.externalID)
                if let earlier = seen[key] {
                    guard earlier.sha256 == document.sha256 else {
                        try options.handle(GlossError(.badData, "document \"\(document.externalID)\" appears again with a different text (first at \(earlier.location)); give each document its own id", at: location))
                        report.invalid += 1
                        continue
                    }
                    report.skipped.append(document.externalID)
                    continue
                }
                if let stored = try writer.document(externalID: document.externalID) {
                    guard stored.sha256 == document.sha256 else {
                        try options.handle(GlossError(.conflict, "document \"\(document.externalID)\" is already stored with a different text (sha256 \(stored.sha256.prefix(12))…); give the new text another id", at: location))
                        report.invalid += 1
                        continue
                    }
                    seen[key] = (document.sha256, location)
                    report.skipped.append(document.externalID)
                    continue
                }
                var fileContext = context
                fileContext.source += " " + location.description
                try writer.insert(document, context: fileContext)
                seen[key] = (document.sha256, location)
                report.imported.append(document.externalID)
            }
        }
        return report
    }
}
