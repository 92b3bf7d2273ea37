import AimsCore
import AimsMetrics
import Foundation

/// Runs a monitoring plan's checks on one prediction log and returns one judged report.
public enum PlanEvaluation {
    public static func evaluate(_ plan: MonitoringPlan, input path: String) throws -> MetricsReport {
        let table = TableReader(path: path)
        let thresholds = plan.thresholdValues ?? [:]
        var sections: [MetricsReport] = []
        let performanceNames: Set<String> = ["accuracy", "precision", "recall", "f1", "roc_auc", "brier_score", "expected_calibration_error"]
        let performanceThresholds = thresholds.filter { performanceNames.contains($0.key) }
        if plan.checks.contains("fairness") || plan.checks.contains("performance"), let label = plan.label, let prediction = plan.prediction {
            let filter = plan.splitColumn.map { (column: $0, value: plan.currentValue ?? "current") }
            let roles = ColumnRoles(label: label, prediction: prediction, score: plan.score,
                                    sensitive: plan.checks.contains("fairness") ? plan.sensitive ?? [] : [], filter: filter)
            var options = FairnessOptions()
            options.minimumGroupSize = plan.minimumGroupSize ?? 30
            options.thresholds.values.merge(thresholds.filter { !performanceNames.contains($0.key) }) { _, new in new }
            sections.append(try MetricsJobs.fairness(input: table, roles: roles, privileged: plan.privilegedGroups, options: options,
                                                     performanceThresholds: performanceThresholds))
            if !plan.checks.contains("fairness") { sections[sections.count - 1].fairness = nil }
        }
        if plan.checks.contains("drift"), let split = plan.splitColumn {
            var options = DriftOptions()
            if let share = thresholds["dataset_drift_share"] { options.datasetDriftShare = share }
            options.thresholds.merge(thresholds.filter { options.thresholds[$0.key] != nil }) { _, new in new }
            sections.append(try MetricsJobs.drift(source: .split(table, column: split, reference: plan.referenceValue ?? "reference", current: plan.currentValue ?? "current"),
                                                  reader: DriftReader(), options: options))
        }
        if plan.checks.contains("quality") {
            sections.append(try MetricsJobs.quality(input: table, schema: [:]))
        }
        guard var report = sections.first else {
            throw ValidationFailure([FieldIssue("checks", "the plan has no check that can run: give the label and prediction columns, or a split column for drift")])
        }
        for section in sections.dropFirst() {
            report.drift = report.drift ?? section.drift
            report.datasetDrift = report.datasetDrift ?? section.datasetDrift
            report.quality = report.quality ?? section.quality
            report.timings.readSeconds += section.timings.readSeconds
            report.timings.computeSeconds += section.timings.computeSeconds
        }
        report.kind = "monitoring"
        report.judge()
        return report
    }
}
