import AimsCore
import Foundation

/// Turns a register list into CSV, JSON or Markdown. Columns are the register's fields, in order,
/// preceded by the record id and followed by the version and last change.
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, json, md

    public var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .json: "application/json"
        case .md: "text/markdown; charset=utf-8"
        }
    }
}

public enum RegisterExport {
    public static func render(_ records: [StoredRecord], spec: RegisterSpec, format: ExportFormat) throws -> String {
        switch format {
        case .csv: csv(records, spec: spec)
        case .json: try json(records, spec: spec)
        case .md: markdown(records, spec: spec)
        }
    }

    static func row(_ record: StoredRecord, spec: RegisterSpec) -> [String] {
        [record.id.uuidString.lowercased()]
            + spec.fields.map { field in
                let value = record.data[field.name] ?? .null
                if case .string(let text) = value { return field.label(for: text) }
                if case .array(let items) = value { return items.map { field.label(for: $0.text) }.joined(separator: "; ") }
                return value.text
            }
            + [String(record.version), record.text(of: "updatedAt"), record.updatedBy]
    }

    static func header(_ spec: RegisterSpec) -> [String] { ["id"] + spec.fields.map(\.name) + ["version", "updatedAt", "updatedBy"] }

    /// RFC 4180 CSV. Cells that a spreadsheet would run as a formula are prefixed with a quote.
    public static func csv(_ records: [StoredRecord], spec: RegisterSpec) -> String {
        ([header(spec)] + records.map { row($0, spec: spec) })
            .map { $0.map(csvCell).joined(separator: ",") }
            .joined(separator: "\r\n") + "\r\n"
    }

    static func csvCell(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@\t\r".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func json(_ records: [StoredRecord], spec: RegisterSpec) throws -> String {
        let items: [JSONValue] = records.map { record in
            var object: [String: JSONValue] = ["id": .string(record.id.uuidString.lowercased()), "version": .number(Double(record.version)),
                                               "updatedAt": .string(record.text(of: "updatedAt")), "updatedBy": .string(record.updatedBy)]
            if case .object(let fields) = record.data { object.merge(fields) { current, _ in current } }
            return .object(object)
        }
        let document: JSONValue = .object(["register": .string(spec.kind), "clause": .string(spec.clause), "items": .array(items)])
        let encoder = JSONCoding.encoder
        encoder.outputFormatting.insert(.prettyPrinted)
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }

    /// A Markdown table of the listed fields, for pasting into reports.
    public static func markdown(_ records: [StoredRecord], spec: RegisterSpec) -> String {
        let fields = spec.fields.filter(\.listed)
        var lines = ["# \(spec.plural) (ISO/IEC 42001 \(spec.clause))", "", "| " + fields.map(\.label).joined(separator: " | ") + " |",
                     "|" + String(repeating: " --- |", count: fields.count)]
        for record in records {
            let cells = fields.map { field -> String in
                let value = record.data[field.name] ?? .null
                let text = if case .string(let raw) = value { field.label(for: raw) } else { value.text }
                return text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
            }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines.append("\(records.count) \(records.count == 1 ? "row" : "rows").")
        return lines.joined(separator: "\n") + "\n"
    }
}
