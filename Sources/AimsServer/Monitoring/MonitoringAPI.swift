import AimsCore
import AimsMetrics
import AimsStore
import Foundation
import Hummingbird

/// `POST /api/v1/ai-systems/{id}/monitoring-runs`: a prediction log (CSV or JSON Lines) evaluated
/// against the system's monitoring plan, or a report made by `aims metrics`/`aims check`.
struct MonitoringAPI {
    let service: MonitoringService

    func register(on routes: APIRoutes) {
        let s = OpenAPISchemas.self
        let outcome = s.object(["status": s.string, "failures": s.array(s.string), "evidence": s.string, "sha256": s.string,
                                "kpiMeasurements": s.integer, "nonconformity": s.string, "nonconformityCreated": s.boolean])
        routes.add(Endpoint(method: .post, path: "/api/v1/ai-systems/{id}/monitoring-runs", permission: .write,
                            summary: "Record a monitoring run: upload a log (text/csv, application/x-ndjson), an aims.metrics-report/1 (application/json), or with input=aggregates the counts from `aims metrics sql` (CSV, JSON or JSON Lines)",
                            tag: "Monitoring", requestSchema: ["type": "string", "format": "binary"], responseSchema: outcome, successStatus: 201,
                            queryParameters: [("plan", "Monitoring plan id (optional when the system has one active plan)"),
                                              ("input", "log (default) or aggregates")])) { request, context in
            let system = try context.id()
            let planID = request.query("plan").flatMap(UUID.init(uuidString:))
            let (id, plan) = try await service.plan(organisation: context.organisationID, system: system, planID: planID)
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            let report: MetricsReport
            let input = request.query("input") ?? "log"
            guard input == "log" || input == "aggregates" else { throw Problem.badRequest("input must be log or aggregates.", field: "input") }
            switch type {
            case "application/json" where input == "log":
                do {
                    report = try JSONDecoder().decode(MetricsReport.self, from: Data(buffer: body))
                } catch {
                    throw Problem.badRequest("The body is not an aims.metrics-report/1 document.")
                }
                guard report.schema == "aims.metrics-report/1" else { throw Problem.badRequest("Unknown report schema \(report.schema).", field: "schema") }
            case "text/csv", "application/x-ndjson", "application/jsonl", "application/json":
                let suffix = type == "text/csv" ? "csv" : type == "application/json" ? "json" : "jsonl"
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("aims-run-\(UUID().uuidString).\(suffix)").path
                try Data(buffer: body).write(to: URL(fileURLWithPath: path))
                defer { try? FileManager.default.removeItem(atPath: path) }
                do {
                    report = input == "aggregates" ? try PlanEvaluation.evaluate(plan, aggregates: path) : try PlanEvaluation.evaluate(plan, input: path)
                } catch let error as MetricsInputError {
                    var problem = Problem(.unprocessableContent, slug: "bad-log", detail: "upload\(error.line.map { ":\($0)" } ?? "")\(error.column.map { " column \($0)" } ?? ""): \(error.problem)")
                    problem.errors = [FieldIssue(error.column ?? "body", error.problem)]
                    throw problem
                }
            default:
                throw Problem(.unsupportedMediaType, slug: "media-type", detail: "Send text/csv, application/x-ndjson or application/json.")
            }
            let result = try await service.record(report, planID: id, plan: plan, organisation: context.organisationID, by: context.principal)
            return try .json(result, status: .created)
        }
    }
}

extension Data {
    init(buffer: ByteBuffer) { self.init(buffer.readableBytesView) }
}
