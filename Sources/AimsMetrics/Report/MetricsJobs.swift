import Foundation

/// The four analyses, from files to a judged report; used by the CLI and the monitoring API alike.
public enum MetricsJobs {
    /// A fairness analysis (or, with `performanceOnly`, only the overall performance) of a log.
    public struct FairnessRequest: Sendable {
        public var roles: ColumnRoles
        public var privileged: [String: String]
        public var options: FairnessOptions
        public var performanceThresholds: [String: Double]
        public var badRows: BadRowPolicy
        public var performanceOnly: Bool

        public init(roles: ColumnRoles, privileged: [String: String] = [:], options: FairnessOptions = FairnessOptions(),
                    performanceThresholds: [String: Double] = [:], badRows: BadRowPolicy = .fail, performanceOnly: Bool = false) {
            (self.roles, self.privileged, self.options) = (roles, privileged, options)
            (self.performanceThresholds, self.badRows, self.performanceOnly) = (performanceThresholds, badRows, performanceOnly)
        }
    }

    /// Drift between the two windows of one log.
    public struct DriftRequest: Sendable {
        public var reader: DriftReader
        public var split: DriftReader.Split
        public var options: DriftOptions

        public init(reader: DriftReader = DriftReader(), split: DriftReader.Split, options: DriftOptions = DriftOptions()) {
            (self.reader, self.split, self.options) = (reader, split, options)
        }
    }

    /// Data quality of a log's columns against a schema.
    public struct QualityRequest: Sendable {
        public var schema: [String: ColumnSchema]
        public var columns: [String]

        public init(schema: [String: ColumnSchema] = [:], columns: [String] = []) {
            (self.schema, self.columns) = (schema, columns)
        }
    }

    /// Every analysis asked for, from one read of the log, in one judged report.
    public static func analyse(input: TableReader, kind: String, fairness: FairnessRequest? = nil, drift: DriftRequest? = nil,
                               quality: QualityRequest? = nil) throws -> MetricsReport {
        let start = Date()
        let reader = fairness.map { FairnessReader(roles: $0.performanceOnly ? $0.roles.overallOnly : $0.roles, badRows: $0.badRows) }
        let analysis = LogAnalysis(fairness: reader, drift: drift?.reader, split: drift?.split,
                                   quality: quality.map { DriftReader(columns: $0.columns, categorical: Set($0.schema.filter { $0.value.allowed != nil }.keys)) })
        let result = try analysis.read(input)
        let read = Date()
        let rows = result.fairness.map { ($0.rows, $0.skippedRows) } ?? (result.rows, 0)
        var report = MetricsReport(kind: kind, input: inputSection([(input.path, result.sha256, rows.0, rows.1)], roles: fairness?.roles,
                                                                   privileged: fairness?.privileged ?? [:],
                                                                   options: fairness?.performanceOnly == false ? fairness?.options : nil),
                                   timings: .init(readSeconds: 0, computeSeconds: 0))
        if let fairness, let aggregates = result.fairness {
            judge(&report, aggregates, privileged: fairness.privileged, options: fairness.options,
                  performanceThresholds: fairness.performanceThresholds, performanceOnly: fairness.performanceOnly)
        }
        if let drift, let windows = result.drift { compare(&report, windows, options: drift.options) }
        if let quality, let profile = result.quality {
            report.quality = QualityCalculator.evaluate(names: profile.names, samples: profile.samples, numeric: profile.numeric, rows: profile.rows,
                                                        duplicates: profile.duplicates, schema: quality.schema)
        }
        report.timings = .init(readSeconds: read.timeIntervalSince(start), computeSeconds: Date().timeIntervalSince(read))
        report.judge()
        return report
    }

    public static func fairness(input: TableReader, roles: ColumnRoles, privileged: [String: String], options: FairnessOptions,
                                badRows: BadRowPolicy = .fail, performanceThresholds: [String: Double] = [:]) throws -> MetricsReport {
        try analyse(input: input, kind: "fairness", fairness: FairnessRequest(roles: roles, privileged: privileged, options: options,
                                                                              performanceThresholds: performanceThresholds, badRows: badRows))
    }

    /// Fairness from counts computed elsewhere (`aims metrics sql`, or shards concatenated).
    public static func fairness(aggregates input: AggregateInput, roles: ColumnRoles, privileged: [String: String], options: FairnessOptions,
                                performanceThresholds: [String: Double] = [:], performanceOnly: Bool = false) throws -> MetricsReport {
        try timed(kind: performanceOnly ? "performance" : "fairness", roles: roles, privileged: privileged, options: performanceOnly ? nil : options,
                  path: input.path) {
            try input.fairness(attributes: roles.sensitive)
        } judge: { report, aggregates in
            judge(&report, aggregates, privileged: privileged, options: options, performanceThresholds: performanceThresholds, performanceOnly: performanceOnly)
        }
    }

    /// Fairness and performance from the same counts; the overall ROC AUC is sorted for once.
    static func judge(_ report: inout MetricsReport, _ aggregates: FairnessAggregates, privileged: [String: String], options: FairnessOptions,
                      performanceThresholds: [String: Double], performanceOnly: Bool) {
        let aucs = aggregates.rocAUCs()
        if !performanceOnly { report.fairness = fairness(aggregates, privileged: privileged, options: options, rocAUCs: aucs) }
        report.performance = PerformanceMetrics(aggregates: aggregates, thresholds: performanceThresholds, overallROCAUC: aucs.overall)
    }

