import ArgumentParser
import Foundation
import GlossCore
import GlossIO
import GlossInterchange
import GlossStore

/// Options every command that opens the project accepts.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The project database file (default: $GLOSS_DB, else ./gloss.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .customLong("database-url"),
            help: ArgumentHelp("A project in PostgreSQL instead of a file: postgresql://USER@HOST:PORT/DATABASE "
                               + "(default: $GLOSS_DATABASE_URL).", valueName: "url"))
    var databaseURL: String?

    func validate() throws {
        if db != nil && databaseURL != nil {
            throw ValidationError("give either --db (a SQLite file) or --database-url (PostgreSQL), not both")
        }
    }

    /// --database-url, else --db, else $GLOSS_DATABASE_URL, else $GLOSS_DB, else ./gloss.sqlite.
    var location: StoreLocation {
        get throws {
            let environment = ProcessInfo.processInfo.environment
            func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
            if let databaseURL { return .postgres(try PostgresURL(databaseURL)) }
            if let db { return .sqlite(path: db) }
            if let url = variable("GLOSS_DATABASE_URL") {
                if variable("GLOSS_DB") != nil {
                    throw GlossError(.usage, "both GLOSS_DATABASE_URL and GLOSS_DB are set; unset one, or pass "
                                     + "--db or --database-url")
                }
                return .postgres(try PostgresURL(url))
            }
            return .sqlite(path: variable("GLOSS_DB") ?? "gloss.sqlite")
        }
    }

    /// Opens the project, creating it only when asked.
    func openStore(creating: Bool = false) throws -> any ProjectStore {
        try location.open(creating: creating)
    }

}

/// Options of the commands that change the project.
struct ChangeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Who makes the changes, for the audit log (default: $GLOSS_ACTOR, else $USER, else the login name).", valueName: "name"))
    var actor: String?

    /// The audit context for a command run now.
    func changeContext(source: String) -> ChangeContext {
        let environment = ProcessInfo.processInfo.environment
        let name = [actor, environment["GLOSS_ACTOR"], environment["USER"], environment["LOGNAME"]]
            .compactMap { $0 }.first { !$0.isEmpty } ?? Self.loginName()
        return ChangeContext(actor: name, time: Timestamp.now(), source: source)
    }
}

extension ChangeOptions {
    /// The name of the user running the process, from the password database.
    static func loginName() -> String {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return "uid \(getuid())" }
        return String(cString: name)
    }
}

/// The escape from blind coding for commands that write annotations.
struct BlindCodingOptions: ParsableArguments {
    @Flag(help: ArgumentHelp("Write for a coder on documents not assigned to them, or marked done "
                             + "(refused by default once the project has assignments, exit 77)."))
    var allowUnassigned = false
}

/// Whose annotations a reading command may show: with --as CODER (or $GLOSS_CODER) only that coder's, so that a
/// coder of the reliability sample does not see the others' codes.
struct ViewerOptions: ParsableArguments {
    @Option(name: .customLong("as"),
            help: ArgumentHelp("Show only this coder's annotations (default: $GLOSS_CODER; unset shows all).",
                               valueName: "coder"))
    var viewer: String?

    /// The coder the command reads as, or nil to show everyone's annotations.
    var coder: String? {
        viewer ?? ProcessInfo.processInfo.environment["GLOSS_CODER"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Refuses (exit 77) a command that shows every coder's codes when $GLOSS_CODER says a coder is reading blind.
    static func refuseBlindReader(_ what: String) throws {
        guard let coder = ProcessInfo.processInfo.environment["GLOSS_CODER"], !coder.isEmpty else { return }
        throw GlossError(.notPermitted, "reading as \(coder) (GLOSS_CODER), \(what) would show the other coders' codes "
                         + "(blind coding); unset GLOSS_CODER to run it")
    }

    /// The one coder a command may show given the one asked for (nil: everyone), as `coders(asked:)` decides.
    func coder(asked: String?) throws -> String? { try coders(asked: asked.map { [$0] })?.first }

    /// The coders a command may show given the ones asked for: as a coder, only that coder (asking for another is
    /// refused, exit 77); otherwise what was asked.
    func coders(asked: [String]?) throws -> [String]? {
        guard let coder else { return asked }
        if let other = asked?.first(where: { !$0.isIdentical(to: coder) }) {
            throw GlossError(.notPermitted, "reading as \(coder) (--as or GLOSS_CODER), the annotations of \(other) "
                             + "stay hidden (blind coding); drop --coder or --as")
        }
        return [coder]
    }
}

/// A comma-separated option value, such as `--coders alice,bob`.
enum CommaList {
    /// Its items, each trimmed, empty ones dropped.
    static func items(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The first item that `items` holds more than once, if any.
    static func repeated(_ items: [String]) -> String? {
        var seen: Set<String> = []
        return items.first { !seen.insert($0).inserted }
    }
}

/// The `--force` of commands that write files: without it, a file already at the destination is refused (exit 73).
struct OverwriteOptions: ParsableArguments {
    @Flag(help: "Replace files that are already at the destination (without it the command refuses, exit 73).")
    var force = false
}

/// The size limits of input, as options (sizes in bytes, or with K, M or G: 64M).
struct LimitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The longest JSON Lines line accepted (default 32M).", valueName: "size"),
            transform: ByteSize.parse)
    var maxLineBytes: Int = InputLimits.default.maximumLineBytes
    @Option(help: ArgumentHelp("The longest document text accepted (default 16M).", valueName: "size"), transform: ByteSize.parse)
    var maxDocumentBytes: Int = InputLimits.default.maximumDocumentBytes
    @Option(help: ArgumentHelp("The longest feature value accepted, unless the codebook sets max_length (default 1M).",
                               valueName: "size"), transform: ByteSize.parse)
    var maxFeatureBytes: Int = InputLimits.default.maximumFeatureBytes

    var inputLimits: InputLimits {
        InputLimits(maximumLineBytes: maxLineBytes, maximumDocumentBytes: maxDocumentBytes, maximumFeatureBytes: maxFeatureBytes)
    }
}

/// How far a REFI-QDA archive (`.qdpx`) may expand: only the entries an import uses are expanded, in total at
/// most this much, and none more than 1,000 times its compressed size.
struct ArchiveOptions: ParsableArguments {
    @Option(help: ArgumentHelp("With .qdpx: the most its used entries may expand to, in total (default 1G).", valueName: "size"),
            transform: ByteSize.parse)
    var maxArchiveSize: Int?

    var limits: ZipArchive.Limits { ZipArchive.Limits(maximumTotalSize: maxArchiveSize ?? ZipArchive.Limits.default.maximumTotalSize) }
}

/// A size given as bytes or with a binary suffix: 500K, 64M, 2G.
enum ByteSize {
    static func parse(_ text: String) throws -> Int {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(text.uppercased())
        var factor = 1
        if digits.hasSuffix("B") { digits = digits.dropLast() }
        if let last = digits.last, let unit = units[last] { factor = unit; digits = digits.dropLast() }
        guard let number = Int(digits), number > 0, number <= Int.max / factor else {
            throw ValidationError("\(text) is not a size; write bytes or a number with K, M or G (64M)")
        }
        return number * factor
    }
}

/// How listings are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl
}

/// Reports import progress on standard error when it is a terminal.
enum Progress {
    static var isInteractive: Bool { isatty(STDERR_FILENO) == 1 }

    static func report(_ label: String) -> @Sendable (Int) -> Void {
        guard isInteractive else { return { _ in } }
        return { count in FileHandle.standardError.write(Data("\r\(label) \(count)…".utf8)) }
    }

    static func finish() {
        if isInteractive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
