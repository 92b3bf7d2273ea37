/// The internal audit programme (9.2.2): period, scope, criteria, frequency and auditors.
public struct AuditProgramme: RegisterRecord {
    public var title: String
    public var periodStart: CalendarDate
    public var periodEnd: CalendarDate
    public var scope: String
    public var criteria: String
    public var frequency: String
    public var auditors: [String]
    public var owner: String
    public var status: String

    public init(
        title: String,
        periodStart: CalendarDate,
        periodEnd: CalendarDate,
        scope: String,
        criteria: String,
        frequency: String,
        auditors: [String],
        owner: String,
        status: String
    ) {
        self.title = title
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.scope = scope
        self.criteria = criteria
        self.frequency = frequency
        self.auditors = auditors
        self.owner = owner
        self.status = status
    }

    public var displayTitle: String { title }

    public static let spec = RegisterSpec(
        kind: "audit-programme", path: "audit-programmes", singular: "Audit programme", plural: "Audit programmes", clause: "9.2.2",
        area: "9 Performance evaluation", summary: "Plans of internal audits over a period: scope, criteria, frequency and auditors.",
        fields: [
            FieldSpec("title", "Title", required: true, listed: true),
            FieldSpec("periodStart", "From", .date, required: true, listed: true),
            FieldSpec("periodEnd", "To", .date, required: true, listed: true),
            FieldSpec("scope", "Scope", .longText, required: true),
            FieldSpec("criteria", "Audit criteria", .longText, required: true),
            FieldSpec("frequency", "Frequency", required: true, listed: true),
            FieldSpec("auditors", "Auditors", .textList, required: true, filterable: true),
            FieldSpec("owner", "Owner", required: true, filterable: true),
            FieldSpec("status", "Status", .choice(Vocabulary.list([("planned", "Planned"), ("active", "Active"), ("completed", "Completed")])),
                      required: true, listed: true, filterable: true),
        ],
        defaultSort: "-periodStart")

    public func check(previous: AuditProgramme?, context: RuleContext) -> [FieldIssue] {
        order(periodStart, periodEnd, field: "periodEnd", message: "cannot be before the start")
    }
}

/// One internal audit (9.2): what it covered, who audited whom, and the report. Findings are
/// nonconformities that name the audit.
public struct InternalAudit: RegisterRecord {
    public var title: String
    public var programme: String?
    public var auditedArea: String
    /// People responsible for the audited area; none of them may audit it (independence).
    public var areaResponsible: [String]
    public var auditors: [String]
    public var plannedOn: CalendarDate
    public var performedOn: CalendarDate?
    public var scope: String
    public var clausesCovered: [String]
    public var sampledSystems: [String]?
    public var report: String?
    public var conclusion: String?
    public var status: String

    public init(
        title: String,
        programme: String? = nil,
        auditedArea: String,
        areaResponsible: [String],
        auditors: [String],
        plannedOn: CalendarDate,
        performedOn: CalendarDate? = nil,
        scope: String,
        clausesCovered: [String],
        sampledSystems: [String]? = nil,
        report: String? = nil,
        conclusion: String? = nil,
        status: String
    ) {
        self.title = title
        self.programme = programme
        self.auditedArea = auditedArea
        self.areaResponsible = areaResponsible
        self.auditors = auditors
        self.plannedOn = plannedOn
        self.performedOn = performedOn
        self.scope = scope
        self.clausesCovered = clausesCovered
        self.sampledSystems = sampledSystems
        self.report = report
        self.conclusion = conclusion
        self.status = status
    }

    public var displayTitle: String { title }

    public static let spec = RegisterSpec(
        kind: "internal-audit", path: "internal-audits", singular: "Internal audit", plural: "Internal audits", clause: "9.2",
        area: "9 Performance evaluation", summary: "Audits with their scope, sample, clauses and controls covered, auditors and report.",
        fields: [
            FieldSpec("title", "Title", required: true, listed: true),
            FieldSpec("programme", "Programme", .reference(AuditProgramme.spec.kind), filterable: true),
            FieldSpec("auditedArea", "Audited area", required: true, listed: true, filterable: true),
            FieldSpec("areaResponsible", "Responsible for the area", .textList, required: true, help: "One person per line."),
            FieldSpec("auditors", "Auditors", .textList, required: true, listed: true, help: "One person per line; none may be responsible for the area."),
            FieldSpec("plannedOn", "Planned for", .date, required: true, listed: true),
            FieldSpec("performedOn", "Performed on", .date, listed: true),
            FieldSpec("scope", "Scope", .longText, required: true),
            FieldSpec("clausesCovered", "Clauses and controls covered", .textList, required: true, help: "Ids, one per line."),
            FieldSpec("sampledSystems", "AI systems sampled", .references(AISystem.spec.kind)),
            FieldSpec("report", "Report", .longText),
            FieldSpec("conclusion", "Conclusion", .longText),
            FieldSpec("status", "Status", .choice(Vocabulary.list([("planned", "Planned"), ("in-progress", "In progress"), ("reported", "Reported"), ("closed", "Closed")])),
                      required: true, listed: true, filterable: true),
        ],
        defaultSort: "-plannedOn")

