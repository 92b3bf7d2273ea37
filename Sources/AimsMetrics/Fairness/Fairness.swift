/// Per-group metrics and disparities for one sensitive attribute (or the intersection of several).
public struct FairnessOptions: Sendable {
    /// Groups smaller than this are reported as `insufficient_data` and left out of disparities.
    public var minimumGroupSize = 30
    /// `fairlearn` returns 0 where a rate is 0/0 (a group without positives, say); `strict` reports null.
    public var compatibility: Compatibility = .strict
    public var thresholds = Thresholds()
    public enum Compatibility: String, Sendable, Codable { case strict, fairlearn }
    public init() {}
}

/// Thresholds per disparity name; differences pass at or below, ratios at or above.
public struct Thresholds: Sendable, Codable, Equatable {
    public var values: [String: Double]
    public init(_ values: [String: Double] = Thresholds.defaults) { self.values = values }

    /// 0.1 for differences; the four-fifths rule (0.8) for ratios and disparate impact.
    public static let defaults: [String: Double] = {
        var values: [String: Double] = [:]
        for name in Disparity.fairlearnNames {
            values[name] = name.contains("ratio") ? 0.8 : 0.1
        }
        values["disparate_impact"] = 0.8
        values["statistical_parity_difference"] = 0.1
        values["average_odds_difference"] = 0.1
        return values
    }()
}

public struct GroupMetrics: Sendable, Codable, Equatable {
    public var group: String
    public var count: Int
    public var status: String
    public var baseRate: Double?
    public var selectionRate: Double?
    public var truePositiveRate: Double?
    public var falsePositiveRate: Double?
    public var falseNegativeRate: Double?
    public var trueNegativeRate: Double?
    public var precision: Double?
    public var accuracy: Double?
    public var rocAUC: Double?

    init(group: String, confusion: Confusion, rocAUC: Double?, status: String, compatibility: FairnessOptions.Compatibility) {
        let fill: (Double?) -> Double? = { value in compatibility == .fairlearn ? (value ?? 0) : value }
        self.group = group
        self.count = confusion.count
        self.status = status
        baseRate = confusion.baseRate
        selectionRate = confusion.selectionRate
        truePositiveRate = fill(confusion.truePositiveRate)
        falsePositiveRate = fill(confusion.falsePositiveRate)
        falseNegativeRate = fill(confusion.falseNegativeRate)
        trueNegativeRate = fill(confusion.trueNegativeRate)
        precision = fill(confusion.precision)
        accuracy = confusion.accuracy
        self.rocAUC = rocAUC
    }

    func value(_ metric: Disparity.Metric) -> Double? {
        switch metric {
        case .selectionRate: selectionRate
        case .truePositiveRate: truePositiveRate
        case .falsePositiveRate: falsePositiveRate
        case .falseNegativeRate: falseNegativeRate
        }
    }
}

/// One disparity with its verdict.
public struct Disparity: Sendable, Codable, Equatable {
    public var name: String
    public var value: Double?
    public var threshold: Double?
    /// "<=" for differences, ">=" for ratios.
    public var comparison: String
    /// pass, fail, undefined (0/0 somewhere), insufficient_data (fewer than two usable groups) or no_threshold.
    public var status: String
    public var privilegedGroup: String?

    enum Metric { case selectionRate, truePositiveRate, falsePositiveRate, falseNegativeRate }

    static let fairlearnNames = [
        "demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference", "equalized_odds_ratio",
        "equal_opportunity_difference", "equal_opportunity_ratio", "false_positive_rate_difference", "false_negative_rate_difference",
        "demographic_parity_difference_to_overall", "demographic_parity_ratio_to_overall", "equalized_odds_difference_to_overall",
        "equalized_odds_ratio_to_overall", "equal_opportunity_difference_to_overall", "equal_opportunity_ratio_to_overall",
        "false_positive_rate_difference_to_overall", "false_negative_rate_difference_to_overall",
    ]

    init(name: String, value: Double?, thresholds: Thresholds, usableGroups: Int, privilegedGroup: String? = nil) {
        self.name = name
        self.value = value.flatMap { $0.isFinite ? $0 : nil }
        self.threshold = thresholds.values[name]
        let higherIsBetter = name.contains("ratio") || name == "disparate_impact"
        comparison = higherIsBetter ? ">=" : "<="
        self.privilegedGroup = privilegedGroup
        if usableGroups < 2 {
            status = "insufficient_data"
        } else if let value = self.value {
            if let threshold {
                // Signed AIF360 differences are judged by their size; disparate impact both ways
                // (4.0 favours the unprivileged group as much as 0.25 disfavours it).
                let magnitude = switch name {
                case "statistical_parity_difference", "average_odds_difference": abs(value)
                case "disparate_impact": value == 0 ? 0 : min(value, 1 / value)
                default: value
                }
                status = (higherIsBetter ? magnitude >= threshold : magnitude <= threshold) ? "pass" : "fail"
            } else {
                status = "no_threshold"
            }
        } else {
            status = "undefined"
        }
    }
}

