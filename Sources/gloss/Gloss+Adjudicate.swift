import ArgumentParser
import GlossAgreement
import GlossCore
import GlossStore
import GlossWorkflow

extension Gloss {
    struct Adjudicate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge the reliability documents' annotations into a gold coder, and decide the conflicts.",
            discussion: """
                `gloss adjudicate --layer L --gold NAME` (the merge subcommand) matches the coders' spans as `gloss \
                agree --match` does and makes one gold annotation of each match the rule decides; every other match \
                is a conflict to accept or reject. Gold is a coder like any other for listing and export; `gloss \
                agree --against NAME` measures each coder against it.

                Examples:
                  gloss adjudicate --layer statement --gold gold
                  gloss adjudicate --layer statement --gold gold --strategy majority --match overlap:0.5
                  gloss adjudicate conflicts --layer statement
                  gloss adjudicate accept 8 --gold gold
                  gloss adjudicate reject 3
                """,
            subcommands: [Merge.self, Conflicts.self, Accept.self, Reject.self],
            defaultSubcommand: Merge.self)
    }
}

extension Gloss.Adjudicate {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge the matches the rule decides into gold annotations and list the conflicts (the default).",
            discussion: """
                In each reliability document (every document coded by two or more coders when there are no \
                assignments), the spans of --layer are matched; a match becomes one gold annotation when every coder \
                of the document marked it with the same features (--strategy unanimous, the default) or more than \
                half of them did (majority). The gold span covers the code points most of the agreeing spans cover. \
                Each gold annotation records its provenance (source annotation ids, rule, time), shown by `gloss \
                annotations list --format jsonl`. Running it again keeps every decision; open conflicts are matched \
                again with the annotations added since (a conflict that comes out the same keeps its id).
                  gloss adjudicate merge --layer statement --gold gold --strategy majority
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: ArgumentHelp("The layer to adjudicate.", valueName: "layer")) var layer: String
        @Option(help: ArgumentHelp("The gold coder to merge into (a new name, e.g. gold).", valueName: "name"))
        var gold: String
        @Option(help: "unanimous: every coder agrees; majority: more than half of the document's coders agree.")
        var strategy: Adjudicator.Strategy = .unanimous
        @Option(help: ArgumentHelp("How spans match: exact, or overlap:RATIO (shared over joint code points).",
                                   valueName: "how"))
        var match = "exact"
        @Option(help: ArgumentHelp("Only these documents, comma-separated.", valueName: "id,...")) var doc: String?
        @Option(help: "Output format.") var format: Gloss.Assign.PlanFormat = .table

        func validate() throws {
            if SpanMatch(argument: match) == nil {
                throw ValidationError("--match is exact or overlap:RATIO with 0 < RATIO ≤ 1, not \(match)")
            }
            if let problem = Name.problem(with: gold, as: .coder) { throw ValidationError("--gold: \(problem)") }
        }

        func run() throws {
            try ViewerOptions.refuseBlindReader("adjudication")
            let request = Adjudicator.Request(layer: layer, gold: gold, strategy: strategy,
                                              match: SpanMatch(argument: match) ?? .exact,
                                              matchName: match, documents: doc.map(CommaList.items))
            let outcome = try Adjudicator.run(
                request, store: try project.openStore(),
                context: change.changeContext(source: "adjudicate --layer \(layer) --gold \(gold)"))
            if format == .json { return try printJSON(outcome) }
            print("merged \(outcome.merged) match\(outcome.merged == 1 ? "" : "es") into \(gold) "
                  + "(\(strategy.rawValue), \(match)) in \(outcome.documents) "
                  + "reliability document\(outcome.documents == 1 ? "" : "s"); "
                  + "\(outcome.conflicts.count) new conflict\(outcome.conflicts.count == 1 ? "" : "s")"
                  + (outcome.alreadyConsidered > 0
                     ? "; \(outcome.alreadyConsidered) annotations were decided in earlier runs" : "")
                  + (outcome.superseded > 0 ? "; \(outcome.superseded) earlier conflicts were matched again" : ""))
            if !outcome.conflicts.isEmpty { printConflicts(outcome.conflicts) }
        }
    }

    struct Conflicts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the open conflicts: id, document, reason and the candidates.",
            discussion: """
                  gloss adjudicate conflicts --layer statement
                  gloss adjudicate conflicts --all --format json
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("Only this layer's.", valueName: "layer")) var layer: String?
        @Option(help: ArgumentHelp("Only those of this gold coder.", valueName: "name")) var gold: String?
        @Flag(help: "Also list the conflicts already accepted or rejected.") var all = false
        @Option(help: "Output format.") var format: Gloss.Assign.PlanFormat = .table

        func run() throws {
            try ViewerOptions.refuseBlindReader("the list of conflicts")
            let conflicts = try Adjudicator.conflicts(gold: gold, layer: layer, includingDecided: all,
                                                      store: try project.openStore())
            if format == .json { return try printJSON(conflicts) }
            if conflicts.isEmpty {
                printError(all ? "no conflicts" : "no open conflicts")
            } else {
                printConflicts(conflicts)
            }
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy one candidate of an open conflict into the gold coder and close the conflict.",
            discussion: """
                  gloss adjudicate accept 8 --gold gold
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: ArgumentHelp("The candidate annotation's id.", valueName: "annotation-id"))
        var annotationID: Int64
        @Option(help: ArgumentHelp("The gold coder.", valueName: "name")) var gold: String

        func run() throws {
            let conflict = try Adjudicator.accept(
                annotationID: annotationID, gold: gold, store: try project.openStore(),
                context: change.changeContext(source: "adjudicate accept \(annotationID)"))
            print("accepted annotation \(annotationID) into \(gold) as annotation "
                  + "\(conflict.goldAnnotationID.map(String.init) ?? "?"); conflict \(conflict.id) closed")
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close an open conflict with no gold annotation.",
            discussion: """
                  gloss adjudicate reject 3
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: ArgumentHelp("The conflict's id.", valueName: "conflict-id")) var conflictID: Int64

        func run() throws {
            let conflict = try Adjudicator.reject(
                conflictID: conflictID, store: try project.openStore(),
                context: change.changeContext(source: "adjudicate reject \(conflictID)"))
            print("rejected conflict \(conflict.id) in \(conflict.documentID) (\(conflict.layer))")
        }
    }
}

extension Adjudicator.Strategy: ExpressibleByArgument {}

/// Prints conflicts as a table: one row per candidate under its conflict's id and reason.
private func printConflicts(_ conflicts: [Adjudicator.Conflict]) {
    var table = TextTable(columns: ["CONFLICT", "DOCUMENT", "STATE", "REASON", "ANNOTATION", "CODER", "START", "END",
                                    "TEXT", "FEATURES"])
    for conflict in conflicts {
        for (index, candidate) in conflict.candidates.enumerated() {
            let head = index == 0
                ? [String(conflict.id), conflict.documentID, conflict.state.rawValue, conflict.reason ?? ""]
                : ["", "", "", ""]
            table.add(head + [String(candidate.annotationID), candidate.coder ?? "(deleted)",
                              candidate.start.map(String.init) ?? "", candidate.end.map(String.init) ?? "",
                              candidate.quote ?? "", candidate.features?.canonicalJSON ?? ""],
                      wrapping: 3)
        }
    }
    print(table.rendered, terminator: "")
}
