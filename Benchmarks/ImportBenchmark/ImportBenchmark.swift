import Foundation
import GlossCore
import GlossIO
import GlossInterchange
import GlossStore
import GlossTEI

/// Times importing documents and native JSONL annotations into an empty project, exporting it, and
/// validating every annotation against a codebook.
///
/// Usage: `gloss-bench [--documents N] [--annotations M] [--codebook FILE]` (default codebook:
/// `Codebooks/russia-taliban-coverage.yaml`, which the generated `statement` annotations follow). Input files are generated first
/// (not timed): news-like texts with curly quotes, NBSP, Dari with ZWNJ, an astral emoji and CRLF, and
/// annotations that carry their covered text (so the quote check runs) and, one in ten, UTF-16 offsets.
///
/// With `--tei-schema FILE` (tei_all.rng), the project is then exported as TEI and the files validated, in a
/// child process of its own so that its peak memory (VmHWM) is the export's and the validation's alone.
@main
struct ImportBenchmark {
    static func main() {
        do {
            try run()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run() throws {
        if CommandLine.arguments.count == 4, CommandLine.arguments[1] == "--tei-child" {
            try teiChild(database: CommandLine.arguments[2], schema: CommandLine.arguments[3])
            return
        }
        var teiSchema: String?
        var documentCount = 10_000, annotationCount = 200_000
        // The shipped codebook, found from this file's place in the package, wherever the bench runs from.
        var codebookPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Codebooks/russia-taliban-coverage.yaml").path
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--documents": documentCount = Int(arguments.next() ?? "") ?? documentCount
            case "--annotations": annotationCount = Int(arguments.next() ?? "") ?? annotationCount
            case "--codebook": codebookPath = arguments.next() ?? codebookPath
            case "--tei-schema": teiSchema = arguments.next()
            default:
                FileHandle.standardError.write(Data("usage: gloss-bench [--documents N] [--annotations M] [--codebook FILE] [--tei-schema FILE]\n".utf8))
                exit(64)
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let documentsPath = folder.appendingPathComponent("documents.jsonl").path
        let annotationsPath = folder.appendingPathComponent("annotations.jsonl").path
        let texts = (0..<documentCount).map(Self.text(for:))
        try Self.writeDocuments(texts, to: documentsPath)
        try Self.writeAnnotations(count: annotationCount, texts: texts, to: annotationsPath)
        let inputBytes = Self.fileSize(documentsPath) + Self.fileSize(annotationsPath)

        let store = try SQLiteStore(path: folder.appendingPathComponent("bench.sqlite").path, creating: true)
        let context = ChangeContext(actor: "bench", time: Timestamp.now(), source: "bench")
        let clock = ContinuousClock()

        let documentTime = try clock.measure {
            let report = try DocumentImporter(store: store, options: ImportOptions(context: context)).importDocuments(from: [documentsPath])
            precondition(report.imported.count == documentCount, "documents missing")
        }
        var imported = 0
        let annotationTime = try clock.measure {
            // Dense projects (many annotations per document) repeat some generated spans; those are skipped as identical.
            let report = try AnnotationImporter(store: store, options: ImportOptions(context: context)).importAnnotations(from: [annotationsPath])
            precondition(report.imported + report.alreadyPresent == annotationCount, "annotations missing")
            imported = report.imported
        }
        let exportTime = try clock.measure {
            try NativeExporter(store: store).export(to: folder.appendingPathComponent("export").path)
        }

        _ = try CodebookRegistration(store: store).register(file: codebookPath, context: context)
        var findings = 0
        let validationTime = try clock.measure {
            findings = try ProjectValidator(store: store).findings().count
        }

        let documentSeconds = documentTime.seconds, annotationSeconds = annotationTime.seconds
        print("""
            {"documents":\(documentCount),"annotations":\(annotationCount),"input_mb":\(String(format: "%.1f", Double(inputBytes) / 1e6)),\
            "document_import_s":\(String(format: "%.3f", documentSeconds)),"documents_per_s":\(Int(Double(documentCount) / documentSeconds)),\
            "annotations_stored":\(imported),"annotation_import_s":\(String(format: "%.3f", annotationSeconds)),"annotations_per_s":\(Int(Double(annotationCount) / annotationSeconds)),\
            "export_s":\(String(format: "%.3f", exportTime.seconds)),\
            "validate_s":\(String(format: "%.3f", validationTime.seconds)),"violations":\(findings)}
            """)
        guard let teiSchema else { return }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["--tei-child", store.path, teiSchema]
        try child.run()
        child.waitUntilExit()
        if child.terminationStatus != 0 { exit(child.terminationStatus) }
    }

    /// Exports the project in `database` as TEI (one file per document), then validates every file against
    /// `schema`; prints the times, the size, and the process's peak resident memory.
    static func teiChild(database: String, schema: String) throws {
        let store = try SQLiteStore(path: database)
        let folder = URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent("tei").path
        let clock = ContinuousClock()
        var exported: TEIExporter.Report?
        let exportTime = try clock.measure {
            exported = try TEIExporter(store: store, options: TEIExporter.Options(applicationVersion: "0.1.0")).export(to: folder)
        }
        guard let report = exported else { return }
        let afterExport = peakMemory()
        let bytes = report.files.reduce(0) { $0 + fileSize($1) }
        var validator: RelaxNGValidator?
        let compileTime = try clock.measure { validator = try RelaxNGValidator(path: schema) }
        var invalid = 0
        let validationTime = try clock.measure {
            for file in report.files {
                let tree = try XMLTree(bytes: try InputFile(path: file).bytes, file: file)
                if !(validator?.errors(in: tree).isEmpty ?? false) { invalid += 1 }
            }
        }
        let megabytes = Double(bytes) / 1e6
        print("""
            {"tei_documents":\(report.documents),"tei_annotations":\(report.annotations),"tei_mb":\(String(format: "%.1f", megabytes)),\
            "tei_export_s":\(String(format: "%.3f", exportTime.seconds)),"tei_export_mb_per_s":\(String(format: "%.1f", megabytes / exportTime.seconds)),\
            "tei_peak_mb_after_export":\(afterExport / 1024),"schema_compile_s":\(String(format: "%.2f", compileTime.seconds)),\
            "tei_validate_s":\(String(format: "%.3f", validationTime.seconds)),"tei_validate_mb_per_s":\(String(format: "%.1f", megabytes / validationTime.seconds)),\
            "tei_invalid_files":\(invalid),"tei_peak_mb":\(peakMemory() / 1024)}
            """)
    }

    /// This process's peak resident set size in KiB (VmHWM).
    static func peakMemory() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// A news-like text of about 1,500 code points with the usual hazards.
    static func text(for index: Int) -> String {
        let paragraphs = [
            "Headline \(index): Envoy\u{A0}Kabulov says Moscow keeps “working contacts” with the Taliban",
            "MOSCOW — Russia’s special envoy told reporters on Tuesday that the contacts served “only to protect our citizens”, a claim U.S. officials disputed.",
            "A spokesman in Kabul quoted elders: «ما صلح می‌خواهیم» (“we want peace”), adding that the talks were premature.",
            "Analysts at a cafe\u{301} near the ministry were divided; one called the meetings a “legitimation” of the insurgents.",
            "General Nicholson alleged that weapons crossed the border 15\u{A0}km north of the river, which the Taliban denied.",
            "Reader comment: this is outrageous 😡 and nobody will be held to account.",
        ]
        let separator = index % 10 == 0 ? "\r\n\r\n" : "\n\n"
        return paragraphs.joined(separator: separator)
    }

    static func writeDocuments(_ texts: [String], to path: String) throws {
        var output = ""
        for (index, text) in texts.enumerated() {
            output += JSONValue.object([
                "id": .string("doc-\(index)"), "title": .string("Headline \(index)"), "outlet": .string("Bench Times"),
                "published": .string("2017-02-13"), "text": .string(text),
            ]).canonicalJSON + "\n"
        }
        try output.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// Spans of whole words, spread over the documents, with features and covered text.
    static func writeAnnotations(count: Int, texts: [String], to path: String) throws {
        let coders = ["alice", "bob", "chen"]
        let stances = ["supportive", "critical", "neutral", "ambiguous"]
        let indexed = texts.map { DocumentText($0) }
        var output = ""
        output.reserveCapacity(count * 260)
        for number in 0..<count {
            let documentIndex = number % texts.count
            let text = indexed[documentIndex]
            let length = text.index.codePointCount
            let start = (number * 7919) % max(1, length - 60)
            let end = start + 10 + number % 50
            guard let span = try? TextSpan(start: start, end: end), let quote = try? text.quote(span) else {
                preconditionFailure("generated span \(start)..<\(end) does not fit document \(documentIndex)")
            }
            let usesUTF16 = number % 10 == 0
            let startValue = usesUTF16 ? (try? text.index.offset(fromCodePoint: start, to: .utf16)) ?? start : start
            let endValue = usesUTF16 ? (try? text.index.offset(fromCodePoint: end, to: .utf16)) ?? end : end
            var line = "{\"document\":\"doc-\(documentIndex)\",\"coder\":\"\(coders[number % 3])\",\"layer\":\"statement\","
            line += "\"start\":\(startValue),\"end\":\(endValue),\"unit\":\"\(usesUTF16 ? "utf16" : "codepoint")\",\"text\":"
            JSONValue.writeString(quote, to: &line)
            line += ",\"features\":{\"stance\":\"\(stances[number % 4])\",\"speaker\":\"russia.envoy\"}}\n"
            output += line
        }
        try output.write(toFile: path, atomically: false, encoding: .utf8)
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
