import ArgumentParser
import GlossCore
import GlossStore

extension Gloss {
    struct Annotations: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List annotations.",
            subcommands: [List.self])
    }
}

extension Gloss.Annotations {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List annotations, optionally of one document, coder or layer.",
            discussion: "--format jsonl prints the native format that `gloss import annotations` reads, with ids.")

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("Only this document.", valueName: "id")) var doc: String?
        @Option(help: ArgumentHelp("Only this coder.", valueName: "name")) var coder: String?
        @Option(help: ArgumentHelp("Only this layer.", valueName: "layer")) var layer: String?
        @Option(help: "Output format.") var format: OutputFormat = .table

        func run() throws {
            let filter = AnnotationFilter(documentID: doc, coder: coder, layer: layer)
            let store = try project.openStore()
            switch format {
            case .table:
                var table = TextTable(columns: ["ID", "DOCUMENT", "CODER", "LAYER", "START", "END", "TEXT", "FEATURES"])
                try store.read { reader in
                    try reader.forEachAnnotation(matching: filter) { annotation in
                        table.add([String(annotation.id), annotation.documentID, annotation.coder, annotation.layer,
                                   String(annotation.span.start), String(annotation.span.end), annotation.quote,
                                   JSONValue.object(annotation.features).canonicalJSON])
                    }
                }
                print(table.rendered, terminator: "")
            case .json:
                var first = true
                print("[", terminator: "")
                try store.read { reader in
                    try reader.forEachAnnotation(matching: filter) { annotation in
                        print(first ? "\n" : ",\n", terminator: "")
                        print(annotation.nativeJSONLine, terminator: "")
                        first = false
                    }
                }
                print(first ? "]" : "\n]")
            case .jsonl:
                try store.read { reader in
                    try reader.forEachAnnotation(matching: filter) { print($0.nativeJSONLine) }
                }
            }
        }
    }
}
