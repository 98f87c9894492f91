import Foundation
import ArgumentParser
import GlossCore
import GlossInterchange
import GlossStore

extension Gloss {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the project.",
            subcommands: [JSONLines.self, TEI.self, CSV.self, Doccano.self, Brat.self, LabelStudio.self])
    }
}

extension Gloss.Export {
    struct JSONLines: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "jsonl",
            abstract: "Write documents.jsonl and annotations.jsonl in the native formats, and the registered codebooks.",
            discussion: """
                Each registered codebook version is written exactly as registered to codebooks/ID@VERSION.yaml. \
                Registering those (`gloss codebook add`, in version order), then importing both files into a \
                new database (`gloss import docs DIR/documents.jsonl`, then `gloss import annotations --restore \
                DIR/annotations.jsonl`) reproduces the project, and exporting it again gives byte-identical \
                files. Existing JSON Lines files in the folder are replaced only when the export is complete.
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir")) var out: String

        func run() throws {
            let report = try NativeExporter(store: try project.openStore()).export(to: out)
            let codebooks = report.codebooks > 0 ? " and \(report.codebooks) codebook version\(report.codebooks == 1 ? "" : "s")" : ""
            print("exported \(report.documents) documents, \(report.annotations) annotations\(codebooks) to \(out)")
        }
    }
}

extension Gloss.Export {
    struct CSV: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "csv",
            abstract: "Write one CSV row per annotation, one column per feature, for R, pandas and SPSS.",
            discussion: """
                Columns: annotation_id, document, coder, layer, start, end, quote, then one column per feature \
                (sorted), then codebook and needs_recoding. Offsets are code points, half-open. A feature cell \
                holds a string as it is, a number or boolean as written in JSON, and a list as JSON \
                (["a","b"]); an empty cell means the feature is not set. UTF-8, RFC 4180 quoting, CRLF line ends.

                A text cell that a spreadsheet would take for a formula (starting with =, +, -, @, tab or CR) \
                gets a leading ' and is quoted, so that it is shown as text.

                Examples:
                  gloss export csv --out annotations.csv
                  gloss export csv --out stance.csv --layer statement --coder alice
                In R: read.csv("annotations.csv", encoding = "UTF-8"); in pandas: pd.read_csv("annotations.csv").
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The CSV file to write.", valueName: "file")) var out: String
        @Option(help: ArgumentHelp("Only this document's annotations.", valueName: "id")) var doc: String?
        @Option(help: ArgumentHelp("Only this coder's annotations.", valueName: "name")) var coder: String?
        @Option(help: ArgumentHelp("Only this layer's annotations.", valueName: "layer")) var layer: String?

        func run() throws {
            let report = try CSVExporter(store: try project.openStore(), filter: AnnotationFilter(documentID: doc, coder: coder, layer: layer))
                .export(to: out)
            print("exported \(report.rows) annotations with \(report.featureColumns.count) feature columns to \(out)")
        }
    }
}

extension Gloss.Export {
    struct Doccano: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doccano",
            abstract: "Write doccano JSON Lines: one record per document with its entities, relations and categories.",
            discussion: """
                What `gloss import annotations --format doccano` stored (layers doccano, doccano_relation and \
                doccano_category) is written back with the labels as doccano knows them: \
                {"id", "text", "entities": [{"id", "start_offset", "end_offset", "label"}], "relations": \
                [{"id", "from_id", "to_id", "type"}], "label": [categories]}. Offsets count UTF-16 units unless \
                --offsets codepoint. doccano has no coders: the spans of every coder are written together.

                Example: gloss export doccano --out project.jsonl
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The JSON Lines file to write.", valueName: "file")) var out: String
        @Option(help: ArgumentHelp("Only these documents, comma-separated.", valueName: "id,...")) var doc: String?
        @Option(help: "What the offsets count.") var offsets: Gloss.Import.Annotations.ForeignOffsets = .utf16

        func run() throws {
            let documents = try InterchangeExporter(store: try project.openStore(), format: "doccano").documents(named: doc.map { $0.split(separator: ",").map(String.init) })
            let lines = try documents.map { try DoccanoFormat.record($0, offsets: offsets == .utf16 ? .utf16 : .codepoint) }
            do {
                try Data((lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw GlossError(.ioFailure, "cannot write: \(error.localizedDescription)", at: SourceLocation(file: out))
            }
            print("exported \(documents.count) documents with \(documents.reduce(0) { $0 + $1.spans.count }) spans to \(out)")
        }
    }
}

extension Gloss.Export {
    struct Brat: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "brat",
            abstract: "Write brat standoff files: DOC.txt and DOC.ann for every document, into a folder.",
            discussion: """
                What `gloss import annotations --format brat` stored (layers brat and brat_relation) is written back: \
                T lines (discontinuous spans with their pieces), A attributes, # notes, N normalizations, R \
                relations and E events (rebuilt from EVENT:ROLE relations). Offsets are code points, as brat counts. \
                The .txt holds the text exactly. brat has no coders: the spans of every coder are written together.

                Example: gloss export brat --out brat/
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir")) var out: String
        @Option(help: ArgumentHelp("Only these documents, comma-separated.", valueName: "id,...")) var doc: String?

        func run() throws {
            let documents = try InterchangeExporter(store: try project.openStore(), format: "brat").documents(named: doc.map { $0.split(separator: ",").map(String.init) })
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                for document in documents {
                    guard !document.id.contains("/"), !document.id.hasPrefix(".") else {
                        throw GlossError(.badData, "document id \"\(document.id)\" cannot be a brat file name; export the others with --doc")
                    }
                    let base = (out as NSString).appendingPathComponent(document.id)
                    try Data(document.text.utf8).write(to: URL(fileURLWithPath: base + ".txt"), options: .atomic)
                    try Data(BratFormat.annotations(document).utf8).write(to: URL(fileURLWithPath: base + ".ann"), options: .atomic)
                }
            } catch let error as GlossError {
                throw error
            } catch {
                throw GlossError(.ioFailure, "cannot write: \(error.localizedDescription)", at: SourceLocation(file: out))
            }
            print("exported \(documents.count) documents with \(documents.reduce(0) { $0 + $1.spans.count }) spans to \(out)")
        }
    }
}

extension Gloss.Export {
    struct LabelStudio: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "label-studio",
            abstract: "Write a Label Studio JSON export: one task per document, one annotation per coder.",
            discussion: """
                What `gloss import annotations --format label-studio` stored (layers label-studio, \
                label-studio_relation and label-studio_category) is written back as tasks with labels regions \
                (offsets in code points, with their text), relations and choices; each coder is an annotation \
                completed by that name. data.gloss_document carries the document id.

                Example: gloss export label-studio --out tasks.json
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The JSON file to write.", valueName: "file")) var out: String
        @Option(help: ArgumentHelp("Only these documents, comma-separated.", valueName: "id,...")) var doc: String?

        func run() throws {
            let documents = try InterchangeExporter(store: try project.openStore(), format: "label-studio").documents(named: doc.map { $0.split(separator: ",").map(String.init) })
            do {
                try Data((LabelStudioFormat.export(documents) + "\n").utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw GlossError(.ioFailure, "cannot write: \(error.localizedDescription)", at: SourceLocation(file: out))
            }
            print("exported \(documents.count) documents with \(documents.reduce(0) { $0 + $1.spans.count }) spans to \(out)")
        }
    }
}
