/// The report as a terminal table or Markdown.
public enum ReportText {
    public static func render(_ report: MetricsReport, markdown: Bool) -> String {
        var out: [String] = []
        func heading(_ text: String) { out.append(markdown ? "\n## \(text)\n" : "\n\(text)\n" + String(repeating: "=", count: text.count)) }
        func table(_ header: [String], _ rows: [[String]]) {
            if markdown {
                out.append("| " + header.joined(separator: " | ") + " |")
                out.append("|" + String(repeating: " --- |", count: header.count))
                for row in rows { out.append("| " + row.joined(separator: " | ") + " |") }
            } else {
                let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
                func line(_ cells: [String]) -> String {
                    cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                }
                out.append(line(header))
                out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
                for row in rows { out.append(line(row)) }
            }
        }
        let f = { (value: Double?) in value.map { String(format: "%.4f", $0) } ?? "null" }
        out.append(markdown ? "# Aims \(report.kind) report" : "Aims \(report.kind) report")
        for file in report.input.files {
            out.append("\(markdown ? "- " : "")\(file.path): \(file.rows) rows\(file.skippedRows > 0 ? ", \(file.skippedRows) skipped" : ""), sha256 \(file.sha256)")
        }
        for attribute in report.fairness ?? [] {
            heading("Fairness: \(attribute.attribute)")
            table(["group", "count", "status", "selection", "TPR", "FPR", "FNR", "precision", "accuracy", "AUC"],
                  ([attribute.overall] + attribute.groups).map {
                      [$0.group, String($0.count), $0.status, f($0.selectionRate), f($0.truePositiveRate), f($0.falsePositiveRate),
                       f($0.falseNegativeRate), f($0.precision), f($0.accuracy), f($0.rocAUC)]
                  })
            out.append("")
            table(["disparity", "value", "threshold", "status"],
                  attribute.disparities.map { [$0.name + ($0.privilegedGroup.map { " (privileged \($0))" } ?? ""), f($0.value), "\($0.comparison) \(f($0.threshold))", $0.status] })
        }
        if let performance = report.performance {
            heading("Performance")
            table(["metric", "value"], [("accuracy", performance.accuracy), ("precision", performance.precision), ("recall", performance.recall),
                                        ("f1", performance.f1), ("roc_auc", performance.rocAUC), ("brier_score", performance.brierScore),
                                        ("expected_calibration_error", performance.expectedCalibrationError)].map { [$0.0, f($0.1)] })
        }
        if let drift = report.drift {
            heading("Drift")
            table(["column", "type", "test", "value", "drifted", "psi", "new categories"], drift.map { column in
                let deciding = column.tests.first { $0.name == column.decidingTest }
                return [column.column + (column.role.map { " (\($0))" } ?? ""), column.type, column.decidingTest, f(deciding?.value), column.drifted ? "yes" : "no",
                        f(column.tests.first { $0.name == "psi" }?.value), listed(column.newCategories ?? [])]
            })
            for note in drift.compactMap(notNumbersNote) { out.append("\n" + note) }
            if let dataset = report.datasetDrift {
                out.append("\nDataset drift: \(dataset.driftedColumns) of \(dataset.columns) columns (share \(f(dataset.share)), threshold \(f(dataset.threshold))) → \(dataset.drifted ? "DRIFTED" : "stable")")
            }
        }
        if let quality = report.quality {
            heading("Data quality")
            out.append("\(quality.rows) rows, \(quality.duplicateRows) duplicates")
            table(["column", "type", "missing", "distinct", "outliers", "issues"], quality.columns.map {
                [$0.column, $0.type, f($0.missingShare), String($0.distinct), $0.outliers.map(String.init) ?? "", $0.issues.joined(separator: "; ")]
            })
        }
        heading("Result")
        out.append(report.status == "pass" ? "PASS" : "FAIL")
        for failure in report.failures { out.append("\(markdown ? "- " : "  ")\(failure)") }
        return out.joined(separator: "\n") + "\n"
    }

    /// The first few of a list, and how many more (a column made categorical by a stray value
    /// has a new category for nearly every current number: listed whole, one cell of the table
    /// ran to megabytes). The JSON report keeps the whole list.
    static func listed(_ values: [String], first: Int = 5) -> String {
        guard values.count > first else { return values.joined(separator: ", ") }
        return values.prefix(first).joined(separator: ", ") + ", … (\(values.count - first) more)"
    }

    /// Why a drift column is categorical, when a few values that are not numbers made it so
    /// (`ColumnDrift.notNumbers`); nil otherwise. The reports and the monitoring page say the same.
    public static func notNumbersNote(_ column: ColumnDrift) -> String? {
        guard let strays = column.notNumbers else { return nil }
        return "\(column.column) is categorical: \(strays.count) of its values \(strays.count == 1 ? "is" : "are") not a number ("
            + strays.values.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ") + (strays.values.count > 3 ? ", …" : "")
            + "), the other \(strays.numbers) are. --numerical \(column.column) reports them as errors; --categorical \(column.column) keeps it categorical without this note."
    }
}
