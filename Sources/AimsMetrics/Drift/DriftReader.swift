import Foundation

/// Collects every column of a reference and a current window, from two files or from one file
/// split by a column.
public struct DriftReader: Sendable {
    public enum Source {
        case files(reference: TableReader, current: TableReader)
        case split(TableReader, column: String, reference: String, current: String)
    }

    /// Columns to compare (all but the split column when empty), and declared types.
    public var columns: [String] = []
    public var categorical: Set<String> = []
    public var numerical: Set<String> = []

    public init(columns: [String] = [], categorical: Set<String> = [], numerical: Set<String> = []) {
        self.columns = columns
        self.categorical = categorical
        self.numerical = numerical
    }

    public struct Windows {
        public var names: [String]
        public var reference: [ColumnSample]
        public var current: [ColumnSample]
        /// A column is numerical when every present value in both windows is a number, unless declared.
        public var numeric: [Bool]
        public var files: [(path: String, sha256: String, rows: Int)]
        /// Per column, the values that made it categorical by inference when the rest are numbers.
        public var notNumbers: [NotNumbers?]
    }

    public func read(_ source: Source) throws -> Windows {
        switch source {
        case .files(let reference, let current):
            var ref = try collect(reference)
            let cur = try collect(current, names: ref.names)
            ref.files += cur.files
            return merge(ref, cur)
        case .split(let table, let column, let referenceValue, let currentValue):
            return try collectSplit(table, column: column, reference: referenceValue, current: currentValue)
        }
    }

    struct Collected {
        var names: [String]
        var samples: [ColumnSample]
        var numeric: [Bool]
        var files: [(path: String, sha256: String, rows: Int)]
    }

    private func merge(_ ref: Collected, _ cur: Collected) -> Windows {
        var reference = ref.samples, current = cur.samples
        var numeric = zip(ref.numeric, cur.numeric).map { $0 && $1 }
        for i in ref.names.indices {
            if categorical.contains(ref.names[i]) { numeric[i] = false }
            if !numeric[i] {
                reference[i] = Self.categorise(reference[i])
                current[i] = Self.categorise(current[i])
            }
        }
        let notNumbers = ref.names.indices.map { i in numeric[i] || categorical.contains(ref.names[i]) ? nil : Self.notNumbers([reference[i], current[i]]) }
        return Windows(names: ref.names, reference: reference, current: current, numeric: numeric, files: ref.files, notNumbers: notNumbers)
    }

    /// At most this many values that are not numbers, among numbers, are reported as what made a
    /// column categorical (`notNumbers`); a column with more is taken to be categorical.
    static let strayLimit = 100

    /// The values of a column typed categorical by inference that are not numbers, when there are
    /// some numbers and no more than `strayLimit` values that are not (nil otherwise): one "n/a" in
    /// a column of amounts makes it categorical, as evidently's type inference does, and the report
    /// should say so. Reads each distinct value once, after the windows are counted.
    static func notNumbers(_ samples: [ColumnSample]) -> NotNumbers? {
        var count = 0, numbers = 0
        var strays: [String] = []
        for sample in samples {
            for (value, n) in sample.categories {
                var text = value
                if text.withUTF8({ NumberParser.parse($0) }) != nil {
                    numbers += n
                } else {
                    count += n
                    if count > strayLimit { return nil }
                    if !strays.contains(value) { strays.append(value) }
                }
            }
        }
        guard count > 0, numbers > 0 else { return nil }
        return NotNumbers(count: count, values: strays.sorted(), numbers: numbers)
    }

    /// Turns numbers kept so far into category counts, once a column proves categorical.
    static func categorise(_ sample: ColumnSample) -> ColumnSample {
        var result = sample
        for number in sample.numbers { result.categories[DriftCalculator.key(number), default: 0] += 1 }
        result.numbers = []
        return result
    }

