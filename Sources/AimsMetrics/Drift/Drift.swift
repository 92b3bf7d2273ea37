import Foundation

/// One column's values in one window: numbers (kept, KS and Wasserstein need them all) or
/// category counts. Missing values are counted, never mixed in.
public struct ColumnSample: Sendable {
    /// The numbers as read: integers at a scale while every value fits, doubles otherwise.
    var column = NumberColumn()
    public var categories: [String: Int] = [:]
    public var missing = 0
    /// The numbers as doubles (made on each read from `column`); set, they are kept as read.
    public var numbers: [Double] {
        get { column.values }
        set { column = NumberColumn(newValue) }
    }
    /// Whether the numbers are already in ascending order (the reader sorts on every core).
    public var sorted: Bool {
        get { column.sorted }
        set { column.sorted = newValue }
    }
    public var count: Int { column.count + categories.values.reduce(0, +) }
    /// The numbers in ascending order, sorted here only if the reader did not.
    var sortedColumn: NumberColumn {
        guard !column.sorted else { return column }
        var sorted = column
        sorted.sort()
        return sorted
    }
    var sortedNumbers: [Double] { sortedColumn.values }
    public init() {}
}

public struct DriftOptions: Sendable {
    /// Share of drifted columns at which the whole dataset counts as drifted.
    public var datasetDriftShare = 0.5
    /// Per-test thresholds: p-value below which a p-value test signals drift, distance at or
    /// above which a distance signals drift.
    /// What a compared column is to the model, for prediction and label drift: column name →
    /// "prediction", "score" or "label". Other columns are features.
    public var roles: [String: String] = [:]
    public var thresholds: [String: Double] = ["ks": 0.05, "chisquare": 0.05, "z": 0.05, "wasserstein": 0.1, "jensenshannon": 0.1, "psi": 0.1, "kl": 0.1]
    public init() {}

    /// The roles of the model's own columns, for prediction drift (prediction, score) and label drift.
    public static func roles(label: String?, prediction: String?, score: String?) -> [String: String] {
        var roles: [String: String] = [:]
        for (name, role) in [(score, "score"), (prediction, "prediction"), (label, "label")] { if let name { roles[name] = role } }
        return roles
    }
}

public struct DriftTest: Sendable, Codable, Equatable {
    public var name: String
    public var value: Double?
    public var threshold: Double
    /// "p<" for p-value tests, ">=" for distances.
    public var comparison: String
    public var drifted: Bool?
}

public struct ColumnDrift: Sendable, Codable, Equatable {
    public var column: String
    /// "prediction", "score" or "label" for prediction and label drift; nil for a feature.
    public var role: String?
    public var type: String
    public var referenceCount: Int
    public var currentCount: Int
    public var referenceMissing: Int
    public var currentMissing: Int
    /// The test that decides, chosen as evidently does by type, reference size and distinct values.
    public var decidingTest: String
    public var drifted: Bool
    public var tests: [DriftTest]
    public var newCategories: [String]?
    /// Histogram (numeric: Sturges bins on both windows) for charts: edges and shares per window.
    public var binEdges: [Double]?
    public var referenceShares: [Double]?
    public var currentShares: [Double]?
    /// Set when the column was typed categorical by inference although nearly all its values are
    /// numbers (`DriftReader.notNumbers`): why it is categorical, so a typing slip is not missed.
    public var notNumbers: NotNumbers? = nil
}

/// The few values that made an inferred column categorical while the rest are numbers.
public struct NotNumbers: Sendable, Codable, Equatable {
    /// Values in both windows that are not numbers.
    public var count: Int
    /// Each of them once (there are at most `DriftReader.strayLimit`), sorted.
    public var values: [String]
    /// Values in both windows that are numbers.
    public var numbers: Int
}

public struct DatasetDrift: Sendable, Codable, Equatable {
    public var driftedColumns: Int
    public var columns: Int
    public var share: Double
    public var threshold: Double
    public var drifted: Bool
}

public enum DriftCalculator {
    /// Counts per value of sorted numbers, one run at a time (not one dictionary update per value).
    static func valueCounts(_ sorted: NumberColumn) -> [String: Int] {
        var counts: [String: Int] = [:]
        sorted.forEachRun { value, count in counts[key(value), default: 0] += count }
        return counts
    }

