import ArgumentParser
import GlossCore
import GlossStore

extension Gloss {
    struct Annotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add, update or delete single annotations.",
            subcommands: [Add.self, Update.self, Delete.self])
    }
}

extension Gloss.Annotate {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Annotate a span of a document and print the new annotation's id.",
            discussion: """
                Offsets are half-open [start, end), in code points unless --unit says otherwise; they are \
                stored as code points. Feature values given with --set are read as JSON when they parse as \
                JSON (3, 2.5, true, ["a","b"], "quoted") and as plain text otherwise. `gloss docs show ID \
                --annotations` shows the offsets of a text.
                  gloss annotate add --doc monitor-2018-kabul-reaction --coder dana --layer statement \\
                    --start 736 --end 875 --set stance=neutral --set speaker=russia.foreign_ministry
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions

        @Option(help: ArgumentHelp("The document's external id.", valueName: "id")) var doc: String
        @Option(help: ArgumentHelp("The coder's name (created on first use).", valueName: "name")) var coder: String
        @Option(help: ArgumentHelp("The annotation layer.", valueName: "layer")) var layer: String
        @Option(help: "Start offset (inclusive).") var start: Int
        @Option(help: "End offset (exclusive).") var end: Int
        @Option(help: "The unit of --start and --end.") var unit: OffsetUnit = .codepoint
        @Option(name: .customLong("set"), help: ArgumentHelp("A feature value, feature=value (repeatable).", valueName: "feature=value"))
        var settings: [String] = []
        @Flag(help: "Accept a layer that no registered codebook defines.") var allowUncodedLayers = false
        @OptionGroup var blindCoding: BlindCodingOptions
        @OptionGroup var limits: LimitOptions

        func validate() throws {
            guard start >= 0 else { throw ValidationError("--start must be 0 or more") }
            guard end >= start else { throw ValidationError("--end (\(end)) lies before --start (\(start))") }
            _ = try features()
        }

        /// The features given with --set.
        func features() throws -> [String: JSONValue] { try FeatureSettings.parse(settings) }

        func run() throws {
            let record = AnnotationRecord(documentID: doc, coder: coder, layer: layer, start: start, end: end, unit: unit,
                                          features: try features())
            do throws(RecordError) {
                try record.check()
            } catch {
                throw GlossError(.usage, error.message)
            }
            let store = try project.openStore()
            let context = change.changeContext(source: "annotate add")
            let outcome = try store.write { writer in
                try AnnotationIngest(writer: writer, context: context, allowsUncodedLayers: allowUncodedLayers,
                                     limits: limits.inputLimits,
                                     allowsUnassigned: blindCoding.allowUnassigned).add(record)
            }
            switch outcome {
            case .inserted(let annotation): print(annotation.id)
            case .alreadyPresent(let id): print(id)
            }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change an annotation's features or offsets, if no one else changed it first.",
            discussion: """
                Without --if-revision the change applies to the annotation as it is now (and is audited like any \
                other). With it, name the revision you last saw (the REV column of `gloss annotations list`); if the \
                annotation has moved on, nothing is changed and the command exits with status 75, naming the \
                current revision. The result is checked against the latest codebook version of its layer. \
                Setting or removing a feature clears a "needs recoding" flag left by a codebook migration.
                  gloss annotate update 29 --set stance=neutral --if-revision 1
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: ArgumentHelp("The annotation's id.", valueName: "annotation-id")) var annotationID: Int64
        @Option(name: .customLong("set"), help: ArgumentHelp("A feature value, feature=value (repeatable).", valueName: "feature=value"))
        var settings: [String] = []
        @Option(help: ArgumentHelp("Remove a feature (repeatable).", valueName: "feature")) var unset: [String] = []
        @Option(help: "New start offset (inclusive); give --end with it.") var start: Int?
        @Option(help: "New end offset (exclusive); give --start with it.") var end: Int?
        @Option(help: "The unit of --start and --end.") var unit: OffsetUnit = .codepoint
        @Option(help: ArgumentHelp("The revision you last saw; a newer one refuses the change.", valueName: "n")) var ifRevision: Int?
        @Flag(help: "Accept a layer that no registered codebook defines.") var allowUncodedLayers = false
        @OptionGroup var blindCoding: BlindCodingOptions
        @OptionGroup var limits: LimitOptions

        func validate() throws {
            guard (start == nil) == (end == nil) else { throw ValidationError("give --start and --end together") }
            if let start, let end, start < 0 || end < start { throw ValidationError("--start must be 0 or more and --end not before it") }
            guard !settings.isEmpty || !unset.isEmpty || start != nil else { throw ValidationError("nothing to change: give --set, --unset, or --start and --end") }
            _ = try FeatureSettings.parse(settings)
        }

        func run() throws {
            let changes = AnnotationIngest.Changes(set: try FeatureSettings.parse(settings), unset: unset,
                                                   span: start.flatMap { start in end.map { (start, $0, unit) } })
            let store = try project.openStore()
            let context = change.changeContext(source: "annotate update")
            let updated = try store.write { writer in
                try AnnotationIngest(writer: writer, context: context, allowsUncodedLayers: allowUncodedLayers,
                                     limits: limits.inputLimits, allowsUnassigned: blindCoding.allowUnassigned)
                    .update(id: annotationID, changes: changes, ifRevision: ifRevision)
            }
            print("updated annotation \(updated.id) to revision \(updated.revision)")
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an annotation (the audit log keeps a copy).")

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions

        @Argument(help: ArgumentHelp("The annotation's id.", valueName: "annotation-id")) var annotationID: Int64
        @OptionGroup var blindCoding: BlindCodingOptions

        func run() throws {
            let store = try project.openStore()
            let context = change.changeContext(source: "annotate delete")
            let deleted = try store.write { writer in
                try AnnotationIngest(writer: writer, context: context, allowsUnassigned: blindCoding.allowUnassigned)
                    .delete(id: annotationID)
            }
            print("deleted annotation \(deleted.id) (\(deleted.coder), \(deleted.layer), \(deleted.span) in \(deleted.documentID))")
        }
    }
}

extension OffsetUnit: ExpressibleByArgument {}

/// `--set feature=value` options: a value is read as JSON when it parses as JSON, as text otherwise.
enum FeatureSettings {
    static func parse(_ settings: [String]) throws -> [String: JSONValue] {
        var features: [String: JSONValue] = [:]
        for setting in settings {
            guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
                throw ValidationError("--set \(setting): write feature=value")
            }
            let name = String(setting[..<equals])
            if let problem = Name.problem(with: name, as: .feature) { throw ValidationError("--set \(setting): \(problem)") }
            let text = String(setting[setting.index(after: equals)...])
            let value = (try? JSONParser.parse(text)) ?? .string(text)
            guard value != .null else { throw ValidationError("--set \(setting): leave a feature out instead of setting it to null") }
            guard features.updateValue(value, forKey: name) == nil else { throw ValidationError("--set gives \(name) twice") }
        }
        return features
    }
}