    private func selected(_ header: [String], file: String, exclude: String?) throws -> [Int] {
        let wanted = columns.isEmpty ? header.filter { $0 != exclude } : columns
        let index = ColumnIndex(names: header, file: file)
        return try wanted.map { try index.index($0, role: "drift") }
    }

    /// One table's columns, for data-quality checks.
    public struct Profile {
        public var names: [String]
        public var samples: [ColumnSample]
        public var numeric: [Bool]
        public var rows: Int
        public var sha256: String
        /// Rows whose selected cells hash alike: the rows less the distinct hashes over all parts.
        public var duplicates: Int
    }

    public func profile(_ table: TableReader) throws -> Profile {
        try LogAnalysis(quality: self).read(table).quality!
    }

    /// One thread's profile: every row into one window, and a hash of each row's cells.
    struct ProfileState {
        var tally: WindowTally
        /// One 64-bit hash per row, counted at the end by sorting (a set of them took a third of
        /// the profile's time, growing and rehashing, and twice the memory).
        var hashes: [UInt64] = []
        init(_ plan: Plan) { tally = WindowTally(plan) }

        mutating func add<Block: TableBlock>(_ rows: Block, _ plan: Plan) throws {
            try withEveryRow(rows.count) { try tally.add(rows, picked: $0, plan) }
            for r in 0..<rows.count {
                let row = rows[r]
                var hash: UInt64 = 0
                for column in plan.indices.bytes { hash = row.withBytes(column) { $0.hash64(seed: hash) } }
                hashes.append(hash)
            }
        }
    }

    /// Takes the parts (and empties `parts`): their numbers are sorted in place, as for drift, so the
    /// checks count distinct values and quartiles from sorted runs.
    static func profile(_ plan: Plan, _ parts: inout [ProfileState], sha256: String) -> Profile {
        let rows = parts.reduce(0) { $0 + $1.tally.rows }
        var hashes = parts.indices.map { i in
            defer { parts[i].hashes = [] }
            return parts[i].hashes
        }
        hashes.concurrentForEach { _, part in part.radixSort() }
        let distinct = Self.distinct(&hashes)
        var tallies = parts.map(\.tally)
        parts = []
        var (samples, numeric) = finish(consuming: &tallies, plan)
        sortNumbers(&samples)
        return Profile(names: plan.names, samples: samples, numeric: numeric, rows: rows, sha256: sha256, duplicates: rows - distinct)
    }

    /// Distinct values in the union of sorted runs (emptying `runs`). The last two are walked side
    /// by side rather than merged into a new array, which would hold every hash a second time.
    static func distinct(_ runs: inout [[UInt64]]) -> Int {
        let (a, b) = Statistics.lastTwo(runs)
        runs = []
        var (i, j, count) = (0, 0, 0)
        var last: UInt64?
        while i < a.count || j < b.count {
            let value: UInt64
            if j == b.count || i < a.count && a[i] <= b[j] {
                value = a[i]
                i += 1
            } else {
                value = b[j]
                j += 1
            }
            if value != last { count += 1 }
            last = value
        }
        return count
    }

    /// Columns to read, resolved once from the header.
    /// A class, not a struct: it goes to every row of every part, and passing a reference costs one
    /// retain where copying a struct of arrays retained each of them.
    final class Plan: @unchecked Sendable {
        let names: [String]
        let indices: Pinned<Int>
        let numericAllowed: [Bool]
        let declaredNumerical: Pinned<Bool>
        let split: Int?
        let referenceValue: Pinned<UInt8>
        let currentValue: Pinned<UInt8>
        let file: String

        init(names: [String], indices: [Int], numericAllowed: [Bool], declaredNumerical: [Bool], split: Int?, referenceValue: [UInt8],
             currentValue: [UInt8], file: String) {
            (self.names, self.indices, self.numericAllowed, self.declaredNumerical) = (names, Pinned(indices), numericAllowed, Pinned(declaredNumerical))
            (self.split, self.referenceValue, self.currentValue, self.file) = (split, Pinned(referenceValue), Pinned(currentValue), file)
        }

