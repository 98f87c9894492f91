import Foundation

/// Where the tests find the package's own files, its test data and the optional news corpus.
public enum TestPaths {
    /// The package root, found from this file's location (Tests/GlossTestSupport/TestPaths.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/` of the package.
    public static let fixtures = packageRoot.appendingPathComponent("Fixtures")

    /// `Tests/Resources/`: other tools' files, TEI sources and schema, hostile XML and published agreement
    /// values, each with its provenance and licence in `Tests/Resources/PROVENANCE.md`.
    public static let resources = packageRoot.appendingPathComponent("Tests/Resources")

    /// The folder of the real news articles, which are other people's text and not part of the repository:
    /// `GLOSS_CORPUS` when set, else `../shared/corpus` beside the checkout; nil when neither exists.
    public static let corpus: URL? = {
        let candidates = [ProcessInfo.processInfo.environment["GLOSS_CORPUS"].map { URL(fileURLWithPath: $0) },
                          packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")]
        return candidates.compactMap { $0 }.first { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }()

    /// Why a corpus test is skipped when `corpus` is nil.
    public static let corpusMissing = "the news corpus is not in the repository; set GLOSS_CORPUS to its folder "
        + "or put it at ../shared/corpus"

    /// The `.txt` files of the news corpus, sorted; throws when there is no corpus (tests check `corpus` first).
    public static func corpusFiles() throws -> [URL] {
        guard let folder = corpus else { throw CocoaError(.fileNoSuchFile) }
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "txt" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// The built `gloss` executable, next to the test bundle.
    public static var glossExecutable: URL {
        let bundle = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        return bundle.deletingLastPathComponent().appendingPathComponent("gloss")
    }
}
