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

/// Scores seen for positives and negatives, kept so that ROC AUC is exact (ties count half).
/// Memory grows with the rows scored: 8 bytes per row and per attribute. Aggregates computed
/// elsewhere arrive as tallies (a score with its counts), which cost nothing per row.
public struct ScoreCounts: Sendable, Equatable, Codable {
    public var positives: [Double] = []
    public var negatives: [Double] = []
    public var tallies: [ScoreTally]?

    public init() {}

    @inline(__always)
    public mutating func add(score: Double, label: Bool) {
        if label { positives.append(score) } else { negatives.append(score) }
    }

    public mutating func add(_ tally: ScoreTally) {
        if tallies == nil { tallies = [] }
        tallies!.append(tally)
    }

    public mutating func merge(_ other: ScoreCounts) {
        positives += other.positives
        negatives += other.negatives
        if let more = other.tallies { tallies = (tallies ?? []) + more }
    }

    /// Probability that a random positive scores above a random negative (ties count half);
    /// nil without both classes. One sort of each class, then a merge.
    public var rocAUC: Double? {
        if let tallies, !tallies.isEmpty { return Self.rocAUC(tallies: tallies + Self.tallies(positives, negatives)) }
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        let pos = positives.radixSorted(), neg = negatives.radixSorted()
        var area = 0.0
        var j = 0  // negatives strictly below the current score
        var i = 0
        while i < pos.count {
            let score = pos[i]
            var sameScore = 0
            while i < pos.count, pos[i] == score { sameScore += 1; i += 1 }
            while j < neg.count, neg[j] < score { j += 1 }
            var ties = 0
            while j + ties < neg.count, neg[j + ties] == score { ties += 1 }
            area += Double(sameScore) * (Double(j) + 0.5 * Double(ties))
        }
        return area / (Double(pos.count) * Double(neg.count))
    }

    static func tallies(_ positives: [Double], _ negatives: [Double]) -> [ScoreTally] {
        positives.map { ScoreTally(score: $0, positives: 1, negatives: 0) } + negatives.map { ScoreTally(score: $0, positives: 0, negatives: 1) }
    }

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
