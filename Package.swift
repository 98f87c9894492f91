// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Gloss",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gloss", targets: ["gloss"]),
        .library(name: "GlossCore", targets: ["GlossCore"]),
        .library(name: "GlossIO", targets: ["GlossIO"]),
        .library(name: "GlossStore", targets: ["GlossStore"]),
        .library(name: "GlossCodebook", targets: ["GlossCodebook"]),
        .library(name: "GlossAgreement", targets: ["GlossAgreement"]),
        .library(name: "GlossTEI", targets: ["GlossTEI"]),
        .library(name: "GlossInterchange", targets: ["GlossInterchange"]),
        .library(name: "GlossWorkflow", targets: ["GlossWorkflow"]),
        .library(name: "GlossService", targets: ["GlossService"]),
        .library(name: "GlossServer", targets: ["GlossServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(name: "GlossCore"),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // Files, JSON Lines, XML and zip archives: the plumbing every layer above reads and writes through.
        .target(name: "GlossIO", dependencies: ["GlossCore", "CLibXML2", "CZlib"]),
        .target(name: "GlossInterchange", dependencies: ["GlossCore", "GlossIO", "GlossCodebook", "GlossStore", "CLibXML2", .product(name: "Yams", package: "Yams")]),
        .target(name: "GlossTEI", dependencies: ["GlossCore", "GlossIO", "GlossCodebook", "GlossStore", "CLibXML2"]),
        .target(name: "GlossCodebook", dependencies: ["GlossCore", .product(name: "Yams", package: "Yams")]),
        .target(name: "GlossAgreement", dependencies: ["GlossCore"]),
        .target(
            name: "GlossStore",
            dependencies: [
                "GlossCore",
                "GlossIO",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                "GlossCodebook",
                "GlossAgreement",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(name: "GlossWorkflow", dependencies: ["GlossCore", "GlossCodebook", "GlossAgreement", "GlossStore"]),
        // The operations both fronts call (the command line now, the server next), with typed requests and results.
        .target(name: "GlossService", dependencies: ["GlossCore", "GlossAgreement", "GlossStore", "GlossWorkflow"]),
        // `gloss serve`: the JSON API under /api/v1 over the same operations, on Hummingbird.
        .target(
            name: "GlossServer",
            dependencies: [
                "GlossCore", "GlossIO", "GlossStore", "GlossTEI", "GlossWorkflow", "GlossService",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["Resources"]
        ),
        .executableTarget(
            name: "gloss",
            dependencies: [
                "GlossCore", "GlossIO", "GlossCodebook", "GlossAgreement", "GlossStore", "GlossInterchange", "GlossTEI",
                "GlossWorkflow", "GlossService", "GlossServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "gloss-bench",
            dependencies: ["GlossCore", "GlossIO", "GlossStore", "GlossTEI", "GlossInterchange"],
            path: "Benchmarks/ImportBenchmark"
        ),
        .target(
            name: "GlossTestSupport",
            dependencies: ["GlossStore", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOPosix", package: "swift-nio")],
            path: "Tests/GlossTestSupport"
        ),
        .executableTarget(
            name: "gloss-server-bench",
            dependencies: ["GlossCore", "GlossStore", "GlossWorkflow", "GlossService",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio")],
            path: "Benchmarks/ServerBenchmark"
        ),
        .executableTarget(
            name: "gloss-agreement-bench",
            dependencies: ["GlossCore", "GlossAgreement"],
            path: "Benchmarks/AgreementBenchmark"
        ),
        .testTarget(name: "GlossCoreTests", dependencies: ["GlossCore", "GlossTestSupport"]),
        .testTarget(name: "GlossCodebookTests", dependencies: ["GlossCore", "GlossCodebook", "GlossTestSupport"], exclude: ["Broken"]),
        .testTarget(name: "GlossAgreementTests", dependencies: ["GlossCore", "GlossAgreement", "GlossTestSupport"]),
        .testTarget(name: "GlossInterchangeTests",
                    dependencies: ["GlossCore", "GlossIO", "GlossCodebook", "GlossStore", "GlossInterchange", "GlossTestSupport"]),
        .testTarget(
            name: "GlossStoreTests",
            dependencies: ["GlossCore", "GlossIO", "GlossStore", "GlossTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "GlossTEITests", dependencies: ["GlossCore", "GlossIO", "GlossStore", "GlossTEI", "GlossTestSupport"]),
        .testTarget(name: "GlossServiceTests",
                    dependencies: ["GlossCore", "GlossAgreement", "GlossStore", "GlossWorkflow", "GlossService",
                                   "GlossTestSupport"]),
        .testTarget(name: "GlossWorkflowTests", dependencies: ["GlossCore", "GlossStore", "GlossWorkflow", "GlossTestSupport"]),
        .testTarget(name: "GlossServerTests",
                    dependencies: ["GlossCore", "GlossStore", "GlossService", "GlossServer", "GlossTestSupport",
                                   .product(name: "HummingbirdTesting", package: "hummingbird"),
                                   .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "GlossCLITests",
                    dependencies: ["GlossCore", "GlossAgreement", "GlossStore", "GlossService", "GlossTestSupport", "gloss"]),
    ],
    swiftLanguageModes: [.v6]
)
