/// One requirement of one interested party, and whether the AIMS addresses it (clause 4.2).
public struct InterestedParty: RegisterRecord {
    public var party: String
    public var partyType: String
    public var requirement: String
    public var requirementSource: String?
    public var addressedByAims: Bool
    /// Why the requirement is or is not addressed; required both ways.
    public var rationale: String
    public var howAddressed: String?
    public var owner: String?
    public var reviewDate: CalendarDate?

    public init(
        party: String, partyType: String, requirement: String, requirementSource: String? = nil, addressedByAims: Bool, rationale: String, howAddressed: String? = nil, owner: String? = nil, reviewDate: CalendarDate? = nil
    ) {
        self.party = party
        self.partyType = partyType
        self.requirement = requirement
        self.requirementSource = requirementSource
        self.addressedByAims = addressedByAims
        self.rationale = rationale
        self.howAddressed = howAddressed
        self.owner = owner
        self.reviewDate = reviewDate
    }

    public var displayTitle: String { "\(party): \(requirement.prefix(80))" }

    public static let partyTypes = [
        Choice("customer", "Customer"), Choice("affected-person", "Affected person or group"),
        Choice("regulator", "Regulator or authority"), Choice("employee", "Employee"), Choice("supplier", "Supplier or partner"),
        Choice("investor", "Investor or owner"), Choice("society", "Society and civil society"), Choice("other", "Other"),
    ]

    public static let spec = RegisterSpec(
        kind: "interested-party", path: "interested-parties", singular: "Interested party requirement",
        plural: "Interested parties", clause: "4.2", area: "4 Context",
        summary: "Who has a stake in the AIMS, what they require and whether the AIMS takes it on.",
        fields: [
            FieldSpec("party", "Interested party", required: true, listed: true, filterable: true),
            FieldSpec("partyType", "Type of party", .choice(partyTypes), required: true, listed: true, filterable: true),
            FieldSpec("requirement", "Requirement", .longText, required: true, listed: true),
            FieldSpec("requirementSource", "Source of the requirement", .choice([
                Choice("legal", "Legal or regulatory"), Choice("contractual", "Contractual"),
                Choice("voluntary", "Voluntary commitment"), Choice("expectation", "Expectation"),
            ]), listed: true, filterable: true),
            FieldSpec("addressedByAims", "Addressed by the AIMS", .boolean, required: true, listed: true, filterable: true),
            FieldSpec("rationale", "Why (or why not)", .longText, required: true),
            FieldSpec("howAddressed", "How it is addressed", .longText),
            FieldSpec("owner", "Owner", filterable: true),
            FieldSpec("reviewDate", "Next review", .date),
        ],
        defaultSort: "party"
    )

    public func check(previous: InterestedParty?, context: RuleContext) -> [FieldIssue] {
        if addressedByAims, howAddressed?.isEmpty ?? true {
            return [FieldIssue("howAddressed", "is required when the AIMS addresses the requirement")]
        }
        return []
    }
}
