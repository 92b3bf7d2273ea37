/// Writes the SQL that computes fairness and drift aggregates inside the user's own engine, so a
/// warehouse with billions of rows ships only counts to Aims (`--from-aggregates`). The result
/// columns are exactly what `AggregateInput` reads.
public struct AggregateSQL: Sendable {
    public enum Dialect: String, CaseIterable, Sendable { case postgres, spark, bigquery }

    public var dialect: Dialect
    public var table: String

    public init(dialect: Dialect, table: String) throws {
        guard !table.isEmpty, table.allSatisfy({ $0.isLetter || $0.isNumber || "_.$-".contains($0) }) else {
            throw SQLError("the table name may hold letters, digits, _ . $ - only (a qualified name like dataset.table is fine): \(table)")
        }
        self.dialect = dialect
        self.table = table
    }

    public struct SQLError: Error, CustomStringConvertible, Sendable {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: Fairness

    /// One row per dimension (each attribute, their intersection, and "(overall)"), group, label,
    /// prediction and, with a score, the score rounded to `scoreDecimals`, with its count.
    public func fairness(roles: ColumnRoles, scoreDecimals: Int = 3) throws -> String {
        guard !roles.sensitive.isEmpty else { throw SQLError("give at least one sensitive attribute") }
        guard (0...6).contains(scoreDecimals) else { throw SQLError("score decimals must be 0 to 6") }
        var select: [String] = []
        var parts: [String] = []
        let measures = roles.score == nil ? "label, prediction" : "label, prediction, score"
        let grouped = roles.score == nil ? "3, 4" : "3, 4, 5"
        func group(_ index: Int) -> String { "COALESCE(a\(index), '(missing)')" }
        for (i, name) in roles.sensitive.enumerated() {
            select.append("    NULLIF(CAST(\(try quote(name)) AS \(text)), '') AS a\(i)")
            parts.append("SELECT \(try literal(name)) AS dimension, \(group(i)) AS group_value, \(measures), COUNT(*) AS n FROM source GROUP BY 2, \(grouped)")
        }
        select.append("    CAST(\(try quote(roles.label)) AS \(integer)) AS label")
        select.append("    CAST(\(try quote(roles.prediction)) AS \(integer)) AS prediction")
        if let score = roles.score { select.append("    ROUND(CAST(\(try quote(score)) AS \(decimal)), \(scoreDecimals)) AS score") }
        var whereClause = ""
        if let filter = roles.filter { whereClause = "\n  WHERE CAST(\(try quote(filter.column)) AS \(text)) = \(try literal(filter.value))" }
        if roles.sensitive.count > 1 {
            let joined = roles.sensitive.indices.map(group).joined(separator: " || '|' || ")
            parts.append("SELECT \(try literal(roles.sensitive.joined(separator: "|"))), \(joined), \(measures), COUNT(*) FROM source GROUP BY 2, \(grouped)")
        }
        parts.append("SELECT '\(AggregateInput.overallDimension)', CAST(NULL AS \(text)), \(measures), COUNT(*) FROM source GROUP BY \(grouped)")
        return """
        -- aims.metrics-aggregates/1: fairness counts from \(table) (\(dialect.rawValue)).
        -- Export the result as CSV, JSON or JSON Lines and run:
        --   aims metrics fairness --from-aggregates FILE \(roles.sensitive.map { "--sensitive \($0)" }.joined(separator: " "))
        -- Label and prediction must be 0/1 or booleans.\(roles.score == nil ? "" : " Scores are rounded to \(scoreDecimals) decimals, so ROC AUC treats scores equal at that precision as ties.")
        WITH source AS (
          SELECT
        \(select.joined(separator: ",\n"))
          FROM \(qualifiedTable)\(whereClause)
        )
        \(parts.joined(separator: "\nUNION ALL\n"))
        ORDER BY 1, 2, 3, 4\(roles.score == nil ? "" : ", 5");
        """
    }

    // MARK: Drift

