import Foundation
import AimsCore

/// Converts between register records and HTML forms.
enum FormMapping {
    /// Builds the JSON input a form submission stands for, using the register's field types.
    static func input(from form: FormData, spec: RegisterSpec) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for field in spec.fields {
            let raw = form.values[field.name] ?? []
            let first = (raw.first ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            switch field.kind {
            case .boolean: object[field.name] = first == "true" ? .bool(true) : first == "false" ? .bool(false) : .null
            case .choices: object[field.name] = .array(raw.filter { !$0.isEmpty }.map(JSONValue.string))
            case .references: object[field.name] = .array(raw.filter { !$0.isEmpty }.map(JSONValue.string))
            case .integer: object[field.name] = Int(first).map { .number(Double($0)) } ?? (first.isEmpty ? .null : .string(first))
            case .textList:
                object[field.name] = .array(first.split(whereSeparator: \.isNewline)
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map(JSONValue.string))
            default: object[field.name] = first.isEmpty ? .null : .string(first)
            }
        }
        return .object(object)
    }

    /// The view model of a form: each field with its current value, options and error.
    /// `candidates` holds, per linked register kind, the records a reference field may choose from.
    static func fields(spec: RegisterSpec, values: JSONValue, issues: [FieldIssue], candidates: [String: [StoredRecord]] = [:]) -> [[String: Any]] {
        spec.fields.map { field in
            let value = values[field.name] ?? .null
            // Mustache treats an empty string as true, so absent values are left out.
            var entry: [String: Any] = ["name": field.name, "label": field.label, "required": field.required]
            if !field.help.isEmpty { entry["help"] = field.help }
            if let issue = issues.first(where: { $0.field == field.name }) { entry["error"] = issue.message }
            switch field.kind {
            case .text: entry["isText"] = true
            case .date: entry["isDate"] = true
            case .longText: entry["isLong"] = true
            case .textList:
                entry["isList"] = true
                entry["value"] = (value.arrayItems ?? []).map(\.text).joined(separator: "\n")
            case .choice(let choices):
                entry["isChoice"] = true
                entry["options"] = choices.map { ["value": $0.value, "label": $0.label, "selected": value.text == $0.value] }
            case .choices(let choices):
                entry["isMulti"] = true
                let chosen = Set((value.arrayItems ?? []).map(\.text))
                entry["options"] = choices.map { ["value": $0.value, "label": $0.label, "selected": chosen.contains($0.value)] }
            case .integer(let range):
                entry["isNumber"] = true
                entry["min"] = range.lowerBound
                entry["max"] = range.upperBound
            case .dateTime: entry["isText"] = true
            case .reference(let kind):
                entry["isChoice"] = true
                entry["options"] = (candidates[kind] ?? []).map { ["value": $0.id.uuidString.lowercased(), "label": $0.title, "selected": value.text == $0.id.uuidString.lowercased()] }
            case .references(let kind):
                entry["isMulti"] = true
                let chosen = Set((value.arrayItems ?? []).map(\.text))
                entry["options"] = (candidates[kind] ?? []).map { ["value": $0.id.uuidString.lowercased(), "label": $0.title, "selected": chosen.contains($0.id.uuidString.lowercased())] }
            case .boolean:
                entry["isBool"] = true
                entry["options"] = [("true", "Yes"), ("false", "No")].map { ["value": $0.0, "label": $0.1, "selected": value == .bool($0.0 == "true")] }
            }
            if entry["value"] == nil { entry["value"] = value.text }
            return entry
        }
    }

    /// Display rows for a detail page: labels instead of codes, linked records by title.
    static func display(_ record: StoredRecord, spec: RegisterSpec, linked: [UUID: StoredRecord] = [:]) -> [[String: Any]] {
        spec.fields.map { field in
            let value = record.data[field.name] ?? .null
            if field.linkedKind != nil {
                let links = (value.arrayItems ?? [value]).compactMap { $0.stringValue.flatMap(UUID.init(uuidString:)) }.compactMap { linked[$0] }
                return ["label": field.label, "links": links.map { ["title": $0.title, "href": RegisterPages<SoAEntry>.href($0)] }, "hasLinks": !links.isEmpty]
            }
            let text: String
            switch value {
            case .string(let raw): text = field.label(for: raw)
            case .array(let items): text = items.map { field.label(for: $0.text) }.joined(separator: ", ")
            case .null: text = field.name == "applicable" ? "undecided" : ""
            default: text = value.text
            }
            return text.isEmpty ? ["label": field.label] : ["label": field.label, "text": text]
        }
    }
}