        deinit {
            indices.free()
            declaredNumerical.free()
            referenceValue.free()
            currentValue.free()
        }
    }

    func plan(_ header: [String], file: String, split: Split?) throws -> Plan {
        let indices = try selected(header, file: file, exclude: split?.column)
        let names = indices.map { header[$0] }
        return Plan(names: names, indices: indices, numericAllowed: names.map { !categorical.contains($0) },
                    declaredNumerical: names.map { numerical.contains($0) },
                    split: try split.map { try ColumnIndex(names: header, file: file).index($0.column, role: "split") },
                    referenceValue: Array((split?.reference ?? "").utf8), currentValue: Array((split?.current ?? "").utf8), file: file)
    }

    /// One window's columns as read so far by one part: numbers while every value parses, and
    /// categories interned by their bytes (no String per cell).
    struct WindowTally {
        var numbers: [NumberColumn] = []
        var numeric: [Bool] = []
        var categories: [ByteInterner] = []
        var counts: [[Int]] = []
        var missing: [Int] = []
        var rows = 0

        init() {}
        init(_ plan: Plan) {
            let n = plan.indices.count
            numbers = Array(repeating: NumberColumn(), count: n)
            numeric = plan.numericAllowed
            categories = Array(repeating: ByteInterner(), count: n)
            counts = Array(repeating: [], count: n)
            missing = Array(repeating: 0, count: n)
        }

        /// Adds the rows `picked` (positions in the block, ascending) a column at a time: each
        /// column's cells in one loop, so a column's state is at hand for all of them. Throws the
        /// error of the earliest row, as reading row by row would.
        mutating func add<Block: TableBlock>(_ rows: Block, picked: UnsafeBufferPointer<Int32>, _ plan: Plan) throws {
            self.rows += picked.count
            var failure: MetricsInputError?
            for i in 0..<plan.indices.count {
                let column = plan.indices[i]
                var next = 0
                if numeric[i] {
                    next = numbers[i].append(column, of: rows, picked: picked, missing: &missing[i])
                    if next == picked.count { continue }
                    let row = rows[Int(picked[next])]
                    if plan.declaredNumerical[i] {
                        failure = .earlier(failure, MetricsInputError(file: plan.file, line: row.line, column: plan.names[i],
                                                                       problem: "is declared numerical but holds \(row.text(column) ?? "")"))
                        continue
                    }
                    // Not a number: the column is categorical from here on.
                    numeric[i] = false
                    for number in numbers[i].values { count(DriftCalculator.key(number), i) }
                    numbers[i] = NumberColumn()
                }
                for k in next..<picked.count {
                    let present = rows[Int(picked[k])].withBytes(column) { bytes -> Bool in
                        guard !bytes.isEmpty else { return false }
                        let slot = categories[i].slot(for: bytes)
                        if slot == counts[i].count { counts[i].append(0) }
                        counts[i][slot] += 1
                        return true
                    }
                    if !present { missing[i] += 1 }
                }
            }
            if let failure { throw failure }
        }

        mutating func count(_ text: String, _ i: Int) {
            var text = text
            text.withUTF8 { bytes in
                let slot = categories[i].slot(for: bytes)
                if slot == counts[i].count { counts[i].append(0) }
                counts[i][slot] += 1
            }
        }
    }

