/// A nonconformity (10.2): where it came from, what requirement it breaks, containment, cause, and
/// the check that the corrective action worked.
public struct Nonconformity: RegisterRecord {
    public var title: String
    public var source: String
    public var grade: String
    public var description: String
    /// The clause or Annex A control not met (or a custom control id of the SoA).
    public var requirement: String
    public var raisedOn: CalendarDate
    public var raisedBy: String
    public var aiSystem: String?
    public var incident: String?
    public var audit: String?
    public var containment: String?
    public var rootCause: String?
    public var effectivenessCheckedBy: String?
    public var effectivenessCheckedOn: CalendarDate?
    public var effectivenessResult: String?
    public var closedOn: CalendarDate?
    public var status: String
    public var owner: String
    /// Set when a monitoring run opened it, so repeated failures reuse one record.
    public var monitoringKey: String?

    public init(
        title: String,
        source: String,
        grade: String,
        description: String,
        requirement: String,
        raisedOn: CalendarDate,
        raisedBy: String,
        aiSystem: String? = nil,
        incident: String? = nil,
        audit: String? = nil,
        containment: String? = nil,
        rootCause: String? = nil,
        effectivenessCheckedBy: String? = nil,
        effectivenessCheckedOn: CalendarDate? = nil,
        effectivenessResult: String? = nil,
        closedOn: CalendarDate? = nil,
        status: String,
        owner: String,
        monitoringKey: String? = nil
    ) {
        self.title = title
        self.source = source
        self.grade = grade
        self.description = description
        self.requirement = requirement
        self.raisedOn = raisedOn
        self.raisedBy = raisedBy
        self.aiSystem = aiSystem
        self.incident = incident
        self.audit = audit
        self.containment = containment
        self.rootCause = rootCause
        self.effectivenessCheckedBy = effectivenessCheckedBy
        self.effectivenessCheckedOn = effectivenessCheckedOn
        self.effectivenessResult = effectivenessResult
        self.closedOn = closedOn
        self.status = status
        self.owner = owner
        self.monitoringKey = monitoringKey
    }

    public var displayTitle: String { title }

