import Foundation

/// What to check on an AI system's prediction logs, and how strictly (A.6.2.6, 9.1).
public struct MonitoringPlan: RegisterRecord {
    public var name: String
    public var aiSystem: String
    public var modelVersion: String?
    public var checks: [String]
    public var label: String?
    public var prediction: String?
    public var score: String?
    public var sensitive: [String]?
    /// "attribute=value" per line.
    public var privileged: [String]?
    public var minimumGroupSize: Int?
    /// JSON object of metric or test names to thresholds, such as {"demographic_parity_ratio": 0.8}.
    public var thresholds: String?
    public var splitColumn: String?
    public var referenceValue: String?
    public var currentValue: String?
    public var schedule: String
    public var owner: String
    public var active: Bool

    public init(
        name: String,
        aiSystem: String,
        modelVersion: String? = nil,
        checks: [String],
        label: String? = nil,
        prediction: String? = nil,
        score: String? = nil,
        sensitive: [String]? = nil,
        privileged: [String]? = nil,
        minimumGroupSize: Int? = nil,
        thresholds: String? = nil,
        splitColumn: String? = nil,
        referenceValue: String? = nil,
        currentValue: String? = nil,
        schedule: String,
        owner: String,
        active: Bool
    ) {
        self.name = name
        self.aiSystem = aiSystem
        self.modelVersion = modelVersion
        self.checks = checks
        self.label = label
        self.prediction = prediction
        self.score = score
        self.sensitive = sensitive
        self.privileged = privileged
        self.minimumGroupSize = minimumGroupSize
        self.thresholds = thresholds
        self.splitColumn = splitColumn
        self.referenceValue = referenceValue
        self.currentValue = currentValue
        self.schedule = schedule
        self.owner = owner
        self.active = active
    }

    public var displayTitle: String { name }