    /// Joins parts into one sample per column (`NumberColumn.joined`); a column that turned categorical in
    /// any part is categorical in all. Empties each part's numbers once copied, so a column is held
    /// twice at most while it is joined, not the whole window. The numbers are not sorted here
    /// (`sortNumbers`).
    static func finish(consuming tallies: inout [WindowTally], _ plan: Plan) -> (samples: [ColumnSample], numeric: [Bool]) {
        let n = plan.indices.count
        var numeric = plan.numericAllowed
        for tally in tallies { for i in 0..<n where !tally.numeric[i] { numeric[i] = false } }
        var samples = Array(repeating: ColumnSample(), count: n)
        // The parts join into one sample (a column at a time, each part freed once copied).
        for i in 0..<n where numeric[i] {
            var parts = tallies.indices.map { t in
                defer { tallies[t].numbers[i] = NumberColumn() }
                return tallies[t].numbers[i]
            }
            samples[i].column = NumberColumn.joined(&parts)
        }
        for tally in tallies {
            for i in 0..<n {
                samples[i].missing += tally.missing[i]
                if !numeric[i] {
                    for number in tally.numbers[i].values { samples[i].categories[DriftCalculator.key(number), default: 0] += 1 }
                    for (slot, count) in tally.counts[i].enumerated() {
                        samples[i].categories[tally.categories[i].name(slot, missing: ""), default: 0] += count
                    }
                }
            }
        }
        for i in 0..<n where !numeric[i] && plan.numericAllowed[i] { samples[i].categories = normalised(samples[i].categories) }
        return (samples, numeric)
    }

    /// The categories of a column typed categorical by inference, with every one that is a number
    /// written as `DriftCalculator.key` writes the numbers counted before the column turned (or in
    /// a part, or a window, that stayed numerical): "1008.00" read as text after a stray "n/a" and
    /// 1008.00 read as a number before it were two categories, and every amount a new one.
    static func normalised(_ categories: [String: Int]) -> [String: Int] {
        var result: [String: Int] = [:]
        result.reserveCapacity(categories.count)
        for (text, count) in categories {
            var bytes = text
            let key = bytes.withUTF8 { NumberParser.parse($0) }.map(DriftCalculator.key) ?? text
            result[key, default: 0] += count
        }
        return result
    }

    private func collect(_ table: TableReader, names expected: [String]? = nil) throws -> Collected {
        let check = { (plan: Plan) throws in
            if let expected, expected != plan.names {
                throw MetricsInputError(file: table.path, line: 1, problem: "has columns \(plan.names.joined(separator: ", ")) but the reference has \(expected.joined(separator: ", "))")
            }
        }
        var (plan, parts, digest) = try table.readParts(header: { names in
            let plan = try self.plan(names, file: table.path, split: nil)
            try check(plan)
            return plan
        }, state: { WindowsState($0) }, csv: { try $1.add($2, $0) }, jsonLines: { try $1.add($2, $0) })
        let rows = parts.reduce(0) { $0 + $1.rows }
        var tallies = parts.map(\.reference)
        parts = []
        var (samples, numeric) = Self.finish(consuming: &tallies, plan)
        Self.sortNumbers(&samples)
        return Collected(names: plan.names, samples: samples, numeric: numeric, files: [(table.path, digest, rows)])
    }

    private func collectSplit(_ table: TableReader, column: String, reference: String, current: String) throws -> Windows {
        try LogAnalysis(drift: self, split: Split(column: column, reference: reference, current: current)).read(table).drift!
    }

    /// Which column tells the windows of one file apart, and its two values.
    public struct Split: Sendable {
        public var column: String
        public var reference: String
        public var current: String
        public init(column: String, reference: String = "reference", current: String = "current") {
            (self.column, self.reference, self.current) = (column, reference, current)
        }
    }

    /// One thread's share of the two windows; without a split column every row goes to the reference one.
    struct WindowsState {
        var reference: WindowTally
        var current: WindowTally
        var rows = 0
        init(_ plan: Plan) { (reference, current) = (WindowTally(plan), WindowTally(plan)) }