    /// Reads (timed), then computes and judges (timed) into a report naming the input file.
    static func timed(kind: String, roles: ColumnRoles, privileged: [String: String], options: FairnessOptions?, path: String,
                      read: () throws -> (aggregates: FairnessAggregates, sha256: String),
                      judge: (inout MetricsReport, FairnessAggregates) -> Void) throws -> MetricsReport {
        let start = Date()
        let (aggregates, digest) = try read()
        let readDone = Date()
        var report = MetricsReport(kind: kind, input: inputSection([(path, digest, aggregates.rows, aggregates.skippedRows)], roles: roles,
                                                                   privileged: privileged, options: options),
                                   timings: .init(readSeconds: 0, computeSeconds: 0))
        judge(&report, aggregates)
        report.timings = .init(readSeconds: readDone.timeIntervalSince(start), computeSeconds: Date().timeIntervalSince(readDone))
        report.judge()
        return report
    }

    /// Fairness per attribute and for the intersection, from aggregates however they were computed;
    /// `rocAUCs` when the caller has them already (they cost a sort of every score).
    public static func fairness(_ aggregates: FairnessAggregates, privileged: [String: String], options: FairnessOptions,
                                rocAUCs: (overall: Double?, groups: [String: [String: Double?]])? = nil) -> [AttributeFairness] {
        let keys = aggregates.attributes + (aggregates.attributes.count > 1 ? [aggregates.intersectionKey] : [])
        let aucs = rocAUCs ?? aggregates.rocAUCs()
        return keys.map { key in
            FairnessCalculator.evaluate(attribute: key, groups: aggregates.groups[key] ?? [:], rocAUC: aucs.groups[key], options: options,
                                        privileged: privileged[key], overallROCAUC: aucs.overall)
        }
    }

    public static func performance(input: TableReader, roles: ColumnRoles, thresholds: [String: Double], badRows: BadRowPolicy = .fail) throws -> MetricsReport {
        try analyse(input: input, kind: "performance",
                    fairness: FairnessRequest(roles: roles, performanceThresholds: thresholds, badRows: badRows, performanceOnly: true))
    }

    /// Drift from counts computed elsewhere: categorical counts and numerical histograms.
    public static func drift(aggregates input: AggregateInput, options: DriftOptions) throws -> MetricsReport {
        let start = Date()
        let (columns, digest) = try input.drift()
        let read = Date()
        let drift = columns.map { DriftCalculator.compare(binned: $0, options: options) }
        let rows = drift.first.map { $0.referenceCount + $0.currentCount + $0.referenceMissing + $0.currentMissing } ?? 0
        var report = MetricsReport(kind: "drift", input: .init(files: [.init(path: input.path, sha256: digest, rows: rows, skippedRows: 0)]),
                                   timings: .init(readSeconds: 0, computeSeconds: 0))
        report.drift = drift
        report.datasetDrift = DriftCalculator.dataset(report.drift!, options: options)
        report.timings = .init(readSeconds: read.timeIntervalSince(start), computeSeconds: Date().timeIntervalSince(read))
        report.judge()
        return report
    }

    public static func drift(source: DriftReader.Source, reader: DriftReader, options: DriftOptions) throws -> MetricsReport {
        if case .split(let table, let column, let reference, let current) = source {
            return try analyse(input: table, kind: "drift",
                               drift: DriftRequest(reader: reader, split: DriftReader.Split(column: column, reference: reference, current: current), options: options))
        }
        let start = Date()
        let windows = try reader.read(source)
        let read = Date()
        var report = MetricsReport(kind: "drift", input: .init(files: windows.files.map { .init(path: $0.path, sha256: $0.sha256, rows: $0.rows, skippedRows: 0) }),
                                   timings: .init(readSeconds: 0, computeSeconds: 0))
        compare(&report, windows, options: options)
        report.timings = .init(readSeconds: read.timeIntervalSince(start), computeSeconds: Date().timeIntervalSince(read))
        report.judge()
        return report
    }

    /// The numerical columns' walks first, all their stretches shared out over the cores together;
    /// then column by column, on every core; then the dataset's verdict.
    static func compare(_ report: inout MetricsReport, _ windows: DriftReader.Windows, options: DriftOptions) {
        let numeric = windows.names.indices.filter { windows.numeric[$0] }
        let walked = Statistics.compareSorted(pairs: numeric.map { (windows.reference[$0].sortedColumn, windows.current[$0].sortedColumn) })
        let walks = Dictionary(uniqueKeysWithValues: zip(numeric, walked))
        let columns = Array(windows.names.indices).concurrentMap { i in
            var column = DriftCalculator.compare(column: windows.names[i], numeric: windows.numeric[i], reference: windows.reference[i], current: windows.current[i],
                                                 options: options, walk: walks[i])
            column.notNumbers = windows.notNumbers[i]
            return column
        }
        report.drift = columns
        report.datasetDrift = DriftCalculator.dataset(columns, options: options)
    }

    public static func quality(input: TableReader, schema: [String: ColumnSchema], columns: [String] = []) throws -> MetricsReport {
        try analyse(input: input, kind: "quality", quality: QualityRequest(schema: schema, columns: columns))
    }

    static func inputSection(_ files: [(String, String, Int, Int)], roles: ColumnRoles?, privileged: [String: String], options: FairnessOptions?) -> MetricsReport.Input {
        MetricsReport.Input(files: files.map { .init(path: $0.0, sha256: $0.1, rows: $0.2, skippedRows: $0.3) }, label: roles?.label, prediction: roles?.prediction,
                            score: roles?.score, sensitive: roles?.sensitive.isEmpty != false ? nil : roles?.sensitive, privileged: privileged.isEmpty ? nil : privileged,
                            minimumGroupSize: options?.minimumGroupSize, compatibility: options?.compatibility.rawValue)
    }
}