    public static let spec = RegisterSpec(
        kind: "monitoring-plan", path: "monitoring-plans", singular: "Monitoring plan", plural: "Monitoring plans", clause: "9.1", area: "9 Performance evaluation",
        summary: "Which fairness, drift, quality and performance checks run on an AI system's prediction logs, with their thresholds.",
        fields: [
            FieldSpec("name", "Name", required: true, listed: true),
            FieldSpec("aiSystem", "AI system", .reference(AISystem.spec.kind), required: true, filterable: true),
            FieldSpec("modelVersion", "Model version", .reference(ModelVersion.spec.kind)),
            FieldSpec("checks", "Checks", .choices(Vocabulary.list([("fairness", "Fairness"), ("performance", "Performance"), ("drift", "Drift"),
                                                                    ("quality", "Data quality")])), required: true, listed: true),
            FieldSpec("label", "Label column"),
            FieldSpec("prediction", "Prediction column"),
            FieldSpec("score", "Score column"),
            FieldSpec("sensitive", "Sensitive attribute columns", .textList),
            FieldSpec("privileged", "Privileged groups", .textList, help: "attribute=value, one per line."),
            FieldSpec("minimumGroupSize", "Minimum group size", .integer(1...1_000_000)),
            FieldSpec("thresholds", "Thresholds (JSON)", .longText, help: "For example {\"demographic_parity_ratio\": 0.8, \"roc_auc\": 0.75}."),
            FieldSpec("splitColumn", "Column telling reference from current rows"),
            FieldSpec("referenceValue", "Reference value"),
            FieldSpec("currentValue", "Current value"),
            FieldSpec("schedule", "Schedule", .choice(Vocabulary.list([("on-demand", "On demand"), ("daily", "Daily"), ("weekly", "Weekly"), ("monthly", "Monthly")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("owner", "Owner", required: true, listed: true, filterable: true),
            FieldSpec("active", "Active", .boolean, required: true, listed: true, filterable: true),
        ],
        defaultSort: "name")

    /// Thresholds as numbers; nil when the text is not a JSON object of numbers.
    public var thresholdValues: [String: Double]? {
        guard let thresholds, !thresholds.isEmpty else { return [:] }
        return try? JSONDecoder().decode([String: Double].self, from: Data(thresholds.utf8))
    }

    public var privilegedGroups: [String: String] {
        Dictionary((privileged ?? []).compactMap { line -> (String, String)? in
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }, uniquingKeysWith: { _, last in last })
    }

    public func check(previous: MonitoringPlan?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if thresholdValues == nil { issues.append(FieldIssue("thresholds", "must be a JSON object of names to numbers")) }
        if checks.contains("fairness") || checks.contains("performance") {
            if label == nil { issues.append(FieldIssue("label", "is required for fairness and performance checks")) }
            if prediction == nil { issues.append(FieldIssue("prediction", "is required for fairness and performance checks")) }
        }
        if checks.contains("fairness"), sensitive?.isEmpty ?? true { issues.append(FieldIssue("sensitive", "is required for fairness checks")) }
        if checks.contains("drift"), splitColumn == nil { issues.append(FieldIssue("splitColumn", "is required for drift checks on one log")) }
        for (attribute, _) in privilegedGroups where !(sensitive ?? []).contains(attribute) {
            issues.append(FieldIssue("privileged", "\(attribute) is not one of the sensitive columns"))
        }
        if (privileged ?? []).count != privilegedGroups.count { issues.append(FieldIssue("privileged", "write each as attribute=value")) }
        return issues
    }
}

/// One measured value of a KPI, added by a monitoring run (or by hand).
public struct KPIMeasurement: RegisterRecord {
    public var kpi: String
    public var aiSystem: String
    public var plan: String?
    public var value: String
    public var threshold: String?
    public var comparison: String?
    public var status: String
    public var measuredAt: String
    public var evidence: String?

    public init(
        kpi: String,
        aiSystem: String,
        plan: String? = nil,
        value: String,
        threshold: String? = nil,
        comparison: String? = nil,
        status: String,
        measuredAt: String,
        evidence: String? = nil
    ) {
        self.kpi = kpi
        self.aiSystem = aiSystem
        self.plan = plan
        self.value = value
        self.threshold = threshold
        self.comparison = comparison
        self.status = status
        self.measuredAt = measuredAt
        self.evidence = evidence
    }

    public var displayTitle: String { "\(kpi) = \(value)" }

    public static let spec = RegisterSpec(
        kind: "kpi-measurement", path: "kpi-measurements", singular: "KPI measurement", plural: "KPI measurements", clause: "9.1", area: "9 Performance evaluation",
        summary: "Points of each KPI series: fairness, drift, quality and performance values from monitoring runs.",
        fields: [
            FieldSpec("kpi", "KPI", required: true, listed: true, filterable: true),
            FieldSpec("aiSystem", "AI system", .reference(AISystem.spec.kind), required: true, filterable: true),
            FieldSpec("plan", "Monitoring plan", .reference(MonitoringPlan.spec.kind), filterable: true),
            FieldSpec("value", "Value", required: true, listed: true),
            FieldSpec("threshold", "Threshold", listed: true),
            FieldSpec("comparison", "Passes when", listed: true),
            FieldSpec("status", "Status", .choice(Vocabulary.list([("pass", "Pass"), ("fail", "Fail"), ("undefined", "Undefined"),
                                                                   ("insufficient_data", "Insufficient data"), ("no_threshold", "No threshold")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("measuredAt", "Measured at", .dateTime, required: true, listed: true),
            FieldSpec("evidence", "Report (evidence)", .reference(Evidence.spec.kind)),
        ],
        defaultSort: "-measuredAt")

    public func check(previous: KPIMeasurement?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if value != "null", Double(value) == nil { issues.append(FieldIssue("value", "must be a number or null")) }
        if let threshold, Double(threshold) == nil { issues.append(FieldIssue("threshold", "must be a number")) }
        return issues
    }
}
