import AimsCore
import AimsMetrics
import AimsStore
import AimsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AimsServer
import TestScratch

@Suite("Monitoring runs")
struct MonitoringTests {
    let unfair = "y_true,y_pred,sex\n" + Array(repeating: "1,1,f\n0,1,f\n1,0,m\n0,0,m\n", count: 10).joined()
    let fair = "y_true,y_pred,sex\n" + Array(repeating: "1,1,f\n0,0,f\n1,1,m\n0,0,m\n", count: 10).joined()

    func plan(_ client: any TestClientProtocol, _ fixture: Fixture) async throws -> (system: String, plan: String) {
        let system = try await createSample(AISystem.spec.kind, client: client, fixture: fixture)
        let body: JSONValue = ["name": "Fairness", "aiSystem": .string(system), "checks": ["fairness"], "label": "y_true", "prediction": "y_pred",
                               "sensitive": ["sex"], "minimumGroupSize": 5, "thresholds": #"{"demographic_parity_ratio": 0.8}"#,
                               "schedule": "weekly", "owner": "Ada", "active": true]
        let created = try await client.execute(uri: "/api/v1/monitoring-plans", method: .post, headers: fixture.auth(.contributor), body: jsonBody(body))
        #expect(created.status == .created, "\(created.text)")
        return (system, created.json["id"]!.stringValue!)
    }

