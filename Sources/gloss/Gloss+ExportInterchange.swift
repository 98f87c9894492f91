import ArgumentParser
import Foundation
import GlossCore
import GlossInterchange
import GlossStore

/// Options shared by the exports to other tools' formats.
struct InterchangeExportOptions: ParsableArguments {
    @OptionGroup var project: ProjectOptions
    @Option(help: ArgumentHelp("Only these documents, comma-separated.", valueName: "id,...")) var doc: String?

    /// What the import of `format` stored, read back; an unknown document id is refused.
    func documents(format: String) throws -> [InterchangeDocument] {
        let wanted = doc.map { $0.split(separator: ",").map(String.init) }
        let documents = try InterchangeExporter(store: try project.openStore(), format: format).documents(named: wanted)
        if let wanted, let unknown = wanted.first(where: { id in !documents.contains { $0.id.isIdentical(to: id) } }) {
            throw GlossError(.badData, "there is no document \"\(unknown)\"; list them with `gloss docs list`")
        }
        return documents
    }

    /// Writes `text` to `path` whole (a temporary file moved into place).
    static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw GlossError(.ioFailure, "cannot write: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
    }

    static func summary(_ documents: [InterchangeDocument], to out: String) -> String {
        "exported \(documents.count) documents with \(documents.reduce(0) { $0 + $1.spans.count }) spans to \(out)"
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

        @OptionGroup var options: InterchangeExportOptions
        @Option(help: ArgumentHelp("The JSON Lines file to write.", valueName: "file")) var out: String
        @Option(help: "What the offsets count.") var offsets: Gloss.Import.Annotations.ForeignOffsets = .utf16

        func run() throws {
            let documents = try options.documents(format: "doccano")
            let lines = try documents.map { try DoccanoFormat.record($0, offsets: offsets == .utf16 ? .utf16 : .codepoint) }
            try InterchangeExportOptions.write(lines.map { $0 + "\n" }.joined(), to: out)
            print(InterchangeExportOptions.summary(documents, to: out))
        }
    }

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

        @OptionGroup var options: InterchangeExportOptions
        @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir")) var out: String

        func run() throws {
            let documents = try options.documents(format: "brat")
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                throw GlossError(.ioFailure, "cannot create the folder: \(error.localizedDescription)", at: SourceLocation(file: out))
            }
            if let bad = documents.first(where: { $0.id.contains("/") || $0.id.hasPrefix(".") }) {
                throw GlossError(.badData, "document id \"\(bad.id)\" cannot be a brat file name; export the others with --doc")
            }
            for document in documents {
                let base = (out as NSString).appendingPathComponent(document.id)
                try InterchangeExportOptions.write(document.text, to: base + ".txt")
                try InterchangeExportOptions.write(BratFormat.annotations(document), to: base + ".ann")
            }
            print(InterchangeExportOptions.summary(documents, to: out))
        }
    }

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

        @OptionGroup var options: InterchangeExportOptions
        @Option(help: ArgumentHelp("The JSON file to write.", valueName: "file")) var out: String

        func run() throws {
            let documents = try options.documents(format: "label-studio")
            try InterchangeExportOptions.write(LabelStudioFormat.export(documents) + "\n", to: out)
            print(InterchangeExportOptions.summary(documents, to: out))
        }
    }
}

extension Gloss.Export {
    struct REFIQDA: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "refi-qda",
            abstract: "Write a REFI-QDA project (.qdpx) for MAXQDA, ATLAS.ti, NVivo or QualCoder.",
            discussion: """
                Every document becomes a text source (its text exactly, in the archive); the annotations of \
                --layer become selections coded with their --feature's code (positions in code points, end \
                exclusive), those of the document layer --document-layer codings of the whole source; the coders \
                become users, and the feature's code tree (from the latest codebook defining the layer) the code \
                book, with GUIDs kept or derived from ids. By default the layers are those `gloss import annotations \
                --format refi-qda` fills.

                Examples:
                  gloss export refi-qda --out project.qdpx
                  gloss export refi-qda --out stance.qdpx --layer statement --feature stance --document-layer none
                """)

        @OptionGroup var options: InterchangeExportOptions
        @Option(help: ArgumentHelp("The .qdpx file to write.", valueName: "file")) var out: String
        @Option(help: ArgumentHelp("The layer whose annotations become selections.", valueName: "layer")) var layer = REFIProject.layer
        @Option(help: ArgumentHelp("The category feature whose codes they carry.", valueName: "feature")) var feature = "code"
        @Option(help: ArgumentHelp("The document layer whose annotations code whole sources, or none.", valueName: "layer"))
        var documentLayer = REFIProject.documentLayer

        func run() throws {
            var skipped = 0
            let bytes = try REFIProject.export(store: try options.project.openStore(), layer: layer, feature: feature,
                                               documentLayer: documentLayer == "none" ? nil : documentLayer,
                                               documents: options.doc.map { $0.split(separator: ",").map(String.init) }, applicationVersion: Gloss.version,
                                               skipped: &skipped)
            if skipped > 0 { printError("warning: \(skipped) annotations carry a code the latest code tree of \(layer).\(feature) does not have; they are not in the export") }
            do {
                try Data(bytes).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw GlossError(.ioFailure, "cannot write: \(error.localizedDescription)", at: SourceLocation(file: out))
            }
            print("exported a REFI-QDA project (\(bytes.count) bytes) to \(out)")
        }
    }
}

extension Gloss.Export {
    struct WebAnnoTSV: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "webanno-tsv",
            abstract: "Write WebAnno TSV 3.3 files for INCEpTION: DOC.tsv for every document, into a folder.",
            discussion: """
                What `gloss import annotations --format webanno-tsv` stored is written back: span layers named by \
                their type with their features (stacked and multi-token annotations disambiguated), relation \
                layers, and slot features. Each line of the text is a sentence; tokens are split at white space \
                and at every span boundary; offsets count UTF-16 units. Coreference chains are not written.

                Example: gloss export webanno-tsv --out tsv/
                """)

        @OptionGroup var options: InterchangeExportOptions
        @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir")) var out: String

        func run() throws {
            let documents = try options.documents(format: "webanno-tsv")
            if let bad = documents.first(where: { $0.id.contains("/") || $0.id.hasPrefix(".") }) {
                throw GlossError(.badData, "document id \"\(bad.id)\" cannot be a file name; export the others with --doc")
            }
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                throw GlossError(.ioFailure, "cannot create the folder: \(error.localizedDescription)", at: SourceLocation(file: out))
            }
            for document in documents {
                try InterchangeExportOptions.write(try WebAnnoTSVFormat.export(document), to: (out as NSString).appendingPathComponent(document.id + ".tsv"))
            }
            print(InterchangeExportOptions.summary(documents, to: out))
        }
    }
}
