import ArgumentParser
import GlossCore
import GlossService
import GlossStore

extension Gloss {
    struct Tokens: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, list and revoke the tokens people use the server with (gloss serve, coming next).",
            discussion: """
                A coder token sees only the documents assigned to its coder and only that coder's annotations; an \\
                adjudicator token sees every coder and writes gold; an admin token may also import, register \\
                codebooks, assign and manage tokens. Only a hash of each token is stored: the token itself is \\
                printed once, as the last line of `gloss tokens create`.
                  gloss tokens create --coder alice --role coder
                  gloss tokens list
                """,
            subcommands: [Create.self, List.self, Revoke.self])
    }
}

extension AccessToken.Role: ExpressibleByArgument {}

extension Gloss.Tokens {
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it, once, as the last line.",
            discussion: """
                  gloss tokens create --coder pi --role admin
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: ArgumentHelp("The coder the token acts as.", valueName: "name")) var coder: String
        @Option(help: "coder, adjudicator or admin.") var role: AccessToken.Role

        func validate() throws {
            if let problem = Name.problem(with: coder, as: .coder) { throw ValidationError("--coder: \(problem)") }
        }

        func run() throws {
            let (token, secret) = try AccessTokens.create(coder: coder, role: role, store: try project.openStore(),
                                                          context: change.changeContext(source: "tokens create"))
            printError("created token \(token.id) for \(coder) (\(role.rawValue)); it is shown once, keep it safe:")
            print(secret)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the tokens: id, coder, role, created, revoked (never the tokens themselves).",
            discussion: """
                  gloss tokens list --format json
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: "Output format.") var format: Gloss.Assign.PlanFormat = .table

        func run() throws {
            let tokens = try project.openStore().read { try $0.accessTokens() }
            if format == .json { return print(JSONValue.array(tokens.map(\.auditJSON)).canonicalJSON) }
            var table = TextTable(columns: ["ID", "CODER", "ROLE", "CREATED", "REVOKED"])
            for token in tokens {
                table.add([String(token.id), token.coder, token.role.rawValue, token.createdAt, token.revokedAt ?? "-"])
            }
            print(table.rendered, terminator: "")
            if table.isEmpty { printError("no tokens yet; make one with `gloss tokens create --coder NAME --role coder`") }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token: it stops working at once.",
            discussion: """
                  gloss tokens revoke 1
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: ArgumentHelp("The token's id (see `gloss tokens list`).", valueName: "id")) var id: Int64

        func run() throws {
            let token = try project.openStore().write { writer in
                try writer.revokeAccessToken(id: id, context: change.changeContext(source: "tokens revoke"))
            }
            print("revoked token \(token.id) of \(token.coder) (\(token.role.rawValue))")
        }
    }
}
