import GlossCore
import GlossIO

/// Imports native annotation JSON Lines files (or folders of them) in one transaction.
///
/// Each line is checked on its own: offsets in range and not inside a character, `text` equal to the
/// covered text, document known. One bad line rejects the whole import unless `skipsInvalid` is set.
public struct AnnotationImporter {
    public struct Report: Sendable, Equatable {
        public var files = 0
        public var imported = 0
        /// Lines whose id names an identical stored annotation.
        public var alreadyPresent = 0
        /// Lines refused and skipped under `skipsInvalid`.
        public var invalid = 0
    }

    public let store: any ProjectStore
    public let options: ImportOptions

    public init(store: any ProjectStore, options: ImportOptions) {
        self.store = store
        self.options = options
    }

    public func importAnnotations(from paths: [String]) throws -> Report {
        let files = try InputFile.expand(paths, extensions: ["jsonl"])
        var report = Report()
        let options = options
        try store.write { writer in
            let ingest = try AnnotationIngest(writer: writer, context: options.context, allowsUncodedLayers: options.allowsUncodedLayers,
                                              checksCodebooks: !options.restoresExport, limits: options.limits,
                                              allowsUnassigned: options.allowsUnassigned)
            var linesRead = 0
            for path in files {
                let file = try InputFile(path: path)
                report.files += 1
                ingest.context.source = options.context.source + " " + path
                try JSONLines(file: file, maximumLineBytes: options.limits.maximumLineBytes).forEachRecord(decode: AnnotationRecord.init(json:)) { line, parsed in
                    linesRead += 1
                    if linesRead % 10_000 == 0 { options.reportProgress(linesRead) }
                    let location = SourceLocation(file: path, line: line)
                    do {
                        switch try ingest.add(parsed.get()) {
                        case .inserted: report.imported += 1
                        case .alreadyPresent: report.alreadyPresent += 1
                        }
                    } catch let error as GlossError where error.code == .badData || error.code == .conflict {
                        try options.handle(error.located(at: location))
                        report.invalid += 1
                    } catch let error as GlossError where error.code == .notPermitted {
                        throw error.located(at: location)  // not a bad record: --skip-invalid does not skip it
                    }
                }
            }
        }
        return report
    }
}
