import Foundation

/// Where the tests find the package's own files and the shared material beside the checkout.
public enum TestPaths {
    /// The package root, found from this file's location (Tests/GlossTestSupport/TestPaths.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/` of the package.
    public static let fixtures = packageRoot.appendingPathComponent("Fixtures")

    /// `../shared/` beside the checkout: the corpus, interop files and reference values.
    public static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// The `.txt` files of the shared seed corpus, sorted.
    public static func corpusFiles() throws -> [URL] {
        let folder = shared.appendingPathComponent("corpus")
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
