/// An AI risk (6.1.2, 6.1.3, 8.2, 8.3; ISO/IEC 23894): scored on the organisation's criteria before
/// and after treatment, with the controls that treat it and the acceptance of what remains.
public struct AIRisk: RegisterRecord {
    public var title: String
    public var description: String
    public var aiSystems: [String]?
    public var lifecycleStage: String?
    public var objectives: [String]?
    public var riskSources: [String]?
    public var likelihood: Int
    public var consequence: Int
    public var inherentLevel: RiskCriteria.Level?
    public var treatmentOption: String
    public var treatmentPlan: String?
    public var controls: [String]?
    public var residualLikelihood: Int?
    public var residualConsequence: Int?
    public var residualLevel: RiskCriteria.Level?
    public var owner: String
    public var reviewDate: CalendarDate?
    public var acceptedBy: String?
    public var acceptedOn: CalendarDate?
    /// The record version the acceptance refers to: a later change to the risk voids it.
    public var acceptedVersion: Int?
    public var status: String

    public init(
        title: String,
        description: String,
        aiSystems: [String]? = nil,
        lifecycleStage: String? = nil,
        objectives: [String]? = nil,
        riskSources: [String]? = nil,
        likelihood: Int,
        consequence: Int,
        inherentLevel: RiskCriteria.Level? = nil,
        treatmentOption: String,
        treatmentPlan: String? = nil,
        controls: [String]? = nil,
        residualLikelihood: Int? = nil,
        residualConsequence: Int? = nil,
        residualLevel: RiskCriteria.Level? = nil,
        owner: String,
        reviewDate: CalendarDate? = nil,
        acceptedBy: String? = nil,
        acceptedOn: CalendarDate? = nil,
        acceptedVersion: Int? = nil,
        status: String
    ) {
        self.title = title
        self.description = description
        self.aiSystems = aiSystems
        self.lifecycleStage = lifecycleStage
        self.objectives = objectives
        self.riskSources = riskSources
        self.likelihood = likelihood
        self.consequence = consequence
        self.inherentLevel = inherentLevel
        self.treatmentOption = treatmentOption
        self.treatmentPlan = treatmentPlan
        self.controls = controls
        self.residualLikelihood = residualLikelihood
        self.residualConsequence = residualConsequence
        self.residualLevel = residualLevel
        self.owner = owner
        self.reviewDate = reviewDate
        self.acceptedBy = acceptedBy
        self.acceptedOn = acceptedOn
        self.acceptedVersion = acceptedVersion
        self.status = status
    }

    public var displayTitle: String { title }

    public static let spec = RegisterSpec(
        kind: "ai-risk", path: "ai-risks", singular: "AI risk", plural: "AI risks", clause: "6.1.2", area: "6 Planning",
        summary: "AI risks scored on the organisation's criteria, their treatment, residual level and acceptance.",
        fields: [
            FieldSpec("title", "Title", required: true, listed: true),
            FieldSpec("description", "Description", .longText, required: true),
            FieldSpec("aiSystems", "AI systems", .references(AISystem.spec.kind)),
            FieldSpec("lifecycleStage", "Life-cycle stage", .choice(Vocabulary.lifecycleStages), filterable: true),
            FieldSpec("objectives", "Objectives affected (Annex C)", .choices(Vocabulary.annexCObjectives), filterable: true),
            FieldSpec("riskSources", "Risk sources (Annex C)", .choices(Vocabulary.annexCRiskSources), filterable: true),
            FieldSpec("likelihood", "Likelihood", .integer(1...10), required: true),
            FieldSpec("consequence", "Consequence", .integer(1...10), required: true),
            FieldSpec("inherentLevel", "Inherent level", .choice(RiskCriteria.Level.choices), listed: true, filterable: true, derived: true),
            FieldSpec("treatmentOption", "Treatment", .choice(Vocabulary.list([("modify", "Modify (reduce)"), ("avoid", "Avoid"), ("share", "Share"), ("retain", "Retain")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("treatmentPlan", "Treatment plan", .longText),
            FieldSpec("controls", "Controls (SoA)", .references(SoAEntry.spec.kind)),
            FieldSpec("residualLikelihood", "Residual likelihood", .integer(1...10)),
            FieldSpec("residualConsequence", "Residual consequence", .integer(1...10)),
            FieldSpec("residualLevel", "Residual level", .choice(RiskCriteria.Level.choices), listed: true, filterable: true, derived: true),
            FieldSpec("owner", "Owner", required: true, listed: true, filterable: true),
            FieldSpec("reviewDate", "Next review", .date, listed: true),
            FieldSpec("acceptedBy", "Residual risk accepted by"),
            FieldSpec("acceptedOn", "Accepted on", .date),
            FieldSpec("acceptedVersion", "Accepted version", .integer(1...1_000_000)),
            FieldSpec("status", "Status", .choice(Vocabulary.list([("identified", "Identified"), ("assessed", "Assessed"), ("treatment-planned", "Treatment planned"),
                                                                   ("treated", "Treated"), ("accepted", "Accepted"), ("closed", "Closed")])),
                      required: true, listed: true, filterable: true),
        ],
        defaultSort: "title", approvalFields: ["acceptedBy", "acceptedOn", "acceptedVersion"])

    public mutating func derive(context: RuleContext) {
        inherentLevel = context.riskCriteria.level(likelihood: likelihood, consequence: consequence)
        if let residualLikelihood, let residualConsequence {
            residualLevel = context.riskCriteria.level(likelihood: residualLikelihood, consequence: residualConsequence)
        } else {
            residualLevel = nil
        }
    }

    public func check(previous: AIRisk?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let criteria = context.riskCriteria
        for (field, value, top) in [("likelihood", likelihood, criteria.likelihoodLevels), ("consequence", consequence, criteria.consequenceLevels),
                                    ("residualLikelihood", residualLikelihood ?? 1, criteria.likelihoodLevels),
                                    ("residualConsequence", residualConsequence ?? 1, criteria.consequenceLevels)] where value > top {
            issues.append(FieldIssue(field, "must be at most \(top) on this organisation's scale"))
        }
        if (residualLikelihood == nil) != (residualConsequence == nil) {
            issues.append(FieldIssue("residualConsequence", "residual likelihood and consequence go together"))
        }
        if let rl = residualLikelihood, let rc = residualConsequence, rl * rc > likelihood * consequence {
            issues.append(FieldIssue("residualLikelihood", "residual risk cannot exceed the inherent risk"))
        }
        if treatmentOption != "retain", treatmentPlan?.isEmpty ?? true, status != "identified" {
            issues.append(FieldIssue("treatmentPlan", "is required for treatment option \(treatmentOption)"))
        }
        let accepting = acceptedBy != nil || acceptedOn != nil || acceptedVersion != nil
        if accepting {
            if acceptedBy == nil || acceptedOn == nil || acceptedVersion == nil {
                issues.append(FieldIssue("acceptedBy", "acceptance needs who, when and the version accepted"))
            }
            let level = residualLevel ?? inherentLevel ?? .critical
            if level > criteria.acceptanceThreshold {
                issues.append(FieldIssue("acceptedBy", "a \(level.rawValue) residual risk is above the acceptance threshold (\(criteria.acceptanceThreshold.rawValue)); treat it further first"))
            }
        }
        if status == "accepted", !accepting { issues.append(FieldIssue("status", "accepted needs the acceptance recorded")) }
        return issues
    }
}
