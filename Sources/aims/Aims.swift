import AimsCore
import AimsExport
import AimsServer
import AimsStore
import ArgumentParser
import Foundation
import Hummingbird
import Logging

/// Options every command that touches the database shares.
struct StorageOptions: ParsableArguments {
    @Option(name: .long, help: "Folder for the SQLite database and files (env AIMS_DATA_DIR, default ./aims-data).")
    var dataDir: String?

    @Option(name: .long, help: "postgres:// URL to use PostgreSQL instead of SQLite (env AIMS_DATABASE_URL).")
    var databaseURL: String?

    func config(_ extra: [String: String] = [:]) -> AppConfig {
        var overrides = extra
        overrides["aims.data.dir"] = dataDir
        overrides["aims.database.url"] = databaseURL
        return AppConfig(overrides: overrides.compactMapValues { $0 })
    }
}

extension AsyncParsableCommand {
    /// Loads the catalog, opens and migrates the store; a failure is one line for the user.
    func startServices(_ config: AppConfig) async throws -> (AimsServices, Logger) {
        var logger = Logger(label: "aims")
        logger.logLevel = Logger.Level(rawValue: config.logLevel) ?? .info
        do {
            return (try await AimsServices.start(config, logger: logger), logger)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// Opens the store, runs `body`, and always closes the store; errors print as one line.
    func withServices<T>(_ config: AppConfig, _ body: (AimsServices) async throws -> T) async throws -> T {
        let (services, _) = try await startServices(config)
        do {
            let result = try await body(services)
            await services.store.shutdown()
            return result
        } catch let exit as ExitCode {
            await services.store.shutdown()
            throw exit
        } catch let failure as ValidationFailure {
            await services.store.shutdown()
            throw ValidationError(failure.issues.map { "\($0.field) \($0.message)" }.joined(separator: "; "))
        } catch {
            await services.store.shutdown()
            throw ValidationError("\(error)")
        }
    }
}

/// Every command gives its `commandName`: ArgumentParser otherwise derives it from the type's name
/// with `String(describing:)`, whose protocol lookups over this large binary took a sixth of start-up.
@main
struct Aims: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aims",
        abstract: "Aims — an AI management system for ISO/IEC 42001.",
        version: AimsVersion.current,
        subcommands: [Serve.self, Migrate.self, CatalogCommand.self, UserCommand.self, TokenCommand.self, AuditCommand.self, SoACommand.self,
                      MetricsCommand.self, CheckCommand.self])
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the web app and JSON API (runs migrations first).")
    @Option(help: "Address to listen on (env AIMS_HOST, default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (env AIMS_PORT, default 8080).") var port: Int?
    @Flag(help: "Seed the demo organisation (a fictional lender) and its users.") var demo = false
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        var overrides = ["aims.host": host, "aims.port": port.map(String.init)].compactMapValues { $0 }
        if demo { overrides["aims.demo"] = "true" }
        let config = storage.config(overrides)
        let (services, logger) = try await startServices(config)
        if config.demo {
            try await DemoData.seed(store: services.store, catalog: services.catalog, bcryptCost: UInt8(config.bcryptCost),
                                    files: EvidenceFiles(root: config.evidenceRoot))
        }
        let app = try await buildApplication(services, logger: logger)
        // Unbuffered, so the URL shows at once even when output goes to a pipe or a log file.
        say("Aims is running at \(config.baseURL)  (\(services.store.settings.description))")
        if config.demo {
            say("Demo login: \(DemoData.users[0].email) / \(DemoData.password)  (also lead@, contributor@, auditor@, viewer@northwind.example)")
        }
        // The store is one of the app's services: it closes on SIGINT or SIGTERM with the server.
        try await app.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        try await withServices(storage.config()) { services in print("Migrations applied (\(services.store.settings.description)).") }
    }
}

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "catalog", abstract: "Read the ISO/IEC 42001 catalog.", subcommands: [Export.self, Show.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Print the whole catalog.")
        @Option(help: "Output format (json).") var format = "json"

        func run() throws {
            guard format == "json" else { throw ValidationError("--format must be json") }
            let encoder = JSONCoding.encoder
            encoder.outputFormatting.insert(.prettyPrinted)
            print(String(decoding: try encoder.encode(try Catalog.bundled()), as: UTF8.self))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one clause or control with its crosswalks.")
        @Argument(help: "A clause (\"6.1.3\") or Annex A control (\"A.6.2.4\") id.") var id: String

        func run() throws {
            let catalog = try Catalog.bundled()
            if let control = catalog.control(id) {
                print("\(control.id) \(control.title)")
                print("Objective: \(control.objective) \(catalog.objective(control.objective)?.title ?? "")")
                print("Intent: \(control.intent)")
                print("Guidance: \(control.guidance.ref) — \(control.guidance.topic)")
            } else if let clause = catalog.clause(id) {
                print("\(clause.id) \(clause.title)")
                print("Intent: \(clause.intent)")
                if let evidence = clause.evidence { print("Evidence: \(evidence)") }
                if let info = clause.documentedInformation { print("Documented information: \(info.rawValue)") }
            } else {
                throw ValidationError("\(id) is neither a clause nor an Annex A control of ISO/IEC 42001")
            }
            let links = catalog.crosswalks(for: id)
            if !links.isEmpty { print("Crosswalks:") }
            for link in links {
                let title = catalog.reference(framework: link.framework, ref: link.ref)?.title ?? ""
                print("  \(link.framework) \(link.ref) \(title) [\(link.basis.rawValue)\(link.coverage.map { ", \($0)" } ?? "")]")
            }
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a user (and the organisation, for first set-up).")
        @Option(help: "E-mail address, used to sign in.") var email: String
        @Option(help: "Role: owner, governance-lead, contributor, auditor or viewer.") var role: Role
        @Option(help: "Display name.") var name: String?
        @Option(help: "Organisation slug; created when --org-name is given and it does not exist.") var org: String?
        @Option(help: "Name of a new organisation to create.") var orgName: String?
        @Option(help: "Password (at least 12 characters). Default: env AIMS_USER_PASSWORD, or a generated one that is printed.") var password: String?
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let secret = password ?? ProcessInfo.processInfo.environment["AIMS_USER_PASSWORD"] ?? String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20))
            try await withServices(storage.config()) { services in
                let actor = Principal.system("cli")
                let organisation: Organisation
                if let orgName, let slug = org, try await services.store.organisation(slug: slug) == nil {
                    organisation = try await services.store.createOrganisation(name: orgName, slug: slug, catalog: services.catalog, by: actor)
                    print("Created organisation \(organisation.name) (\(organisation.slug)).")
                } else {
                    organisation = try await services.organisation(slug: org)
                }
                let user = try await services.store.addMember(email: email, name: name ?? email, password: secret, role: role, organisation: organisation,
                                                              by: actor, bcryptCost: UInt8(services.config.bcryptCost))
                print("Created \(user.email) as \(role.rawValue) of \(organisation.slug).")
                if password == nil && ProcessInfo.processInfo.environment["AIMS_USER_PASSWORD"] == nil { print("Password: \(secret)") }
            }
        }
    }
}

