/// ISO/IEC 22989 roles an organisation can hold towards AI.
public enum AIRole: String, Sendable, Codable, CaseIterable {
    case provider, producer, customer, partner, subject
    case relevantAuthority = "relevant-authority"

    public static var choices: [Choice] {
        [
            Choice("provider", "AI provider"), Choice("producer", "AI producer"), Choice("customer", "AI customer"),
            Choice("partner", "AI partner"), Choice("subject", "AI subject"), Choice("relevant-authority", "Relevant authority"),
        ]
    }
}

/// Approval state shared by versioned documents.
public enum DocumentStatus: String, Sendable, Codable, CaseIterable {
    case draft, approved, superseded
    public static var choices: [Choice] { [Choice("draft", "Draft"), Choice("approved", "Approved"), Choice("superseded", "Superseded")] }
}

/// The AIMS scope statement (clause 4.3). Every saved change is a new version in the audit trail.
public struct ScopeStatement: RegisterRecord {
    public var title: String
    public var boundaries: String
    public var inScopeSystems: String?
    public var sitesAndUnits: [String]?
    public var aiRoles: [AIRole]
    public var exclusions: String?
    public var exclusionJustification: String?
    public var status: DocumentStatus
    public var approvedBy: String?
    public var approvedOn: CalendarDate?
    public var effectiveFrom: CalendarDate?

    public init(
        title: String, boundaries: String, inScopeSystems: String? = nil, sitesAndUnits: [String]? = nil, aiRoles: [AIRole], exclusions: String? = nil, exclusionJustification: String? = nil, status: DocumentStatus, approvedBy: String? = nil, approvedOn: CalendarDate? = nil, effectiveFrom: CalendarDate? = nil
    ) {
        self.title = title
        self.boundaries = boundaries
        self.inScopeSystems = inScopeSystems
        self.sitesAndUnits = sitesAndUnits
        self.aiRoles = aiRoles
        self.exclusions = exclusions
        self.exclusionJustification = exclusionJustification
        self.status = status
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
        self.effectiveFrom = effectiveFrom
    }

    public var displayTitle: String { title }

    public static let spec = RegisterSpec(
        kind: "scope-statement", path: "scope-statements", singular: "Scope statement", plural: "Scope statements",
        clause: "4.3", area: "4 Context", summary: "Boundaries and applicability of the AI management system.",
        fields: [
            FieldSpec("title", "Title", required: true, listed: true),
            FieldSpec("boundaries", "Boundaries", .longText, required: true, help: "Organisational, physical and activity boundaries of the AIMS."),
            FieldSpec("inScopeSystems", "AI systems in scope", .longText, help: "Which AI systems the AIMS covers."),
            FieldSpec("sitesAndUnits", "Sites and units", .textList, help: "One per line."),
            FieldSpec("aiRoles", "AI roles held", .choices(AIRole.choices), required: true, listed: true, filterable: true),
            FieldSpec("exclusions", "Exclusions", .longText, help: "What is deliberately outside the scope."),
            FieldSpec("exclusionJustification", "Justification of exclusions", .longText),
            FieldSpec("status", "Status", .choice(DocumentStatus.choices), required: true, listed: true, filterable: true),
            FieldSpec("approvedBy", "Approved by", listed: true),
            FieldSpec("approvedOn", "Approved on", .date, listed: true),
            FieldSpec("effectiveFrom", "Effective from", .date),
        ],
        defaultSort: "-updatedAt"
    )

    public func check(previous: ScopeStatement?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if exclusions?.isEmpty == false, exclusionJustification?.isEmpty ?? true {
            issues.append(FieldIssue("exclusionJustification", "is required when the scope excludes something"))
        }
        if status == .approved {
            if approvedBy == nil { issues.append(FieldIssue("approvedBy", "is required for an approved scope")) }
            if approvedOn == nil { issues.append(FieldIssue("approvedOn", "is required for an approved scope")) }
        }
        if let approvedOn, let effectiveFrom, effectiveFrom < approvedOn {
            issues.append(FieldIssue("effectiveFrom", "cannot be before the approval date"))
        }
        return issues
    }
}
