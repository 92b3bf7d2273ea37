import AimsMetrics
import ArgumentParser
import Foundation

/// `aims metrics …`: fairness, drift, data quality and performance on prediction logs.
/// Exit codes: 0 all checks pass, 1 a threshold failed, 2 bad input.
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "Compute fairness, drift, data quality and performance from prediction logs.",
        discussion: "Exit status: 0 when every check passes, 1 when a threshold fails, 2 on bad input.",
        subcommands: [Fairness.self, Drift.self, Quality.self, Performance.self, All.self, SQL.self, Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "generate", abstract: "Write a synthetic prediction log from a seed (for golden tests and benchmarks).")
        @Option(help: "Number of rows.") var rows: Int
        @Option(help: "Seed; the same seed gives the same file.") var seed: UInt64 = 42
        @Option(help: "Where to write the CSV.") var output: String

        func run() throws {
            let bytes = try PredictionLogGenerator(rows: rows, seed: seed).write(to: output)
            print("Wrote \(rows) rows (\(bytes) bytes) to \(output).")
        }
    }

    struct SQL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sql", abstract: "Print the SQL that computes fairness or drift counts inside your own engine, for --from-aggregates.",
            discussion: "Run it in the warehouse, export the result as CSV, JSON or JSON Lines, and pass that file to `aims metrics fairness|drift --from-aggregates`.")
        @Option(help: "fairness or drift.") var kind = "fairness"
        @Option(help: "postgres, spark or bigquery.") var dialect: String
        @Option(help: "The table (or dataset.table) holding the prediction log.") var table: String
        @Option(help: "Column with the true label (fairness).") var label: String?
        @Option(help: "Column with the predicted label (fairness).") var prediction: String?
        @Option(help: "Column with the score (fairness: ROC AUC, Brier score, calibration).") var score: String?
        @Option(help: "Decimals the score is rounded to before counting.") var scoreDecimals = 3
        @Option(help: "A sensitive attribute column (fairness); repeatable.") var sensitive: [String] = []
        @Option(help: "Column that tells reference from current rows (drift; for fairness, keeps only the current rows).") var splitColumn: String?
        @Option(help: "Value marking reference rows (drift).") var referenceValue = "reference"
        @Option(help: "Value marking current rows.") var currentValue = "current"
        @Option(help: "A categorical column to compare (drift); repeatable.") var categorical: [String] = []
        @Option(help: "A numerical column to compare as a histogram (drift); repeatable.") var numerical: [String] = []

        func run() throws {
            guard let dialect = AggregateSQL.Dialect(rawValue: dialect) else { throw ValidationError("--dialect must be postgres, spark or bigquery") }
            do {
                let sql = try AggregateSQL(dialect: dialect, table: table)
                switch kind {
                case "fairness":
                    guard let label, let prediction else { throw ValidationError("fairness needs --label and --prediction") }
                    let filter = splitColumn.map { (column: $0, value: currentValue) }
                    print(try sql.fairness(roles: ColumnRoles(label: label, prediction: prediction, score: score, sensitive: sensitive, filter: filter),
                                           scoreDecimals: scoreDecimals))
                case "drift":
                    guard let splitColumn else { throw ValidationError("drift needs --split-column") }
                    print(try sql.drift(splitColumn: splitColumn, reference: referenceValue, current: currentValue, categorical: categorical, numerical: numerical))
                default:
                    throw ValidationError("--kind must be fairness or drift")
                }
            } catch let error as AggregateSQL.SQLError {
                throw ValidationError(error.description)
            }
        }
    }

    struct Output: ParsableArguments {
        @Option(help: "json, table or md.") var format: String = "table"
        @Option(help: "Write the report here instead of standard output.") var output: String?

        func emit(_ report: MetricsReport) throws {
            let text: String
            switch format {
            case "json": text = try report.json()
            case "md": text = ReportText.render(report, markdown: true)
            default: text = ReportText.render(report, markdown: false)
            }
            if let output {
                try Self.write(text, to: output)
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
            if report.status == "fail" { throw ExitCode(1) }
        }

        /// A regular file (or a new one) is replaced atomically, so nobody reads half a report; a
        /// device, pipe or symlink's target is written in place: an atomic rename would put a
        /// regular file where `/dev/null` or the link was.
        static func write(_ text: String, to path: String) throws {
            let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let type = (try? FileManager.default.attributesOfItem(atPath: target)[.type] as? FileAttributeType) ?? nil
            if type == nil || type == .typeRegular {
                try text.write(toFile: target, atomically: true, encoding: .utf8)
                return
            }
            guard let handle = FileHandle(forWritingAtPath: target) else { throw MetricsInputError(file: path, problem: "cannot be written") }
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(text.utf8))
        }

        func validate() throws {
            guard ["json", "table", "md"].contains(format) else { throw ValidationError("--format must be json, table or md") }
        }
    }

    struct LogColumns: ParsableArguments {
        @Option(help: "The prediction log (CSV with a header row, or JSON Lines).") var input: String?
        @Option(help: "Counts computed elsewhere (the result of `aims metrics sql`, as CSV, JSON or JSON Lines) instead of --input.")
        var fromAggregates: String?
        @Option(help: "Column with the true label (0/1 or true/false).") var label: String?
        @Option(help: "Column with the predicted label.") var prediction: String?
        @Option(help: "Column with the score or probability (for ROC AUC, Brier score and calibration).") var score: String?
        @Option(help: "all rows, or only the current window of a combined log (with --split-column).") var scope: String = "all"
        @Option(help: "Column that tells reference from current rows.") var splitColumn: String?
        @Option(help: "Value of the split column that marks current rows.") var currentValue: String = "current"
        @Flag(help: "Skip and count rows that cannot be used, instead of stopping.") var skipBadRows = false

        func validate() throws {
            switch (input, fromAggregates) {
            case (nil, nil): throw ValidationError("give --input (a prediction log) or --from-aggregates (counts computed elsewhere)")
            case (.some, .some): throw ValidationError("give --input or --from-aggregates, not both")
            case (.some, nil) where label == nil || prediction == nil: throw ValidationError("--input needs --label and --prediction")
            default: break
            }
        }

        func roles(sensitive: [String]) throws -> ColumnRoles {
            var filter: (column: String, value: String)?
            if scope == "current" {
                guard let splitColumn else { throw ValidationError("--scope current needs --split-column") }
                filter = (splitColumn, currentValue)
            } else if scope != "all" {
                throw ValidationError("--scope must be all or current")
            }
            return ColumnRoles(label: label ?? "label", prediction: prediction ?? "prediction", score: score, sensitive: sensitive, filter: filter)
        }
    }

    static func thresholds(_ path: String?) throws -> [String: Double]? {
        guard let path else { return nil }
        do {
            return try JSONDecoder().decode([String: Double].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw MetricsInputError(file: path, problem: "must be a JSON object of metric names to numbers (\(error))")
        }
    }

    /// A reader that shows how far it has got on standard error, when that is a terminal and the
    /// file is big enough for the wait to be noticed.
    static func table(_ path: String) -> TableReader {
        guard isatty(STDERR_FILENO) == 1 else { return TableReader(path: path) }
        let display = ProgressDisplay(name: (path as NSString).lastPathComponent)
        return TableReader(path: path) { read, total in display.update(read: read, total: total) }
    }

    /// Bad input ends with status 2 and one clear line on standard error.
    static func guarded(_ body: () throws -> Void) throws {
        MemoryPolicy.returnLargeBuffers()
        do {
            try body()
        } catch let error as MetricsInputError {
            FileHandle.standardError.write(Data("aims metrics: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// What a fairness analysis needs besides the log's columns.
    struct FairnessFlags: ParsableArguments {
        @Option(help: "A sensitive attribute column; repeat for several (their intersection is added).") var sensitive: [String] = []
        @Option(help: "attribute=value of the privileged group, for disparate impact and the AIF360 measures; repeatable.") var privileged: [String] = []
        @Option(help: "Groups smaller than this are reported as insufficient_data.") var minGroupSize = 30
        @Option(help: "strict (0/0 is null) or fairlearn (0/0 is 0, as fairlearn returns).") var compat = "strict"

        /// `thresholds` may hold other analyses' names too: disparities take theirs, performance theirs.
        func request(_ columns: LogColumns, thresholds: [String: Double]?) throws -> MetricsJobs.FairnessRequest {
            guard !sensitive.isEmpty else { throw ValidationError("give at least one --sensitive column") }
            var options = FairnessOptions()
            options.minimumGroupSize = minGroupSize
            guard let compatibility = FairnessOptions.Compatibility(rawValue: compat) else { throw ValidationError("--compat must be strict or fairlearn") }
            options.compatibility = compatibility
            options.thresholds.values.merge((thresholds ?? [:]).filter { !PerformanceMetrics.names.contains($0.key) }) { _, new in new }
            var privilegedGroups: [String: String] = [:]
            for pair in privileged {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, sensitive.contains(parts[0]) else { throw ValidationError("--privileged must be attribute=value for one of the --sensitive columns") }
                privilegedGroups[parts[0]] = parts[1]
            }
            return MetricsJobs.FairnessRequest(roles: try columns.roles(sensitive: sensitive), privileged: privilegedGroups, options: options,
                                               performanceThresholds: (thresholds ?? [:]).filter { PerformanceMetrics.names.contains($0.key) },
                                               badRows: columns.skipBadRows ? .skip : .fail)
        }
    }

    struct Fairness: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "fairness", abstract: "Per-group rates and disparities for sensitive attributes and their intersection.")
        @OptionGroup var columns: LogColumns
        @OptionGroup var fairness: FairnessFlags
        @Option(help: "JSON file of thresholds by disparity or performance metric name.") var thresholds: String?
        @OptionGroup var output: Output

        func run() async throws {
            try MetricsCommand.guarded {
                let request = try fairness.request(columns, thresholds: try MetricsCommand.thresholds(thresholds))
                let report = if let aggregates = columns.fromAggregates {
                    try MetricsJobs.fairness(aggregates: try AggregateInput(path: aggregates), roles: request.roles, privileged: request.privileged,
                                             options: request.options, performanceThresholds: request.performanceThresholds)
                } else {
                    try MetricsJobs.analyse(input: MetricsCommand.table(columns.input!), kind: "fairness", fairness: request)
                }
                try output.emit(report)
            }
        }
    }

    struct All: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "all", abstract: "Fairness, performance, drift and data quality from one read of a prediction log.",
            discussion: """
                Each row is parsed once and counted for every analysis asked for: fairness with --sensitive, \
                drift with --split-column (of the --column columns, or all), data quality with --quality. \
                Performance comes with the label and prediction. The label, prediction and score are \
                compared for drift only when listed with --column (or when no --column is given). \
                One report, one exit status.
                """)
        @OptionGroup var columns: LogColumns
        @OptionGroup var fairness: FairnessFlags
        @OptionGroup var drift: DriftFlags
        @Flag(help: "Add the data-quality checks (missing values, duplicates, constant columns, outliers).") var quality = false
        @Option(help: "JSON file of thresholds by name: disparities, performance metrics, drift tests and dataset_drift_share.") var thresholds: String?
        @OptionGroup var output: Output

        func run() async throws {
            try MetricsCommand.guarded {
                guard let input = columns.input else { throw ValidationError("all reads a prediction log: give --input") }
                let custom = try MetricsCommand.thresholds(thresholds)
                var fairnessRequest = fairness.sensitive.isEmpty ? nil : try fairness.request(columns, thresholds: custom)
                if fairnessRequest == nil, columns.label != nil {
                    fairnessRequest = MetricsJobs.FairnessRequest(roles: try columns.roles(sensitive: []),
                                                                  performanceThresholds: (custom ?? [:]).filter { PerformanceMetrics.names.contains($0.key) },
                                                                  badRows: columns.skipBadRows ? .skip : .fail, performanceOnly: true)
                }
                let driftRequest = try columns.splitColumn.map { split in
                    let options = drift.options(thresholds: custom, label: columns.label, prediction: columns.prediction, score: columns.score)
                    return MetricsJobs.DriftRequest(reader: try drift.reader(options, addingRoles: false), split: DriftReader.Split(column: split, reference: drift.referenceValue,
                                                                                                            current: columns.currentValue), options: options)
                }
                guard fairnessRequest != nil || driftRequest != nil || quality else {
                    throw ValidationError("nothing to compute: give --sensitive (fairness), --split-column (drift) or --quality")
                }
                try output.emit(try MetricsJobs.analyse(input: MetricsCommand.table(input), kind: "all", fairness: fairnessRequest, drift: driftRequest,
                                                        quality: quality ? MetricsJobs.QualityRequest() : nil))
            }
        }
    }

    struct Performance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "performance", abstract: "Accuracy, precision, recall, F1, ROC AUC, Brier score and calibration error.")
        @OptionGroup var columns: LogColumns
        @Option(help: "JSON file of minimum (or, for brier_score and expected_calibration_error, maximum) values.") var thresholds: String?
        @OptionGroup var output: Output

        func run() async throws {
            try MetricsCommand.guarded {
                let roles = try columns.roles(sensitive: [])
                let limits = try MetricsCommand.thresholds(thresholds) ?? [:]
                let report = if let aggregates = columns.fromAggregates {
                    try MetricsJobs.fairness(aggregates: try AggregateInput(path: aggregates), roles: roles, privileged: [:], options: FairnessOptions(),
                                             performanceThresholds: limits, performanceOnly: true)
                } else {
                    try MetricsJobs.performance(input: MetricsCommand.table(columns.input!), roles: roles, thresholds: limits,
                                                badRows: columns.skipBadRows ? .skip : .fail)
                }
                try output.emit(report)
            }
        }
    }

    /// Drift settings shared by `drift` and `all`.
    struct DriftFlags: ParsableArguments {
        @Option(help: "Value marking reference rows.") var referenceValue = "reference"
        @Option(help: "Only these columns; repeatable (default: all).") var column: [String] = []
        @Option(help: "Treat this column as categorical; repeatable.") var categorical: [String] = []
        @Option(help: "Require this column to be numerical; repeatable.") var numerical: [String] = []

        /// Thresholds by test name and dataset_drift_share; other names in the file are not drift's.
        func options(thresholds: [String: Double]?, label: String?, prediction: String?, score: String?) -> DriftOptions {
            var options = DriftOptions()
            if let share = thresholds?["dataset_drift_share"] { options.datasetDriftShare = share }
            options.thresholds.merge((thresholds ?? [:]).filter { options.thresholds[$0.key] != nil }) { _, new in new }
            options.roles = DriftOptions.roles(label: label, prediction: prediction, score: score)
            return options
        }

        /// With `addingRoles`, the label, prediction and score columns are compared too when columns are picked.
        func reader(_ options: DriftOptions, addingRoles: Bool = true) throws -> DriftReader {
            let wanted = column.isEmpty || !addingRoles ? column : column + options.roles.keys.sorted().filter { !column.contains($0) }
            return DriftReader(columns: wanted, categorical: Set(categorical), numerical: Set(numerical))
        }
    }

    struct Drift: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "drift", abstract: "Column-by-column drift between a reference and a current window, and dataset drift.")
        @Option(help: "Reference window file.") var reference: String?
        @Option(help: "Current window file.") var current: String?
        @Option(help: "One file holding both windows (with --split-column).") var input: String?
        @Option(help: "Counts computed elsewhere (the result of `aims metrics sql --kind drift`) instead of data files.") var fromAggregates: String?
        @Option(help: "Column that tells the windows apart.") var splitColumn: String?
        @Option(help: "Value marking current rows.") var currentValue = "current"
        @OptionGroup var drift: DriftFlags
        @Option(help: "The label column: its drift is label drift (added to --column).") var label: String?
        @Option(help: "The predicted label column: prediction drift (added to --column).") var prediction: String?
        @Option(help: "The score column: prediction drift on the score (added to --column).") var score: String?
        @Option(help: "JSON file: test thresholds (ks, chisquare, z, wasserstein, jensenshannon, psi, kl) and dataset_drift_share.") var thresholds: String?
        @OptionGroup var output: Output

        func run() async throws {
            try MetricsCommand.guarded {
                let options = drift.options(thresholds: try MetricsCommand.thresholds(thresholds), label: label, prediction: prediction, score: score)
                if let fromAggregates {
                    try output.emit(try MetricsJobs.drift(aggregates: try AggregateInput(path: fromAggregates), options: options))
                    return
                }
                let source: DriftReader.Source
                if let reference, let current {
                    source = .files(reference: MetricsCommand.table(reference), current: MetricsCommand.table(current))
                } else if let input, let splitColumn {
                    source = .split(MetricsCommand.table(input), column: splitColumn, reference: drift.referenceValue, current: currentValue)
                } else {
                    throw ValidationError("give --reference and --current, --input with --split-column, or --from-aggregates")
                }
                try output.emit(try MetricsJobs.drift(source: source, reader: try drift.reader(options), options: options))
            }
        }
    }

    struct Quality: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "quality", abstract: "Missing values, duplicates, constant columns, category explosions, outliers and schema checks.")
        @Option(help: "The data file.") var input: String
        @Option(help: "JSON schema: {column: {minimum, maximum, allowed, required, maxMissingShare}}.") var schema: String?
        @Option(help: "Only these columns; repeatable.") var column: [String] = []
        @OptionGroup var output: Output

        func run() async throws {
            try MetricsCommand.guarded {
                var rules: [String: ColumnSchema] = [:]
                if let schema {
                    do {
                        rules = try JSONDecoder().decode([String: ColumnSchema].self, from: Data(contentsOf: URL(fileURLWithPath: schema)))
                    } catch {
                        throw MetricsInputError(file: schema, problem: "is not a valid schema (\(error))")
                    }
                }
                try output.emit(try MetricsJobs.quality(input: MetricsCommand.table(input), schema: rules, columns: column))
            }
        }
    }
}
