// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Masar",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MasarCore", targets: ["MasarCore"]),
        .library(name: "MasarDiagrams", targets: ["MasarDiagrams"]),
        .library(name: "MasarBPMN", targets: ["MasarBPMN"]),
        .library(name: "MasarStore", targets: ["MasarStore"]),
        .library(name: "MasarReports", targets: ["MasarReports"]),
        .library(name: "MasarWeb", targets: ["MasarWeb"]),
        .executable(name: "masar", targets: ["masar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "MasarCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .systemLibrary(
            name: "CGraphviz",
            pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"])]
        ),
        .target(
            name: "MasarDiagrams",
            dependencies: ["MasarCore", "CGraphviz"]
        ),
        .target(
            name: "MasarBPMN",
            dependencies: ["MasarCore", "MasarDiagrams"]
        ),
        .target(
            name: "MasarStore",
            dependencies: [
                "MasarCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "MasarReports",
            dependencies: ["MasarCore", "MasarDiagrams", "MasarStore"]
        ),
        .target(
            name: "MasarWeb",
            dependencies: [
                "MasarCore",
                "MasarDiagrams",
                "MasarBPMN",
                "MasarStore",
                "MasarReports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Templates"), .copy("Assets")]
        ),
        .executableTarget(
            name: "masar",
            dependencies: [
                "MasarCore",
                "MasarDiagrams",
                "MasarBPMN",
                "MasarStore",
                "MasarReports",
                "MasarWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "masar-bench",
            dependencies: [
                "MasarCore", "MasarDiagrams", "MasarStore", "MasarReports",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/masar-bench"
        ),
        .testTarget(name: "MasarCoreTests", dependencies: ["MasarCore"]),
        .testTarget(name: "MasarDiagramsTests", dependencies: ["MasarDiagrams"]),
        .testTarget(name: "MasarBPMNTests", dependencies: ["MasarBPMN"], resources: [.copy("Corpus"), .copy("Cases")]),
        .testTarget(name: "MasarStoreTests", dependencies: ["MasarStore"]),
        .testTarget(
            name: "MasarReportsTests",
            dependencies: ["MasarReports", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "MasarWebTests",
            dependencies: [
                "MasarWeb",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "masarTests", dependencies: ["masar", "MasarStore", .product(name: "GRDB", package: "GRDB.swift")]),
    ],
    swiftLanguageModes: [.v6]
)
