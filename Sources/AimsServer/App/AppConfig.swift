import Configuration
import Foundation

/// Every setting Aims reads, read once at start-up into this struct and passed down.
/// Sources in order of precedence: command-line flags, environment variables, defaults.
public struct AppConfig: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Where the SQLite database and uploaded files live (`AIMS_DATA_DIR`).
    public var dataDirectory = "./aims-data"
    /// A postgres:// URL switches storage to PostgreSQL (`AIMS_DATABASE_URL`).
    public var databaseURL: String?
    /// Seed the demo organisation on start (`AIMS_DEMO`).
    public var demo = false
    /// The URL users reach Aims at (`AIMS_PUBLIC_URL`); https makes session cookies Secure.
    public var publicURL: String?
    public var sessionHours = 12
    public var bcryptCost = 12
    /// Failed logins for one e-mail before it is locked out, and for how long.
    public var loginAttemptLimit = 5
    public var loginLockoutMinutes = 15
    /// Largest accepted request body, in bytes (`AIMS_MAX_BODY_BYTES`).
    public var maxBodyBytes = 1 << 20
    /// Largest evidence file, in bytes (`AIMS_MAX_UPLOAD_BYTES`).
    public var maxUploadBytes = 25 << 20
    /// Where evidence files are kept (`AIMS_EVIDENCE_DIR`); by default `evidence/` in the data directory.
    public var evidenceDirectory: String?
    public var logLevel = "info"

    public init() {}

    /// Reads the configuration. `overrides` holds command-line flags by key (for example "aims.port").
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, overrides: [String: String] = [:]) {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in overrides { values[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = .init(.string(value), isSecret: false) }
        let reader = ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: values),
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .specific(["AIMS_DATABASE_URL"])),
        ])
        let defaults = AppConfig()
        host = reader.string(forKey: ["aims", "host"], default: defaults.host)
        port = Int(reader.string(forKey: ["aims", "port"], default: String(defaults.port))) ?? defaults.port
        dataDirectory = reader.string(forKey: ["aims", "data", "dir"], default: defaults.dataDirectory)
        databaseURL = reader.string(forKey: ["aims", "database", "url"], isSecret: true)
        demo = ["1", "true", "yes"].contains(reader.string(forKey: ["aims", "demo"], default: "false").lowercased())
        publicURL = reader.string(forKey: ["aims", "public", "url"])
        sessionHours = Int(reader.string(forKey: ["aims", "session", "hours"], default: "12")) ?? defaults.sessionHours
        bcryptCost = UInt8(reader.string(forKey: ["aims", "bcrypt", "cost"], default: "12")).map(Int.init) ?? defaults.bcryptCost
        loginAttemptLimit = Int(reader.string(forKey: ["aims", "login", "attempts"], default: "5")) ?? defaults.loginAttemptLimit
        loginLockoutMinutes = Int(reader.string(forKey: ["aims", "login", "lockout", "minutes"], default: "15")) ?? defaults.loginLockoutMinutes
        maxBodyBytes = Int(reader.string(forKey: ["aims", "max", "body", "bytes"], default: String(defaults.maxBodyBytes))) ?? defaults.maxBodyBytes
        maxUploadBytes = Int(reader.string(forKey: ["aims", "max", "upload", "bytes"], default: String(defaults.maxUploadBytes))) ?? defaults.maxUploadBytes
        evidenceDirectory = reader.string(forKey: ["aims", "evidence", "dir"])
        logLevel = reader.string(forKey: ["aims", "log", "level"], default: defaults.logLevel)
    }

    public var evidenceRoot: URL {
        URL(fileURLWithPath: evidenceDirectory ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("evidence").path)
    }

    public var baseURL: String { publicURL ?? "http://\(host):\(port)" }
    public var secureCookies: Bool { baseURL.hasPrefix("https://") }
}
