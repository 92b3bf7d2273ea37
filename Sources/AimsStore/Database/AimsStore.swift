import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOPosix
import SQLKit

/// The persistence layer: one Fluent database (SQLite or PostgreSQL, same code path), its
/// migrations, and the single audited write path every change goes through.
public struct AimsStore: Sendable {
    let databases: Databases
    let logger: Logger
    let writes: WriteSerializer
    public let settings: DatabaseSettings

    public static func open(_ settings: DatabaseSettings, logger: Logger) async throws -> AimsStore {
        let databases = Databases(threadPool: .singleton, on: MultiThreadedEventLoopGroup.singleton)
        switch settings {
        case .sqlite(let path):
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url):
            databases.use(try .postgres(url: url, sqlLogLevel: .trace), as: .psql)
        }
        let store = AimsStore(databases: databases, logger: logger, writes: WriteSerializer(), settings: settings)
        if case .sqlite = settings {
            // WAL lets readers carry on while a write is in progress; it persists in the file.
            _ = try await store.sql.raw("PRAGMA journal_mode=WAL").all()
        }
        return store
    }

    public var db: any Database {
        databases.database(logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())!
    }

    var sql: any SQLDatabase { db as! any SQLDatabase }

    /// Applies every migration not yet applied. Safe to run at each start.
    public func migrate() async throws {
        let migrations = Migrations()
        migrations.add(AimsMigrations.all)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Runs `body` in a transaction, one write at a time in this process, so the audit chain
    /// always extends from the latest event. PostgreSQL's unique (organisation, sequence) index
    /// guards the chain across processes.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await writes.run { try await self.db.transaction(body) }
    }

    /// Checks that the database answers a trivial query.
    public func ping() async throws {
        _ = try await sql.raw("SELECT 1").all()
    }

    /// Run by the application's service group: closes the connections on graceful shutdown.
    public var lifecycleService: Databases { databases }

    public func shutdown() async {
        await databases.shutdownAsync()
    }
}

/// Serialises writes inside one process.
actor WriteSerializer {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        while busy { await withCheckedContinuation { waiters.append($0) } }
        busy = true
        defer {
            busy = false
            if !waiters.isEmpty { waiters.removeFirst().resume() }
        }
        return try await body()
    }
}