    /// Per column and window: category counts for categorical columns, and for numerical ones the
    /// counts per bin of Sturges' histogram over both windows (⌈log2 n⌉ + 1 equal-width bins).
    public func drift(splitColumn: String, reference: String, current: String, categorical: [String], numerical: [String]) throws -> String {
        guard !categorical.isEmpty || !numerical.isEmpty else { throw SQLError("name the columns: --categorical and --numerical") }
        let split = try quote(splitColumn)
        var bounds: [String] = []
        var parts: [String] = []
        for name in categorical {
            parts.append("""
            SELECT \(try literal(name)) AS column_name, CAST(\(split) AS \(text)) AS window_name, NULLIF(CAST(\(try quote(name)) AS \(text)), '') AS value, \
            CAST(NULL AS \(integer)) AS bin, CAST(NULL AS \(double)) AS bin_min, CAST(NULL AS \(double)) AS bin_max, CAST(NULL AS \(integer)) AS bins, COUNT(*) AS n \
            FROM source GROUP BY 2, 3
            """)
        }
        for (i, name) in numerical.enumerated() {
            let x = "CAST(\(try quote(name)) AS \(double))"
            bounds.append("MIN(\(x)) AS lo\(i), MAX(\(x)) AS hi\(i), CAST(CEIL(LN(GREATEST(COUNT(\(x)), 1)) / LN(2)) AS \(integer)) + 1 AS k\(i)")
            let low = "CASE WHEN hi\(i) = lo\(i) THEN lo\(i) - 0.5 ELSE lo\(i) END"
            let high = "CASE WHEN hi\(i) = lo\(i) THEN hi\(i) + 0.5 ELSE hi\(i) END"
            let bin = "CASE WHEN \(x) IS NULL THEN NULL ELSE LEAST(k\(i) - 1, CAST(FLOOR((\(x) - \(low)) * k\(i) / (\(high) - \(low))) AS \(integer))) END"
            parts.append("""
            SELECT \(try literal(name)), CAST(\(split) AS \(text)), CAST(NULL AS \(text)), \(bin), lo\(i), hi\(i), k\(i), COUNT(*) \
            FROM source CROSS JOIN bounds GROUP BY 2, 4, 5, 6, 7
            """)
        }
        let windows = "CAST(\(split) AS \(text)) IN (\(try literal(reference)), \(try literal(current)))"
        return """
        -- aims.metrics-aggregates/1: drift counts from \(table) (\(dialect.rawValue)), \(reference) against \(current) by \(splitColumn).
        -- Export the result as CSV, JSON or JSON Lines and run:
        --   aims metrics drift --from-aggregates FILE
        -- Numerical columns arrive as histograms: PSI, Jensen–Shannon and KL are computed; KS and Wasserstein need the values.
        WITH source AS (
          SELECT * FROM \(qualifiedTable) WHERE \(windows)
        )\(bounds.isEmpty ? "" : ",\nbounds AS (\n  SELECT \(bounds.joined(separator: ",\n    ")) FROM source\n)")
        \(parts.joined(separator: "\nUNION ALL\n"))
        ORDER BY 1, 2, 3, 4;
        """
    }

    // MARK: Dialects

    var text: String { dialect == .postgres ? "TEXT" : "STRING" }
    var integer: String { switch dialect { case .postgres: "BIGINT"; case .spark: "BIGINT"; case .bigquery: "INT64" } }
    var double: String { switch dialect { case .postgres: "DOUBLE PRECISION"; case .spark: "DOUBLE"; case .bigquery: "FLOAT64" } }
    /// PostgreSQL rounds to decimals only on NUMERIC.
    var decimal: String { dialect == .postgres ? "NUMERIC" : double }

    var qualifiedTable: String {
        switch dialect {
        case .bigquery: "`\(table)`"
        case .postgres: table.split(separator: ".").map { "\"\($0)\"" }.joined(separator: ".")
        case .spark: table.split(separator: ".").map { "`\($0)`" }.joined(separator: ".")
        }
    }

    /// A column name as each engine quotes it: PostgreSQL doubles a double quote inside double
    /// quotes; Spark doubles a backtick inside backticks; BigQuery escapes backticks and
    /// backslashes with a backslash. Control characters (line breaks among them) are refused.
    func quote(_ identifier: String) throws -> String {
        guard !identifier.isEmpty, !identifier.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw SQLError("column names may not be empty or hold control characters: \(identifier.debugDescription)")
        }
        switch dialect {
        case .postgres: return "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        case .spark: return "`" + identifier.replacingOccurrences(of: "`", with: "``") + "`"
        case .bigquery: return "`" + identifier.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "`", with: "\\`") + "`"
        }
    }

    /// A string literal as each engine escapes it: PostgreSQL doubles a quote (a backslash is an
    /// ordinary character there, with standard_conforming_strings on, its default since 9.1);
    /// Spark and BigQuery escape quotes and backslashes with a backslash. Control characters are refused.
    func literal(_ value: String) throws -> String {
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw SQLError("values may not hold control characters: \(value.debugDescription)")
        }
        switch dialect {
        case .postgres: return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
        case .spark, .bigquery: return "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
    }
}
