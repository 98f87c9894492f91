import ArgumentParser
import Foundation
import GlossCore
import GlossIO
import GlossInterchange
import GlossStore

/// Options shared by the exports to other tools' formats.
struct InterchangeExportOptions: ParsableArguments {
    @OptionGroup var project: ProjectOptions
    @Option(help: ArgumentHelp("Only these documents, comma-separated.", valueName: "id,...")) var doc: String?
    @OptionGroup var overwrite: OverwriteOptions

    /// Writes `text` to `path` whole (a temporary file moved into place).
    static func write(_ text: String, to path: String) throws {
        try OutputFile.write(Array(text.utf8), to: path)
    }

    /// Refuses a file already at `path` unless --force.
    func prepareFile(_ path: String) throws {
        try OutputFile.prepare([path], overwriting: overwrite.force)
    }

    /// Creates the folder `out` for one file per document and extension (and the files named `shared`), after
    /// checking that every document id can name a file and that no file is in the way (unless --force).
    func prepareFolder(_ out: String, for documents: [InterchangeDocument], extensions: [String], shared: [String] = []) throws {
        if let bad = documents.first(where: { $0.id.contains("/") || $0.id.hasPrefix(".") }) {
            throw GlossError(.badData, "document id \"\(bad.id)\" cannot be a file name; export the others with --doc")
        }
        let names = documents.flatMap { document in extensions.map { document.id + "." + $0 } } + shared
        try OutputFile.prepare(names.map { (out as NSString).appendingPathComponent($0) }, overwriting: overwrite.force)
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw GlossError(.ioFailure, "cannot create the folder: \(error.localizedDescription)", at: SourceLocation(file: out))
        }
    }

    static func summary(_ documents: [InterchangeDocument], to out: String) -> String {
        "exported \(documents.count) documents with \(documents.reduce(0) { $0 + $1.spans.count }) spans to \(out)"
    }
}

