import ArgumentParser
import Foundation
import GlossCore
import GlossService
import GlossStore
import GlossWorkflow

extension Gloss {
    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Split the documents not yet assigned among coders, with a reliability sample coded by several.",
            discussion: """
                A random share --overlap of the documents (drawn with --seed) goes to --reliability-coders coders \
                each (default: all listed): the reliability sample, coded independently and compared by `gloss \
                agree`. Every other document goes to one coder. Documents are handed out longest first to whoever \
                has the least text so far, so the coders' loads in code points stay close. The plan is printed and \
                stored in one transaction (--dry-run only prints it). Running it again assigns only new documents, \
                and keeps the reliability share over the whole project at --overlap.

                From the first assignment on, a coder may only write annotations on their own documents, until \
                they mark them done (`gloss done`); see `gloss status`.

                Examples:
                  gloss assign --coders alice,bob,chen --overlap 0.25 --dry-run
                  gloss assign --coders alice,bob,chen --overlap 0.25 --reliability-coders 2 --seed 7
                  gloss assign --coders alice,bob --overlap 1 --doc monitor-2018-kabul-reaction
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: ArgumentHelp("The coders, comma-separated.", valueName: "a,b,c")) var coders: String
        @Option(help: ArgumentHelp("The share of documents coded by several coders, 0 to 1.", valueName: "share"))
        var overlap: Double
        @Option(help: ArgumentHelp("Coders per reliability document (default: all listed).", valueName: "n"))
        var reliabilityCoders: Int?
        @Option(help: ArgumentHelp("Only these documents, comma-separated (default: all).", valueName: "id,..."))
        var doc: String?
        @Option(help: ArgumentHelp("Seed of the random draw of the reliability sample.", valueName: "s"))
        var seed: UInt64 = 1
        @Flag(help: "Print the plan without storing it.") var dryRun = false
        @Option(help: "Output format.") var format: PlanFormat = .table

        enum PlanFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

        var coderList: [String] { CommaList.items(coders) }

        var request: AssignmentPlanner.Request {
            AssignmentPlanner.Request(coders: coderList, overlap: overlap, reliabilityCoders: reliabilityCoders,
                                      documents: doc.map(CommaList.items), seed: seed)
        }

        func validate() throws {
            if let problem = request.problem { throw ValidationError(problem) }
            if let twice = doc.map(CommaList.items).flatMap(CommaList.repeated) {
                throw ValidationError("--doc names \(twice) twice")
            }
        }

        func run() throws {
            let plan = try AssignmentPlanner.assign(request, store: try project.openStore(),
                                                    context: change.changeContext(source: "assign"), dryRun: dryRun)
            if format == .json { return try printJSON(plan) }
            var table = TextTable(columns: ["CODER", "DOCUMENTS", "CODE POINTS", "RELIABILITY", "TOTAL DOCUMENTS",
                                            "TOTAL CODE POINTS"])
            for load in plan.coders {
                table.add([load.coder, String(load.documents), String(load.codePoints),
                           String(load.reliabilityDocuments), String(load.totalDocuments),
                           String(load.totalCodePoints)])
            }
            print(table.rendered, terminator: "")
            let new = Set(plan.assignments.map(\.documentID)).count
            var summary = (plan.stored ? "assigned" : "would assign (dry run, nothing stored):")
                + " \(new) document\(new == 1 ? "" : "s")"
            summary += "; the reliability sample is \(plan.reliabilityDocuments) of \(plan.assignedDocuments) "
                + "assigned documents"
            if plan.alreadyAssigned > 0 {
                summary += "; \(plan.alreadyAssigned) selected documents already had coders and were left as they are"
            }
            print(summary)
        }
    }

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a coder's assigned document done: no more writes by that coder on it until reopened.",
            discussion: """
                  gloss done monitor-2018-kabul-reaction --coder alice
                """)

        @OptionGroup var assignment: AssignmentOptions

        func run() throws {
            let done = try assignment.mark(done: true, source: "done")
            print("\(done.documentID) is done for \(done.coder) since \(done.doneAt ?? "")")
        }
    }

    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reopen a document a coder marked done, so that they can change their annotations again.",
            discussion: """
                  gloss reopen monitor-2018-kabul-reaction --coder alice
                """)

        @OptionGroup var assignment: AssignmentOptions

        func run() throws {
            let open = try assignment.mark(done: false, source: "reopen")
            print("\(open.documentID) is open for \(open.coder) (\(open.state.rawValue))")
        }
    }
}

/// The assignment `gloss done` and `gloss reopen` act on: a document and a coder.
struct AssignmentOptions: ParsableArguments {
    @OptionGroup var project: ProjectOptions
    @OptionGroup var change: ChangeOptions
    @Argument(help: ArgumentHelp("The document's id.", valueName: "document-id")) var document: String
    @Option(help: ArgumentHelp("The coder.", valueName: "name")) var coder: String

    /// Marks the assignment done or open again, in one audited transaction.
    func mark(done: Bool, source: String) throws -> Assignment {
        try ProjectStatus.mark(documentID: document, coder: coder, done: done, store: try project.openStore(),
                               context: change.changeContext(source: source))
    }
}

/// Prints a result as one JSON document: sorted keys, snake_case names, feature values as they are.
func printJSON<T: Encodable>(_ value: T) throws {
    print(try ResultJSON.encode(value))
}
