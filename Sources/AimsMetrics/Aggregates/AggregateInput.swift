import Crypto
import Foundation

/// Sufficient statistics computed elsewhere (a warehouse running `aims metrics sql`, or another
/// machine), read back as rows: a JSON array of objects, JSON Lines, or CSV with a header.
/// Rows with the same key add up, so shards can simply be concatenated.
public struct AggregateInput {
    public let path: String
    let header: [String]
    let rows: [any TableRow]
    let sha256: String

    /// Reads the file once: aggregate files are counts, kilobytes even for billions of rows.
    public init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MetricsInputError(file: path, problem: "cannot be opened")
        }
        let firstByte = data.first { ![32, 9, 10, 13].contains($0) }
        if firstByte == UInt8(ascii: "[") {
            guard let objects = try? JSONDecoder().decode([[String: TableReader.Cell]].self, from: data) else {
                throw MetricsInputError(file: path, problem: "is not a JSON array of objects")
            }
            let header = Array(Set(objects.flatMap(\.keys))).sorted()
            self.header = header
            rows = objects.enumerated().map { index, object in
                TableReader.JSONRow(line: index + 1, values: header.map { object[$0] }) as any TableRow
            }
            sha256 = TableReader.hex(SHA256.hash(data: data))
            return
        }
        var header: [String] = []
        var rows: [any TableRow] = []
        sha256 = try TableReader(path: path).read(header: { header = $0 }, body: { rows.append(Materialised($0, width: header.count)) })
        (self.header, self.rows) = (header, rows)
    }

    /// A row copied out of the reader's buffer, which is valid only during the callback.
    struct Materialised: TableRow {
        let line: Int
        let texts: [String?]
        let numbers: [Double??]
        init(_ row: any TableRow, width: Int) {
            line = row.line
            texts = (0..<width).map { row.text($0) }
            numbers = (0..<width).map { row.number($0) }
        }
        func text(_ column: Int) -> String? { texts[column] }
        func number(_ column: Int) -> Double?? { numbers[column] }
    }

    /// Whether the rows carry this field (fairness rows have `dimension`, drift rows `column_name`).
    public func holds(_ field: String) -> Bool {
        header.contains { $0.lowercased() == field }
    }

    /// Named access to the cells of an aggregate row, with errors that name the row and field.
    struct Fields {
        let index: [String: Int]
        let file: String

        init(header: [String], file: String) {
            index = Dictionary(header.enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
            self.file = file
        }

        func require(_ names: [String]) throws {
            for name in names where index[name] == nil {
                throw MetricsInputError(file: file, line: 1, column: name, problem: "no \(name) field: aggregate rows need \(names.joined(separator: ", "))")
            }
        }

        func text(_ row: any TableRow, _ name: String) -> String? { index[name].flatMap { row.text($0) } }

        func number(_ row: any TableRow, _ name: String) throws -> Double? {
            guard let column = index[name] else { return nil }
            guard let value = row.number(column) else {
                throw MetricsInputError(file: file, line: row.line, column: name, problem: "is not a number: \(row.text(column) ?? "")")
            }
            return value
        }

        func count(_ row: any TableRow, _ name: String = "n") throws -> Int {
            guard let value = try number(row, name), value >= 0, value == value.rounded(), value < 9e15 else {
                throw MetricsInputError(file: file, line: row.line, column: name, problem: "must be a whole count")
            }
            return Int(value)
        }

        func binary(_ row: any TableRow, _ name: String) throws -> Bool {
            guard let text = text(row, name), let value = BinaryValue.parse(text) else {
                throw MetricsInputError(file: file, line: row.line, column: name, problem: "is not binary: \(text(row, name) ?? "missing")")
            }
            return value
        }
    }

    /// The row that stands for all rows in fairness aggregates.
    public static let overallDimension = "(overall)"

    /// Fairness counts: rows of `dimension, group_value, label, prediction, [score], n`, where
    /// dimension is an attribute, an intersection "a|b", or "(overall)".
    public func fairness(attributes: [String]) throws -> (aggregates: FairnessAggregates, sha256: String) {
        let digest = sha256
        let fields = Fields(header: header, file: path)
        try fields.require(["dimension", "group_value", "label", "prediction", "n"])
        let withIntersection = attributes.count > 1
        let keys = attributes + (withIntersection ? [attributes.joined(separator: "|")] : [])
        var groups: [String: [String: Confusion]] = Dictionary(uniqueKeysWithValues: keys.map { ($0, [:]) })
        var scores: [String: [String: ScoreCounts]] = groups.mapValues { _ in [:] }
        var overall: Confusion?
        var overallScores = ScoreCounts()
        var sawScore = false
        var brier = 0.0
        var bins = Array(repeating: CalibrationBin(), count: FairnessReader.calibrationBins)
        for row in rows {
            let dimension = fields.text(row, "dimension") ?? ""
            let isOverall = dimension == Self.overallDimension
            guard isOverall || groups[dimension] != nil else {
                throw MetricsInputError(file: path, line: row.line, column: "dimension",
                                        problem: "\(dimension) is not one of the attributes asked for (\((keys + [Self.overallDimension]).joined(separator: ", ")))")
            }
            let group = fields.text(row, "group_value") ?? FairnessReader.missingGroup
            let y = try fields.binary(row, "label"), yHat = try fields.binary(row, "prediction")
            let n = try fields.count(row)
            let confusion = switch (y, yHat) {
            case (true, true): Confusion(tp: n, fp: 0, tn: 0, fn: 0)
            case (false, true): Confusion(tp: 0, fp: n, tn: 0, fn: 0)
            case (false, false): Confusion(tp: 0, fp: 0, tn: n, fn: 0)
            case (true, false): Confusion(tp: 0, fp: 0, tn: 0, fn: n)
            }
            let score = try fields.number(row, "score")
            if fields.index["score"] != nil, score == nil {
                throw MetricsInputError(file: path, line: row.line, column: "score", problem: "is missing: with a score column every row needs one")
            }
            let tally = score.map { ScoreTally(score: $0, positives: y ? n : 0, negatives: y ? 0 : n) }
            if tally != nil { sawScore = true }
            if isOverall {
                overall = (overall ?? Confusion()) + confusion
                if let tally, let s = score {
                    overallScores.add(tally)
                    brier += Double(n) * (s - (y ? 1 : 0)) * (s - (y ? 1 : 0))
                    let bin = min(FairnessReader.calibrationBins - 1, max(0, Int(s * Double(FairnessReader.calibrationBins))))
                    bins[bin].count += n
                    bins[bin].scoreSum += s * Double(n)
                    bins[bin].positives += y ? n : 0
                }
            } else {
                groups[dimension]![group, default: Confusion()] += confusion
                if let tally { scores[dimension]![group, default: ScoreCounts()].add(tally) }
            }
        }
        guard let overall else {
            throw MetricsInputError(file: path, problem: "has no \(Self.overallDimension) rows: the totals are needed for performance and for checking the groups")
        }
        for key in keys {
            let total = groups[key]!.values.reduce(Confusion(), +)
            guard total == overall else {
                throw MetricsInputError(file: path, column: "n", problem: "the groups of \(key) add up to \(total.count) rows but \(Self.overallDimension) has \(overall.count)")
            }
        }
        let aggregates = FairnessAggregates(attributes: attributes, groups: groups, scores: sawScore ? scores : nil, overall: overall,
                                            overallScores: sawScore ? overallScores : nil, brierSum: sawScore ? brier : nil,
                                            calibration: sawScore ? bins : nil, rows: overall.count, skippedRows: 0)
        return (aggregates, digest)
    }

    /// Drift counts: rows of `column_name, window_name, value, n` for categorical columns and
    /// `column_name, window_name, bin, bin_min, bin_max, bins, n` for binned numerical columns.
    /// A missing value or bin counts as missing.
    public func drift(reference: String = "reference", current: String = "current") throws -> (columns: [BinnedColumn], sha256: String) {
        let digest = sha256
        let fields = Fields(header: header, file: path)
        try fields.require(["column_name", "window_name", "n"])
        var order: [String] = []
        var columns: [String: BinnedColumn] = [:]
        for row in rows {
            guard let name = fields.text(row, "column_name") else {
                throw MetricsInputError(file: path, line: row.line, column: "column_name", problem: "is missing")
            }
            let window = fields.text(row, "window_name")
            guard window == reference || window == current else {
                throw MetricsInputError(file: path, line: row.line, column: "window_name", problem: "must be \(reference) or \(current), not \(window ?? "missing")")
            }
            let isReference = window == reference
            let n = try fields.count(row)
            if columns[name] == nil {
                order.append(name)
                columns[name] = BinnedColumn(name: name)
            }
            if let bins = try fields.number(row, "bins") {
                guard let low = try fields.number(row, "bin_min"), let high = try fields.number(row, "bin_max"), bins >= 1, bins <= 10_000, bins == bins.rounded() else {
                    throw MetricsInputError(file: path, line: row.line, column: "bins", problem: "a binned row needs bins (1–10000), bin_min and bin_max")
                }
                let edges = Statistics.equalWidthEdges(low: low, high: high, bins: Int(bins))
                if columns[name]!.edges == nil {
                    columns[name]!.edges = edges
                    columns[name]!.reference = Array(repeating: 0, count: Int(bins))
                    columns[name]!.current = columns[name]!.reference
                }
                guard columns[name]!.edges == edges else {
                    throw MetricsInputError(file: path, line: row.line, column: "bins", problem: "\(name) has different bin edges on different rows")
                }
                guard let bin = try fields.number(row, "bin") else {
                    if isReference { columns[name]!.referenceMissing += n } else { columns[name]!.currentMissing += n }
                    continue
                }
                guard bin >= 0, bin < bins, bin == bin.rounded() else {
                    throw MetricsInputError(file: path, line: row.line, column: "bin", problem: "must be a bin number from 0 to \(Int(bins) - 1)")
                }
                if isReference { columns[name]!.reference[Int(bin)] += Double(n) } else { columns[name]!.current[Int(bin)] += Double(n) }
            } else {
                guard columns[name]!.edges == nil else {
                    throw MetricsInputError(file: path, line: row.line, column: "bins", problem: "\(name) mixes binned and categorical rows")
                }
                guard let value = fields.text(row, "value") else {
                    if isReference { columns[name]!.referenceMissing += n } else { columns[name]!.currentMissing += n }
                    continue
                }
                if isReference { columns[name]!.referenceCategories[value, default: 0] += n } else { columns[name]!.currentCategories[value, default: 0] += n }
            }
        }
        guard !order.isEmpty else { throw MetricsInputError(file: path, problem: "has no drift rows") }
        return (order.map { columns[$0]! }, digest)
    }
}

/// One column's drift counts from aggregates: a histogram over shared edges, or category counts.
public struct BinnedColumn: Sendable {
    public var name: String
    public var edges: [Double]?
    public var reference: [Double] = []
    public var current: [Double] = []
    public var referenceCategories: [String: Int] = [:]
    public var currentCategories: [String: Int] = [:]
    public var referenceMissing = 0
    public var currentMissing = 0
}
