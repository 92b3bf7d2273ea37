/// Bad input, named precisely enough to fix: the file, the line and the column at fault.
public struct MetricsInputError: Error, Equatable, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var column: String?
    public var problem: String

    public init(file: String, line: Int? = nil, column: String? = nil, problem: String) {
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem
    }

    /// Of an error found so far (if any) and a new one, the one on the earlier line (the first on a
    /// tie): a block of rows read a column at a time reports what reading it row by row would.
    static func earlier(_ first: MetricsInputError?, _ next: MetricsInputError) -> MetricsInputError {
        guard let first else { return next }
        return (next.line ?? .max) < (first.line ?? .max) ? next : first
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += " column \(column)" }
        return "\(location): \(problem)"
    }
}
