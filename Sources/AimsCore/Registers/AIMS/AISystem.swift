/// An AI system in the inventory (clause 4.1, A.4, A.6): what it is for, who answers for it,
/// how the EU AI Act classifies it and how people oversee it.
public struct AISystem: RegisterRecord {
    public var name: String
    public var purpose: String
    public var intendedUse: String?
    public var foreseeableMisuse: String?
    public var owner: String
    public var businessUnit: String?
    public var aiRoles: [AIRole]?
    public var euOperatorRole: String
    public var euClassification: String
    public var annexIIIArea: String?
    public var classificationReason: String?
    public var lifecycleStage: String
    public var autonomyLevel: String?
    public var oversightMechanism: String?
    public var oversightDescription: String?
    public var users: String?
    public var affectedPersons: String?
    public var deploymentRegions: [String]?
    public var status: String
    public var inUseSince: CalendarDate?
    public var retiredOn: CalendarDate?
    public var controls: [String]?

    public init(
        name: String,
        purpose: String,
        intendedUse: String? = nil,
        foreseeableMisuse: String? = nil,
        owner: String,
        businessUnit: String? = nil,
        aiRoles: [AIRole]? = nil,
        euOperatorRole: String,
        euClassification: String,
        annexIIIArea: String? = nil,
        classificationReason: String? = nil,
        lifecycleStage: String,
        autonomyLevel: String? = nil,
        oversightMechanism: String? = nil,
        oversightDescription: String? = nil,
        users: String? = nil,
        affectedPersons: String? = nil,
        deploymentRegions: [String]? = nil,
        status: String,
        inUseSince: CalendarDate? = nil,
        retiredOn: CalendarDate? = nil,
        controls: [String]? = nil
    ) {
        self.name = name
        self.purpose = purpose
        self.intendedUse = intendedUse
        self.foreseeableMisuse = foreseeableMisuse
        self.owner = owner
        self.businessUnit = businessUnit
        self.aiRoles = aiRoles
        self.euOperatorRole = euOperatorRole
        self.euClassification = euClassification
        self.annexIIIArea = annexIIIArea
        self.classificationReason = classificationReason
        self.lifecycleStage = lifecycleStage
        self.autonomyLevel = autonomyLevel
        self.oversightMechanism = oversightMechanism
        self.oversightDescription = oversightDescription
        self.users = users
        self.affectedPersons = affectedPersons
        self.deploymentRegions = deploymentRegions
        self.status = status
        self.inUseSince = inUseSince
        self.retiredOn = retiredOn
        self.controls = controls
    }

    public var displayTitle: String { name }

    public static let spec = RegisterSpec(
        kind: "ai-system", path: "ai-systems", singular: "AI system", plural: "AI systems", clause: "A.4", area: "4 Context",
        summary: "The inventory of AI systems the AIMS covers, with their purpose, classification and oversight.",
        fields: [
            FieldSpec("name", "Name", required: true, listed: true),
            FieldSpec("purpose", "Purpose", .longText, required: true),
            FieldSpec("intendedUse", "Intended use", .longText),
            FieldSpec("foreseeableMisuse", "Reasonably foreseeable misuse", .longText),
            FieldSpec("owner", "Owner", required: true, listed: true, filterable: true),
            FieldSpec("businessUnit", "Business unit", listed: true, filterable: true),
            FieldSpec("aiRoles", "Our AI roles (ISO/IEC 22989)", .choices(AIRole.choices), filterable: true),
            FieldSpec("euOperatorRole", "EU AI Act operator role", .choice(Vocabulary.euOperatorRoles), required: true, filterable: true),
            FieldSpec("euClassification", "EU AI Act classification", .choice(Vocabulary.euClassifications), required: true, listed: true, filterable: true),
            FieldSpec("annexIIIArea", "Annex III area", .choice(Vocabulary.annexIIIAreas), filterable: true),
            FieldSpec("classificationReason", "Reason for the classification", .longText),
            FieldSpec("lifecycleStage", "Life-cycle stage", .choice(Vocabulary.lifecycleStages), required: true, listed: true, filterable: true),
            FieldSpec("autonomyLevel", "Level of automation", .choice(Vocabulary.autonomy), filterable: true),
            FieldSpec("oversightMechanism", "Human oversight", .choice(Vocabulary.oversight), listed: true, filterable: true),
            FieldSpec("oversightDescription", "How oversight works", .longText),
            FieldSpec("users", "Users", .longText),
            FieldSpec("affectedPersons", "Affected persons", .longText),
            FieldSpec("deploymentRegions", "Deployment regions", .textList),
            FieldSpec("status", "Status", .choice(Vocabulary.list([("planned", "Planned"), ("in-development", "In development"), ("in-use", "In use"),
                                                                   ("suspended", "Suspended"), ("retired", "Retired")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("inUseSince", "In use since", .date),
            FieldSpec("retiredOn", "Retired on", .date),
            FieldSpec("controls", "Controls in force (SoA)", .references(SoAEntry.spec.kind)),
        ],
        defaultSort: "name")

    public func check(previous: AISystem?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if euClassification == "high-risk-annex-iii", annexIIIArea == nil {
            issues.append(FieldIssue("annexIIIArea", "is required for a high-risk Annex III system"))
        }
        if euClassification != "high-risk-annex-iii", annexIIIArea != nil {
            issues.append(FieldIssue("annexIIIArea", "applies only to high-risk Annex III systems"))
        }
        if euClassification != "not-assessed", classificationReason?.isEmpty ?? true {
            issues.append(FieldIssue("classificationReason", "is required once the system is classified"))
        }
        if euClassification == "prohibited", status == "in-use" {
            issues.append(FieldIssue("status", "a prohibited practice cannot be in use"))
        }
        if status == "retired", retiredOn == nil { issues.append(FieldIssue("retiredOn", "is required for a retired system")) }
        if ["high-risk-annex-iii", "high-risk-annex-i"].contains(euClassification), oversightMechanism == nil {
            issues.append(FieldIssue("oversightMechanism", "is required for a high-risk system (EU AI Act Art. 14)"))
        }
        return issues + order(inUseSince, retiredOn, field: "retiredOn", message: "cannot be before the date it came into use")
    }
}
