import Foundation

/// Describes one register (a kind of record) so that the API, forms, lists, filters, exports and
/// the OpenAPI document are all derived from one place.
public struct RegisterSpec: Sendable {
    /// Stable machine name stored with each record and in the audit trail ("context-issue").
    public var kind: String
    /// URL segment of the collection ("context-issues").
    public var path: String
    public var singular: String
    public var plural: String
    /// The ISO/IEC 42001 clause or control the register serves.
    public var clause: String
    /// The navigation area it appears under ("4 Context", "6 Planning", …).
    public var area: String
    public var summary: String
    public var fields: [FieldSpec]
    /// Fields whose values together must be unique within an organisation (a model's name and version).
    public var uniqueFields: [String]
    public var defaultSort: String
    /// Records the API may not delete (for example Annex A rows of the Statement of Applicability).
    public var deletionRule: DeletionRule
    /// Fields only a role with the approve permission may change (approver, acceptance of risk).
    public var approvalFields: [String]

    /// One record per organisation (the risk criteria, say), created with the organisation.
    public var singleton: Bool

    public enum DeletionRule: Sendable {
        case allowed
        case never(reason: String)
        case refusedWhen(field: String, equals: String, reason: String)
    }

    public init(
        kind: String, path: String, singular: String, plural: String, clause: String, area: String, summary: String,
        fields: [FieldSpec], uniqueFields: [String] = [], defaultSort: String, deletionRule: DeletionRule = .allowed,
        approvalFields: [String] = [], singleton: Bool = false
    ) {
        self.singleton = singleton
        self.area = area
        self.approvalFields = approvalFields
        self.kind = kind
        self.path = path
        self.singular = singular
        self.plural = plural
        self.clause = clause
        self.summary = summary
        self.fields = fields
        self.uniqueFields = uniqueFields
        self.defaultSort = defaultSort
        self.deletionRule = deletionRule
    }

    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }

    /// The value that must be unique per organisation, if the register has one.
    public func uniqueKey(of data: JSONValue) -> String? {
        if singleton { return "singleton" }
        guard !uniqueFields.isEmpty else { return nil }
        return uniqueFields.map { data[$0]?.text ?? "" }.joined(separator: " ")
    }
}

public struct Choice: Sendable, Equatable {
    public var value: String
    public var label: String
    public init(_ value: String, _ label: String) {
        self.value = value
        self.label = label
    }
}

public struct FieldSpec: Sendable {
    public enum Kind: Sendable {
        case text
        case longText
        case boolean
        /// A calendar date written YYYY-MM-DD.
        case date
        case choice([Choice])
        case choices([Choice])
        /// Free-text list, one item per line in forms.
        case textList
        /// A whole number within a range (likelihood 1–5, say).
        case integer(ClosedRange<Int>)
        /// An instant with its time zone, written ISO 8601 ("2026-03-01T09:30:00+01:00").
        case dateTime
        /// The id of one record of the named register kind, in the same organisation.
        case reference(String)
        /// Ids of records of the named register kind.
        case references(String)
    }

    public var name: String
    public var label: String
    public var help: String
    public var kind: Kind
    public var required: Bool
    /// Shown as a column in list pages and exports.
    public var listed: Bool
    /// Usable as `?name=value` in list queries.
    public var filterable: Bool
    /// Computed by Aims (a risk level, a reporting deadline); ignored on input, not in forms.
    public var derived: Bool

    public init(
        _ name: String, _ label: String, _ kind: Kind = .text, required: Bool = false, listed: Bool = false,
        filterable: Bool = false, derived: Bool = false, help: String = ""
    ) {
        self.derived = derived
        self.name = name
        self.label = label
        self.kind = kind
        self.required = required
        self.listed = listed
        self.filterable = filterable
        self.help = help
    }

    public var choices: [Choice] {
        switch kind {
        case .choice(let choices), .choices(let choices): choices
        default: []
        }
    }

    public func label(for value: String) -> String { choices.first { $0.value == value }?.label ?? value }

    /// The register kind this field points at, if it is a link.
    public var linkedKind: String? {
        switch kind {
        case .reference(let kind), .references(let kind): kind
        default: nil
        }
    }
}

/// A link from one record's field to another record.
public struct RecordLink: Sendable, Hashable, Codable {
    public var field: String
    public var kind: String
    public var id: UUID
    public init(field: String, kind: String, id: UUID) {
        self.field = field
        self.kind = kind
        self.id = id
    }
}

extension RegisterSpec {
    /// The links a record's data holds, from its reference fields.
    public func links(in data: JSONValue) -> [RecordLink] {
        fields.flatMap { field -> [RecordLink] in
            guard let kind = field.linkedKind else { return [] }
            let values = data[field.name].map { $0.arrayItems ?? [$0] } ?? []
            return values.compactMap { $0.stringValue.flatMap(UUID.init(uuidString:)) }.map { RecordLink(field: field.name, kind: kind, id: $0) }
        }
    }
}

/// What rules may consult besides the record itself.
public struct RuleContext: Sendable {
    public var catalog: Catalog
    public var riskCriteria: RiskCriteria
    public var now: Date
    public init(catalog: Catalog, riskCriteria: RiskCriteria = .standard, now: Date = Date()) {
        self.catalog = catalog
        self.riskCriteria = riskCriteria
        self.now = now
    }
}

/// A value type stored in a register.
public protocol RegisterRecord: Codable, Sendable, Equatable {
    static var spec: RegisterSpec { get }
    /// The human title of the record, used in lists, links and search.
    var displayTitle: String { get }
    /// Rules beyond field types. `previous` is the stored record on update, nil on create.
    func check(previous: Self?, context: RuleContext) -> [FieldIssue]
    /// Computes derived fields (levels, deadlines) before the record is checked and saved.
    mutating func derive(context: RuleContext)
}

extension RegisterRecord {
    public func check(previous: Self?, context: RuleContext) -> [FieldIssue] { [] }
    public mutating func derive(context: RuleContext) {}
}

/// A problem with one field of submitted input.
public struct FieldIssue: Sendable, Equatable, Codable, Error {
    public var field: String
    public var message: String
    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// Input that failed validation; every issue names its field.
public struct ValidationFailure: Error, Sendable, Equatable {
    public var issues: [FieldIssue]
    public init(_ issues: [FieldIssue]) { self.issues = issues }
}
