import ArgumentParser
import Foundation
import GlossCodebook
import GlossCore
import GlossIO
import GlossInterchange
import GlossStore

extension Gloss {
    struct Codebook: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check, register, list, show, migrate, export, import and draft codebooks.",
            discussion: "The YAML format is documented in Codebooks/README.md.",
            subcommands: [Check.self, Add.self, List.self, Show.self, Migrate.self, Export.self, Import.self, Draft.self])
    }
}

extension Gloss.Codebook {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a codebook file and report every problem with its line and column (needs no database).")

        @Argument(help: ArgumentHelp("The codebook (YAML).", valueName: "file")) var file: String

        func run() throws {
            let source = try InputFile(path: file).text
            let codebook = try GlossCodebook.Codebook.parse(source, file: file)
            let features = codebook.layers.reduce(0) { $0 + $1.features.count }
            let codes = codebook.layers.flatMap(\.features).compactMap(\.codes).reduce(0) { $0 + $1.flattened.count }
            print("\(file): \(codebook.id)@\(codebook.version) is valid: \(codebook.layers.count) layers, \(features) features, \(codes) codes, \(codebook.layers.reduce(0) { $0 + $1.rules.count }) rules, \(codebook.migrations.count) migrations")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register codebook versions in the project (each stored whole, with its hash).",
            discussion: """
                From then on, every annotation written to a layer of the codebook is checked against the \
                latest registered version and records it. Versions of one codebook are registered in order; \
                several files are registered together (in version order) or, if one is refused, none.
                  gloss codebook add Codebooks/russia-taliban-coverage.yaml
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: ArgumentHelp("The codebooks (YAML).", valueName: "file")) var files: [String]

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("name the codebook file(s) to register") }
        }

        func run() throws {
            let store = try project.openStore()
            let context = change.changeContext(source: "codebook add \(files.joined(separator: " "))")
            for outcome in try CodebookRegistration(store: store).register(files: files, context: context) {
                switch outcome {
                case .registered(let reference): print("registered \(reference)")
                case .alreadyRegistered(let reference): print("\(reference) is already registered with the same content")
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered codebook versions.")

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions

        func run() throws {
            let registered = try project.openStore().read { try $0.registeredCodebooks() }
            var table = TextTable(columns: ["CODEBOOK", "VERSION", "TITLE", "ADDED", "FROM", "SHA256"])
            for codebook in registered {
                table.add([codebook.id, String(codebook.version), codebook.title, codebook.addedAt, codebook.file, String(codebook.sha256.prefix(12))])
            }
            print(table.rendered, terminator: "")
            if table.isEmpty { printError("no codebook is registered; register one with `gloss codebook add FILE`") }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a registered codebook exactly as it was registered.",
            discussion: "ID alone shows the latest version; ID@VERSION a given one.")

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: ArgumentHelp("The codebook, as ID or ID@VERSION.", valueName: "id[@version]")) var codebook: String

        func run() throws {
            let found = try registeredCodebook(codebook, in: project.openStore())
            print(found.source, terminator: found.source.hasSuffix("\n") ? "" : "\n")
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move annotations to a later codebook version, applying its declared migrations.",
            discussion: """
                Renames and merges change codes; a split cannot be decided automatically, so affected \
                annotations keep their code and are flagged for recoding (listed here and by `gloss validate`). \
                One transaction; every migrated annotation gets a new revision and an audit entry, whether its codes \
                changed or not.
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: ArgumentHelp("The version to migrate to.", valueName: "version")) var to: Int
        @Option(help: ArgumentHelp("The codebook (needed when several are registered).", valueName: "id")) var codebook: String?
        @Flag(help: "Report what would change and write nothing.") var dryRun = false

        func run() throws {
            let store = try project.openStore()
            let report = try CodebookMigrator(store: store).migrate(codebook: codebook, to: to, dryRun: dryRun,
                                                                   context: change.changeContext(source: "codebook migrate --to \(to)"))
            for annotation in report.flagged {
                print("needs recoding: annotation \(annotation.id) (\(annotation.coder), \(annotation.layer), \(annotation.span) in \(annotation.documentID)): \(annotation.needsRecoding ?? "")")
            }
            print("\(dryRun ? "would migrate" : "migrated") \(report.migrated.count) annotations to \(report.target): \(report.recoded) recoded, \(report.flagged.count) flagged for recoding")
        }
    }
}