public struct AttributeFairness: Sendable, Codable, Equatable {
    /// The attribute name, or names joined by "|" for an intersection.
    public var attribute: String
    public var overall: GroupMetrics
    public var groups: [GroupMetrics]
    public var disparities: [Disparity]
}

/// Computes fairness from per-group counts.
public enum FairnessCalculator {
    /// `rocAUC` holds each group's ROC AUC and `overallROCAUC` the overall one, when there are
    /// scores (`FairnessAggregates.rocAUCs()` computes both).
    public static func evaluate(
        attribute: String, groups: [String: Confusion], rocAUC: [String: Double?]? = nil, options: FairnessOptions,
        privileged: String? = nil, overallROCAUC: Double? = nil
    ) -> AttributeFairness {
        let overallConfusion = groups.values.reduce(Confusion(), +)
        let overall = GroupMetrics(group: "overall", confusion: overallConfusion, rocAUC: overallROCAUC, status: "ok", compatibility: options.compatibility)
        let metrics = groups.keys.sorted().map { key in
            GroupMetrics(group: key, confusion: groups[key]!, rocAUC: rocAUC?[key] ?? nil,
                         status: groups[key]!.count < options.minimumGroupSize ? "insufficient_data" : "ok", compatibility: options.compatibility)
        }
        let usable = metrics.filter { $0.status == "ok" }
        var disparities: [Disparity] = []
        func between(_ metric: Disparity.Metric) -> (difference: Double?, ratio: Double?) {
            let values = usable.map { $0.value(metric) }
            guard !values.isEmpty, !values.contains(where: { $0 == nil }) else { return (nil, nil) }
            let known = values.compactMap { $0 }
            let (low, high) = (known.min()!, known.max()!)
            return (high - low, high == 0 ? nil : low / high)
        }
        func toOverall(_ metric: Disparity.Metric) -> (difference: Double?, ratio: Double?) {
            let values = usable.map { $0.value(metric) }
            guard let reference = overall.value(metric), !values.isEmpty, !values.contains(where: { $0 == nil }) else { return (nil, nil) }
            let known = values.compactMap { $0 }
            let difference = known.map { abs($0 - reference) }.max()!
            let ratios = known.map { value -> Double? in
                if value == reference { return 1 }
                if value == 0 || reference == 0 { return 0 }
                return value < reference ? value / reference : reference / value
            }
            return (difference, ratios.contains(where: { $0 == nil }) ? nil : ratios.compactMap { $0 }.min())
        }
        func add(_ name: String, _ value: Double?) {
            disparities.append(Disparity(name: name, value: value, thresholds: options.thresholds, usableGroups: usable.count))
        }
        for (suffix, measure) in [("", between), ("_to_overall", toOverall)] as [(String, (Disparity.Metric) -> (Double?, Double?))] {
            let selection = measure(.selectionRate)
            let tpr = measure(.truePositiveRate)
            let fpr = measure(.falsePositiveRate)
            let fnr = measure(.falseNegativeRate)
            add("demographic_parity_difference" + suffix, selection.0)
            add("demographic_parity_ratio" + suffix, selection.1)
            add("equalized_odds_difference" + suffix, tpr.0.flatMap { t in fpr.0.map { max(t, $0) } })
            add("equalized_odds_ratio" + suffix, tpr.1.flatMap { t in fpr.1.map { min(t, $0) } })
            add("equal_opportunity_difference" + suffix, tpr.0)
            add("equal_opportunity_ratio" + suffix, tpr.1)
            add("false_positive_rate_difference" + suffix, fpr.0)
            add("false_negative_rate_difference" + suffix, fnr.0)
        }
        if let privileged, let privilegedCounts = groups[privileged] {
            // AIF360: the unprivileged side is everyone outside the privileged group.
            let others = groups.filter { $0.key != privileged }.values.reduce(Confusion(), +)
            let enough = privilegedCounts.count >= options.minimumGroupSize && others.count >= options.minimumGroupSize ? 2 : 0
            let p = privilegedCounts, u = others
            func diff(_ a: Double?, _ b: Double?) -> Double? { a.flatMap { x in b.map { x - $0 } } }
            let di: Double? = u.selectionRate.flatMap { su in p.selectionRate.flatMap { sp in sp == 0 ? nil : su / sp } }
            let aod: Double? = diff(u.falsePositiveRate, p.falsePositiveRate).flatMap { f in diff(u.truePositiveRate, p.truePositiveRate).map { (f + $0) / 2 } }
            disparities.append(Disparity(name: "disparate_impact", value: di, thresholds: options.thresholds, usableGroups: enough, privilegedGroup: privileged))
            disparities.append(Disparity(name: "statistical_parity_difference", value: diff(u.selectionRate, p.selectionRate), thresholds: options.thresholds,
                                         usableGroups: enough, privilegedGroup: privileged))
            disparities.append(Disparity(name: "average_odds_difference", value: aod, thresholds: options.thresholds, usableGroups: enough, privilegedGroup: privileged))
        }
        return AttributeFairness(attribute: attribute, overall: overall, groups: metrics, disparities: disparities)
    }
}
