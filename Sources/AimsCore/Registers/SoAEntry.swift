/// One row of the Statement of Applicability (clause 6.1.3): an Annex A control or a custom control.
public struct SoAEntry: RegisterRecord {
    public enum Source: String, Sendable, Codable { case annexA = "annex-a", custom }

    public enum ImplementationStatus: String, Sendable, Codable, CaseIterable {
        case notStarted = "not-started", planned
        case partiallyImplemented = "partially-implemented", implemented
        public static var choices: [Choice] {
            [Choice("not-started", "Not started"), Choice("planned", "Planned"),
             Choice("partially-implemented", "Partially implemented"), Choice("implemented", "Implemented")]
        }
    }

    public var controlId: String
    public var source: Source
    public var title: String
    /// nil until the organisation has decided.
    public var applicable: Bool?
    public var justification: String?
    public var implementationStatus: ImplementationStatus
    public var owner: String?
    public var targetDate: CalendarDate?
    public var notes: String?

    public init(
        controlId: String, source: Source, title: String, applicable: Bool? = nil, justification: String? = nil, implementationStatus: ImplementationStatus, owner: String? = nil, targetDate: CalendarDate? = nil, notes: String? = nil
    ) {
        self.controlId = controlId
        self.source = source
        self.title = title
        self.applicable = applicable
        self.justification = justification
        self.implementationStatus = implementationStatus
        self.owner = owner
        self.targetDate = targetDate
        self.notes = notes
    }

    public var displayTitle: String { "\(controlId) \(title)" }

    public static let spec = RegisterSpec(
        kind: "soa-entry", path: "soa", singular: "Statement of Applicability row", plural: "Statement of Applicability",
        clause: "6.1.3", area: "6 Planning",
        summary: "Every Annex A control and each custom control: applicable or not, why, and how far implemented.",
        fields: [
            FieldSpec("controlId", "Control", required: true, listed: true, filterable: true),
            FieldSpec("source", "Source", .choice([Choice("annex-a", "Annex A"), Choice("custom", "Custom control")]),
                      required: true, listed: true, filterable: true),
            FieldSpec("title", "Title", required: true, listed: true),
            FieldSpec("applicable", "Applicable", .boolean, listed: true, filterable: true),
            FieldSpec("justification", "Justification", .longText, listed: true,
                      help: "Why the control is included or excluded. Required either way."),
            FieldSpec("implementationStatus", "Implementation status", .choice(ImplementationStatus.choices),
                      required: true, listed: true, filterable: true),
            FieldSpec("owner", "Owner", listed: true, filterable: true),
            FieldSpec("targetDate", "Target date", .date, listed: true),
            FieldSpec("notes", "Notes", .longText),
        ],
        uniqueFields: ["controlId"],
        defaultSort: "controlId",
        deletionRule: .refusedWhen(field: "source", equals: "annex-a",
                                   reason: "Annex A rows belong to every Statement of Applicability; mark the control not applicable instead")
    )

    /// The row every organisation starts with for an Annex A control.
    public static func undecided(_ control: Catalog.Control) -> SoAEntry {
        SoAEntry(controlId: control.id, source: .annexA, title: control.title, applicable: nil, justification: nil,
                 implementationStatus: .notStarted)
    }

    public func check(previous: SoAEntry?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        switch source {
        case .annexA:
            if let control = context.catalog.control(controlId) {
                if title != control.title { issues.append(FieldIssue("title", "of an Annex A row is the control's title: \(control.title)")) }
            } else {
                issues.append(FieldIssue("controlId", "\(controlId) is not an Annex A control"))
            }
        case .custom:
            if context.catalog.control(controlId) != nil || controlId.hasPrefix("A.") {
                issues.append(FieldIssue("controlId", "custom controls need an id outside Annex A's, such as X.1"))
            }
        }
        if let previous {
            if previous.controlId != controlId { issues.append(FieldIssue("controlId", "cannot change; add a new row instead")) }
            if previous.source != source { issues.append(FieldIssue("source", "cannot change")) }
        }
        if applicable != nil, justification?.isEmpty ?? true {
            issues.append(FieldIssue("justification", "is required whether the control is applicable or not"))
        } else if let previous, previous.applicable != nil, previous.applicable != applicable,
            previous.justification == justification
        {
            issues.append(FieldIssue("justification", "must be rewritten when applicability changes"))
        }
        if applicable == false, implementationStatus != .notStarted {
            issues.append(FieldIssue("implementationStatus", "must be not-started for a control that is not applicable"))
        }
        return issues
    }
}
