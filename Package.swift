// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Masar",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MasarCore", targets: ["MasarCore"]),
        .library(name: "MasarDiagrams", targets: ["MasarDiagrams"]),
        .library(name: "MasarStore", targets: ["MasarStore"]),
        .library(name: "MasarReports", targets: ["MasarReports"]),
        .executable(name: "masar", targets: ["masar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
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
            name: "MasarStore",
            dependencies: [
                "MasarCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "MasarReports",
            dependencies: ["MasarCore", "MasarDiagrams", "MasarStore"]
        ),
        .executableTarget(
            name: "masar",
            dependencies: [
                "MasarCore",
                "MasarDiagrams",
                "MasarStore",
                "MasarReports",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "masar-bench",
            dependencies: ["MasarCore", "MasarDiagrams", "MasarStore", "MasarReports"],
            path: "Benchmarks/masar-bench"
        ),
        .testTarget(name: "MasarCoreTests", dependencies: ["MasarCore"]),
        .testTarget(name: "MasarDiagramsTests", dependencies: ["MasarDiagrams"]),
        .testTarget(name: "MasarStoreTests", dependencies: ["MasarStore"]),
        .testTarget(
            name: "MasarReportsTests",
            dependencies: ["MasarReports", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "masarTests", dependencies: ["masar"]),
    ],
    swiftLanguageModes: [.v6]
)