    @Test("a failing run records evidence and KPI points and opens one nonconformity, reused by later failures")
    func failingRuns() async throws {
        try await withApp({ $0.evidenceDirectory = Scratch.path("aims-mon") }) { client, fixture in
            let (system, _) = try await plan(client, fixture)
            let uri = "/api/v1/ai-systems/\(system)/monitoring-runs"
            let headers: HTTPFields = [.authorization: "Bearer \(fixture.tokens[.contributor]!)", .contentType: "text/csv"]
            let first = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: unfair))
            #expect(first.status == .created, "\(first.text)")
            #expect(first.json["status"] == "fail")
            #expect(first.json["nonconformityCreated"] == true)
            let second = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: unfair))
            #expect(second.json["nonconformityCreated"] == false)
            #expect(second.json["nonconformity"] == first.json["nonconformity"])
            let passing = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: fair))
            #expect(passing.json["status"] == "pass")
            #expect(passing.json["nonconformity"] == nil)

            let org = fixture.organisation.id
            let ncs = try await fixture.services.store.records(organisation: org, kind: Nonconformity.spec.kind)
            #expect(ncs.count == 1)
            #expect(ncs[0].data["source"] == "monitoring")
            #expect(ncs[0].data["aiSystem"]?.stringValue == system)
            let points = try await fixture.services.store.records(organisation: org, kind: KPIMeasurement.spec.kind).map { try $0.record(as: KPIMeasurement.self) }
            let series = points.filter { $0.kpi == "sex demographic_parity_ratio" }
            #expect(series.count == 3)
            #expect(series.map(\.status).sorted() == ["fail", "fail", "pass"])
            // The report is evidence, kept by its digest and linked to the controls it evidences.
            let evidenceID = UUID(uuidString: first.json["evidence"]!.stringValue!)!
            let evidence = try await fixture.services.store.record(organisation: org, kind: Evidence.spec.kind, id: evidenceID).record(as: Evidence.self)
            #expect(evidence.sha256 == first.json["sha256"]?.stringValue)
            #expect(evidence.clauses?.contains("A.6.2.4") == true)
            #expect(evidence.soaEntries?.count == 2)
            let file = try await client.execute(uri: "/api/v1/evidence/\(evidenceID.uuidString.lowercased())/file", method: .get, headers: fixture.auth(.auditor))
            #expect(file.json["schema"] == "aims.metrics-report/1")
            let page = try await client.execute(uri: "/registers/ai-systems/\(system)/monitoring", method: .get, headers: fixture.auth(.viewer))
            #expect(page.text.contains("<svg"))
            #expect(try await fixture.services.store.verifyAuditTrail(organisation: org).isIntact)
        }
    }

    @Test("the monitoring page says, escaped, which values made a numerical column categorical")
    func notNumbersOnThePage() async throws {
        try await withApp({ $0.evidenceDirectory = Scratch.path("aims-mon") }) { client, fixture in
            let system = try await createSample(AISystem.spec.kind, client: client, fixture: fixture)
            let body: JSONValue = ["name": "Drift", "aiSystem": .string(system), "checks": ["drift"], "splitColumn": "split",
                                   "schedule": "weekly", "owner": "Ada", "active": true]
            let created = try await client.execute(uri: "/api/v1/monitoring-plans", method: .post, headers: fixture.auth(.contributor), body: jsonBody(body))
            #expect(created.status == .created, "\(created.text)")
            var log = "split,income\n"
            for i in 0..<200 { log += "\(i % 2 == 0 ? "reference" : "current"),\(i == 7 ? "<b>n/a</b>" : String(i * 3))\n" }
            let headers: HTTPFields = [.authorization: "Bearer \(fixture.tokens[.contributor]!)", .contentType: "text/csv"]
            let run = try await client.execute(uri: "/api/v1/ai-systems/\(system)/monitoring-runs", method: .post, headers: headers, body: ByteBuffer(string: log))
            #expect(run.status == .created, "\(run.text)")
            let page = try await client.execute(uri: "/registers/ai-systems/\(system)/monitoring", method: .get, headers: fixture.auth(.viewer))
            #expect(page.text.contains("income is categorical: 1 of its values is not a number (&quot;&lt;b&gt;n/a&lt;/b&gt;&quot;), the other 199 are."), "\(page.text)")
            #expect(!page.text.contains("<b>n/a"))
        }
    }

    @Test("a plan's fairness, performance, drift and quality come from one read; drift also from warehouse counts")
    func planChecks() throws {
        let path = Scratch.path("aims-plan", suffix: ".csv")
        try PredictionLogGenerator(rows: 4000, seed: 8).write(to: path)
        let plan = MonitoringPlan(name: "All", aiSystem: UUID().uuidString, checks: ["fairness", "performance", "drift", "quality"], label: "y_true",
                                  prediction: "y_pred", score: "score", sensitive: ["sex"], minimumGroupSize: 10,
                                  thresholds: #"{"roc_auc": 0.99, "dataset_drift_share": 0.9}"#, splitColumn: "split", schedule: "daily", owner: "Ada", active: true)
        let report = try PlanEvaluation.evaluate(plan, input: path)
        #expect(report.kind == "monitoring" && report.input.files.count == 1)
        #expect(report.fairness?.map(\.attribute) == ["sex"] && report.performance?.rocAUC != nil)
        #expect(report.drift?.first { $0.column == "score" }?.role == "score" && report.quality != nil)
        // The plan's own thresholds: roc_auc 0.99 fails; dataset drift needs 90 % of the columns.
        #expect(report.failures.contains { $0.hasPrefix("performance: roc_auc") })
        #expect(report.datasetDrift?.threshold == 0.9)
        // The same as the separate jobs on the current window (fairness) and both windows (drift).
        let fairness = try MetricsJobs.fairness(input: TableReader(path: path), roles: ColumnRoles(label: "y_true", prediction: "y_pred", score: "score",
                                                sensitive: ["sex"], filter: ("split", "current")), privileged: [:], options: {
            var options = FairnessOptions()
            options.minimumGroupSize = 10
            return options
        }())
        #expect(report.fairness == fairness.fairness)

        // Drift from the counts `aims metrics sql --kind drift` returns.
        let counts = "column_name,window_name,value,bin,bin_min,bin_max,bins,n\n"
            + "sex,reference,f,,,,,500\nsex,reference,m,,,,,500\nsex,current,f,,,,,200\nsex,current,m,,,,,800\n"
            + "age,reference,,0,0,4,2,600\nage,reference,,1,0,4,2,400\nage,current,,0,0,4,2,580\nage,current,,1,0,4,2,420\n"
        let countsPath = Scratch.path("aims-counts", suffix: ".csv")
        try counts.write(toFile: countsPath, atomically: true, encoding: .utf8)
        var driftPlan = plan
        driftPlan.checks = ["drift"]
        driftPlan.thresholds = nil
        let fromCounts = try PlanEvaluation.evaluate(driftPlan, aggregates: countsPath)
        #expect(fromCounts.drift?.map(\.column).sorted() == ["age", "sex"])
        #expect(fromCounts.drift?.first { $0.column == "sex" }?.drifted == true && fromCounts.drift?.first { $0.column == "age" }?.drifted == false)
        #expect(fromCounts.datasetDrift?.driftedColumns == 1 && fromCounts.fairness == nil)
    }

    @Test("reports from the CLI are accepted; bad logs and missing plans are clear errors")
    func inputs() async throws {
        try await withApp({ $0.evidenceDirectory = Scratch.path("aims-mon") }) { client, fixture in
            let lonely = try await createSample(AISystem.spec.kind, client: client, fixture: fixture)
            let none = try await client.execute(uri: "/api/v1/ai-systems/\(lonely)/monitoring-runs", method: .post,
                                                headers: [.authorization: "Bearer \(fixture.tokens[.owner]!)", .contentType: "text/csv"], body: ByteBuffer(string: fair))
            #expect(none.status == .unprocessableContent)
            #expect(none.json["errors"]?.arrayItems?.first?["field"] == "plan")

            let (system, planID) = try await plan(client, fixture)
            let uri = "/api/v1/ai-systems/\(system)/monitoring-runs?plan=\(planID)"
            let bad = try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer \(fixture.tokens[.owner]!)", .contentType: "text/csv"],
                                               body: ByteBuffer(string: "y_true,y_pred,sex\n1,maybe,f\n"))
            #expect(bad.status == .unprocessableContent)
            #expect(bad.json["detail"]?.stringValue?.contains("upload:2 column y_pred") == true)

            let path = Scratch.path("log", suffix: ".csv")
            try fair.write(toFile: path, atomically: true, encoding: .utf8)
            let planRecord = try await fixture.services.store.record(organisation: fixture.organisation.id, kind: MonitoringPlan.spec.kind, id: UUID(uuidString: planID)!)
            let report = try PlanEvaluation.evaluate(try planRecord.record(as: MonitoringPlan.self), input: path)
            let posted = try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer \(fixture.tokens[.owner]!)", .contentType: "application/json"],
                                                  body: ByteBuffer(string: try report.json()))
            #expect(posted.status == .created)
            #expect(posted.json["status"] == "pass")

            // Counts from a warehouse (`aims metrics sql`) instead of rows: the unfair log's counts fail the same way.
            let counts = "dimension,group_value,label,prediction,n\nsex,f,1,1,10\nsex,f,0,1,10\nsex,m,1,0,10\nsex,m,0,0,10\n"
                + "(overall),,1,1,10\n(overall),,0,1,10\n(overall),,1,0,10\n(overall),,0,0,10\n"
            let aggregated = try await client.execute(uri: uri + "&input=aggregates", method: .post,
                                                      headers: [.authorization: "Bearer \(fixture.tokens[.owner]!)", .contentType: "text/csv"], body: ByteBuffer(string: counts))
            #expect(aggregated.status == .created, "\(aggregated.text)")
            #expect(aggregated.json["status"] == "fail")
            let short = try await client.execute(uri: uri + "&input=aggregates", method: .post,
                                                 headers: [.authorization: "Bearer \(fixture.tokens[.owner]!)", .contentType: "text/csv"],
                                                 body: ByteBuffer(string: "dimension,group_value,label,prediction,n\nsex,f,1,1,10\n(overall),,1,1,11\n"))
            #expect(short.status == .unprocessableContent)
            #expect(short.json["detail"]?.stringValue?.contains("add up") == true, "\(short.text)")

            let viewer = try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer \(fixture.tokens[.viewer]!)", .contentType: "text/csv"],
                                                  body: ByteBuffer(string: fair))
            #expect(viewer.status == .forbidden)
        }
    }
}
