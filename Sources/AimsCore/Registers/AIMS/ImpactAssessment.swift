/// An AI system impact assessment (6.1.4, 8.4, A.5; shaped after ISO/IEC 42005): the system, its
/// uses and setting, and for each affected group the benefits, harms and measures.
public struct ImpactAssessment: RegisterRecord {
    public var title: String
    public var aiSystem: String
    public var scope: String
    public var systemDescription: String?
    public var intendedUses: String?
    public var unintendedUses: String?
    public var dataAndModel: String?
    public var deploymentEnvironment: String?
    public var interestedParties: String?
    public var individualsBenefits: String?
    public var individualsHarms: String?
    public var individualsSeverity: String?
    public var individualsLikelihood: String?
    public var individualsReversibility: String?
    public var individualsMeasures: String?
    public var groupsBenefits: String?
    public var groupsHarms: String?
    public var groupsSeverity: String?
    public var groupsLikelihood: String?
    public var groupsReversibility: String?
    public var groupsMeasures: String?
    public var societyBenefits: String?
    public var societyHarms: String?
    public var societySeverity: String?
    public var societyLikelihood: String?
    public var societyReversibility: String?
    public var societyMeasures: String?
    public var environmentBenefits: String?
    public var environmentHarms: String?
    public var environmentSeverity: String?
    public var environmentLikelihood: String?
    public var environmentReversibility: String?
    public var environmentMeasures: String?
    public var conclusion: String?
    public var risks: [String]?
    public var status: String
    public var assessor: String
    public var approvedBy: String?
    public var approvedOn: CalendarDate?
    public var reassessBy: CalendarDate?
    public var supersedes: String?

    public init(
        title: String,
        aiSystem: String,
        scope: String,
        systemDescription: String? = nil,
        intendedUses: String? = nil,
        unintendedUses: String? = nil,
        dataAndModel: String? = nil,
        deploymentEnvironment: String? = nil,
        interestedParties: String? = nil,
        individualsBenefits: String? = nil,
        individualsHarms: String? = nil,
        individualsSeverity: String? = nil,
        individualsLikelihood: String? = nil,
        individualsReversibility: String? = nil,
        individualsMeasures: String? = nil,
        groupsBenefits: String? = nil,
        groupsHarms: String? = nil,
        groupsSeverity: String? = nil,
        groupsLikelihood: String? = nil,
        groupsReversibility: String? = nil,
        groupsMeasures: String? = nil,
        societyBenefits: String? = nil,
        societyHarms: String? = nil,
        societySeverity: String? = nil,
        societyLikelihood: String? = nil,
        societyReversibility: String? = nil,
        societyMeasures: String? = nil,
        environmentBenefits: String? = nil,
        environmentHarms: String? = nil,
        environmentSeverity: String? = nil,
        environmentLikelihood: String? = nil,
        environmentReversibility: String? = nil,
        environmentMeasures: String? = nil,
        conclusion: String? = nil,
        risks: [String]? = nil,
        status: String,
        assessor: String,
        approvedBy: String? = nil,
        approvedOn: CalendarDate? = nil,
        reassessBy: CalendarDate? = nil,
        supersedes: String? = nil
    ) {
        self.title = title
        self.aiSystem = aiSystem
        self.scope = scope
        self.systemDescription = systemDescription
        self.intendedUses = intendedUses
        self.unintendedUses = unintendedUses
        self.dataAndModel = dataAndModel
        self.deploymentEnvironment = deploymentEnvironment
        self.interestedParties = interestedParties
        self.individualsBenefits = individualsBenefits
        self.individualsHarms = individualsHarms
        self.individualsSeverity = individualsSeverity
        self.individualsLikelihood = individualsLikelihood
        self.individualsReversibility = individualsReversibility
        self.individualsMeasures = individualsMeasures
        self.groupsBenefits = groupsBenefits
        self.groupsHarms = groupsHarms
        self.groupsSeverity = groupsSeverity
        self.groupsLikelihood = groupsLikelihood
        self.groupsReversibility = groupsReversibility
        self.groupsMeasures = groupsMeasures
        self.societyBenefits = societyBenefits
        self.societyHarms = societyHarms
        self.societySeverity = societySeverity
        self.societyLikelihood = societyLikelihood
        self.societyReversibility = societyReversibility
        self.societyMeasures = societyMeasures
        self.environmentBenefits = environmentBenefits
        self.environmentHarms = environmentHarms
        self.environmentSeverity = environmentSeverity
        self.environmentLikelihood = environmentLikelihood
        self.environmentReversibility = environmentReversibility
        self.environmentMeasures = environmentMeasures
        self.conclusion = conclusion
        self.risks = risks
        self.status = status
        self.assessor = assessor
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
        self.reassessBy = reassessBy
        self.supersedes = supersedes
    }

