import AimsCore
import AimsMetrics
import AimsServer
import AimsStore
import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore

/// `aims check`: a pipeline step. Evaluates an AI system's monitoring plan on a prediction log,
/// prints the result, records the run (locally, or on a server with a token) and exits 1 when a
/// threshold failed, 2 on bad input.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Run an AI system's monitoring plan on a prediction log and record the run.",
        discussion: "Exit status: 0 when every check passes, 1 when a threshold fails, 2 on bad input.")

    @Option(help: "The AI system's id.") var system: String
    @Option(help: "The prediction log (CSV or JSON Lines).") var input: String?
    @Option(help: "Counts computed elsewhere (the result of `aims metrics sql`) instead of --input.") var fromAggregates: String?
    @Option(help: "The monitoring plan's id (needed only when the system has several active plans).") var plan: String?
    @Option(help: "Aims server to record the run on, such as https://aims.example.org.") var server: String?
    @Option(help: "API token for --server (or env AIMS_TOKEN).") var token: String?
    @Option(help: "json, table or md.") var format = "table"
    @OptionGroup var storage: StorageOptions

    func validate() throws {
        guard (input == nil) != (fromAggregates == nil) else { throw ValidationError("give --input (a prediction log) or --from-aggregates, one of them") }
    }

    func run() async throws {
        MemoryPolicy.returnLargeBuffers()
        guard let systemID = UUID(uuidString: system) else { throw ValidationError("--system must be an AI system id") }
        let planID = try plan.map { value -> UUID in
            guard let id = UUID(uuidString: value) else { throw ValidationError("--plan must be a monitoring plan id") }
            return id
        }
        if let server {
            try await remote(server: server, system: systemID, planID: planID)
        } else {
            try await local(system: systemID, planID: planID)
        }
    }

    func show(_ report: MetricsReport) throws {
        let text = format == "json" ? try report.json() : ReportText.render(report, markdown: format == "md")
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    func evaluate(_ plan: MonitoringPlan) throws -> MetricsReport {
        do {
            if let fromAggregates { return try PlanEvaluation.evaluate(plan, aggregates: fromAggregates) }
            return try PlanEvaluation.evaluate(plan, input: input!)
        } catch let error as MetricsInputError {
            FileHandle.standardError.write(Data("aims check: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    func local(system: UUID, planID: UUID?) async throws {
        let outcome = try await withServices(storage.config()) { services in
            let organisations = try await services.store.organisations()
            for organisation in organisations {
                let monitoring = MonitoringService(store: services.store, catalog: services.catalog, files: EvidenceFiles(root: services.config.evidenceRoot))
                guard (try? await services.store.record(organisation: organisation.id, kind: AISystem.spec.kind, id: system)) != nil else { continue }
                let (id, plan) = try await monitoring.plan(organisation: organisation.id, system: system, planID: planID)
                let report = try evaluate(plan)
                try show(report)
                return try await monitoring.record(report, planID: id, plan: plan, organisation: organisation.id, by: .system("aims check"))
            }
            throw CLIError("no AI system \(system.uuidString.lowercased()) in this database")
        }
        try summarise(outcome)
    }

    func remote(server: String, system: UUID, planID: UUID?) async throws {
        guard let token = token ?? ProcessInfo.processInfo.environment["AIMS_TOKEN"] else { throw ValidationError("--server needs --token or AIMS_TOKEN") }
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let systemKey = system.uuidString.lowercased()
        let (listing, status) = try await call("\(base)/api/v1/monitoring-plans?aiSystem=\(systemKey)&per_page=500", token: token)
        guard status == 200 else { throw CLIError("the server answered \(status) when asked for the plans: \(String(decoding: listing, as: UTF8.self))") }
        struct Listing<Item: Decodable>: Decodable { var items: [Item] }
        struct Identified: Decodable { var id: String }
        let ids = try JSONDecoder().decode(Listing<Identified>.self, from: listing).items.map(\.id)
        let plans = try JSONDecoder().decode(Listing<MonitoringPlan>.self, from: listing).items
        let candidates = zip(ids, plans).filter { planID == nil ? $0.1.active : $0.0 == planID!.uuidString.lowercased() }
        guard candidates.count == 1, let (id, plan) = candidates.first else {
            throw CLIError(candidates.isEmpty ? "no matching monitoring plan for this AI system" : "several active plans: choose one with --plan")
        }
        let report = try evaluate(plan)
        try show(report)
        let (body, posted) = try await call("\(base)/api/v1/ai-systems/\(systemKey)/monitoring-runs?plan=\(id)", token: token, post: Data(try report.json().utf8))
        guard posted == 201 else { throw CLIError("the server refused the run (\(posted)): \(String(decoding: body, as: UTF8.self))") }
        try summarise(try JSONDecoder().decode(MonitoringService.Outcome.self, from: body))
    }

    func call(_ url: String, token: String, post body: Data? = nil) async throws -> (Data, Int) {
        guard let target = URL(string: url), target.scheme == "http" || target.scheme == "https", target.host != nil else {
            throw ValidationError("--server is not an http or https URL")
        }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.method = .POST
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        // Connecting is retried for 10 seconds, not the shared client's 90: a pipeline should learn
        // soon that the server is not there.
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        do {
            return try await HTTPClient.withHTTPClient(configuration: configuration) { client in
                let response = try await client.execute(request, timeout: .seconds(180))
                let answer = try await response.body.collect(upTo: 32 << 20)
                return (Data(answer.readableBytesView), Int(response.status.code))
            }
        } catch {
            throw CLIError("cannot reach \(target.scheme!)://\(target.host!)\(target.port.map { ":\($0)" } ?? ""): \(error)")
        }
    }

    func summarise(_ outcome: MonitoringService.Outcome) throws {
        var lines = ["Recorded: evidence \(outcome.evidence) (sha256 \(outcome.sha256)), \(outcome.kpiMeasurements) KPI points."]
        if let nonconformity = outcome.nonconformity {
            lines.append(outcome.nonconformityCreated ? "Opened nonconformity \(nonconformity)." : "Nonconformity \(nonconformity) is still open for this plan.")
        }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        if outcome.status == "fail" { throw ExitCode(1) }
    }
}
