/// Counts of one group's predictions against the truth: everything fairness and performance
/// metrics need, and mergeable, so partial counts from many machines add up to the whole.
public struct Confusion: Sendable, Codable, Equatable {
    public var truePositives = 0
    public var falsePositives = 0
    public var trueNegatives = 0
    public var falseNegatives = 0

    public init() {}
    public init(tp: Int, fp: Int, tn: Int, fn: Int) {
        (truePositives, falsePositives, trueNegatives, falseNegatives) = (tp, fp, tn, fn)
    }

    @inline(__always)
    public mutating func add(label: Bool, prediction: Bool) {
        switch (label, prediction) {
        case (true, true): truePositives += 1
        case (false, true): falsePositives += 1
        case (false, false): trueNegatives += 1
        case (true, false): falseNegatives += 1
        }
    }

    public static func + (a: Confusion, b: Confusion) -> Confusion {
        Confusion(tp: a.truePositives + b.truePositives, fp: a.falsePositives + b.falsePositives,
                  tn: a.trueNegatives + b.trueNegatives, fn: a.falseNegatives + b.falseNegatives)
    }

    public var count: Int { truePositives + falsePositives + trueNegatives + falseNegatives }
    public var positives: Int { truePositives + falseNegatives }
    public var negatives: Int { falsePositives + trueNegatives }
    public var selected: Int { truePositives + falsePositives }

    /// nil for 0/0: the rate is undefined, not zero.
    static func ratio(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a) / Double(b) }

    public var baseRate: Double? { Self.ratio(positives, count) }
    public var selectionRate: Double? { Self.ratio(selected, count) }
    public var truePositiveRate: Double? { Self.ratio(truePositives, positives) }
    public var falsePositiveRate: Double? { Self.ratio(falsePositives, negatives) }
    public var falseNegativeRate: Double? { Self.ratio(falseNegatives, positives) }
    public var trueNegativeRate: Double? { Self.ratio(trueNegatives, negatives) }
    public var precision: Double? { Self.ratio(truePositives, selected) }
    public var accuracy: Double? { Self.ratio(truePositives + trueNegatives, count) }
    public var f1: Double? { Self.ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives) }
}

/// Scores seen for positives and negatives, kept as counts per distinct score so that ROC AUC is
/// exact. Memory grows with the number of distinct scores (at most the number of rows).
public struct ScoreCounts: Sendable, Equatable, Codable {
    public var counts: [Double: Counts] = [:]
    public struct Counts: Sendable, Equatable, Codable {
        public var positives = 0
        public var negatives = 0
    }

    public init() {}

    @inline(__always)
    public mutating func add(score: Double, label: Bool) {
        if label { counts[score, default: Counts()].positives += 1 } else { counts[score, default: Counts()].negatives += 1 }
    }

    public mutating func merge(_ other: ScoreCounts) {
        for (score, c) in other.counts {
            counts[score, default: Counts()].positives += c.positives
            counts[score, default: Counts()].negatives += c.negatives
        }
    }

    /// Probability that a random positive scores above a random negative (ties count half);
    /// nil without both classes.
    public var rocAUC: Double? {
        var negativesBelow = 0.0
        var area = 0.0
        var positives = 0.0
        var negatives = 0.0
        for score in counts.keys.sorted() {
            let c = counts[score]!
            area += Double(c.positives) * (negativesBelow + 0.5 * Double(c.negatives))
            negativesBelow += Double(c.negatives)
            positives += Double(c.positives)
            negatives += Double(c.negatives)
        }
        guard positives > 0, negatives > 0 else { return nil }
        return area / (positives * negatives)
    }
}