    public var displayTitle: String { title }

    static let groups = [("individuals", "Individuals"), ("groups", "Groups of people"), ("society", "Society"), ("environment", "Environment")]

    public static let spec: RegisterSpec = {
        var fields: [FieldSpec] = [
            FieldSpec("title", "Title", required: true, listed: true),
            FieldSpec("aiSystem", "AI system", .reference(AISystem.spec.kind), required: true, filterable: true),
            FieldSpec("scope", "Scope of the assessment", .longText, required: true),
            FieldSpec("systemDescription", "System description", .longText),
            FieldSpec("intendedUses", "Intended uses", .longText),
            FieldSpec("unintendedUses", "Unintended and foreseeable misuses", .longText),
            FieldSpec("dataAndModel", "Data and model information", .longText),
            FieldSpec("deploymentEnvironment", "Deployment environment", .longText),
            FieldSpec("interestedParties", "Relevant interested parties", .longText),
        ]
        for (key, label) in groups {
            fields += [
                FieldSpec("\(key)Benefits", "\(label): foreseeable benefits", .longText),
                FieldSpec("\(key)Harms", "\(label): foreseeable harms", .longText),
                FieldSpec("\(key)Severity", "\(label): severity of harm", .choice(Vocabulary.severity)),
                FieldSpec("\(key)Likelihood", "\(label): likelihood of harm", .choice(Vocabulary.likelihood)),
                FieldSpec("\(key)Reversibility", "\(label): reversibility", .choice(Vocabulary.reversibility)),
                FieldSpec("\(key)Measures", "\(label): measures taken", .longText),
            ]
        }
        fields += [
            FieldSpec("conclusion", "Overall conclusion", .longText),
            FieldSpec("risks", "Feeds these AI risks", .references(AIRisk.spec.kind)),
            FieldSpec("status", "Status", .choice(Vocabulary.list([("draft", "Draft"), ("in-review", "In review"), ("approved", "Approved"), ("superseded", "Superseded")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("assessor", "Assessor", required: true, listed: true, filterable: true),
            FieldSpec("approvedBy", "Approved by", listed: true),
            FieldSpec("approvedOn", "Approved on", .date, listed: true),
            FieldSpec("reassessBy", "Re-assess by", .date, listed: true, help: "When the assessment must be repeated (8.4)."),
            FieldSpec("supersedes", "Supersedes", .reference("impact-assessment")),
        ]
        return RegisterSpec(
            kind: "impact-assessment", path: "impact-assessments", singular: "Impact assessment", plural: "Impact assessments", clause: "6.1.4",
            area: "6 Planning", summary: "Consequences of an AI system for individuals, groups, society and the environment.",
            fields: fields, defaultSort: "title", approvalFields: ["approvedBy", "approvedOn"])
    }()

    public func check(previous: ImpactAssessment?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if status == "approved" || status == "superseded" {
            if approvedBy == nil { issues.append(FieldIssue("approvedBy", "is required for an approved assessment")) }
            if approvedOn == nil { issues.append(FieldIssue("approvedOn", "is required for an approved assessment")) }
            if conclusion?.isEmpty ?? true { issues.append(FieldIssue("conclusion", "is required before approval")) }
            if reassessBy == nil { issues.append(FieldIssue("reassessBy", "is required: set when the assessment must be repeated")) }
            let data = (try? JSONValue(encoding: self)) ?? .null
            let assessed = Self.groups.contains { data["\($0.0)Harms"] != nil && data["\($0.0)Harms"] != .null }
            if !assessed { issues.append(FieldIssue("individualsHarms", "at least one affected group must be assessed before approval")) }
        }
        if let previous, previous.status == "approved" || previous.status == "superseded" {
            var unchanged = self
            unchanged.status = previous.status
            if unchanged != previous || !(status == previous.status || status == "superseded") {
                issues.append(FieldIssue("status", "an approved assessment is fixed; only superseding it is allowed (write a new one)"))
            }
        }
        return issues + order(approvedOn, reassessBy, field: "reassessBy", message: "cannot be before the approval")
    }
}