extension Role: ExpressibleByArgument {}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an API token for a member; prints the secret once.")
        @Option(help: "The member's e-mail.") var email: String
        @Option(help: "A name saying where the token is used.") var name = "cli"
        @Option(help: "Days until it expires (1–366).") var days = 90
        @Option(help: "Organisation slug (optional when there is one).") var org: String?
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await withServices(storage.config()) { services in
                let organisation = try await services.organisation(slug: org)
                guard let member = try await services.store.members(of: organisation.id).first(where: { $0.user.email == email.lowercased() }) else {
                    throw CLIError("\(email) is not a member of \(organisation.slug)")
                }
                let (_, secret) = try await services.store.createToken(name: name, for: member.user.id, organisation: organisation.id,
                                                                       lifetime: TimeInterval(days * 86_400), by: .system("cli"))
                print(secret)
            }
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Check the audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify", abstract: "Recompute each organisation's hash chain; exit 1 if anything does not match.")
        @Option(help: "Only this organisation (slug).") var org: String?
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let intact = try await withServices(storage.config()) { services in
                let organisations = if let org { [try await services.organisation(slug: org)] } else { try await services.store.organisations() }
                var intact = true
                for organisation in organisations {
                    let result = try await services.store.verifyAuditTrail(organisation: organisation.id)
                    if let problem = result.problem {
                        intact = false
                        print("\(organisation.slug): BROKEN at event \(result.firstBadSequence.map(String.init) ?? "?"): \(problem)")
                    } else {
                        print("\(organisation.slug): intact (\(result.eventsChecked) events)")
                    }
                }
                return intact
            }
            if !intact { throw ExitCode(1) }
        }
    }
}

struct SoACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "soa", abstract: "Statement of Applicability.", subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Print the Statement of Applicability.")
        @Option(help: "csv, json or md.") var format: String = "csv"
        @Option(help: "Organisation slug (optional when there is one).") var org: String?
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            guard let format = ExportFormat(rawValue: format) else { throw ValidationError("--format must be csv, json or md") }
            let text = try await withServices(storage.config()) { services in
                let organisation = try await services.organisation(slug: org)
                let rows = ListQuery(sort: SoAEntry.spec.defaultSort).matching(try await services.store.records(organisation: organisation.id, kind: SoAEntry.spec.kind))
                return try RegisterExport.render(rows, spec: SoAEntry.spec, format: format)
            }
            print(text, terminator: "")
        }
    }
}

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
