import Foundation

extension RegisterSpec {
    /// Checks submitted JSON against the field specs: unknown fields, required fields, types,
    /// enumerations and date format. Returns every issue, not only the first.
    public func issues(in input: JSONValue) -> [FieldIssue] {
        guard case .object(let object) = input else { return [FieldIssue("", "the body must be a JSON object")] }
        var issues: [FieldIssue] = []
        for key in object.keys.sorted() where field(key) == nil {
            issues.append(FieldIssue(key, "is not a field of \(singular.lowercased())"))
        }
        for field in fields where !field.derived {
            let value = object[field.name] ?? .null
            if value == .null || value == .string("") || value == .array([]) {
                if field.required { issues.append(FieldIssue(field.name, "is required")) }
                continue
            }
            if let problem = field.problem(with: value) { issues.append(FieldIssue(field.name, problem)) }
        }
        return issues
    }

    /// Validates input and decodes the typed record, then applies its rules.
    /// Derived fields in the input are ignored: they keep their stored values until the record's
    /// `derive` recomputes them (levels, deadlines) or Aims itself sets them (an uploaded file's digest).
    public func decode<R: RegisterRecord>(_ type: R.Type, from input: JSONValue, previous: R?, context: RuleContext) throws -> R {
        let derivedNames = fields.filter(\.derived).map(\.name)
        var input = input.removing(derivedNames)
        if let previous, case .object(var object) = input, let stored = try? JSONValue(encoding: previous) {
            for name in derivedNames { object[name] = stored[name] }
            input = .object(object)
        }
        let issues = issues(in: input)
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        var record: R
        do {
            record = try input.normalized().decode(R.self)
        } catch let error as DecodingError {
            throw ValidationFailure([FieldIssue(error.fieldName, "has the wrong type or is missing")])
        }
        record.derive(context: context)
        let ruleIssues = record.check(previous: previous, context: context)
        guard ruleIssues.isEmpty else { throw ValidationFailure(ruleIssues) }
        return record
    }
}

extension JSONValue {
    func removing(_ keys: [String]) -> JSONValue {
        guard case .object(var object) = self else { return self }
        for key in keys { object[key] = nil }
        return .object(object)
    }

    /// Empty strings become null so optional fields decode as absent.
    func normalized() -> JSONValue {
        guard case .object(var object) = self else { return self }
        for (key, value) in object where value == .string("") { object[key] = .null }
        return .object(object)
    }
}

extension FieldSpec {
    func problem(with value: JSONValue) -> String? {
        switch (kind, value) {
        case (.text, .string(let text)), (.longText, .string(let text)):
            let limit = if case .text = kind { 500 } else { 20_000 }
            return text.count > limit ? "must be at most \(limit) characters" : nil
        case (.boolean, .bool): return nil
        case (.date, .string(let text)):
            return CalendarDate(text) == nil ? "must be a date written YYYY-MM-DD" : nil
        case (.choice(let choices), .string(let text)):
            return choices.contains { $0.value == text } ? nil : "must be one of: \(choices.map(\.value).joined(separator: ", "))"
        case (.choices(let choices), .array(let items)):
            for item in items {
                guard case .string(let text) = item, choices.contains(where: { $0.value == text }) else {
                    return "may only contain: \(choices.map(\.value).joined(separator: ", "))"
                }
            }
            return nil
        case (.textList, .array(let items)):
            return items.allSatisfy { if case .string = $0 { true } else { false } } ? nil : "must be a list of strings"
        case (.integer(let range), .number(let number)):
            return number == number.rounded() && range.contains(Int(number)) ? nil : "must be a whole number from \(range.lowerBound) to \(range.upperBound)"
        case (.dateTime, .string(let text)):
            return (try? Date(text, strategy: .iso8601)) == nil ? "must be a date and time with its offset, such as 2026-03-01T09:30:00+01:00" : nil
        case (.reference, .string(let text)):
            return UUID(uuidString: text) == nil ? "must be the id of a record" : nil
        case (.references, .array(let items)):
            return items.allSatisfy { $0.stringValue.flatMap(UUID.init(uuidString:)) != nil } ? nil : "must be a list of record ids"
        case (.integer(let range), _): return "must be a whole number from \(range.lowerBound) to \(range.upperBound)"
        case (.boolean, _): return "must be true or false"
        case (.choices, _), (.textList, _), (.references, _): return "must be a list"
        default: return "must be a string"
        }
    }
}

extension DecodingError {
    var fieldName: String {
        switch self {
        case .keyNotFound(let key, _): key.stringValue
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath.first?.stringValue ?? ""
        @unknown default: ""
        }
    }
}

/// A calendar date without a time zone ("2026-03-31"), as registers use for due and review dates.
public struct CalendarDate: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...CalendarDate.days(in: m, of: y)).contains(d)
        else { return nil }
        (year, month, day) = (y, m, d)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        "\(String(format: "%04d", year))-\(String(format: "%02d", month))-\(String(format: "%02d", day))"
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
