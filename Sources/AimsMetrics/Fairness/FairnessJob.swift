import Foundation

/// Sufficient statistics for fairness and performance: per-group confusion counts (and score
/// counts for ROC AUC) per sensitive attribute and for their intersection. They merge by addition,
/// which is what lets a warehouse compute them and ship only these numbers.
public struct FairnessAggregates: Sendable, Codable, Equatable {
    public var attributes: [String]
    /// attribute (or "a|b" for the intersection) → group value → counts.
    public var groups: [String: [String: Confusion]]
    public var scores: [String: [String: ScoreCounts]]?
    public var overall: Confusion
    public var overallScores: ScoreCounts?
    public var brierSum: Double?
    public var calibration: [CalibrationBin]?
    public var rows: Int
    public var skippedRows: Int

    public var intersectionKey: String { attributes.joined(separator: "|") }
}

public struct CalibrationBin: Sendable, Codable, Equatable {
    public var count = 0
    public var scoreSum = 0.0
    public var positives = 0
}

/// Reads a prediction log and accumulates the aggregates in one pass.
public struct FairnessReader {
    public var roles: ColumnRoles
    public var badRows: BadRowPolicy = .fail
    public static let missingGroup = "(missing)"
    public static let calibrationBins = 10

    public init(roles: ColumnRoles, badRows: BadRowPolicy = .fail) {
        self.roles = roles
        self.badRows = badRows
    }

    public func read(_ table: TableReader) throws -> (aggregates: FairnessAggregates, sha256: String) {
        var label = 0, prediction = 0, score: Int?, sensitive: [Int] = [], filter: Int?
        var names: [String] = []
        let attributes = roles.sensitive
        let withIntersection = attributes.count > 1
        // Per attribute: group value → slot, and the counts per slot. Mutating array elements in
        // place keeps the score arrays from being copied, which a dictionary's default subscript does not promise.
        let keyCount = attributes.count + (withIntersection ? 1 : 0)
        var slots: [[String: Int]] = Array(repeating: [:], count: keyCount)
        var confusions: [[Confusion]] = Array(repeating: [], count: keyCount)
        var scoreSlots: [[ScoreCounts]] = Array(repeating: [], count: keyCount)
        var overall = Confusion()
        var overallScores = ScoreCounts()
        var brier = 0.0
        var bins = Array(repeating: CalibrationBin(), count: Self.calibrationBins)
        var rows = 0, skipped = 0
        let digest = try table.read(header: { header in
            names = header
            let index = ColumnIndex(names: header, file: table.path)
            label = try index.index(roles.label, role: "label")
            prediction = try index.index(roles.prediction, role: "prediction")
            score = try roles.score.map { try index.index($0, role: "score") }
            sensitive = try attributes.map { try index.index($0, role: "sensitive") }
            filter = try roles.filter.map { try index.index($0.column, role: "split") }
        }, body: { row in
            if let filter, row.text(filter) != roles.filter!.value { return }
            do {
                let y = try binary(row, label, names[label], table.path)
                let yHat = try binary(row, prediction, names[prediction], table.path)
                var s: Double?
                if let score {
                    guard let value = row.number(score) else {
                        throw MetricsInputError(file: table.path, line: row.line, column: names[score], problem: "is not a number: \(row.text(score) ?? "")")
                    }
                    guard let value else { throw MetricsInputError(file: table.path, line: row.line, column: names[score], problem: "is missing") }
                    s = value
                }
                var keys = sensitive.map { row.text($0) ?? Self.missingGroup }
                if withIntersection { keys.append(keys.joined(separator: "|")) }
                for (i, key) in keys.enumerated() {
                    let slot: Int
                    if let known = slots[i][key] {
                        slot = known
                    } else {
                        slot = confusions[i].count
                        slots[i][key] = slot
                        confusions[i].append(Confusion())
                        scoreSlots[i].append(ScoreCounts())
                    }
                    confusions[i][slot].add(label: y, prediction: yHat)
                    if let s { scoreSlots[i][slot].add(score: s, label: y) }
                }
                overall.add(label: y, prediction: yHat)
                if let s {
                    overallScores.add(score: s, label: y)
                    brier += (s - (y ? 1 : 0)) * (s - (y ? 1 : 0))
                    let bin = min(Self.calibrationBins - 1, max(0, Int(s * Double(Self.calibrationBins))))
                    bins[bin].count += 1
                    bins[bin].scoreSum += s
                    bins[bin].positives += y ? 1 : 0
                }
                rows += 1
            } catch let error as MetricsInputError {
                guard badRows == .skip else { throw error }
                skipped += 1
            }
        })
        var byName: [String: [String: Confusion]] = [:]
        var scoresByName: [String: [String: ScoreCounts]]?
        let keys = attributes + (withIntersection ? [attributes.joined(separator: "|")] : [])
        for (i, key) in keys.enumerated() { byName[key] = slots[i].mapValues { confusions[i][$0] } }
        if roles.score != nil {
            var result: [String: [String: ScoreCounts]] = [:]
            for (i, key) in keys.enumerated() { result[key] = slots[i].mapValues { scoreSlots[i][$0] } }
            scoresByName = result
        }
        return (FairnessAggregates(attributes: attributes, groups: byName, scores: scoresByName, overall: overall,
                                   overallScores: roles.score == nil ? nil : overallScores,
                                   brierSum: roles.score == nil ? nil : brier, calibration: roles.score == nil ? nil : bins,
                                   rows: rows, skippedRows: skipped), digest)
    }

    func binary(_ row: any TableRow, _ column: Int, _ name: String, _ file: String) throws -> Bool {
        if let fast = BinaryValue.fast(row, column), let value = fast { return value }
        guard let text = row.text(column) else { throw MetricsInputError(file: file, line: row.line, column: name, problem: "is missing") }
        guard let value = BinaryValue.parse(text) else {
            throw MetricsInputError(file: file, line: row.line, column: name, problem: "is not binary: \(text) (use 0/1 or true/false)")
        }
        return value
    }
}
