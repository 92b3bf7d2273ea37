// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "aims",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "aims", targets: ["aims"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // Domain types, the ISO/IEC 42001 catalog and rules. Foundation only.
        .target(
            name: "AimsCore",
            resources: [.copy("Catalog/iso42001.json")],
            swiftSettings: swiftSettings
        ),
        // Fairness, drift, data quality and performance metrics. No web, no database.
        .target(name: "AimsMetrics", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        // Persistence: Fluent models, migrations, the audited write path.
        .target(
            name: "AimsStore",
            dependencies: [
                "AimsCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),
        // Reports and standard formats (CSV, JSON, Markdown).
        .target(name: "AimsExport", dependencies: ["AimsCore"], swiftSettings: swiftSettings),
        // HTTP: routes, views, authentication and authorization.
        .target(
            name: "AimsServer",
            dependencies: [
                "AimsCore", "AimsStore", "AimsExport", "AimsMetrics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            resources: [.copy("Templates"), .copy("Assets")],
            swiftSettings: swiftSettings
        ),
        // Fixtures shared by the test targets: a fresh database (SQLite, or PostgreSQL when
        // AIMS_TEST_POSTGRES_URL is set) and a seeded organisation.
        .target(name: "AimsTestSupport", dependencies: ["AimsStore", "TestScratch"], swiftSettings: swiftSettings),
        // Where tests write files: one folder per test process, removed at exit.
        .target(name: "TestScratch", swiftSettings: swiftSettings),
        .executableTarget(
            name: "aims",
            dependencies: [
                "AimsServer", "AimsMetrics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `aims check --server`; URLSession would load libcurl and its two dozen libraries
                // (6.5 MB resident, 5 ms of start-up) into every command, the metrics ones included.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings,
            // Exported, the executable's 60,000 symbols were read at every start (the runtime's
            // path lookup walks them) and weighed 5 MB: 1-2 ms of a metrics run on a million rows.
            // Backtraces read the symbol table, which stays.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))]
        ),
        .testTarget(name: "AimsCoreTests", dependencies: ["AimsCore"], swiftSettings: swiftSettings),
        .testTarget(name: "AimsMetricsTests", dependencies: ["AimsMetrics", "TestScratch"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        // Runs the built `aims` binary; needs no library but the scratch folder.
        .testTarget(name: "AimsCLITests", dependencies: ["TestScratch"], swiftSettings: swiftSettings),
        .testTarget(name: "AimsExportTests", dependencies: ["AimsExport"], swiftSettings: swiftSettings),
        .testTarget(name: "AimsStoreTests", dependencies: ["AimsStore", "AimsTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AimsServerTests",
            dependencies: [
                "AimsServer", "AimsTestSupport", "TestScratch",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
