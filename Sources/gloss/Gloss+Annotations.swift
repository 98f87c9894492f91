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
            discussion: """
                The table shows each annotation's revision (REV), which `gloss annotate update --if-revision` takes. \
                On a terminal, long texts and features are shortened with "…"; --wide, a pipe or a file shows them \
                whole. --format jsonl prints the native format that `gloss import annotations` reads, with ids.
                  gloss annotations list --coder alice --layer statement
                  gloss annotations list --doc monitor-2018-kabul-reaction --wide
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("Only this document.", valueName: "id")) var doc: String?
        @Option(help: ArgumentHelp("Only this coder.", valueName: "name")) var coder: String?
        @Option(help: ArgumentHelp("Only this layer.", valueName: "layer")) var layer: String?
        @Option(help: "Output format.") var format: OutputFormat = .table
        @Flag(help: "Show long texts and features whole on a terminal too.") var wide = false
        @OptionGroup var viewer: ViewerOptions

        func run() throws {
            let filter = AnnotationFilter(documentID: doc, coder: try viewer.coder(asked: coder),
                                          layer: layer)
            let store = try project.openStore()
            switch format {
            case .table:
                let columns = ["ID", "REV", "DOCUMENT", "CODER", "LAYER", "START", "END", "TEXT", "FEATURES"]
                var table = wide ? TextTable(columns: columns, shortensCells: false) : TextTable(columns: columns)
                try store.read { reader in
                    try reader.forEachAnnotation(matching: filter) { annotation in
                        table.add([String(annotation.id), String(annotation.revision), annotation.documentID,
                                   annotation.coder, annotation.layer, String(annotation.span.start),
                                   String(annotation.span.end), annotation.quote,
                                   JSONValue.object(annotation.features).canonicalJSON])
                    }
                }
                print(table.rendered, terminator: "")
                if table.isEmpty { try reportEmptyListing(store) }
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

        /// Says on standard error why a table is empty: an unknown layer or coder (with the nearest name), or no match.
        private func reportEmptyListing(_ store: any ProjectStore) throws {
            let (layers, coders) = try store.read { (try $0.annotatedLayerNames(), try $0.coderNames()) }
            if let layer, !layers.contains(layer) {
                printError("no annotations: there is no annotated layer \(layer); \(NameSuggestion.hint(for: layer, in: layers))")
            } else if let coder, !coders.contains(coder) {
                printError("no annotations: there is no coder \(coder); \(NameSuggestion.hint(for: coder, in: coders))")
            } else {
                printError(layer == nil && coder == nil && doc == nil ? "no annotations in this project" : "no annotations match")
            }
        }
    }
}
