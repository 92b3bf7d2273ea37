import Foundation

/// Collects every column of a reference and a current window, from two files or from one file
/// split by a column.
public struct DriftReader {
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
        return Windows(names: ref.names, reference: reference, current: current, numeric: numeric, files: ref.files)
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
    public func profile(_ table: TableReader) throws -> (names: [String], samples: [ColumnSample], numeric: [Bool], rows: Int, sha256: String, duplicates: Int) {
        var duplicates = 0
        var seen = Set<Int>()
        let collected = try collect(table) { row, indices in
            var hasher = Hasher()
            for column in indices { hasher.combine(row.text(column)) }
            if !seen.insert(hasher.finalize()).inserted { duplicates += 1 }
        }
        var samples = collected.samples
        for i in samples.indices where !collected.numeric[i] { samples[i] = Self.categorise(samples[i]) }
        return (collected.names, samples, collected.numeric, collected.files[0].rows, collected.files[0].sha256, duplicates)
    }

    private func collect(_ table: TableReader, names expected: [String]? = nil,
                         each: (any TableRow, [Int]) -> Void = { _, _ in }) throws -> Collected {
        var indices: [Int] = []
        var samples: [ColumnSample] = []
        var numeric: [Bool] = []
        var names: [String] = []
        var rows = 0
        let digest = try table.read(header: { header in
            indices = try selected(header, file: table.path, exclude: nil)
            names = indices.map { header[$0] }
            if let expected, expected != names {
                throw MetricsInputError(file: table.path, line: 1, problem: "has columns \(names.joined(separator: ", ")) but the reference has \(expected.joined(separator: ", "))")
            }
            samples = Array(repeating: ColumnSample(), count: indices.count)
            numeric = names.map { !categorical.contains($0) }
        }, body: { row in
            rows += 1
            try add(row, indices: indices, names: names, samples: &samples, numeric: &numeric, file: table.path)
            each(row, indices)
        })
        return Collected(names: names, samples: samples, numeric: numeric, files: [(table.path, digest, rows)])
    }

    private func collectSplit(_ table: TableReader, column: String, reference: String, current: String) throws -> Windows {
        var indices: [Int] = []
        var split = 0
        var names: [String] = []
        var ref: [ColumnSample] = [], cur: [ColumnSample] = []
        var refNumeric: [Bool] = [], curNumeric: [Bool] = []
        var rows = 0
        let digest = try table.read(header: { header in
            split = try ColumnIndex(names: header, file: table.path).index(column, role: "split")
            indices = try selected(header, file: table.path, exclude: column)
            names = indices.map { header[$0] }
            ref = Array(repeating: ColumnSample(), count: indices.count)
            cur = ref
            refNumeric = names.map { !categorical.contains($0) }
            curNumeric = refNumeric
        }, body: { row in
            rows += 1
            switch row.text(split) {
            case reference: try add(row, indices: indices, names: names, samples: &ref, numeric: &refNumeric, file: table.path)
            case current: try add(row, indices: indices, names: names, samples: &cur, numeric: &curNumeric, file: table.path)
            default: break
            }
        })
        return merge(Collected(names: names, samples: ref, numeric: refNumeric, files: [(table.path, digest, rows)]),
                     Collected(names: names, samples: cur, numeric: curNumeric, files: []))
    }

    private func add(_ row: any TableRow, indices: [Int], names: [String], samples: inout [ColumnSample], numeric: inout [Bool], file: String) throws {
        for (i, column) in indices.enumerated() {
            if numeric[i] {
                switch row.number(column) {
                case .some(.some(let value)): samples[i].numbers.append(value)
                case .some(.none): samples[i].missing += 1
                case .none where numerical.contains(names[i]):
                    throw MetricsInputError(file: file, line: row.line, column: names[i], problem: "is declared numerical but holds \(row.text(column) ?? "")")
                case .none:
                    // Not a number: the column is categorical from here on (unless declared numerical).
                    numeric[i] = false
                    samples[i] = Self.categorise(samples[i])
                    if let text = row.text(column) { samples[i].categories[text, default: 0] += 1 } else { samples[i].missing += 1 }
                }
            } else if let text = row.text(column) {
                samples[i].categories[text, default: 0] += 1
            } else {
                samples[i].missing += 1
            }
        }
    }
}
