import Foundation

/// Fairness, drift and data quality of one prediction log from a single read: each row goes to
/// every analysis asked for, on every core, so asking for three costs one parse, not three.
public struct LogAnalysis {
    public var fairness: FairnessReader?
    public var drift: DriftReader?
    /// How the log's rows divide into the drift windows.
    public var split: DriftReader.Split?
    public var quality: DriftReader?
    /// Threads that read a file at once (defaults to one per core).
    public var threads = TableReader.defaultThreads

    public init(fairness: FairnessReader? = nil, drift: DriftReader? = nil, split: DriftReader.Split? = nil, quality: DriftReader? = nil) {
        (self.fairness, self.drift, self.split, self.quality) = (fairness, drift, split, quality)
        if let fairness { threads = fairness.threads }
    }

    public struct Result {
        public var fairness: FairnessAggregates?
        public var drift: DriftReader.Windows?
        public var quality: DriftReader.Profile?
        public var sha256: String
        /// Data rows in the file.
        public var rows: Int
    }

    /// Column positions for each analysis, resolved once from the header.
    struct Plan {
        let fairness: FairnessReader.Columns?
        let drift: DriftReader.Plan?
        let quality: DriftReader.Plan?

        /// The same plans as rows get them: unmanaged references (the read keeps `Plan` alive), so
        /// a row retains nothing. Retains were a sixth of a combined read's CPU time, and more with
        /// every core retaining the same objects (their counts bounce between the caches).
        var rows: RowPlan {
            RowPlan(fairness: fairness.map { .passUnretained($0) }, drift: drift.map { .passUnretained($0) }, quality: quality.map { .passUnretained($0) })
        }
    }

    struct RowPlan: @unchecked Sendable {
        let fairness: Unmanaged<FairnessReader.Columns>?
        let drift: Unmanaged<DriftReader.Plan>?
        let quality: Unmanaged<DriftReader.Plan>?
    }

    /// One reading thread's running state for each analysis.
    struct State {
        var fairness: FairnessReader.FairnessTally?
        var drift: DriftReader.WindowsState?
        var quality: DriftReader.ProfileState?
        var rows = 0
    }

    public func read(_ table: TableReader) throws -> Result {
        var owner: Plan?
        let header = { (names: [String]) throws -> RowPlan in
            let plan = Plan(fairness: try fairness?.columns(names, file: table.path),
                            drift: try drift.map { try $0.plan(names, file: table.path, split: split) },
                            quality: try quality.map { try $0.plan(names, file: table.path, split: nil) })
            owner = plan
            return plan.rows
        }
        let start = { (_: RowPlan) -> State in
            State(fairness: fairness.map { FairnessReader.FairnessTally(attributes: $0.roles.sensitive.count) }, drift: owner!.drift.map { DriftReader.WindowsState($0) },
                  quality: owner!.quality.map { DriftReader.ProfileState($0) })
        }
        var (_, states, digest) = try table.readParts(threads: threads, header: header, state: start,
                                                         csv: { plan, state, rows in try Self.add(rows, plan, &state) },
                                                         jsonLines: { plan, state, rows in try Self.add(rows, plan, &state) })
        // Each analysis's states are taken out of `states`, so that sorting in place copies
        // nothing and each is freed as it is merged.
        func take<Part>(_ analysis: WritableKeyPath<State, Part?>) -> [Part] {
            states.indices.compactMap { i in
                defer { states[i][keyPath: analysis] = nil }
                return states[i][keyPath: analysis]
            }
        }
        var (tallies, windows, profiles) = (take(\.fairness), take(\.drift), take(\.quality))
        let plan = owner!
        return Result(fairness: fairness.map { $0.merge(&tallies) },
                      drift: drift.map { $0.windows(plan.drift!, &windows, path: table.path, sha256: digest) },
                      quality: plan.quality.map { DriftReader.profile($0, &profiles, sha256: digest) },
                      sha256: digest, rows: states.reduce(0) { $0 + $1.rows })
    }

    /// A block of rows into each analysis in turn. Each stops at its first bad row; the error
    /// thrown is the earliest row's (the first analysis's, for one row), as row by row would find.
    static func add<Block: TableBlock>(_ rows: Block, _ plan: RowPlan, _ state: inout State) throws {
        state.rows += rows.count
        var failure: MetricsInputError?
        func attempt(_ body: () throws -> Void) throws {
            do { try body() } catch let error as MetricsInputError { failure = .earlier(failure, error) }
        }
        if let columns = plan.fairness {
            try attempt { try columns._withUnsafeGuaranteedRef { try FairnessReader.add(rows, $0, &state.fairness!) } }
        }
        if let windows = plan.drift { try attempt { try windows._withUnsafeGuaranteedRef { try state.drift!.add(rows, $0) } } }
        if let profile = plan.quality { try attempt { try profile._withUnsafeGuaranteedRef { try state.quality!.add(rows, $0) } } }
        if let failure { throw failure }
    }
}
