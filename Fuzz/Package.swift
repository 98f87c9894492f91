// swift-tools-version: 6.1
// libFuzzer targets for Gloss's parsers. Build and run them with Fuzz/run (not part of `swift build` of the
// main package: they only link with -sanitize=fuzzer).
import PackageDescription

let parseAsLibrary: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "GlossFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Gloss", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(name: "fuzz-jsonl", dependencies: ["FuzzSupport", .product(name: "GlossCore", package: "Gloss")], swiftSettings: parseAsLibrary),
        .executableTarget(name: "fuzz-tei", dependencies: ["FuzzSupport", .product(name: "GlossTEI", package: "Gloss")], swiftSettings: parseAsLibrary),
        .executableTarget(name: "fuzz-codebook", dependencies: ["FuzzSupport", .product(name: "GlossCodebook", package: "Gloss")], swiftSettings: parseAsLibrary),
        .executableTarget(name: "fuzz-interchange", dependencies: ["FuzzSupport", .product(name: "GlossInterchange", package: "Gloss"), .product(name: "GlossIO", package: "Gloss")], swiftSettings: parseAsLibrary),
        .executableTarget(name: "fuzz-csv", dependencies: ["FuzzSupport", .product(name: "GlossAgreement", package: "Gloss")], swiftSettings: parseAsLibrary),
    ],
    swiftLanguageModes: [.v6]
)