    public static let spec = RegisterSpec(
        kind: "nonconformity", path: "nonconformities", singular: "Nonconformity", plural: "Nonconformities", clause: "10.2", area: "10 Improvement",
        summary: "Nonconformities from audits, incidents, monitoring, complaints and reviews, through to an effective correction.",
        fields: [
            FieldSpec("title", "Title", required: true, listed: true),
            FieldSpec("source", "Source", .choice(Vocabulary.list([("internal-audit", "Internal audit"), ("incident", "Incident"), ("monitoring", "Monitoring"),
                                                                   ("complaint", "Complaint"), ("management-review", "Management review"), ("other", "Other")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("grade", "Grade", .choice(Vocabulary.list([("major", "Major"), ("minor", "Minor"), ("observation", "Observation"),
                                                                 ("opportunity", "Opportunity for improvement")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("description", "Description", .longText, required: true),
            FieldSpec("requirement", "Requirement not met", required: true, listed: true, filterable: true, help: "Clause or control id, such as 9.2.2 or A.6.2.6."),
            FieldSpec("raisedOn", "Raised on", .date, required: true, listed: true),
            FieldSpec("raisedBy", "Raised by", required: true),
            FieldSpec("aiSystem", "AI system", .reference(AISystem.spec.kind), filterable: true),
            FieldSpec("incident", "Incident", .reference(Incident.spec.kind)),
            FieldSpec("audit", "Internal audit", .reference("internal-audit")),
            FieldSpec("containment", "Containment", .longText),
            FieldSpec("rootCause", "Root cause", .longText),
            FieldSpec("effectivenessCheckedBy", "Effectiveness checked by"),
            FieldSpec("effectivenessCheckedOn", "Effectiveness checked on", .date),
            FieldSpec("effectivenessResult", "Effectiveness", .choice(Vocabulary.list([("effective", "Effective"), ("not-effective", "Not effective")]))),
            FieldSpec("closedOn", "Closed on", .date, listed: true),
            FieldSpec("status", "Status", .choice(Vocabulary.list([("open", "Open"), ("action-planned", "Action planned"), ("awaiting-verification", "Awaiting verification"),
                                                                   ("closed", "Closed")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("owner", "Owner", required: true, listed: true, filterable: true),
            FieldSpec("monitoringKey", "Monitoring key", derived: true),
        ],
        defaultSort: "-raisedOn")

    public func check(previous: Nonconformity?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if context.catalog.clause(requirement) == nil, context.catalog.control(requirement) == nil, !requirement.hasPrefix("X.") {
            issues.append(FieldIssue("requirement", "\(requirement) is not an ISO/IEC 42001 clause or control (custom controls start with X.)"))
        }
        if source == "incident", incident == nil { issues.append(FieldIssue("incident", "is required when the source is an incident")) }
        if source == "internal-audit", audit == nil { issues.append(FieldIssue("audit", "is required when the source is an internal audit")) }
        if ["action-planned", "awaiting-verification", "closed"].contains(status), rootCause?.isEmpty ?? true, grade == "major" || grade == "minor" {
            issues.append(FieldIssue("rootCause", "is required once action is planned"))
        }
        if status == "closed" {
            if closedOn == nil { issues.append(FieldIssue("closedOn", "is required to close")) }
            if grade == "major" || grade == "minor" {
                if effectivenessResult != "effective" { issues.append(FieldIssue("effectivenessResult", "must be effective to close a nonconformity")) }
                if effectivenessCheckedBy == nil || effectivenessCheckedOn == nil {
                    issues.append(FieldIssue("effectivenessCheckedBy", "who checked and when are required to close"))
                }
            }
        }
        return issues + order(raisedOn, effectivenessCheckedOn, field: "effectivenessCheckedOn", message: "cannot be before the nonconformity was raised")
            + order(raisedOn, closedOn, field: "closedOn", message: "cannot be before the nonconformity was raised")
    }
}

/// One corrective action of a nonconformity, with its owner and due date.
public struct CorrectiveAction: RegisterRecord {
    public var action: String
    public var nonconformity: String
    public var owner: String
    public var dueDate: CalendarDate
    public var status: String
    public var completedOn: CalendarDate?
    public var notes: String?

    public init(
        action: String,
        nonconformity: String,
        owner: String,
        dueDate: CalendarDate,
        status: String,
        completedOn: CalendarDate? = nil,
        notes: String? = nil
    ) {
        self.action = action
        self.nonconformity = nonconformity
        self.owner = owner
        self.dueDate = dueDate
        self.status = status
        self.completedOn = completedOn
        self.notes = notes
    }

    public var displayTitle: String { action }

    public static let spec = RegisterSpec(
        kind: "corrective-action", path: "corrective-actions", singular: "Corrective action", plural: "Corrective actions", clause: "10.2",
        area: "10 Improvement", summary: "Actions that remove the cause of a nonconformity, each with an owner and a due date.",
        fields: [
            FieldSpec("action", "Action", .longText, required: true, listed: true),
            FieldSpec("nonconformity", "Nonconformity", .reference(Nonconformity.spec.kind), required: true, filterable: true),
            FieldSpec("owner", "Owner", required: true, listed: true, filterable: true),
            FieldSpec("dueDate", "Due", .date, required: true, listed: true),
            FieldSpec("status", "Status", .choice(Vocabulary.list([("planned", "Planned"), ("in-progress", "In progress"), ("done", "Done"), ("cancelled", "Cancelled")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("completedOn", "Completed on", .date, listed: true),
            FieldSpec("notes", "Notes", .longText),
        ],
        defaultSort: "dueDate")

    public func check(previous: CorrectiveAction?, context: RuleContext) -> [FieldIssue] {
        status == "done" && completedOn == nil ? [FieldIssue("completedOn", "is required when the action is done")] : []
    }
}
