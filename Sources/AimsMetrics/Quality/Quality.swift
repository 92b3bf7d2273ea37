import Foundation

/// What a column must hold, as declared in a schema file.
public struct ColumnSchema: Sendable, Codable, Equatable {
    public var minimum: Double?
    public var maximum: Double?
    public var allowed: [String]?
    public var required: Bool?
    /// Highest acceptable share of missing values (0–1).
    public var maxMissingShare: Double?
}

public struct ColumnQuality: Sendable, Codable, Equatable {
    public var column: String
    public var type: String
    public var count: Int
    public var missing: Int
    public var missingShare: Double?
    public var distinct: Int
    public var constant: Bool
    /// A categorical column with almost as many categories as rows (identifiers, free text).
    public var categoryExplosion: Bool
    /// Values outside Tukey's fences (1.5 × IQR beyond the quartiles).
    public var outliers: Int?
    public var outOfRange: Int?
    public var invalid: Int?
    public var issues: [String]
}

public struct QualityReport: Sendable, Codable, Equatable {
    public var rows: Int
    public var duplicateRows: Int
    public var columns: [ColumnQuality]
    public var failed: Bool { columns.contains { !$0.issues.isEmpty } }
}

public enum QualityCalculator {
    public static func evaluate(names: [String], samples: [ColumnSample], numeric: [Bool], rows: Int, duplicates: Int,
                                schema: [String: ColumnSchema]) -> QualityReport {
        let columns = names.indices.map { i -> ColumnQuality in
            let sample = samples[i]
            let rule = schema[names[i]]
            let total = sample.count + sample.missing
            // Distinct values, quartiles and ranges from the sorted numbers (the reader sorts them on every core).
            let sorted = numeric[i] ? sample.sortedNumbers : []
            var quality = ColumnQuality(
                column: names[i], type: numeric[i] ? "numerical" : "categorical", count: sample.count, missing: sample.missing,
                missingShare: total == 0 ? nil : Double(sample.missing) / Double(total),
                distinct: numeric[i] ? Statistics.compareSorted(sorted, []).distinctFirst : sample.categories.count, constant: false, categoryExplosion: false, issues: [])
            quality.constant = quality.distinct == 1
            if quality.constant { quality.issues.append("constant column") }
            if !numeric[i], sample.count >= 100, Double(quality.distinct) > 0.5 * Double(sample.count) {
                quality.categoryExplosion = true
                quality.issues.append("category explosion: \(quality.distinct) categories in \(sample.count) values")
            }
            if numeric[i], sorted.count >= 4 {
                let (q1, q3) = (quantile(sorted, 0.25), quantile(sorted, 0.75))
                let fence = 1.5 * (q3 - q1)
                quality.outliers = Self.outside(sorted, below: q1 - fence, above: q3 + fence)
            }
            if let rule {
                if numeric[i], rule.minimum != nil || rule.maximum != nil {
                    let out = Self.outside(sorted, below: rule.minimum ?? -.infinity, above: rule.maximum ?? .infinity)
                    quality.outOfRange = out
                    if out > 0 { quality.issues.append("\(out) values out of range") }
                }
                if let allowed = rule.allowed.map(Set.init) {
                    let bad = numeric[i]
                        ? sample.numbers.filter { !allowed.contains(DriftCalculator.key($0)) }.count
                        : sample.categories.filter { !allowed.contains($0.key) }.values.reduce(0, +)
                    quality.invalid = bad
                    if bad > 0 { quality.issues.append("\(bad) values not allowed") }
                }
                if rule.required == true, sample.missing > 0 { quality.issues.append("\(sample.missing) missing values in a required column") }
                if let limit = rule.maxMissingShare, let share = quality.missingShare, share > limit {
                    quality.issues.append("missing share \(share) above \(limit)")
                }
            }
            return quality
        }
        return QualityReport(rows: rows, duplicateRows: duplicates, columns: columns)
    }

    /// Sorted numbers below `low` or above `high`, found by binary search.
    static func outside(_ sorted: [Double], below low: Double, above high: Double) -> Int {
        Statistics.count(sorted, below: low) + sorted.count - Statistics.count(sorted, below: high, inclusive: true)
    }

    /// Linear interpolation between order statistics (numpy's default).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}
