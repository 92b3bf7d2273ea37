/// A competence an AIMS role needs (7.2, A.4.6), including AI literacy (EU AI Act Art. 4).
public struct CompetenceRequirement: RegisterRecord {
    public var competence: String
    public var role: String
    public var level: String
    public var aiLiteracy: Bool
    public var renewEveryMonths: Int?
    public var description: String?

    public init(
        competence: String,
        role: String,
        level: String,
        aiLiteracy: Bool,
        renewEveryMonths: Int? = nil,
        description: String? = nil
    ) {
        self.competence = competence
        self.role = role
        self.level = level
        self.aiLiteracy = aiLiteracy
        self.renewEveryMonths = renewEveryMonths
        self.description = description
    }

    public var displayTitle: String { competence }

    public static let spec = RegisterSpec(
        kind: "competence-requirement", path: "competence-requirements", singular: "Required competence", plural: "Required competences",
        clause: "7.2", area: "7 Support", summary: "What each AIMS role must know or be able to do, AI literacy included.",
        fields: [
            FieldSpec("competence", "Competence", required: true, listed: true),
            FieldSpec("role", "Role", .reference(AIMSRole.spec.kind), required: true, filterable: true),
            FieldSpec("level", "Level", .choice(Vocabulary.list([("awareness", "Awareness"), ("practitioner", "Practitioner"), ("expert", "Expert")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("aiLiteracy", "AI literacy (EU AI Act Art. 4)", .boolean, required: true, listed: true, filterable: true),
            FieldSpec("renewEveryMonths", "Renew every (months)", .integer(1...120)),
            FieldSpec("description", "Description", .longText),
        ],
        defaultSort: "competence")
}

/// Evidence that a person has a competence: training, education or experience (7.2).
public struct CompetenceRecord: RegisterRecord {
    public var person: String
    public var kind: String
    public var description: String
    public var completedOn: CalendarDate
    public var expiresOn: CalendarDate?
    public var competences: [String]
    public var evidence: [String]?

    public init(
        person: String,
        kind: String,
        description: String,
        completedOn: CalendarDate,
        expiresOn: CalendarDate? = nil,
        competences: [String],
        evidence: [String]? = nil
    ) {
        self.person = person
        self.kind = kind
        self.description = description
        self.completedOn = completedOn
        self.expiresOn = expiresOn
        self.competences = competences
        self.evidence = evidence
    }

    public var displayTitle: String { "\(person): \(description.prefix(60))" }

    public static let spec = RegisterSpec(
        kind: "competence-record", path: "competence-records", singular: "Competence record", plural: "Competence records",
        clause: "7.2", area: "7 Support", summary: "Training, education and experience per person, with evidence; gaps are computed per person.",
        fields: [
            FieldSpec("person", "Person", required: true, listed: true, filterable: true),
            FieldSpec("kind", "Kind", .choice(Vocabulary.list([("training", "Training"), ("education", "Education"), ("experience", "Experience")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("description", "Description", .longText, required: true, listed: true),
            FieldSpec("completedOn", "Completed on", .date, required: true, listed: true),
            FieldSpec("expiresOn", "Expires on", .date, listed: true),
            FieldSpec("competences", "Competences shown", .references(CompetenceRequirement.spec.kind), required: true),
            FieldSpec("evidence", "Evidence", .references(Evidence.spec.kind)),
        ],
        defaultSort: "person")

    public func check(previous: CompetenceRecord?, context: RuleContext) -> [FieldIssue] {
        order(completedOn, expiresOn, field: "expiresOn", message: "cannot be before completion")
    }
}

/// A supplier or third party involved in the AI system life cycle (A.10).
public struct Supplier: RegisterRecord {
    public var name: String
    public var supplies: [String]
    public var description: String
    public var aiSystems: [String]?
    public var responsibilities: String
    public var assessmentResult: String
    public var assessmentNotes: String?
    public var assessedOn: CalendarDate?
    public var contractReference: String?
    public var reviewDate: CalendarDate?
    public var owner: String

    public init(
        name: String,
        supplies: [String],
        description: String,
        aiSystems: [String]? = nil,
        responsibilities: String,
        assessmentResult: String,
        assessmentNotes: String? = nil,
        assessedOn: CalendarDate? = nil,
        contractReference: String? = nil,
        reviewDate: CalendarDate? = nil,
        owner: String
    ) {
        self.name = name
        self.supplies = supplies
        self.description = description
        self.aiSystems = aiSystems
        self.responsibilities = responsibilities
        self.assessmentResult = assessmentResult
        self.assessmentNotes = assessmentNotes
        self.assessedOn = assessedOn
        self.contractReference = contractReference
        self.reviewDate = reviewDate
        self.owner = owner
    }

    public var displayTitle: String { name }

    public static let spec = RegisterSpec(
        kind: "supplier", path: "suppliers", singular: "Supplier", plural: "Suppliers and third parties", clause: "A.10", area: "8 Operation",
        summary: "Who supplies AI, data or services, who is responsible for what (A.10.2), and how they were assessed.",
        fields: [
            FieldSpec("name", "Name", required: true, listed: true),
            FieldSpec("supplies", "Supplies", .choices(Vocabulary.list([("data", "Data"), ("model", "Models"), ("ai-system", "AI systems"), ("platform", "AI platform or API"),
                                                                        ("library", "Software libraries"), ("labelling", "Labelling"), ("services", "Services")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("description", "What they supply or do for us", .longText, required: true),
            FieldSpec("aiSystems", "AI systems", .references(AISystem.spec.kind)),
            FieldSpec("responsibilities", "Allocation of responsibilities (A.10.2)", .longText, required: true),
            FieldSpec("assessmentResult", "Assessment", .choice(Vocabulary.list([("not-assessed", "Not assessed"), ("approved", "Approved"), ("conditional", "Approved with conditions"),
                                                                                ("rejected", "Rejected")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("assessmentNotes", "Assessment notes", .longText),
            FieldSpec("assessedOn", "Assessed on", .date, listed: true),
            FieldSpec("contractReference", "Contract reference"),
            FieldSpec("reviewDate", "Next review", .date, listed: true),
            FieldSpec("owner", "Owner", required: true, filterable: true),
        ],
        defaultSort: "name")

    public func check(previous: Supplier?, context: RuleContext) -> [FieldIssue] {
        assessmentResult != "not-assessed" && assessedOn == nil ? [FieldIssue("assessedOn", "is required once assessed")] : []
    }
}
