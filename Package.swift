// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Masar",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MasarCore", targets: ["MasarCore"]),
        .library(name: "MasarDiagrams", targets: ["MasarDiagrams"]),
        .executable(name: "masar", targets: ["masar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
        .executableTarget(
            name: "masar",
            dependencies: [
                "MasarCore",
                "MasarDiagrams",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "masar-bench",
            dependencies: ["MasarCore", "MasarDiagrams"],
            path: "Benchmarks/masar-bench"
        ),
        .testTarget(name: "MasarCoreTests", dependencies: ["MasarCore"]),
        .testTarget(name: "MasarDiagramsTests", dependencies: ["MasarDiagrams"]),
        .testTarget(name: "masarTests", dependencies: ["masar"]),
    ],
    swiftLanguageModes: [.v6]
)
