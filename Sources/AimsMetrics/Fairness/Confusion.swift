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

    public static func + (a: Confusion, b: Confusion) -> Confusion {
        Confusion(tp: a.truePositives + b.truePositives, fp: a.falsePositives + b.falsePositives,
                  tn: a.trueNegatives + b.trueNegatives, fn: a.falseNegatives + b.falseNegatives)
    }

    public static func += (a: inout Confusion, b: Confusion) { a = a + b }

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

/// Scores for ROC AUC as counts computed elsewhere arrive (`aims metrics sql`): each score with how
/// many positives and negatives carry it. (A log's own scores are `ScoredRows`.)
public struct ScoreCounts: Sendable, Equatable, Codable {
    public var tallies: [ScoreTally] = []

    public init() {}

    public mutating func add(_ tally: ScoreTally) { tallies.append(tally) }

    public mutating func merge(_ other: ScoreCounts) { tallies += other.tallies }

    /// Probability that a random positive scores above a random negative (ties count half);
    /// nil without both classes.
    public var rocAUC: Double? { Self.rocAUC(tallies: tallies) }

    /// The same area from counts per score: sorted by score, each positive counts the negatives
    /// below it plus half those tied with it.
    static func rocAUC(tallies: [ScoreTally]) -> Double? {
        let sorted = tallies.sorted { $0.score < $1.score }
        var area = 0.0, negativesBelow = 0.0, totalPositives = 0.0
        var i = 0
        while i < sorted.count {
            var (pos, neg) = (0.0, 0.0)
            let score = sorted[i].score
            while i < sorted.count, sorted[i].score == score {
                pos += Double(sorted[i].positives)
                neg += Double(sorted[i].negatives)
                i += 1
            }
            area += pos * (negativesBelow + 0.5 * neg)
            negativesBelow += neg
            totalPositives += pos
        }
        guard totalPositives > 0, negativesBelow > 0 else { return nil }
        return area / (totalPositives * negativesBelow)
    }
}

/// A score value with how many positives and negatives carry it.
public struct ScoreTally: Sendable, Equatable, Codable {
    public var score: Double
    public var positives: Int
    public var negatives: Int

    public init(score: Double, positives: Int, negatives: Int) {
        (self.score, self.positives, self.negatives) = (score, positives, negatives)
    }
}
