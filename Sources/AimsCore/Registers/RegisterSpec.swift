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
    public var summary: String
    public var fields: [FieldSpec]
    /// A field whose value must be unique within an organisation.
    public var uniqueField: String?
    public var defaultSort: String
    /// Records the API may not delete (for example Annex A rows of the Statement of Applicability).
    public var deletionRule: DeletionRule

    public enum DeletionRule: Sendable {
        case allowed
        case refusedWhen(field: String, equals: String, reason: String)
    }

    public init(
        kind: String, path: String, singular: String, plural: String, clause: String, summary: String,
        fields: [FieldSpec], uniqueField: String? = nil, defaultSort: String, deletionRule: DeletionRule = .allowed
    ) {
        self.kind = kind
        self.path = path
        self.singular = singular
        self.plural = plural
        self.clause = clause
        self.summary = summary
        self.fields = fields
        self.uniqueField = uniqueField
        self.defaultSort = defaultSort
        self.deletionRule = deletionRule
    }

    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
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

    public init(
        _ name: String, _ label: String, _ kind: Kind = .text, required: Bool = false, listed: Bool = false,
        filterable: Bool = false, help: String = ""
    ) {
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
}

/// A value type stored in a register.
public protocol RegisterRecord: Codable, Sendable, Equatable {
    static var spec: RegisterSpec { get }
    /// The human title of the record, used in lists, links and search.
    var displayTitle: String { get }
    /// Rules beyond field types. `previous` is the stored record on update, nil on create.
    func check(previous: Self?, catalog: Catalog) -> [FieldIssue]
}

extension RegisterRecord {
    public func check(previous: Self?, catalog: Catalog) -> [FieldIssue] { [] }
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
