import Foundation

/// The report every metrics command writes (schema `aims.metrics-report/1`). Every number is a
/// finite double or null: undefined values are null with a status saying why, never NaN.
public struct MetricsReport: Sendable, Codable, Equatable {
    public struct InputFile: Sendable, Codable, Equatable {
        public var path: String
        public var sha256: String
        public var rows: Int
        public var skippedRows: Int
    }

    public struct Input: Sendable, Codable, Equatable {
        public var files: [InputFile]
        public var label: String?
        public var prediction: String?
        public var score: String?
        public var sensitive: [String]?
        public var privileged: [String: String]?
        public var minimumGroupSize: Int?
        public var compatibility: String?
    }

    public struct Timings: Sendable, Codable, Equatable {
        public var readSeconds: Double
        public var computeSeconds: Double
    }

    public var schema = "aims.metrics-report/1"
    public var kind: String
    public var generatedAt: String
    public var input: Input
    public var fairness: [AttributeFairness]?
    public var performance: PerformanceMetrics?
    public var drift: [ColumnDrift]?
    public var datasetDrift: DatasetDrift?
    public var quality: QualityReport?
    /// pass, or fail when any threshold failed.
    public var status: String
    public var failures: [String]
    public var timings: Timings

    public init(kind: String, input: Input, timings: Timings) {
        self.kind = kind
        self.input = input
        self.timings = timings
        self.generatedAt = Date().ISO8601Format()
        self.status = "pass"
        self.failures = []
    }

    /// Collects every failed check and sets the status.
    public mutating func judge() {
        var failures: [String] = []
        for attribute in fairness ?? [] {
            for disparity in attribute.disparities where disparity.status == "fail" {
                failures.append("fairness \(attribute.attribute): \(disparity.name) = \(Self.format(disparity.value)) (\(disparity.comparison) \(Self.format(disparity.threshold)))")
            }
        }
        for check in performance?.checks ?? [] where check.status == "fail" {
            failures.append("performance: \(check.name) = \(Self.format(check.value)) (\(check.comparison) \(Self.format(check.threshold)))")
        }
        if let datasetDrift, datasetDrift.drifted {
            failures.append("drift: \(datasetDrift.driftedColumns) of \(datasetDrift.columns) columns drifted (share \(Self.format(datasetDrift.share)) ≥ \(Self.format(datasetDrift.threshold)))")
        }
        for column in quality?.columns ?? [] where !column.issues.isEmpty {
            failures.append("quality \(column.column): \(column.issues.joined(separator: "; "))")
        }
        self.failures = failures
        status = failures.isEmpty ? "pass" : "fail"
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .throw
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    static func format(_ value: Double?) -> String {
        guard let value else { return "null" }
        return String(format: "%.4f", value)
    }
}
