import AimsCore
import AimsStore
import Foundation
import Logging
import TestScratch

/// Opens a migrated store for one test: a new SQLite file, or the PostgreSQL database named by
/// `AIMS_TEST_POSTGRES_URL` (shared by every test; each test works in its own organisations).
public enum TestDatabase {
    public static var usesPostgres: Bool { ProcessInfo.processInfo.environment["AIMS_TEST_POSTGRES_URL"].map { !$0.isEmpty } ?? false }

    /// A migrated store, and the directory of its SQLite file (nil on PostgreSQL).
    static func open() async throws -> (store: AimsStore, directory: URL?) {
        var logger = Logger(label: "aims-test")
        logger.logLevel = .warning
        if let url = ProcessInfo.processInfo.environment["AIMS_TEST_POSTGRES_URL"], !url.isEmpty {
            let store = try await AimsStore.open(.postgres(url: url), logger: logger)
            do {
                try await Migrations.once(store)
            } catch {
                await store.shutdown()
                throw error
            }
            return (store, nil)
        }
        let directory = Scratch.url("aims-test")
        let store = try await AimsStore.open(.sqlite(path: directory.appendingPathComponent("aims.sqlite").path), logger: logger)
        do {
            try await store.migrate()
        } catch {
            await close(store, directory)
            throw error
        }
        return (store, directory)
    }

    /// Runs `body` with a fresh store, then closes it and removes its SQLite file, whatever
    /// happens (the scratch folder would remove it at exit; a run makes hundreds).
    public static func with<T>(_ body: (AimsStore) async throws -> T) async throws -> T {
        let (store, directory) = try await open()
        do {
            let result = try await body(store)
            await close(store, directory)
            return result
        } catch {
            await close(store, directory)
            throw error
        }
    }

    private static func close(_ store: AimsStore, _ directory: URL?) async {
        await store.shutdown()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// Tests run in parallel; on a shared PostgreSQL database only one of them may migrate.
    actor Migrations {
        static let shared = Migrations()
        private var migration: Task<Void, any Error>?

        static func once(_ store: AimsStore) async throws { try await shared.run(store) }

        /// The first caller migrates; the others wait for that same task (an actor alone would
        /// let them in while the first is suspended).
        func run(_ store: AimsStore) async throws {
            if migration == nil { migration = Task { try await store.migrate() } }
            try await migration!.value
        }
    }

    public static let catalog: Catalog = try! Catalog.bundled()

    /// A new organisation with a unique slug.
    public static func organisation(_ store: AimsStore, name: String = "Test Org") async throws -> Organisation {
        let slug = "t-" + UUID().uuidString.lowercased().prefix(13)
        return try await store.createOrganisation(name: name, slug: String(slug), catalog: catalog, by: .system("test"))
    }

    public static func uniqueEmail(_ role: String) -> String { "\(role)-\(UUID().uuidString.lowercased().prefix(8))@test.example" }
}