    /// Compares one column's reference and current windows.
    /// `walk` is the two sorted windows' `Statistics.compareSorted`, when already made.
    public static func compare(column: String, numeric: Bool, reference: ColumnSample, current: ColumnSample, options: DriftOptions,
                               walk: Statistics.SortedComparison? = nil) -> ColumnDrift {
        var tests: [DriftTest] = []
        func pTest(_ name: String, _ p: Double?) -> DriftTest { pValueTest(name, p, options) }
        func distance(_ name: String, _ value: Double?) -> DriftTest { distanceTest(name, value, options) }

        // Distinct values over both windows decide the test, as evidently does. Numbers are sorted
        // once (KS and Wasserstein need that anyway) and counted from the sorted arrays; they become
        // categories only when so few distinct values make the per-value tests apply.
        let distinct: Int
        var referenceDistinct = 0
        let referenceCategories: [String: Int]
        let currentCategories: [String: Int]
        let sortedReference = numeric ? reference.sortedColumn : NumberColumn()
        let sortedCurrent = numeric ? current.sortedColumn : NumberColumn()
        // Distinct counts, KS and Wasserstein from one walk over both sorted windows.
        let walk = numeric ? walk ?? Statistics.compareSorted(sortedReference, sortedCurrent) : Statistics.SortedComparison()
        if numeric {
            (referenceDistinct, distinct) = (walk.distinctFirst, walk.distinctBoth)
            let perValue = referenceDistinct <= 20 || distinct <= 5
            referenceCategories = perValue ? Self.valueCounts(sortedReference) : [:]
            currentCategories = perValue ? Self.valueCounts(sortedCurrent) : [:]
        } else {
            distinct = Set(reference.categories.keys).union(current.categories.keys).count
            referenceCategories = reference.categories
            currentCategories = current.categories
        }
        let keys = Set(referenceCategories.keys).union(currentCategories.keys).sorted()
        let refCounts = keys.map { Double(referenceCategories[$0] ?? 0) }
        let curCounts = keys.map { Double(currentCategories[$0] ?? 0) }
        let (refTotal, curTotal) = (refCounts.reduce(0, +), curCounts.reduce(0, +))

        // Shares for PSI, JS and KL as evidently bins them: Sturges bins over both windows for a
        // numerical column with more than 20 distinct reference values, one bin per value otherwise.
        var edges: [Double]?
        var refShares: [Double] = [], curShares: [Double] = []
        if numeric, referenceDistinct > 20, sortedReference.count > 0, sortedCurrent.count > 0 {
            let (a, b) = (sortedReference, sortedCurrent)
            let binEdges = Statistics.sturgesEdges(low: min(a.value(at: 0), b.value(at: 0)), high: max(a.value(at: a.count - 1), b.value(at: b.count - 1)),
                                                   count: a.count + b.count)
            edges = binEdges
            refShares = Statistics.histogram(count: a.count, edges: binEdges, value: a.value(at:)).map { $0 / Double(a.count) }
            curShares = Statistics.histogram(count: b.count, edges: binEdges, value: b.value(at:)).map { $0 / Double(b.count) }
        } else if refTotal > 0, curTotal > 0 {
            refShares = refCounts.map { $0 / refTotal }
            curShares = curCounts.map { $0 / curTotal }
        }
        let (filledRef, filledCur) = (Statistics.fillEmptyBins(refShares), Statistics.fillEmptyBins(curShares))
        let haveBoth = reference.count > 0 && current.count > 0

        let chi: Double? = haveBoth ? Statistics.chiSquareTest(observed: curCounts, expected: refCounts.map { $0 * curTotal / refTotal }) : nil
        let z: Double? = haveBoth ? zTest(keys: keys, reference: refCounts, current: curCounts) : nil
        let js: Double? = haveBoth ? Statistics.jensenShannon(refShares, curShares) : nil
        let psi: Double? = haveBoth ? Statistics.psi(filledRef, filledCur) : nil
        let kl: Double? = haveBoth ? Statistics.kullbackLeibler(filledRef, filledCur) : nil
        var decider: String
        if numeric {
            let (a, b) = (sortedReference, sortedCurrent)
            let ks: Double? = haveBoth ? Statistics.ksPValue(d: walk.ks, n: a.count, m: b.count) : nil
            let norm = max(a.standardDeviation, 0.001)
            let wasserstein: Double? = haveBoth ? walk.wasserstein / norm : nil
            tests = [pTest("ks", ks), distance("wasserstein", wasserstein), distance("psi", psi), distance("jensenshannon", js), distance("kl", kl)]
            if reference.count <= 1000 {
                decider = distinct <= 5 ? (distinct > 2 ? "chisquare" : "z") : "ks"
            } else {
                decider = distinct > 5 ? "wasserstein" : "jensenshannon"
            }
            if decider == "chisquare" { tests.append(pTest("chisquare", chi)) }
            if decider == "z" { tests.append(pTest("z", z)) }
        } else {
            tests = [pTest("chisquare", chi), pTest("z", distinct <= 2 ? z : nil), distance("jensenshannon", js), distance("psi", psi), distance("kl", kl)]
            decider = reference.count <= 1000 ? (distinct > 2 ? "chisquare" : "z") : "jensenshannon"
        }
        let deciding = tests.first { $0.name == decider }
        let newCategories = numeric ? nil : Set(current.categories.keys).subtracting(reference.categories.keys).sorted()
        return ColumnDrift(
            column: column, role: options.roles[column], type: numeric ? "numerical" : "categorical", referenceCount: reference.count, currentCount: current.count,
            referenceMissing: reference.missing, currentMissing: current.missing, decidingTest: decider, drifted: deciding?.drifted ?? false,
            tests: tests, newCategories: newCategories, binEdges: edges, referenceShares: refShares.isEmpty ? nil : refShares,
            currentShares: curShares.isEmpty ? nil : curShares)
    }

