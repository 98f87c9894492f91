import Foundation
import ArgumentParser
import GlossCore
import GlossIO
import GlossStore

extension Gloss {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the project.",
            subcommands: [JSONLines.self, TEI.self, CSV.self, Doccano.self, Brat.self, LabelStudio.self, REFIQDA.self, WebAnnoTSV.self, UIMAXMI.self])
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
                files. Files already in the folder are refused unless --force, which replaces them once the export \
                is complete.
                  gloss export jsonl --out backup-2026-12/
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir")) var out: String
        @OptionGroup var overwrite: OverwriteOptions
        @OptionGroup var viewer: ViewerOptions

        func run() throws {
            let report = try NativeExporter(store: try project.openStore(), coder: try viewer.coder(asked: nil))
                .export(to: out, overwriting: overwrite.force)
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
                (["a","b"]); an empty cell means the feature is not set. UTF-8, RFC 4180 quoting, CRLF line ends. \
                Excel reads UTF-8 only after a byte order mark: pass --bom for Excel.

                A text cell that a spreadsheet would take for a formula (starting with =, +, -, @, tab or CR) \
                gets a leading ' and is quoted, so that it is shown as text.

                Examples:
                  gloss export csv --out annotations.csv
                  gloss export csv --out stance.csv --layer statement --coder alice
                  gloss export csv --out for-excel.csv --bom
                In R: read.csv("annotations.csv", encoding = "UTF-8"); in pandas: pd.read_csv("annotations.csv") \
                (with --bom: fileEncoding = "UTF-8-BOM" in R, encoding="utf-8-sig" in pandas).
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The CSV file to write.", valueName: "file")) var out: String
        @Option(help: ArgumentHelp("Only this document's annotations.", valueName: "id")) var doc: String?
        @Option(help: ArgumentHelp("Only this coder's annotations.", valueName: "name")) var coder: String?
        @OptionGroup var viewer: ViewerOptions
        @Option(help: ArgumentHelp("Only this layer's annotations.", valueName: "layer")) var layer: String?
        @Flag(help: "Start the file with a UTF-8 byte order mark, which Excel needs to read UTF-8.") var bom = false
        @OptionGroup var overwrite: OverwriteOptions

        func run() throws {
            let report = try CSVExporter(
                store: try project.openStore(),
                filter: AnnotationFilter(documentID: doc, coder: try viewer.coder(asked: coder),
                                         layer: layer),
                startsWithByteOrderMark: bom)
                .export(to: out, overwriting: overwrite.force)
            print("exported \(report.rows) annotations with \(report.featureColumns.count) feature columns to \(out)")
        }
    }
}
