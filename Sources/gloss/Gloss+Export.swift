import ArgumentParser
import GlossStore

extension Gloss {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the project.",
            subcommands: [JSONLines.self, TEI.self])
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