    /// Compares a column known only by its counts (aggregates). Categorical counts take the usual
    /// tests; a numerical histogram takes the binned ones (PSI, Jensen–Shannon, KL) and is decided by
    /// Jensen–Shannon, because KS and Wasserstein need the values themselves.
    public static func compare(binned column: BinnedColumn, options: DriftOptions) -> ColumnDrift {
        guard let edges = column.edges else {
            var reference = ColumnSample(), current = ColumnSample()
            (reference.categories, reference.missing) = (column.referenceCategories, column.referenceMissing)
            (current.categories, current.missing) = (column.currentCategories, column.currentMissing)
            return compare(column: column.name, numeric: false, reference: reference, current: current, options: options)
        }
        let (refTotal, curTotal) = (column.reference.reduce(0, +), column.current.reduce(0, +))
        let haveBoth = refTotal > 0 && curTotal > 0
        let refShares = haveBoth ? column.reference.map { $0 / refTotal } : []
        let curShares = haveBoth ? column.current.map { $0 / curTotal } : []
        let (filledRef, filledCur) = (Statistics.fillEmptyBins(refShares), Statistics.fillEmptyBins(curShares))
        func distance(_ name: String, _ value: Double?) -> DriftTest { distanceTest(name, value, options) }
        let tests = [distance("jensenshannon", haveBoth ? Statistics.jensenShannon(refShares, curShares) : nil),
                     distance("psi", haveBoth ? Statistics.psi(filledRef, filledCur) : nil),
                     distance("kl", haveBoth ? Statistics.kullbackLeibler(filledRef, filledCur) : nil)]
        return ColumnDrift(
            column: column.name, role: options.roles[column.name], type: "numerical", referenceCount: Int(refTotal), currentCount: Int(curTotal),
            referenceMissing: column.referenceMissing, currentMissing: column.currentMissing, decidingTest: "jensenshannon",
            drifted: tests[0].drifted ?? false, tests: tests, newCategories: nil, binEdges: edges,
            referenceShares: haveBoth ? refShares : nil, currentShares: haveBoth ? curShares : nil)
    }

    /// A p-value test drifts below its threshold; values outside [0, 1] are clamped, NaN is null.
    static func pValueTest(_ name: String, _ p: Double?, _ options: DriftOptions) -> DriftTest {
        let threshold = options.thresholds[name] ?? 0.05
        let clean = p.flatMap { $0.isFinite ? max(0, min(1, $0)) : nil }
        return DriftTest(name: name, value: clean, threshold: threshold, comparison: "p<", drifted: clean.map { $0 < threshold })
    }

    /// A distance drifts at or above its threshold; NaN is null.
    static func distanceTest(_ name: String, _ value: Double?, _ options: DriftOptions) -> DriftTest {
        let threshold = options.thresholds[name] ?? 0.1
        let clean = value.flatMap { $0.isFinite ? $0 : nil }
        return DriftTest(name: name, value: clean, threshold: threshold, comparison: ">=", drifted: clean.map { $0 >= threshold })
    }

    /// Difference of two proportions (the share of the first category), two-sided.
    static func zTest(keys: [String], reference: [Double], current: [Double]) -> Double {
        let (n1, n2) = (reference.reduce(0, +), current.reduce(0, +))
        guard keys.count > 1 else { return 1 }  // one value in both windows: nothing moved
        let (p1, p2) = (reference[0] / n1, current[0] / n2)
        let pooled = (reference[0] + current[0]) / (n1 + n2)
        let se = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
        guard se > 0 else { return 1 }
        // Written as evidently does, 2(1 − Φ(|z|)), so tiny p-values round the same way.
        return 2 * (1 - (1 - 0.5 * erfc(abs(p1 - p2) / se / 2.0.squareRoot())))
    }

    static func key(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value) }

    public static func dataset(_ columns: [ColumnDrift], options: DriftOptions) -> DatasetDrift {
        let drifted = columns.filter(\.drifted).count
        let share = columns.isEmpty ? 0 : Double(drifted) / Double(columns.count)
        return DatasetDrift(driftedColumns: drifted, columns: columns.count, share: share, threshold: options.datasetDriftShare,
                            drifted: !columns.isEmpty && share >= options.datasetDriftShare)
    }
}
