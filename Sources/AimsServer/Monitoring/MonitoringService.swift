import AimsCore
import AimsMetrics
import AimsStore
import Foundation

/// Records a monitoring run in the AIMS: the report becomes evidence (kept by its SHA-256), each
/// checked metric adds a point to its KPI series, and a failed threshold opens one nonconformity per
/// plan, which later failing runs reuse while it is open.
public struct MonitoringService: Sendable {
    let store: AimsStore
    let catalog: Catalog
    let files: EvidenceFiles

    public init(store: AimsStore, catalog: Catalog, files: EvidenceFiles) {
        self.store = store
        self.catalog = catalog
        self.files = files
    }

    public struct Outcome: Codable, Sendable, Equatable {
        public var status: String
        public var failures: [String]
        public var evidence: String
        public var sha256: String
        public var kpiMeasurements: Int
        public var nonconformity: String?
        public var nonconformityCreated: Bool
    }

    /// The plan to use for a system: the one named, or its only active plan.
    public func plan(organisation: UUID, system: UUID, planID: UUID?) async throws -> (id: UUID, plan: MonitoringPlan) {
        _ = try await store.record(organisation: organisation, kind: AISystem.spec.kind, id: system)
        let plans = try await store.records(organisation: organisation, kind: MonitoringPlan.spec.kind)
            .compactMap { stored in (try? stored.record(as: MonitoringPlan.self)).map { (stored.id, $0) } }
            .filter { $0.1.aiSystem == system.uuidString.lowercased() }
        if let planID {
            guard let found = plans.first(where: { $0.0 == planID }) else { throw StoreError.notFound(kind: MonitoringPlan.spec.kind) }
            return found
        }
        let active = plans.filter { $0.1.active }
        guard active.count == 1 else {
            throw ValidationFailure([FieldIssue("plan", active.isEmpty ? "this AI system has no active monitoring plan" : "this AI system has \(active.count) active plans: name one")])
        }
        return active[0]
    }

    public func record(_ report: MetricsReport, planID: UUID, plan: MonitoringPlan, organisation: UUID, by actor: Principal, at now: Date = Date()) async throws -> Outcome {
        let bytes = Array(try report.json().utf8)
        let digest = try files.store(bytes)
        let stamp = now.ISO8601Format()
        let controls = ["A.6.2.4", "A.6.2.6"] + (plan.checks.contains("quality") || plan.checks.contains("drift") ? ["A.7.4"] : [])
        let soa = try await store.records(organisation: organisation, kind: SoAEntry.spec.kind)
            .filter { controls.contains($0.data["controlId"]?.stringValue ?? "") }.map { $0.id.uuidString.lowercased() }
        let evidence = Evidence(
            title: "Monitoring run: \(plan.name), \(stamp) — \(report.status)", evidenceType: "file", fileName: "monitoring-\(stamp).json",
            contentType: "application/json", size: bytes.count, sha256: digest, owner: plan.owner, classification: "internal",
            clauses: controls + ["9.1"], soaEntries: soa, aiSystems: [plan.aiSystem], models: plan.modelVersion.map { [$0] })
        let evidenceRecord = try await store.createChecked(evidence, organisation: organisation, catalog: catalog, by: actor)
        let evidenceID = evidenceRecord.id.uuidString.lowercased()

        var points: [KPIMeasurement] = []
        func point(_ name: String, _ value: Double?, _ threshold: Double?, _ comparison: String?, _ status: String) {
            points.append(KPIMeasurement(kpi: name, aiSystem: plan.aiSystem, plan: planID.uuidString.lowercased(), value: value.map { String($0) } ?? "null",
                                         threshold: threshold.map { String($0) }, comparison: comparison, status: status, measuredAt: stamp, evidence: evidenceID))
        }
        for attribute in report.fairness ?? [] {
            for disparity in attribute.disparities where disparity.threshold != nil {
                point("\(attribute.attribute) \(disparity.name)", disparity.value, disparity.threshold, disparity.comparison, disparity.status)
            }
        }
        for check in report.performance?.checks ?? [] { point(check.name, check.value, check.threshold, check.comparison, check.status) }
        if let drift = report.datasetDrift {
            point("dataset drift share", drift.share, drift.threshold, "<", drift.drifted ? "fail" : "pass")
        }
        if let quality = report.quality {
            point("columns with quality issues", Double(quality.columns.filter { !$0.issues.isEmpty }.count), 0, "<=", quality.failed ? "fail" : "pass")
        }
        for point in points { _ = try await store.createChecked(point, organisation: organisation, catalog: catalog, by: actor) }

        var nonconformity: String?
        var created = false
        if report.status == "fail" {
            let key = "plan:\(planID.uuidString.lowercased())"
            let open = try await store.records(organisation: organisation, kind: Nonconformity.spec.kind).first {
                $0.data["monitoringKey"]?.stringValue == key && $0.data["status"]?.stringValue != "closed"
            }
            if let open {
                nonconformity = open.id.uuidString.lowercased()
            } else {
                let record = Nonconformity(
                    title: "Monitoring thresholds failed: \(plan.name)", source: "monitoring", grade: "minor",
                    description: "A monitoring run failed:\n" + report.failures.prefix(20).joined(separator: "\n"),
                    requirement: "A.6.2.6", raisedOn: CalendarDate(now), raisedBy: actor.label, aiSystem: plan.aiSystem,
                    status: "open", owner: plan.owner, monitoringKey: key)
                nonconformity = try await store.createChecked(record, organisation: organisation, catalog: catalog, by: actor).id.uuidString.lowercased()
                created = true
            }
        }
        return Outcome(status: report.status, failures: report.failures, evidence: evidenceID, sha256: digest, kpiMeasurements: points.count,
                       nonconformity: nonconformity, nonconformityCreated: created)
    }
}
