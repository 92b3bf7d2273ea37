import AimsCore
import AimsMetrics
import Foundation

/// Runs a monitoring plan's checks on one prediction log and returns one judged report.
public enum PlanEvaluation {
    /// Every check reads the log in the same pass.
    public static func evaluate(_ plan: MonitoringPlan, input path: String) throws -> MetricsReport {
        let fairness = fairnessSettings(plan).map { roles, options in
            MetricsJobs.FairnessRequest(roles: roles, privileged: plan.privilegedGroups, options: options,
                                        performanceThresholds: performanceThresholds(plan), performanceOnly: !plan.checks.contains("fairness"))
        }
        let drift = plan.checks.contains("drift") ? plan.splitColumn.map { split in
            MetricsJobs.DriftRequest(split: DriftReader.Split(column: split, reference: plan.referenceValue ?? "reference", current: plan.currentValue ?? "current"),
                                     options: driftOptions(plan))
        } : nil
        let quality = plan.checks.contains("quality") ? MetricsJobs.QualityRequest() : nil
        guard fairness != nil || drift != nil || quality != nil else { throw noCheck }
        return try MetricsJobs.analyse(input: TableReader(path: path), kind: "monitoring", fairness: fairness, drift: drift, quality: quality)
    }

    /// The plan's checks on counts computed elsewhere (the rows `aims metrics sql` returns): fairness
    /// and performance from fairness counts, drift from drift counts. Quality needs the rows themselves.
    public static func evaluate(_ plan: MonitoringPlan, aggregates path: String) throws -> MetricsReport {
        let input = try AggregateInput(path: path)
        var sections: [MetricsReport] = []
        if input.holds("dimension"), let (roles, options) = fairnessSettings(plan) {
            sections.append(try MetricsJobs.fairness(aggregates: input, roles: roles, privileged: plan.privilegedGroups, options: options,
                                                     performanceThresholds: performanceThresholds(plan), performanceOnly: !plan.checks.contains("fairness")))
        }
        if input.holds("column_name"), plan.checks.contains("drift") {
            sections.append(try MetricsJobs.drift(aggregates: input, options: driftOptions(plan)))
        }
        return try combine(sections)
    }

    static func fairnessSettings(_ plan: MonitoringPlan) -> (ColumnRoles, FairnessOptions)? {
        guard plan.checks.contains("fairness") || plan.checks.contains("performance"), let label = plan.label, let prediction = plan.prediction else { return nil }
        let filter = plan.splitColumn.map { (column: $0, value: plan.currentValue ?? "current") }
        let roles = ColumnRoles(label: label, prediction: prediction, score: plan.score,
                                sensitive: plan.checks.contains("fairness") ? plan.sensitive ?? [] : [], filter: filter)
        var options = FairnessOptions()
        options.minimumGroupSize = plan.minimumGroupSize ?? 30
        options.thresholds.values.merge((plan.thresholdValues ?? [:]).filter { !PerformanceMetrics.names.contains($0.key) }) { _, new in new }
        return (roles, options)
    }

    static func performanceThresholds(_ plan: MonitoringPlan) -> [String: Double] {
        (plan.thresholdValues ?? [:]).filter { PerformanceMetrics.names.contains($0.key) }
    }

    static func driftOptions(_ plan: MonitoringPlan) -> DriftOptions {
        let thresholds = plan.thresholdValues ?? [:]
        var options = DriftOptions()
        if let share = thresholds["dataset_drift_share"] { options.datasetDriftShare = share }
        options.thresholds.merge(thresholds.filter { options.thresholds[$0.key] != nil }) { _, new in new }
        options.roles = DriftOptions.roles(label: plan.label, prediction: plan.prediction, score: plan.score)
        return options
    }

    static var noCheck: ValidationFailure {
        ValidationFailure([FieldIssue("checks", "the plan has no check that can run on this input: give the label and prediction columns, or a split column for drift")])
    }

    /// One judged report from the sections the plan's checks produced.
    static func combine(_ sections: [MetricsReport]) throws -> MetricsReport {
        guard var report = sections.first else { throw noCheck }
        for section in sections.dropFirst() {
            report.drift = report.drift ?? section.drift
            report.datasetDrift = report.datasetDrift ?? section.datasetDrift
            report.quality = report.quality ?? section.quality
            report.input.files += section.input.files.filter { file in !report.input.files.contains { $0.sha256 == file.sha256 } }
            report.timings.readSeconds += section.timings.readSeconds
            report.timings.computeSeconds += section.timings.computeSeconds
        }
        report.kind = "monitoring"
        report.judge()
        return report
    }
}
