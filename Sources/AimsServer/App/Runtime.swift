import AimsCore
import AimsStore
import Foundation
import Logging

extension AimsServices {
    /// Loads the catalog (a broken catalog stops here with a message naming the bad entry),
    /// opens the database and applies pending migrations.
    public static func start(_ config: AppConfig, logger: Logger) async throws -> AimsServices {
        let catalog = try Catalog.bundled()
        let settings = try DatabaseSettings.resolve(databaseURL: config.databaseURL, dataDirectory: config.dataDirectory)
        let store = try await AimsStore.open(settings, logger: logger)
        do {
            try await store.migrate()
        } catch {
            await store.shutdown()
            throw error
        }
        return AimsServices(config: config, catalog: catalog, store: store)
    }

    /// The organisation a CLI command acts on: the named one, or the only one there is.
    public func organisation(slug: String?) async throws -> Organisation {
        if let slug {
            guard let org = try await store.organisation(slug: slug) else { throw CLIError("no organisation with slug \(slug)") }
            return org
        }
        let all = try await store.organisations()
        guard all.count == 1 else {
            throw CLIError(all.isEmpty ? "there is no organisation yet: create one with `aims user create --org SLUG --org-name NAME …`"
                                        : "several organisations exist (\(all.map(\.slug).joined(separator: ", "))): choose one with --org")
        }
        return all[0]
    }
}

/// A problem the command line reports in one sentence before exiting non-zero.
public struct CLIError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
