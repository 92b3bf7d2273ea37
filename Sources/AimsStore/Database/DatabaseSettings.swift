import Foundation

/// Where the data lives: an SQLite file (the default) or a PostgreSQL server.
public enum DatabaseSettings: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// Picks PostgreSQL when `url` is a postgres URL, otherwise SQLite under `dataDirectory`.
    public static func resolve(databaseURL: String?, dataDirectory: String) throws -> DatabaseSettings {
        guard let url = databaseURL, !url.isEmpty else {
            return .sqlite(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("aims.sqlite").path)
        }
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw StoreError.configuration("AIMS_DATABASE_URL must start with postgres:// (got \(url.prefix(12))…); leave it unset for SQLite")
        }
        return .postgres(url: url)
    }

    /// Safe to print: passwords are masked.
    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite at \(path)"
        case .postgres(let url):
            "PostgreSQL at \(url.replacingOccurrences(of: #"//([^:/@]+):[^@]*@"#, with: "//$1:***@", options: .regularExpression))"
        }
    }
}

/// Errors the store reports to its callers; the server maps each to one HTTP status.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case configuration(String)
    case notFound(kind: String)
    /// The caller's If-Match did not name the current version.
    case versionConflict(current: Int)
    case duplicate(field: String, value: String)
    case refused(String)

    public var description: String {
        switch self {
        case .configuration(let message): message
        case .notFound(let kind): "no such \(kind)"
        case .versionConflict(let current): "the record has changed since you read it; the current version is \(current)"
        case .duplicate(let field, let value): "\(field) \(value) already exists"
        case .refused(let reason): reason
        }
    }
}