/// Which annotations go out to doccano, brat, Label Studio and WebAnno TSV: what the import of that format
/// stored, or a layer of the project's own with `--layer`.
struct LayerExportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Export these layers' annotations (for example those coded in Gloss) instead of what an import of the format stored.",
                               valueName: "layer,..."))
    var layer: String?
    @Option(help: ArgumentHelp("With one --layer: the feature whose code labels each span (default: the layer's name labels them).", valueName: "feature"))
    var feature: String?
    @Option(help: ArgumentHelp("Only this coder's annotations.", valueName: "name")) var coder: String?
    @OptionGroup var viewer: ViewerOptions

    var layers: [String]? { layer.map { $0.split(separator: ",").map(String.init) } }

    /// With one --layer and --feature, every codable code of that feature in the latest codebook: the labels a
    /// coder may pick in the other tool, used or not.
    func codes(_ options: InterchangeExportOptions) throws -> [String] {
        guard let layers, layers.count == 1, let feature else { return [] }
        let registry = try options.project.openStore().read { try $0.codebookRegistry() }
        return registry.current(forLayer: layers[0])?.layer.feature(feature)?.codes?.codableIDs ?? []
    }

    /// The features of the exported layers whose values are codes (category, categories, ordinal), with their codable
    /// codes; the other features are free values.
    func codedFeatures(_ options: InterchangeExportOptions, format: String) throws -> [String: [String]] {
        let registry = try options.project.openStore().read { try $0.codebookRegistry() }
        var coded: [String: [String]] = [:]
        for layer in layers ?? [format] {
            for feature in registry.current(forLayer: layer)?.layer.features ?? [] where feature.id != self.feature {
                if let codes = feature.codes { coded[feature.id, default: []] += codes.codableIDs }
            }
        }
        return coded
    }

    func validate() throws {
        if feature != nil && layers?.count != 1 { throw ValidationError("--feature needs one --layer: it names the feature of that layer whose code labels the spans") }
    }

    /// The documents to write as `format`; refuses a selection that would write no annotation from a project
    /// that has some, and warns about annotations left out for want of a label.
    func documents(_ options: InterchangeExportOptions, format: String, labelsByType: Bool = false) throws -> [InterchangeDocument] {
        let store = try options.project.openStore()
        let wanted = options.doc.map { $0.split(separator: ",").map(String.init) }
        let exporter = InterchangeExporter(store: store, format: format)
        let coder = try viewer.coder(asked: self.coder)
        if let coder {
            let known = try store.read { try $0.coderNames() }
            guard known.contains(where: { $0.isIdentical(to: coder) }) else {
                throw GlossError(.badData, "no coder \"\(coder)\" in this project; its coders: \(known.joined(separator: ", "))")
            }
        }
        if let layers, labelsByType, Set(layers.map(InterchangeExporter.LayerSelection.typeName)).count < layers.count {
            throw GlossError(.usage, "two of the layers \(layers.joined(separator: ", ")) would have the same WebAnno TSV type name; export them one at a time")
        }
        if let layers, let feature, let layer = try store.read({ try $0.codebookRegistry() }).current(forLayer: layers[0])?.layer, layer.feature(feature) == nil {
            throw GlossError(.usage, "layer \(layers[0]) has no feature \(feature); its features: \(layer.features.map(\.id).joined(separator: ", "))")
        }
        var documents: [InterchangeDocument]
        if let layers {
            let selection = InterchangeExporter.LayerSelection(layers: layers, labelFeature: labelsByType ? nil : feature, labelsByType: labelsByType)
            let result = try exporter.documents(named: wanted, of: selection, coder: coder)
            documents = result.documents
            if result.unlabelled > 0, let feature {
                if documents.allSatisfy({ $0.spans.isEmpty }) {
                    throw GlossError(.usage, "no annotation of layer \(layers.joined()) has the feature \(feature); name the feature whose codes label the spans")
                }
                printError("warning: \(result.unlabelled) annotations of layer \(layers.joined()) have no \(feature); they are not in the export")
            }
        } else {
            documents = try exporter.documents(named: wanted, coder: coder)
        }
        if let wanted, let unknown = wanted.first(where: { id in !documents.contains { $0.id.isIdentical(to: id) } }) {
            throw GlossError(.badData, "there is no document \"\(unknown)\"; list them with `gloss docs list`")
        }
        if documents.allSatisfy({ $0.spans.isEmpty && $0.relations.isEmpty && $0.categories.isEmpty }) {
            let layers = try store.read { reader in
                var names: [String] = [], seen: Set<ExactKey> = []
                try reader.forEachAnnotation(matching: AnnotationFilter(coder: coder)) { annotation in
                    if wanted?.contains(where: { $0.isIdentical(to: annotation.documentID) }) ?? true, seen.insert(ExactKey(annotation.layer)).inserted {
                        names.append(annotation.layer)
                    }
                }
                return names
            }
            if !layers.isEmpty {
                let asked = layer.map { "--layer \($0) selects no annotations" + (coder.map { " by \($0)" } ?? "") }
                    ?? "no annotations were imported with --format \(format)"
                throw GlossError(.usage, "\(asked) in the selected documents; name the layer to export with --layer (the project's layers: \(layers.joined(separator: ", ")))")
            }
        }
        return documents
    }
}