extension Gloss.Codebook {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a registered codebook for QDA tools (REFI-QDA .qdc: MAXQDA, ATLAS.ti, NVivo, QualCoder).",
            discussion: """
                The code trees keep their hierarchy, labels (as names), definitions (with include, exclude and \
                examples, as descriptions), colours and GUIDs. What .qdc cannot carry (rules, other feature \
                types, layer settings) is listed. --schema validates the file against an XML Schema, such as \
                REFI-QDA's Codebook.xsd, before writing it.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case qdc }

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: ArgumentHelp("The codebook, as ID or ID@VERSION.", valueName: "id[@version]")) var codebook: String
        @Option(help: "The exchange format.") var format: Format = .qdc
        @Option(help: ArgumentHelp("The file to write.", valueName: "file")) var out: String
        @Option(help: ArgumentHelp("An XML Schema (.xsd) the export must satisfy.", valueName: "xsd")) var schema: String?
        @OptionGroup var overwrite: OverwriteOptions

        func run() throws {
            try OutputFile.prepare([out], overwriting: overwrite.force)
            let registered = try registeredCodebook(codebook, in: project.openStore())
            let parsed = try GlossCodebook.Codebook.parse(registered.source, file: "\(registered.id)@\(registered.version)")
            let export = QDCCodebook.export(parsed)
            let bytes = Array(export.xml.utf8)
            if let schema {
                let errors = try QDCCodebook.schemaErrors(in: bytes, file: out, schema: Array(InputFile(path: schema).text.utf8), schemaFile: schema)
                if let first = errors.first {
                    throw GlossError(.badData, "the export does not satisfy \(schema): line \(first)\(errors.count > 1 ? " (and \(errors.count - 1) more)" : "")")
                }
            }
            try OutputFile.write(bytes, to: out)
            print("exported \(registered.id)@\(registered.version) to \(out)")
            for item in export.notCarried { print("not carried by .qdc: \(item)") }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn a REFI-QDA codebook (.qdc) into a draft Gloss codebook (YAML) to review and register.",
            discussion: """
                The code tree becomes the codes of one category feature, `code`, of one layer, `coding`, keeping \
                hierarchy, names (as labels), descriptions (as definitions), colours, GUIDs and which codes can be \
                assigned. Code ids are made from the names. Needs no database.
                """)

        @Argument(help: ArgumentHelp("The .qdc file.", valueName: "file")) var file: String
        @Option(help: ArgumentHelp("The draft codebook's id (default: from the file name).", valueName: "id")) var id: String?
        @Option(help: ArgumentHelp("Where to write the draft (default: standard output).", valueName: "file")) var out: String?
        @OptionGroup var overwrite: OverwriteOptions

        func run() throws {
            if let out { try OutputFile.prepare([out], overwriting: overwrite.force) }
            let bytes = Array(try InputFile(path: file).text.utf8)
            let name = id ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            let codebookID = String(name.lowercased().unicodeScalars.map { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") ? Character($0) : "-" })
            let draft = try QDCCodebook.draft(fromQDC: bytes, file: file, id: codebookID.first?.isLetter == true ? codebookID : "codebook-" + codebookID)
            if let out {
                try OutputFile.write(Array(draft.yaml.utf8), to: out)
                print("wrote a draft codebook with \(draft.codeCount) codes to \(out); review it, then `gloss codebook add \(out)`")
            } else {
                print(draft.yaml, terminator: "")
            }
            for item in draft.notCarried { printError("note: not carried into Gloss: \(item)") }
        }
    }
}

/// The registered codebook named `spec`: `ID` for the latest version, `ID@VERSION` for a given one.
func registeredCodebook(_ spec: String, in store: any ProjectStore) throws -> RegisteredCodebook {
    let parts = spec.split(separator: "@", maxSplits: 1).map(String.init)
    let version = parts.count == 2 ? Int(parts[1]) : nil
    if parts.count == 2 && version == nil { throw ValidationError("write the version as a number: \(parts[0])@2") }
    let registered = try store.read { try $0.registeredCodebooks() }.filter { $0.id == parts.first }
    guard let found = version.map({ wanted in registered.first { $0.version == wanted } }) ?? registered.last else {
        throw GlossError(.badData, "\(spec) is not registered; see `gloss codebook list`")
    }
    return found
}

extension Gloss.Codebook {
    struct Draft: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the draft codebook an import of another tool's files would register (needs no database).",
            discussion: """
                The draft holds every label, attribute, relation type and category the files use (and, for brat, \
                what annotation.conf declares): see "Other tools" in the README. Review it, edit it, register it with \
                `gloss codebook add`, and later imports of the same format extend it as new versions.

                Examples:
                  gloss codebook draft --format brat brat-project/ --out brat.yaml
                  gloss codebook draft --format refi-qda interviews.qdpx
                """)

        @Option(help: "The format of the files: doccano, brat, label-studio, refi-qda or uima-xmi.") var format: Gloss.Import.Annotations.AnnotationFormat
        @Option(help: "With --format doccano: what the offsets count (default utf16).") var offsets: Gloss.Import.Annotations.ForeignOffsets = .utf16
        @Option(help: ArgumentHelp("With --format label-studio: the field of each task's data that holds the text.", valueName: "name"))
        var textField: String?
        @Option(help: ArgumentHelp("Write the draft here instead of printing it.", valueName: "file")) var out: String?
        @Argument(help: ArgumentHelp("The files or folders to read.", valueName: "path")) var paths: [String]
        @OptionGroup var overwrite: OverwriteOptions
        @OptionGroup var archive: ArchiveOptions

        func validate() throws {
            if format == .native { throw ValidationError("native files name their layers; there is nothing to draft (use --format doccano, brat, label-studio or refi-qda)") }
        }

        func run() throws {
            if let out { try OutputFile.prepare([out], overwriting: overwrite.force) }
            let yaml: String
            if format == .refiQDA {
                let files = try InputFile.expand(paths, extensions: ["qdpx"])
                guard files.count == 1, let file = files.first else { throw GlossError(.usage, "give one .qdpx project") }
                yaml = try REFIProject.read(path: file, limits: archive.limits).codebookYAML(version: 1)
            } else if let foreign = InterchangeFormat(rawValue: format.rawValue) {
                let contents = try foreign.read(paths, offsets: offsets == .utf16 ? .utf16 : .codepoint, textField: textField)
                yaml = try InterchangeImporter.draftCodebook(format: format.rawValue, documents: contents.documents, vocabulary: contents.vocabulary)
            } else {
                return
            }
            if let out {
                try OutputFile.write(Array(yaml.utf8), to: out)
                print("wrote the draft codebook to \(out)")
            } else {
                print(yaml, terminator: "")
            }
        }
    }
}
