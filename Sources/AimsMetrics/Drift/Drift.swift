import Foundation

/// One column's values in one window: numbers (kept, KS and Wasserstein need them all) or
/// category counts. Missing values are counted, never mixed in.
public struct ColumnSample: Sendable {
    public var numbers: [Double] = []
    public var categories: [String: Int] = [:]
    public var missing = 0
    public var count: Int { numbers.count + categories.values.reduce(0, +) }
    public init() {}
}

public struct DriftOptions: Sendable {
    /// Share of drifted columns at which the whole dataset counts as drifted.
    public var datasetDriftShare = 0.5
    /// Per-test thresholds: p-value below which a p-value test signals drift, distance at or
    /// above which a distance signals drift.
    public var thresholds: [String: Double] = ["ks": 0.05, "chisquare": 0.05, "z": 0.05, "wasserstein": 0.1, "jensenshannon": 0.1, "psi": 0.1, "kl": 0.1]
    public init() {}
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
}

public struct DatasetDrift: Sendable, Codable, Equatable {
    public var driftedColumns: Int
    public var columns: Int
    public var share: Double
    public var threshold: Double
    public var drifted: Bool
}

public enum DriftCalculator {
    /// Compares one column's reference and current windows.
    public static func compare(column: String, numeric: Bool, reference: ColumnSample, current: ColumnSample, options: DriftOptions) -> ColumnDrift {
        var tests: [DriftTest] = []
        func pTest(_ name: String, _ p: Double?) -> DriftTest {
            let threshold = options.thresholds[name] ?? 0.05
            let clean = p.flatMap { $0.isFinite ? max(0, min(1, $0)) : nil }
            return DriftTest(name: name, value: clean, threshold: threshold, comparison: "p<", drifted: clean.map { $0 < threshold })
        }
        func distance(_ name: String, _ value: Double?) -> DriftTest {
            let threshold = options.thresholds[name] ?? 0.1
            let clean = value.flatMap { $0.isFinite ? $0 : nil }
            return DriftTest(name: name, value: clean, threshold: threshold, comparison: ">=", drifted: clean.map { $0 >= threshold })
        }

        // Distinct values over both windows decide the test, as evidently does.
        let distinct: Int
        let referenceCategories: [String: Int]
        let currentCategories: [String: Int]
        if numeric {
            distinct = Set(reference.numbers + current.numbers).count
            referenceCategories = Dictionary(reference.numbers.map { (Self.key($0), 1) }, uniquingKeysWith: +)
            currentCategories = Dictionary(current.numbers.map { (Self.key($0), 1) }, uniquingKeysWith: +)
        } else {
            distinct = Set(reference.categories.keys).union(current.categories.keys).count
            referenceCategories = reference.categories
            currentCategories = current.categories
        }
        let keys = Set(referenceCategories.keys).union(currentCategories.keys).sorted()
        let refCounts = keys.map { Double(referenceCategories[$0] ?? 0) }
        let curCounts = keys.map { Double(currentCategories[$0] ?? 0) }
        let (refTotal, curTotal) = (refCounts.reduce(0, +), curCounts.reduce(0, +))

        // Shares for PSI, JS and KL: Sturges bins for numbers, categories otherwise; empty bins get 0.0001.
        var edges: [Double]?
        var refShares: [Double] = [], curShares: [Double] = []
        if numeric, !reference.numbers.isEmpty, !current.numbers.isEmpty {
            let binEdges = Statistics.sturgesEdges(reference.numbers + current.numbers)
            edges = binEdges
            refShares = Statistics.histogram(reference.numbers, edges: binEdges).map { $0 / Double(reference.numbers.count) }
            curShares = Statistics.histogram(current.numbers, edges: binEdges).map { $0 / Double(current.numbers.count) }
        } else if refTotal > 0, curTotal > 0 {
            refShares = refCounts.map { $0 / refTotal }
            curShares = curCounts.map { $0 / curTotal }
        }
        let filledRef = refShares.map { $0 == 0 ? 0.0001 : $0 }
        let filledCur = curShares.map { $0 == 0 ? 0.0001 : $0 }
        let haveBoth = reference.count > 0 && current.count > 0

        let chi: Double? = haveBoth ? Statistics.chiSquareTest(observed: curCounts, expected: refCounts.map { $0 * curTotal / refTotal }) : nil
        let z: Double? = haveBoth ? zTest(keys: keys, reference: refCounts, current: curCounts) : nil
        let js: Double? = haveBoth ? Statistics.jensenShannon(filledRef, filledCur) : nil
        let psi: Double? = haveBoth ? Statistics.psi(filledRef, filledCur) : nil
        let kl: Double? = haveBoth ? Statistics.kullbackLeibler(filledRef, filledCur) : nil
        var decider: String
        if numeric {
            let a = reference.numbers.sorted(), b = current.numbers.sorted()
            let ks: Double? = haveBoth ? Statistics.ksPValue(d: Statistics.ksStatistic(a, b), n: a.count, m: b.count) : nil
            let norm = max(Statistics.standardDeviation(a), 0.001)
            let wasserstein: Double? = haveBoth ? Statistics.wasserstein(a, b) / norm : nil
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
            column: column, type: numeric ? "numerical" : "categorical", referenceCount: reference.count, currentCount: current.count,
            referenceMissing: reference.missing, currentMissing: current.missing, decidingTest: decider, drifted: deciding?.drifted ?? false,
            tests: tests, newCategories: newCategories, binEdges: edges, referenceShares: refShares.isEmpty ? nil : refShares,
            currentShares: curShares.isEmpty ? nil : curShares)
    }

    /// Difference of two proportions (the share of the first category), two-sided.
    static func zTest(keys: [String], reference: [Double], current: [Double]) -> Double {
        let (n1, n2) = (reference.reduce(0, +), current.reduce(0, +))
        guard keys.count > 1 else { return 1 }  // one value in both windows: nothing moved
        let (p1, p2) = (reference[0] / n1, current[0] / n2)
        let pooled = (reference[0] + current[0]) / (n1 + n2)
        let se = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
        guard se > 0 else { return 1 }
        return Statistics.normalTwoSided((p1 - p2) / se)
    }

    static func key(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value) }

    public static func dataset(_ columns: [ColumnDrift], options: DriftOptions) -> DatasetDrift {
        let drifted = columns.filter(\.drifted).count
        let share = columns.isEmpty ? 0 : Double(drifted) / Double(columns.count)
        return DatasetDrift(driftedColumns: drifted, columns: columns.count, share: share, threshold: options.datasetDriftShare,
                            drifted: !columns.isEmpty && share >= options.datasetDriftShare)
    }
}