        /// Each row's window first, then each window's rows a column at a time.
        mutating func add<Block: TableBlock>(_ rows: Block, _ plan: Plan) throws {
            self.rows += rows.count
            guard let column = plan.split else { return try withEveryRow(rows.count) { try reference.add(rows, picked: $0, plan) } }
            // The closure captures the values' pointers, not `plan`: capturing it retained it on every row.
            let referenceValue = plan.referenceValue.bytes, currentValue = plan.currentValue.bytes
            try withUnsafeTemporaryAllocation(of: Int32.self, capacity: rows.count) { picks in
                // Reference rows from the front, current ones from the back (in reverse): together no more than the rows.
                var (low, high) = (0, picks.count)
                for r in 0..<rows.count {
                    let window = rows[r].withBytes(column) { bytes -> Int in
                        bytes.sameBytes(as: referenceValue) ? 0 : bytes.sameBytes(as: currentValue) ? 1 : 2
                    }
                    if window == 0 {
                        picks[low] = Int32(r)
                        low += 1
                    } else if window == 1 {
                        high -= 1
                        picks[high] = Int32(r)
                    }
                }
                var currentPicks = UnsafeMutableBufferPointer(rebasing: picks[high...])
                currentPicks.reverse()
                var failure: MetricsInputError?
                do { try reference.add(rows, picked: UnsafeBufferPointer(rebasing: picks[..<low]), plan) } catch let error as MetricsInputError { failure = error }
                do { try current.add(rows, picked: UnsafeBufferPointer(currentPicks), plan) } catch let error as MetricsInputError { failure = .earlier(failure, error) }
                if let failure { throw failure }
            }
        }
    }

    /// The two windows of one split file, from its parts (emptying `parts`).
    func windows(_ plan: Plan, _ parts: inout [WindowsState], path: String, sha256: String) -> Windows {
        let rows = parts.reduce(0) { $0 + $1.rows }
        struct Window {
            var parts: [WindowTally]
            var samples: [ColumnSample] = []
            var numeric: [Bool] = []
        }
        var both = [Window(parts: parts.map(\.reference)), Window(parts: parts.map(\.current))]
        parts = []
        // The two windows joined at once, one on each core, then every column of both sorted.
        both.concurrentForEach { _, window in (window.samples, window.numeric) = Self.finish(consuming: &window.parts, plan) }
        let numeric = both.map(\.numeric)
        var samples = both.indices.map { w in
            defer { both[w].samples = [] }
            return both[w].samples
        }
        Self.sortNumbers(&samples)
        return merge(Collected(names: plan.names, samples: samples[0], numeric: numeric[0], files: [(path, sha256, rows)]),
                     Collected(names: plan.names, samples: samples[1], numeric: numeric[1], files: []))
    }

    /// Sorts the numbers of every column of the windows in place, each column on a core of its own,
    /// so that the drift tests and the quality checks need not sort (they would, one column per core).
    static func sortNumbers(_ windows: inout [[ColumnSample]]) {
        let jobs = windows.indices.flatMap { w in windows[w].indices.filter { windows[w][$0].column.count > 0 }.map { (w, $0) } }
        // Moved out first: sorting in place while `windows` still held the same buffers would copy them.
        var columns = jobs.map { w, i in
            defer { windows[w][i].column = NumberColumn() }
            return windows[w][i].column
        }
        columns.concurrentForEach { _, numbers in numbers.sort() }
        for (k, (w, i)) in jobs.enumerated() { windows[w][i].column = columns[k] }
    }

    static func sortNumbers(_ samples: inout [ColumnSample]) {
        var windows = [samples]
        samples = []
        sortNumbers(&windows)
        samples = windows[0]
    }
}

/// Every position of a block of `count` rows, for an analysis that takes them all.
func withEveryRow<Result>(_ count: Int, _ body: (UnsafeBufferPointer<Int32>) throws -> Result) rethrows -> Result {
    try withUnsafeTemporaryAllocation(of: Int32.self, capacity: count) { positions in
        for r in 0..<count { positions[r] = Int32(r) }
        return try body(UnsafeBufferPointer(positions))
    }
}
