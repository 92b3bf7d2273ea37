/// How prediction-log columns are used.
public struct ColumnRoles: Sendable, Equatable {
    public var label: String
    public var prediction: String
    public var score: String?
    public var sensitive: [String]
    /// Keep only rows whose `split` column equals `value` (the current window of a combined log).
    public var filter: (column: String, value: String)?

    public init(label: String, prediction: String, score: String? = nil, sensitive: [String] = [], filter: (column: String, value: String)? = nil) {
        self.label = label
        self.prediction = prediction
        self.score = score
        self.sensitive = sensitive
        self.filter = filter
    }

    /// The same roles without sensitive attributes: overall counts only, for performance.
    public var overallOnly: ColumnRoles { ColumnRoles(label: label, prediction: prediction, score: score, filter: filter) }

    public static func == (a: ColumnRoles, b: ColumnRoles) -> Bool {
        a.label == b.label && a.prediction == b.prediction && a.score == b.score && a.sensitive == b.sensitive
            && a.filter?.column == b.filter?.column && a.filter?.value == b.filter?.value
    }
}

/// Binary values as prediction logs write them.
enum BinaryValue {
    /// The common one-byte spellings, without making a String; nil for anything else.
    @inline(__always)
    static func fast<Row: TableRow>(_ row: Row, _ column: Int) -> Bool? {
        row.withBytes(column) { bytes -> Bool? in
            // One test for "0" or "1" and no branch on which: labels are close to coin flips.
            let digit = bytes.count == 1 ? bytes[0] &- UInt8(ascii: "0") : 2
            return digit < 2 ? digit == 1 : nil
        }
    }

    static func parse(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "1.0", "true", "yes", "y", "t": true
        case "0", "0.0", "false", "no", "n", "f": false
        default: nil
        }
    }
}

/// Resolves column names against a header, naming the file and the missing column.
struct ColumnIndex {
    let names: [String]
    let file: String

    func index(_ name: String, role: String) throws -> Int {
        guard let index = names.firstIndex(of: name) else {
            throw MetricsInputError(file: file, line: 1, column: name,
                                    problem: "no \(role) column named \(name); the header has \(names.joined(separator: ", "))")
        }
        return index
    }
}

/// What to do with a row that cannot be used.
public enum BadRowPolicy: Sendable {
    /// Stop with an error naming file, line and column (the default: no number from garbage).
    case fail
    /// Skip it and count it in the report.
    case skip
}
