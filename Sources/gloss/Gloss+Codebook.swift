import ArgumentParser
import Foundation
import GlossCodebook
import GlossCore
import GlossStore

extension Gloss {
    struct Codebook: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check, register, show and migrate codebooks.",
            discussion: "The YAML format is documented in Codebooks/README.md.",
            subcommands: [Check.self, Add.self, List.self, Show.self, Migrate.self])
    }
}

extension Gloss.Codebook {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a codebook file and report every problem with its line and column (needs no database).")

        @Argument(help: ArgumentHelp("The codebook (YAML).", valueName: "file")) var file: String

        func run() throws {
            let source = try readCodebookFile(file)
            let codebook = try GlossCodebook.Codebook.parse(source, file: file)
            let features = codebook.layers.reduce(0) { $0 + $1.features.count }
            let codes = codebook.layers.flatMap(\.features).compactMap(\.codes).reduce(0) { $0 + $1.flattened.count }
            print("\(file): \(codebook.id)@\(codebook.version) is valid: \(codebook.layers.count) layers, \(features) features, \(codes) codes, \(codebook.layers.reduce(0) { $0 + $1.rules.count }) rules, \(codebook.migrations.count) migrations")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a codebook version in the project (stored whole, with its hash).",
            discussion: """
                From then on, every annotation written to a layer of the codebook is checked against the \
                latest registered version and records it. Versions of one codebook are registered in order.
                """)

        @OptionGroup var project: ProjectOptions
        @Argument(help: ArgumentHelp("The codebook (YAML).", valueName: "file")) var file: String

        func run() throws {
            let store = try project.openStore()
            switch try CodebookRegistration(store: store).register(file: file, context: project.changeContext(source: "codebook add \(file)")) {
            case .registered(let reference): print("registered \(reference)")
            case .alreadyRegistered(let reference): print("\(reference) is already registered with the same content")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered codebook versions.")

        @OptionGroup var project: ProjectOptions

        func run() throws {
            let registered = try project.openStore().read { try $0.registeredCodebooks() }
            var table = TextTable(columns: ["CODEBOOK", "VERSION", "TITLE", "ADDED", "FROM", "SHA256"])
            for codebook in registered {
                table.add([codebook.id, String(codebook.version), codebook.title, codebook.addedAt, codebook.file, String(codebook.sha256.prefix(12))])
            }
            print(table.rendered, terminator: "")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a registered codebook exactly as it was registered.",
            discussion: "ID alone shows the latest version; ID@VERSION a given one.")

        @OptionGroup var project: ProjectOptions
        @Argument(help: ArgumentHelp("The codebook, as ID or ID@VERSION.", valueName: "id[@version]")) var codebook: String

        func run() throws {
            let parts = codebook.split(separator: "@", maxSplits: 1).map(String.init)
            let version = parts.count == 2 ? Int(parts[1]) : nil
            if parts.count == 2 && version == nil { throw ValidationError("write the version as a number: \(parts[0])@2") }
            let registered = try project.openStore().read { try $0.registeredCodebooks() }.filter { $0.id == parts[0] }
            guard let found = version.map({ v in registered.first { $0.version == v } }) ?? registered.last else {
                throw GlossError(.badData, "\(codebook) is not registered; see `gloss codebook list`")
            }
            print(found.source, terminator: found.source.hasSuffix("\n") ? "" : "\n")
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move annotations to a later codebook version, applying its declared migrations.",
            discussion: """
                Renames and merges change codes; a split cannot be decided automatically, so affected \
                annotations keep their code and are flagged for recoding (listed here and by `gloss validate`). \
                One transaction; every changed annotation gets a new revision and an audit entry.
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The version to migrate to.", valueName: "version")) var to: Int
        @Option(help: ArgumentHelp("The codebook (needed when several are registered).", valueName: "id")) var codebook: String?
        @Flag(help: "Report what would change and write nothing.") var dryRun = false

        func run() throws {
            let store = try project.openStore()
            let report = try CodebookMigrator(store: store).migrate(codebook: codebook, to: to, dryRun: dryRun,
                                                                   context: project.changeContext(source: "codebook migrate --to \(to)"))
            for annotation in report.flagged {
                print("needs recoding: annotation \(annotation.id) (\(annotation.coder), \(annotation.layer), \(annotation.span) in \(annotation.documentID)): \(annotation.needsRecoding ?? "")")
            }
            print("\(dryRun ? "would migrate" : "migrated") \(report.migrated.count) annotations to \(report.target): \(report.recoded) recoded, \(report.flagged.count) flagged for recoding")
        }
    }
}

/// Reads a codebook file as text, with the usual errors for a missing or unreadable file.
func readCodebookFile(_ path: String) throws -> String {
    guard FileManager.default.fileExists(atPath: path) else { throw GlossError(.missingInput, "no such file", at: SourceLocation(file: path)) }
    guard let data = FileManager.default.contents(atPath: path) else { throw GlossError(.ioFailure, "cannot read the file", at: SourceLocation(file: path)) }
    guard let text = String(validating: data, as: UTF8.self) else { throw GlossError(.badData, "the file is not UTF-8", at: SourceLocation(file: path)) }
    return text
}
