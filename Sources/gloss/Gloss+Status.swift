import ArgumentParser
import GlossCore
import GlossStore
import GlossWorkflow

extension Gloss {
    struct Assignments: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List assignments.", subcommands: [List.self])
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show progress: per coder assigned, in progress and done documents, annotations and "
                + "last activity.",
            discussion: """
                A document is in progress for a coder from their first annotation on it, and done once they mark it \
                done (`gloss done`). Per document, the coders and their states follow the table of coders.
                  gloss status
                  gloss status --format json
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: "Output format.") var format: Gloss.Assign.PlanFormat = .table

        func run() throws {
            let status = try project.openStore().read { try ProjectStatus.of($0) }
            if format == .json { return try printJSON(status) }
            var coders = TextTable(columns: ["CODER", "ASSIGNED", "IN PROGRESS", "DONE", "ANNOTATIONS",
                                             "LAST ACTIVITY"])
            for coder in status.coders {
                coders.add([coder.coder, String(coder.assigned), String(coder.inProgress), String(coder.done),
                            String(coder.annotations), coder.lastActivity ?? "-"])
            }
            let totals = status.totals
            coders.add(["(total)", String(totals.assigned), String(totals.inProgress), String(totals.done),
                        String(totals.annotations), ""])
            print(coders.rendered)
            var documents = TextTable(columns: ["DOCUMENT", "ROLE", "CODERS"])
            for document in status.documents {
                documents.add([document.documentID, document.role,
                               document.coders.map { "\($0.coder) (\($0.state.rawValue))" }.joined(separator: ", ")],
                              wrapping: 2)
            }
            print(documents.rendered, terminator: "")
            print("\(totals.assignedDocuments) of \(totals.documents) documents assigned, "
                  + "\(totals.reliabilityDocuments) in the reliability sample; "
                  + "\(totals.done) of \(totals.assignments) assignments done")
        }
    }
}

extension Gloss.Assignments {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List assignments: document, coder, role, state and times.",
            discussion: """
                  gloss assignments list --coder alice
                  gloss assignments list --format jsonl
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("Only this coder's.", valueName: "name")) var coder: String?
        @Option(help: "Output format.") var format: OutputFormat = .table

        func run() throws {
            let store = try project.openStore()
            let assignments = try store.read { try $0.assignments(coder: coder) }
            switch format {
            case .json:
                print(JSONValue.array(assignments.map(\.json)).canonicalJSON)
            case .jsonl:
                for assignment in assignments { print(assignment.json.canonicalJSON) }
            case .table:
                var table = TextTable(columns: ["DOCUMENT", "CODER", "ROLE", "STATE", "ASSIGNED", "STARTED", "DONE"])
                for item in assignments {
                    table.add([item.documentID, item.coder, item.role.rawValue, item.state.rawValue, item.assignedAt,
                               item.startedAt ?? "-", item.doneAt ?? "-"])
                }
                print(table.rendered, terminator: "")
                if table.isEmpty { try reportEmptyListing(store) }
            }
        }

        /// Says on standard error why the listing is empty: no assignments yet, an unknown coder, or none for them.
        private func reportEmptyListing(_ store: any ProjectStore) throws {
            guard let coder else { return printError("no assignments yet; make them with `gloss assign`") }
            let coders = try store.read { try $0.coderNames() }
            if coders.contains(coder) {
                printError("no assignments for \(coder)")
            } else {
                printError("no assignments: there is no coder \(coder); \(NameSuggestion.hint(for: coder, in: coders))")
            }
        }
    }
}
