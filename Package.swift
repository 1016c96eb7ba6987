// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "eduportal",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "eduportal", targets: ["eduportal"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.52.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "EduCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto")
            ]
        ),
        .target(
            name: "EduImport",
            dependencies: [
                "EduCore",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "EduData",
            dependencies: [
                "EduCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        .target(
            name: "EduMail",
            dependencies: ["EduCore"]
        ),
        // libvips from Debian (libvips-dev) for resized, upright, metadata-free copies of photos.
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        .target(
            name: "EduWeb",
            dependencies: [
                "EduCore", "EduData", "EduMail", "EduImport", "CVips",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "eduportal",
            dependencies: [
                "EduWeb", "EduData", "EduCore", "EduImport", "EduMail",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "EduTestSupport",
            dependencies: [
                "EduWeb", "EduData", "EduCore", "EduImport",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Tests/EduTestSupport"
        ),
        .testTarget(name: "EduCoreTests", dependencies: ["EduCore"]),
        .testTarget(name: "EduMailTests", dependencies: ["EduMail", "EduCore"]),
        .testTarget(
            name: "EduImportTests",
            dependencies: ["EduImport", "EduCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(
            name: "EduDataTests",
            dependencies: ["EduData", "EduCore", "EduTestSupport"]
        ),
        .testTarget(
            name: "EduWebTests",
            dependencies: [
                "EduWeb", "EduData", "EduCore", "EduTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
    ]
)
