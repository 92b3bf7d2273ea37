/// Model performance over all rows (A.6.2.4, A.6.2.6).
public struct PerformanceMetrics: Sendable, Codable, Equatable {
    /// The metrics a thresholds file may name for performance (the rest of its names are other analyses').
    public static let names: Set<String> = ["accuracy", "precision", "recall", "f1", "roc_auc", "brier_score", "expected_calibration_error"]

    public var count: Int
    public var accuracy: Double?
    public var precision: Double?
    public var recall: Double?
    public var f1: Double?
    public var rocAUC: Double?
    public var brierScore: Double?
    /// Expected calibration error over 10 equal-width score bins.
    public var expectedCalibrationError: Double?
    public var checks: [Check]

    public struct Check: Sendable, Codable, Equatable {
        public var name: String
        public var value: Double?
        public var threshold: Double
        public var comparison: String
        public var status: String
    }

    /// `overallROCAUC`, when the caller has it already, saves sorting every score again.
    public init(aggregates: FairnessAggregates, thresholds: [String: Double] = [:], overallROCAUC: Double? = nil) {
        let c = aggregates.overall
        count = c.count
        accuracy = c.accuracy
        precision = c.precision
        recall = c.truePositiveRate
        f1 = c.f1
        rocAUC = overallROCAUC ?? aggregates.rocAUCs().overall
        brierScore = aggregates.brierSum.flatMap { c.count == 0 ? nil : $0 / Double(c.count) }
        expectedCalibrationError = aggregates.calibration.flatMap { bins in
            let total = bins.reduce(0) { $0 + $1.count }
            guard total > 0 else { return nil }
            return bins.filter { $0.count > 0 }.reduce(0.0) { sum, bin in
                let confidence = bin.scoreSum / Double(bin.count)
                let observed = Double(bin.positives) / Double(bin.count)
                return sum + Double(bin.count) / Double(total) * abs(observed - confidence)
            }
        }
        let values: [String: Double?] = ["accuracy": accuracy, "precision": precision, "recall": recall, "f1": f1, "roc_auc": rocAUC,
                                         "brier_score": brierScore, "expected_calibration_error": expectedCalibrationError]
        checks = thresholds.keys.sorted().compactMap { name in
            guard let value = values[name] else { return nil }
            let lowerIsBetter = name == "brier_score" || name == "expected_calibration_error"
            let threshold = thresholds[name]!
            let status = value.map { lowerIsBetter ? ($0 <= threshold ? "pass" : "fail") : ($0 >= threshold ? "pass" : "fail") } ?? "undefined"
            return Check(name: name, value: value, threshold: threshold, comparison: lowerIsBetter ? "<=" : ">=", status: status)
        }
    }
}
