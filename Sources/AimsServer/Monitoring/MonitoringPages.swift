import AimsCore
import AimsMetrics
import AimsStore
import Foundation
import Hummingbird

/// An AI system's monitoring page: each KPI's series against its threshold, and the latest run's
/// fairness groups and drifted columns.
struct MonitoringPages {
    let store: AimsStore
    let files: EvidenceFiles
    let views: Views

    func register(on routes: APIRoutes) {
        routes.page(.get, "/registers/ai-systems/{id}/monitoring", .read) { _, context in
            let id = try context.id()
            let system = try await store.record(organisation: context.organisationID, kind: AISystem.spec.kind, id: id)
            let key = id.uuidString.lowercased()
            let points = try await store.records(organisation: context.organisationID, kind: KPIMeasurement.spec.kind)
                .compactMap { try? $0.record(as: KPIMeasurement.self) }.filter { $0.aiSystem == key }
            let series = Dictionary(grouping: points, by: \.kpi).sorted { $0.key < $1.key }.map { kpi, values -> [String: Any] in
                let sorted = values.sorted { $0.measuredAt < $1.measuredAt }
                let chart = SVGChart.series(title: kpi, points: sorted.map { ($0.measuredAt, Double($0.value)) },
                                            threshold: sorted.last?.threshold.flatMap(Double.init))
                return ["kpi": kpi, "svg": chart, "latest": sorted.last?.value ?? "", "status": sorted.last?.status ?? "",
                        "failing": sorted.last?.status == "fail"]
            }
            var viewModel: [String: Any] = ["system": system.title, "id": key, "series": series, "hasSeries": !series.isEmpty]
            if let latest = points.max(by: { $0.measuredAt < $1.measuredAt }), let evidenceID = latest.evidence.flatMap(UUID.init(uuidString:)),
                let evidence = try? await store.record(organisation: context.organisationID, kind: Evidence.spec.kind, id: evidenceID).record(as: Evidence.self),
                let digest = evidence.sha256, let bytes = try? files.read(digest),
                let report = try? JSONDecoder().decode(MetricsReport.self, from: Data(bytes))
            {
                viewModel["run"] = ["title": evidence.title, "evidence": evidenceID.uuidString.lowercased(), "status": report.status]
                viewModel["fairness"] = (report.fairness ?? []).map { attribute -> [String: Any] in
                    ["attribute": attribute.attribute,
                     "svg": SVGChart.bars(title: "\(attribute.attribute): rates by group", labels: attribute.groups.map(\.group),
                                          series: [("selection rate", attribute.groups.map(\.selectionRate)), ("true positive rate", attribute.groups.map(\.truePositiveRate))])]
                }
                viewModel["typeNotes"] = (report.drift ?? []).compactMap(ReportText.notNumbersNote)
                viewModel["drifted"] = (report.drift ?? []).filter(\.drifted).map { column -> [String: Any] in
                    let labels = column.binEdges.map { edges in (0..<(edges.count - 1)).map { String(format: "%.3g–%.3g", edges[$0], edges[$0 + 1]) } }
                        ?? (0..<(column.referenceShares?.count ?? 0)).map { "bin \($0 + 1)" }
                    return ["column": column.column, "test": column.decidingTest,
                            "svg": SVGChart.bars(title: "\(column.column): reference and current", labels: labels,
                                                 series: [("reference", (column.referenceShares ?? []).map { $0 }), ("current", (column.currentShares ?? []).map { $0 })])]
                }
            }
            return views.page("monitoring", title: "Monitoring · \(system.title)", context: viewModel, identity: context.identity, path: "/registers/ai-systems/x")
        }
    }
}
