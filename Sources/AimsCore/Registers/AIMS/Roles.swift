/// An AIMS role (5.3, A.3.2): its responsibilities and authorities, who holds it and whom it reports to.
public struct AIMSRole: RegisterRecord {
    public var name: String
    public var responsibilities: String
    public var authorities: String?
    public var assignedTo: [String]
    public var reportsTo: String?
    /// Whether this role receives concerns about AI systems (A.3.3).
    public var receivesConcerns: Bool?
    public var concernChannel: String?

    public init(
        name: String,
        responsibilities: String,
        authorities: String? = nil,
        assignedTo: [String],
        reportsTo: String? = nil,
        receivesConcerns: Bool? = nil,
        concernChannel: String? = nil
    ) {
        self.name = name
        self.responsibilities = responsibilities
        self.authorities = authorities
        self.assignedTo = assignedTo
        self.reportsTo = reportsTo
        self.receivesConcerns = receivesConcerns
        self.concernChannel = concernChannel
    }

    public var displayTitle: String { name }

    public static let spec = RegisterSpec(
        kind: "aims-role", path: "roles", singular: "AIMS role", plural: "Roles and responsibilities", clause: "5.3", area: "5 Leadership",
        summary: "Roles of the AIMS, their responsibilities and authorities, who holds them and where concerns are reported.",
        fields: [
            FieldSpec("name", "Role", required: true, listed: true),
            FieldSpec("responsibilities", "Responsibilities", .longText, required: true),
            FieldSpec("authorities", "Authorities", .longText),
            FieldSpec("assignedTo", "Assigned to", .textList, required: true, listed: true, filterable: true, help: "One person per line."),
            FieldSpec("reportsTo", "Reports to", .reference("aims-role")),
            FieldSpec("receivesConcerns", "Receives concerns (A.3.3)", .boolean, listed: true, filterable: true),
            FieldSpec("concernChannel", "How concerns reach this role", .longText),
        ],
        uniqueFields: ["name"], defaultSort: "name")

    public func check(previous: AIMSRole?, context: RuleContext) -> [FieldIssue] {
        receivesConcerns == true && (concernChannel?.isEmpty ?? true)
            ? [FieldIssue("concernChannel", "is required for a role that receives concerns")] : []
    }
}

/// Who is responsible, accountable, consulted and informed for one activity of an AI system or process.
public struct RACIAssignment: RegisterRecord {
    public var activity: String
    public var aiSystem: String?
    public var process: String?
    public var responsible: [String]
    public var accountable: String
    public var consulted: [String]?
    public var informed: [String]?

    public init(
        activity: String,
        aiSystem: String? = nil,
        process: String? = nil,
        responsible: [String],
        accountable: String,
        consulted: [String]? = nil,
        informed: [String]? = nil
    ) {
        self.activity = activity
        self.aiSystem = aiSystem
        self.process = process
        self.responsible = responsible
        self.accountable = accountable
        self.consulted = consulted
        self.informed = informed
    }

    public var displayTitle: String { activity }

    public static let spec = RegisterSpec(
        kind: "raci", path: "raci", singular: "RACI assignment", plural: "RACI", clause: "A.3.2", area: "5 Leadership",
        summary: "Responsible, accountable, consulted and informed, per AI system or process.",
        fields: [
            FieldSpec("activity", "Activity", required: true, listed: true),
            FieldSpec("aiSystem", "AI system", .reference(AISystem.spec.kind), filterable: true),
            FieldSpec("process", "Process", listed: true, filterable: true),
            FieldSpec("responsible", "Responsible", .textList, required: true, listed: true),
            FieldSpec("accountable", "Accountable", required: true, listed: true, filterable: true),
            FieldSpec("consulted", "Consulted", .textList),
            FieldSpec("informed", "Informed", .textList),
        ],
        defaultSort: "activity")

    public func check(previous: RACIAssignment?, context: RuleContext) -> [FieldIssue] {
        aiSystem == nil && (process?.isEmpty ?? true) ? [FieldIssue("process", "name a process or choose an AI system")] : []
    }
}
