import Foundation
import Testing

@testable import AimsMetrics
import TestScratch

/// Values recorded from fairlearn 0.15 and scikit-learn (scripts/golden/fairlearn_golden.py) on a
/// log made by the seeded generator; the file is made again here and its digest checked first.
@Suite("Golden values from fairlearn")
struct GoldenTests {
    struct Expected: Decodable {
        var file_sha256: String
        var rows: Int
        var attributes: [String: Attribute]
        struct Attribute: Decodable {
            var groups: [String: [String: Double?]]
            var disparities: [String: Double]
        }
    }

    @Test("groups and disparities agree to 1e-9")
    func fairlearn() throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: URL(fileURLWithPath: fixture("fairlearn_expected.json"))))
        let path = Scratch.path("aims-golden", suffix: ".csv")
        try PredictionLogGenerator(rows: expected.rows, seed: 42).write(to: path)
        var options = FairnessOptions()
        options.minimumGroupSize = 1
        options.compatibility = .fairlearn
        let report = try MetricsJobs.fairness(input: TableReader(path: path), roles: ColumnRoles(label: "y_true", prediction: "y_pred", score: "score",
                                                                                              sensitive: ["sex", "race"]),
                                              privileged: [:], options: options)
        #expect(report.input.files[0].sha256 == expected.file_sha256, "the generator must reproduce the golden file")
        let close = { (a: Double?, b: Double?) -> Bool in
            guard let a, let b else { return a == nil && b == nil }
            return abs(a - b) <= 1e-9
        }
        for attribute in report.fairness ?? [] {
            let golden = try #require(expected.attributes[attribute.attribute])
            #expect(Set(attribute.groups.map(\.group)) == Set(golden.groups.keys))
            for group in attribute.groups {
                let g = golden.groups[group.group]!
                #expect(Double(group.count) == g["count"]!!)
                #expect(close(group.selectionRate, g["selection_rate"]!), "\(attribute.attribute) \(group.group) selection")
                #expect(close(group.truePositiveRate, g["true_positive_rate"]!), "\(attribute.attribute) \(group.group) TPR")
                #expect(close(group.falsePositiveRate, g["false_positive_rate"]!), "\(attribute.attribute) \(group.group) FPR")
                #expect(close(group.falseNegativeRate, g["false_negative_rate"]!), "\(attribute.attribute) \(group.group) FNR")
                #expect(close(group.rocAUC, g["roc_auc"] ?? nil), "\(attribute.attribute) \(group.group) AUC")
            }
            for (name, value) in golden.disparities {
                let ours = attribute.disparities.first { $0.name == name }
                #expect(close(ours?.value, value), "\(attribute.attribute) \(name): \(String(describing: ours?.value)) vs fairlearn \(value)")
            }
        }
    }
}

/// Values recorded from evidently 0.7.23 (scripts/golden/evidently_golden.py) on two generated
/// logs: one with a reference window above 1,000 rows (Wasserstein and Jensen–Shannon decide) and
/// one below (KS, chi-square and z decide).
@Suite("Golden values from evidently")
struct EvidentlyGoldenTests {
    struct Expected: Decodable {
        var files: [File]
        struct File: Decodable {
            var path: String
            var seed: UInt64
            var sha256: String
            var rows: Int
            var columns: [String: Column]
        }
        struct Column: Decodable {
            var `default`: String
            var values: [String: Double]
        }
    }

    static let pValueTests: Set = ["ks", "chisquare", "z"]

    @Test("each column's deciding test and every test value agree (distances to 1e-9, p-values to 1e-6 relative)")
    func evidently() throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: URL(fileURLWithPath: fixture("evidently_expected.json"))))
        for file in expected.files {
            let path = Scratch.path("aims-evidently", suffix: ".csv")
            try PredictionLogGenerator(rows: file.rows, seed: file.seed).write(to: path)
            let reader = DriftReader(columns: Array(file.columns.keys).sorted(), categorical: ["sex", "race", "region", "y_true", "y_pred"])
            let report = try MetricsJobs.drift(source: .split(TableReader(path: path), column: "split", reference: "reference", current: "current"),
                                               reader: reader, options: DriftOptions())
            #expect(report.input.files[0].sha256 == file.sha256, "the generator must reproduce \(file.path)")
            for column in report.drift ?? [] {
                let golden = try #require(file.columns[column.column])
                #expect(column.decidingTest == golden.default, "\(file.rows) rows, \(column.column): decided by \(column.decidingTest), evidently \(golden.default)")
                for (name, value) in golden.values {
                    let ours = try #require(column.tests.first { $0.name == name }?.value, "\(column.column) has no \(name)")
                    let tolerance = Self.pValueTests.contains(name) ? 1e-6 * abs(value) : 1e-9
                    #expect(abs(ours - value) <= tolerance, "\(file.rows) rows, \(column.column) \(name): \(ours) vs evidently \(value)")
                }
            }
        }
    }
}