    public func check(previous: InternalAudit?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let normalise = { (name: String) in name.trimmingCharacters(in: .whitespaces).lowercased() }
        let conflicted = Set(auditors.map(normalise)).intersection(areaResponsible.map(normalise))
        if !conflicted.isEmpty {
            issues.append(FieldIssue("auditors", "an auditor may not audit their own area: \(conflicted.sorted().joined(separator: ", "))"))
        }
        for id in clausesCovered where context.catalog.clause(id) == nil && context.catalog.control(id) == nil {
            issues.append(FieldIssue("clausesCovered", "\(id) is not an ISO/IEC 42001 clause or control"))
        }
        if status == "reported" || status == "closed" {
            if performedOn == nil { issues.append(FieldIssue("performedOn", "is required once reported")) }
            if report?.isEmpty ?? true { issues.append(FieldIssue("report", "is required once reported")) }
        }
        return issues + order(plannedOn, performedOn, field: "performedOn", message: "cannot be before the planned date")
    }
}

/// A management review (9.3): the inputs 9.3.2 asks for, the decisions and the sign-off.
public struct ManagementReview: RegisterRecord {
    public var title: String
    public var heldOn: CalendarDate
    public var attendees: [String]
    public var previousActions: String?
    public var changesInIssues: String?
    public var nonconformitiesAndActions: String?
    public var monitoringResults: String?
    public var auditResults: String?
    public var interestedPartyFeedback: String?
    public var risksAndOpportunities: String?
    public var improvementOpportunities: String?
    public var decisions: String?
    public var actions: [String]?
    public var status: String
    public var signedOffBy: String?
    public var signedOffOn: CalendarDate?

    public init(
        title: String,
        heldOn: CalendarDate,
        attendees: [String],
        previousActions: String? = nil,
        changesInIssues: String? = nil,
        nonconformitiesAndActions: String? = nil,
        monitoringResults: String? = nil,
        auditResults: String? = nil,
        interestedPartyFeedback: String? = nil,
        risksAndOpportunities: String? = nil,
        improvementOpportunities: String? = nil,
        decisions: String? = nil,
        actions: [String]? = nil,
        status: String,
        signedOffBy: String? = nil,
        signedOffOn: CalendarDate? = nil
    ) {
        self.title = title
        self.heldOn = heldOn
        self.attendees = attendees
        self.previousActions = previousActions
        self.changesInIssues = changesInIssues
        self.nonconformitiesAndActions = nonconformitiesAndActions
        self.monitoringResults = monitoringResults
        self.auditResults = auditResults
        self.interestedPartyFeedback = interestedPartyFeedback
        self.risksAndOpportunities = risksAndOpportunities
        self.improvementOpportunities = improvementOpportunities
        self.decisions = decisions
        self.actions = actions
        self.status = status
        self.signedOffBy = signedOffBy
        self.signedOffOn = signedOffOn
    }

    public var displayTitle: String { title }

    static let inputs: [(String, String)] = [
        ("previousActions", "Status of actions from previous reviews"),
        ("changesInIssues", "Changes in external and internal issues"),
        ("nonconformitiesAndActions", "Nonconformities and corrective actions"),
        ("monitoringResults", "Monitoring and measurement results"),
        ("auditResults", "Audit results"),
        ("interestedPartyFeedback", "Feedback from interested parties"),
        ("risksAndOpportunities", "AI risks and opportunities"),
        ("improvementOpportunities", "Opportunities for continual improvement"),
    ]

    public static let spec = RegisterSpec(
        kind: "management-review", path: "management-reviews", singular: "Management review", plural: "Management reviews", clause: "9.3",
        area: "9 Performance evaluation", summary: "Top management's reviews: each required input, the decisions, actions and sign-off.",
        fields: [
            FieldSpec("title", "Title", required: true, listed: true),
            FieldSpec("heldOn", "Held on", .date, required: true, listed: true),
            FieldSpec("attendees", "Attendees", .textList, required: true),
        ] + inputs.map { FieldSpec($0.0, $0.1, .longText) } + [
            FieldSpec("decisions", "Decisions on improvement and changes", .longText),
            FieldSpec("actions", "Actions raised", .references(CorrectiveAction.spec.kind)),
            FieldSpec("status", "Status", .choice(Vocabulary.list([("planned", "Planned"), ("held", "Held"), ("signed-off", "Signed off")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("signedOffBy", "Signed off by", listed: true),
            FieldSpec("signedOffOn", "Signed off on", .date),
        ],
        defaultSort: "-heldOn", approvalFields: ["signedOffBy", "signedOffOn"])

    public func check(previous: ManagementReview?, context: RuleContext) -> [FieldIssue] {
        guard status == "signed-off" else { return [] }
        let data = (try? JSONValue(encoding: self)) ?? .null
        var issues = Self.inputs.filter { (data[$0.0]?.text ?? "").isEmpty }.map { FieldIssue($0.0, "is a required input (9.3.2) before sign-off") }
        if decisions?.isEmpty ?? true { issues.append(FieldIssue("decisions", "are required before sign-off (9.3.3)")) }
        if signedOffBy == nil || signedOffOn == nil { issues.append(FieldIssue("signedOffBy", "who signed off and when are required")) }
        return issues + order(heldOn, signedOffOn, field: "signedOffOn", message: "cannot be before the review was held")
    }
}
