import Foundation

/// The four analyses, from files to a judged report; used by the CLI and the monitoring API alike.
public enum MetricsJobs {
    public static func fairness(input: TableReader, roles: ColumnRoles, privileged: [String: String], options: FairnessOptions,
                                badRows: BadRowPolicy = .fail, performanceThresholds: [String: Double] = [:]) throws -> MetricsReport {
        try timed(kind: "fairness", roles: roles, privileged: privileged, options: options, path: input.path) {
            try FairnessReader(roles: roles, badRows: badRows).read(input)
        } judge: { report, aggregates in
            judge(&report, aggregates, privileged: privileged, options: options, performanceThresholds: performanceThresholds, performanceOnly: false)
        }
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
        let auc = aggregates.overallScores?.rocAUC
        if !performanceOnly { report.fairness = fairness(aggregates, privileged: privileged, options: options, overallROCAUC: auc) }
        report.performance = PerformanceMetrics(aggregates: aggregates, thresholds: performanceThresholds, overallROCAUC: auc)
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

    /// Fairness per attribute and for the intersection, from aggregates however they were computed.
    public static func fairness(_ aggregates: FairnessAggregates, privileged: [String: String], options: FairnessOptions,
                                overallROCAUC: Double? = nil) -> [AttributeFairness] {
        let keys = aggregates.attributes + (aggregates.attributes.count > 1 ? [aggregates.intersectionKey] : [])
        let overallAUC = overallROCAUC ?? aggregates.overallScores?.rocAUC
        return keys.map { key in
            FairnessCalculator.evaluate(attribute: key, groups: aggregates.groups[key] ?? [:], scores: aggregates.scores?[key], options: options,
                                        privileged: privileged[key], overallROCAUC: overallAUC)
        }
    }

    public static func performance(input: TableReader, roles: ColumnRoles, thresholds: [String: Double], badRows: BadRowPolicy = .fail) throws -> MetricsReport {
        let overallOnly = ColumnRoles(label: roles.label, prediction: roles.prediction, score: roles.score, filter: roles.filter)
        return try timed(kind: "performance", roles: roles, privileged: [:], options: nil, path: input.path) {
            try FairnessReader(roles: overallOnly, badRows: badRows).read(input)
        } judge: { report, aggregates in
            report.performance = PerformanceMetrics(aggregates: aggregates, thresholds: thresholds)
        }
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
        let start = Date()
        let windows = try reader.read(source)
        let read = Date()
        // Columns are independent (each sorts its own values): compare them on every core.
        let columns = Array(windows.names.indices).concurrentMap { i in
            DriftCalculator.compare(column: windows.names[i], numeric: windows.numeric[i], reference: windows.reference[i], current: windows.current[i], options: options)
        }
        var report = MetricsReport(kind: "drift", input: .init(files: windows.files.map { .init(path: $0.path, sha256: $0.sha256, rows: $0.rows, skippedRows: 0) }),
                                   timings: .init(readSeconds: 0, computeSeconds: 0))
        report.drift = columns
        report.datasetDrift = DriftCalculator.dataset(columns, options: options)
        report.timings = .init(readSeconds: read.timeIntervalSince(start), computeSeconds: Date().timeIntervalSince(read))
        report.judge()
        return report
    }

    public static func quality(input: TableReader, schema: [String: ColumnSchema], columns: [String] = []) throws -> MetricsReport {
        let start = Date()
        let profile = try DriftReader(columns: columns, categorical: Set(schema.filter { $0.value.allowed != nil }.keys)).profile(input)
        let read = Date()
        var report = MetricsReport(kind: "quality", input: .init(files: [.init(path: input.path, sha256: profile.sha256, rows: profile.rows, skippedRows: 0)]),
                                   timings: .init(readSeconds: 0, computeSeconds: 0))
        report.quality = QualityCalculator.evaluate(names: profile.names, samples: profile.samples, numeric: profile.numeric, rows: profile.rows,
                                                    duplicates: profile.duplicates, schema: schema)
        report.timings = .init(readSeconds: read.timeIntervalSince(start), computeSeconds: Date().timeIntervalSince(read))
        report.judge()
        return report
    }

    static func inputSection(_ files: [(String, String, Int, Int)], roles: ColumnRoles, privileged: [String: String], options: FairnessOptions?) -> MetricsReport.Input {
        MetricsReport.Input(files: files.map { .init(path: $0.0, sha256: $0.1, rows: $0.2, skippedRows: $0.3) }, label: roles.label, prediction: roles.prediction,
                            score: roles.score, sensitive: roles.sensitive.isEmpty ? nil : roles.sensitive, privileged: privileged.isEmpty ? nil : privileged,
                            minimumGroupSize: options?.minimumGroupSize, compatibility: options?.compatibility.rawValue)
    }
}