extension Gloss.Export {
    struct Doccano: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doccano",
            abstract: "Write doccano JSON Lines for a Sequence Labeling or a Relation Extraction project.",
            discussion: """
                What `gloss import annotations --format doccano` stored (layers doccano, doccano_relation and \
                doccano_category) is written back with the labels as doccano knows them, for the project type \
                --project names. sequence-labeling (the default) suits doccano's Sequence Labeling project, which \
                reads {"id", "text", "label": [[start, end, "LABEL"], ...]}: it has no relations or document \
                categories, which are then left out with a warning. relation-extraction suits a Relation Extraction \
                project: {"id", "text", "entities": [{"id", "start_offset", "end_offset", "label"}], "relations": \
                [{"id", "from_id", "to_id", "type"}], "label": [categories]}. Offsets count UTF-16 units, as \
                doccano does, unless --offsets codepoint. doccano has no coders: the spans of every coder are \
                written together.

                With --layer L[,L...], the annotations of those layers go out instead (for example those coded in \
                Gloss): each becomes a span labelled by the code of --feature (with one layer) or by its layer, with \
                its other features as attributes, and a span_ref feature as a relation to the span it names when \
                that span goes out too. --coder keeps one coder's annotations.

                Examples:
                  gloss export doccano --out project.jsonl
                  gloss export doccano --out relations.jsonl --project relation-extraction
                  gloss export doccano --out stance.jsonl --layer statement --feature stance --coder alice
                """)

        @OptionGroup var options: InterchangeExportOptions
        @OptionGroup var selection: LayerExportOptions
        @Option(help: ArgumentHelp("The JSON Lines file to write.", valueName: "file")) var out: String
        @Option(help: "What the offsets count.") var offsets: Gloss.Import.Annotations.ForeignOffsets = .utf16
        @Option(help: "The doccano project type the file is for.")
        var project: DoccanoFormat.ProjectType = .sequenceLabeling

        func run() throws {
            let documents = try selection.documents(options, format: "doccano")
            let lines = try documents.map {
                try DoccanoFormat.record($0, offsets: offsets == .utf16 ? .utf16 : .codepoint, project: project)
            }
            let relations = documents.reduce(0) { $0 + $1.relations.count }
            let categories = documents.reduce(0) { $0 + $1.categories.count }
            if project == .sequenceLabeling && relations + categories > 0 {
                printError("warning: \(relations) relations and \(categories) document categories are not in a "
                           + "sequence-labelling file; write --project relation-extraction to keep them")
            }
            try options.prepareFile(out)
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
                The .txt holds the text exactly. brat has no coders: the spans of every coder are written together. \
                An annotation.conf declares the entity, relation and event types and the attributes the files use \
                (with --feature, every code of the feature), so that brat knows them.

                With --layer L[,L...], the annotations of those layers go out instead (for example those coded in \
                Gloss): each becomes a span labelled by the code of --feature (with one layer) or by its layer, with \
                its other features as attributes, and a span_ref feature as a relation to the span it names when \
                that span goes out too. --coder keeps one coder's annotations.

                Examples:
                  gloss export brat --out brat/
                  gloss export brat --out alice/ --layer actor,statement --coder alice
                """)

        @OptionGroup var options: InterchangeExportOptions
        @OptionGroup var selection: LayerExportOptions
        @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir")) var out: String

        func run() throws {
            var documents = try selection.documents(options, format: "brat")
            if let bad = documents.lazy.flatMap(\.spans).first(where: { $0.label.isEmpty || $0.label.unicodeScalars.contains { $0.properties.isWhitespace } }) {
                throw GlossError(.badData, "the label \"\(bad.label)\" is empty or holds white space, which a brat type cannot; label the spans by another --feature")
            }
            var noted = 0
            for index in documents.indices { noted += BratFormat.moveSpacedValuesToNotes(&documents[index]) }
            if noted > 0 { printError("warning: \(noted) attribute values with white space, which brat cannot hold, went into the spans' notes as NAME: VALUE") }
            try options.prepareFolder(out, for: documents, extensions: ["txt", "ann"], shared: ["annotation.conf"])
            for document in documents {
                let base = (out as NSString).appendingPathComponent(document.id)
                try InterchangeExportOptions.write(document.text, to: base + ".txt")
                try InterchangeExportOptions.write(BratFormat.annotations(document), to: base + ".ann")
            }
            try InterchangeExportOptions.write(BratFormat.configuration(for: documents, labels: try selection.codes(options)),
                                               to: (out as NSString).appendingPathComponent("annotation.conf"))
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
                completed by that name. data.gloss_document carries the document id. Each span's other features go \
                with its region: coded features (category, categories, ordinal in the codebook) as per-region \
                choices, the others as per-region text areas. The labeling config that declares all of them is \
                written beside the export (tasks.json → tasks.config.xml): paste it into the project's Labeling \
                Interface before importing the tasks.

                With --layer L[,L...], the annotations of those layers go out instead (for example those coded in \
                Gloss): each becomes a span labelled by the code of --feature (with one layer) or by its layer, with \
                its other features as attributes, and a span_ref feature as a relation to the span it names when \
                that span goes out too. --coder keeps one coder's annotations.

                Examples:
                  gloss export label-studio --out tasks.json
                  gloss export label-studio --out stance.json --layer statement --feature stance
                """)

        @OptionGroup var options: InterchangeExportOptions
        @OptionGroup var selection: LayerExportOptions
        @Option(help: ArgumentHelp("The JSON file to write.", valueName: "file")) var out: String

        /// The labeling config's file beside the export: tasks.json → tasks.config.xml.
        var configPath: String { (out as NSString).deletingPathExtension + ".config.xml" }

        func run() throws {
            let documents = try selection.documents(options, format: "label-studio")
            let coded = try selection.codedFeatures(options, format: "label-studio")
            try options.prepareFile(out)
            try options.prepareFile(configPath)
            try InterchangeExportOptions.write(LabelStudioFormat.export(documents, choices: coded) + "\n", to: out)
            try InterchangeExportOptions.write(LabelStudioFormat.configuration(for: documents, labels: try selection.codes(options),
                                                                               choices: coded), to: configPath)
            print(InterchangeExportOptions.summary(documents, to: out) + "; its labeling config is \(configPath)")
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
        @OptionGroup var viewer: ViewerOptions

        func run() throws {
            try options.prepareFile(out)
            var skipped = 0
            let bytes = try REFIProject.export(store: try options.project.openStore(), layer: layer, feature: feature,
                                               documentLayer: documentLayer == "none" ? nil : documentLayer,
                                               documents: options.doc.map { $0.split(separator: ",").map(String.init) },
                                               coder: try viewer.coder(asked: nil),
                                               applicationVersion: Gloss.version, skipped: &skipped)
            if skipped > 0 { printError("warning: \(skipped) annotations carry a code the latest code tree of \(layer).\(feature) does not have; they are not in the export") }
            try OutputFile.write(bytes, to: out)
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
                and at every span boundary; offsets count UTF-16 units. Coreference chains are not written. The \
                text between lines that holds no token (such as an empty line's CR) comes back as line feeds.

                With --layer L[,L...], the annotations of those layers go out instead (for example those coded in \
                Gloss), each layer as a span layer webanno.custom.L with every feature a column, and each span_ref \
                feature as a link (slot) feature with the feature's name as its role. --coder keeps one coder's \
                annotations.

                Examples:
                  gloss export webanno-tsv --out tsv/
                  gloss export webanno-tsv --out alice/ --layer actor,statement --coder alice
                """)

        @OptionGroup var options: InterchangeExportOptions
        @OptionGroup var selection: LayerExportOptions
        @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir")) var out: String

        func validate() throws {
            if selection.feature != nil { throw ValidationError("WebAnno TSV writes every feature of --layer as a column of its own; leave out --feature") }
        }

        func run() throws {
            let documents = try selection.documents(options, format: "webanno-tsv", labelsByType: true)
            try options.prepareFolder(out, for: documents, extensions: ["tsv"])
            for document in documents {
                try InterchangeExportOptions.write(try WebAnnoTSVFormat.export(document), to: (out as NSString).appendingPathComponent(document.id + ".tsv"))
            }
            print(InterchangeExportOptions.summary(documents, to: out))
        }
    }

    struct UIMAXMI: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "uima-xmi",
            abstract: "Write UIMA CAS XMI for INCEpTION and dkpro-cassis: DOC.xmi for every document and TypeSystem.xml, into a folder.",
            discussion: """
                What `gloss import annotations --format uima-xmi` stored is written back: each span as a feature \
                structure of its type with its features, each relation with Governor and Dependent. Offsets count \
                UTF-16 units; the text is the Sofa's sofaString, exactly; a DocumentMetaData carries the document \
                id. TypeSystem.xml declares every type and feature the files use (features as strings). Slot links \
                and discontinuous pieces are not written (the command says how many).

                With --layer L[,L...], the annotations of those layers go out instead (for example those coded in \
                Gloss), each layer as the type webanno.custom.L (capitalised: statement becomes Statement) with every \
                feature a string feature. --coder keeps \
                one coder's annotations. In INCEpTION, import the files with the format "UIMA CAS XMI (XML 1.0)" \
                into a project whose layers match the type system; dkpro-cassis loads them with load_typesystem \
                and load_cas_from_xmi.

                Examples:
                  gloss export uima-xmi --out xmi/
                  gloss export uima-xmi --out alice-xmi/ --layer statement --coder alice
                """)

        @OptionGroup var options: InterchangeExportOptions
        @OptionGroup var selection: LayerExportOptions
        @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir")) var out: String

        func validate() throws {
            if selection.feature != nil { throw ValidationError("UIMA XMI writes every feature of --layer as a feature of its own; leave out --feature") }
        }

        func run() throws {
            let documents = try selection.documents(options, format: "uima-xmi", labelsByType: true)
            let export = try UIMAXMIFormat.export(documents)
            try options.prepareFolder(out, for: documents, extensions: ["xmi"], shared: ["TypeSystem.xml"])
            for file in export.files {
                try InterchangeExportOptions.write(file.xml, to: (out as NSString).appendingPathComponent(file.name))
            }
            try InterchangeExportOptions.write(export.typeSystem, to: (out as NSString).appendingPathComponent("TypeSystem.xml"))
            if export.leftOut > 0 { printError("warning: \(export.leftOut) slot links and discontinuous pieces are not in the export") }
            print(InterchangeExportOptions.summary(documents, to: out))
        }
    }
}

extension DoccanoFormat.ProjectType: ExpressibleByArgument {}
